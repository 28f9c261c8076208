package export

// label is one string of the exports in each language they come in.
type label struct{ en, fr string }

// labels holds every string the exports print: column headers, sheet names, status, category,
// kind and state names, section titles. Every key has both languages (labels_test.go checks).
// Keys built at run time: "status.<Status|pending>", "short.<Status|pending>",
// "category.<Category>", "kind.<ReportKind>", "state.<State>".
var labels = map[string]label{
	// The DRAFT mark and the basis.
	"draft":               {"DRAFT", "PROJET"},
	"draft_note":          {"DRAFT — includes assessments not yet adopted by the Committee", "PROJET — comprend des évaluations que le Comité n’a pas encore adoptées"},
	"basis.adopted":       {"Adopted assessments only", "Évaluations adoptées uniquement"},
	"basis.draft":         {"DRAFT: latest assessments, adopted or not", "PROJET : dernières évaluations, adoptées ou non"},
	"basis_value.adopted": {"adopted", "adoptée"},
	"basis_value.draft":   {"DRAFT", "PROJET"},

	// Statuses: full names.
	"status.implemented":           {"Implemented", "Mise en œuvre"},
	"status.partially_implemented": {"Partially implemented", "Partiellement mise en œuvre"},
	"status.not_implemented":       {"Not implemented", "Non mise en œuvre"},
	"status.no_information":        {"No information", "Aucune information"},
	"status.not_applicable":        {"Not applicable", "Sans objet"},
	"status.pending":               {"Pending", "En attente"},
	// Statuses: short names for narrow cells (PDF matrix and table headers).
	"short.implemented":           {"Impl.", "Mise en œ."},
	"short.partially_implemented": {"Partial", "Partielle"},
	"short.not_implemented":       {"Not impl.", "Non mise"},
	"short.no_information":        {"No info", "Aucune info"},
	"short.not_applicable":        {"N/A", "S.O."},
	"short.pending":               {"Pending", "En attente"},

	// Categories of recommendations.
	"category.urge":     {"Urge", "Exhorte"},
	"category.consider": {"Consider", "Considère"},
	"category.invite":   {"Invite", "Invite"},

	// Report kinds.
	"kind.implementation_report": {"Implementation report", "Rapport de mise en œuvre"},
	"kind.special_report":        {"Special report", "Rapport spécial"},
	"kind.visit_report":          {"Visit report", "Rapport de visite"},
	"kind.other":                 {"Other", "Autre"},

	// Follow-up states.
	"state.awaiting_submission": {"Awaiting submission", "En attente de contribution"},
	"state.submitted":           {"Submitted", "Contribution reçue"},
	"state.assessed":            {"Assessed", "Évalué"},
	"state.adopted":             {"Adopted", "Adopté"},

	// Sheet names (at most 31 characters, none of : \ / ? * [ ]).
	"sheet.summary":           {"Summary", "Synthèse"},
	"sheet.matrix":            {"Matrix", "Matrice"},
	"sheet.by_party":          {"By Party", "Par Partie"},
	"sheet.by_recommendation": {"By recommendation", "Par recommandation"},
	"sheet.report":            {"Report", "Rapport"},
	"sheet.follow_ups":        {"Follow-ups", "Suivis"},
	"sheet.party":             {"Party", "Partie"},

	// Titles and sections.
	"title.compliance":          {"Compliance summary", "Synthèse de la conformité"},
	"title.dossier":             {"Party dossier", "Dossier de la Partie"},
	"section.overall":           {"Overall", "Ensemble"},
	"section.by_category":       {"By category", "Par catégorie"},
	"section.by_recommendation": {"By recommendation", "Par recommandation"},
	"section.by_party":          {"By Party", "Par Partie"},
	"section.by_report":         {"By report", "Par rapport"},
	"section.legend":            {"Legend", "Légende"},
	"section.matrix":            {"Matrix: Parties × recommendations", "Matrice : Parties × recommandations"},
	"section.chart":             {"Score by Party", "Score par Partie"},
	"section.follow_ups":        {"Follow-ups", "Suivis"},
	"score_note":                {"Score: implemented 100%, partially implemented 50%, not implemented or no information 0%; not applicable and pending are left out.", "Score : mise en œuvre 100 %, partiellement 50 %, non mise en œuvre ou aucune information 0 % ; sans objet et en attente ne comptent pas."},
	"continued":                 {"continued", "suite"},
	"inactive":                  {"no longer addressed to the Party", "plus adressée à la Partie"},
	"page":                      {"Page", "Page"},
	"yes":                       {"yes", "oui"},
	"no":                        {"no", "non"},

	// Metadata (title block and metadata sheet).
	"meta.title":           {"Title", "Titre"},
	"meta.slug":            {"Identifier", "Identifiant"},
	"meta.doc_ref":         {"Document reference", "Référence du document"},
	"meta.kind":            {"Kind", "Type"},
	"meta.round":           {"Monitoring round", "Cycle de suivi"},
	"meta.adopted_on":      {"Adopted on", "Adopté le"},
	"meta.followup_due_on": {"Follow-up due on", "Suivi attendu le"},
	"meta.parties":         {"Parties covered", "Parties concernées"},
	"meta.recommendations": {"Recommendations", "Recommandations"},
	"meta.as_of":           {"As of", "Situation au"},
	"meta.basis":           {"Basis", "Base"},
	"meta.generated_at":    {"Generated at", "Généré le"},
	"meta.party_code":      {"Party code", "Code de la Partie"},
	"meta.name_en":         {"Name (English)", "Nom (anglais)"},
	"meta.name_fr":         {"Name (French)", "Nom (français)"},
	"meta.joined_on":       {"Party since", "Partie depuis"},
	"meta.follow_ups":      {"Follow-ups", "Suivis"},

	// Column headers of tables and sheets.
	"col.party":          {"Party", "Partie"},
	"col.party_code":     {"Code", "Code"},
	"col.label":          {"Recommendation", "Recommandation"},
	"col.category":       {"Category", "Catégorie"},
	"col.status":         {"Status", "Statut"},
	"col.adopted_on":     {"Adopted on", "Adoptée le"},
	"col.comment":        {"Comment", "Commentaire"},
	"col.report":         {"Report", "Rapport"},
	"col.report_title":   {"Report title", "Titre du rapport"},
	"col.recommendation": {"Text", "Texte"},
	"col.state":          {"State", "État"},
	"col.due_on":         {"Due on", "Échéance"},
	"col.open":           {"Open", "Ouvert"},
	"col.overdue":        {"Overdue", "En retard"},
	"col.active":         {"Active", "Actif"},
	"col.score":          {"Score", "Score"},
	"col.total":          {"Total", "Total"},
	"col.name":           {"Name", "Nom"},
	"col.symbol":         {"Symbol", "Symbole"},
	"col.colour":         {"Colour", "Couleur"},

	// CSV headers (tidy data: one row per follow-up).
	"csv.report":         {"report", "rapport"},
	"csv.report_title":   {"report_title", "titre_rapport"},
	"csv.label":          {"label", "libellé"},
	"csv.category":       {"category", "catégorie"},
	"csv.recommendation": {"recommendation", "recommandation"},
	"csv.party_code":     {"party_code", "code_partie"},
	"csv.party_name":     {"party_name", "nom_partie"},
	"csv.status":         {"status", "statut"},
	"csv.status_code":    {"status_code", "code_statut"},
	"csv.adopted_on":     {"adopted_on", "adoptée_le"},
	"csv.state":          {"state", "état"},
	"csv.due_on":         {"due_on", "échéance"},
	"csv.open":           {"open", "ouvert"},
	"csv.overdue":        {"overdue", "en_retard"},
	"csv.active":         {"active", "actif"},
	"csv.comment":        {"comment", "commentaire"},
	"csv.basis":          {"basis", "base"},
}

// tr returns the string of key in lang ("fr", or English for anything else). A key missing
// from the table comes back as itself, so that a slip shows in the output rather than as an
// empty cell; labels_test.go checks that every key the code uses is in the table.
func tr(lang, key string) string {
	l, ok := labels[key]
	if !ok {
		return key
	}
	if lang == "fr" {
		return l.fr
	}
	return l.en
}
