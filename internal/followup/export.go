package followup

import (
	"context"
	"io"
	"strings"
	"time"
)

// Exports: a report's compliance summary and a Party's dossier as downloadable files. The
// domain says what an export is made of, reads it through the services (so with the caller's
// access rules) and names the file; an Exporter (the export package) writes it in a format.
// The HTTP layer and the CLI both ask an Exporter, and neither needs the other.

// ReportExport is what a report's compliance exports are made of.
type ReportExport struct {
	Report          Report
	Recommendations []Recommendation // in report order
	Parties         map[string]Party // by code, for names in the chosen language
	Compliance      Compliance       // with Cells (the matrix), AsOf and Basis
	// States are the follow-ups' states on the summary's day, as the reader may see them
	// (DossierService.ReportStates), by follow-up.
	States      map[FollowUpKey]State
	Lang        string // "en" or "fr"
	GeneratedAt time.Time
}

// LoadStates reads the follow-ups' states on the summary's day and basis as the caller may see
// them (DossierService.ReportStates).
func (d *ReportExport) LoadStates(ctx context.Context, dossiers DossierService) error {
	states, err := dossiers.ReportStates(ctx, d.Report.Slug, ComplianceQuery{AsOf: d.Compliance.AsOf, Basis: d.Compliance.Basis})
	d.States = states
	return err
}

// ReportFormatShowsStates reports whether a report export in format gives each follow-up's
// stage, and so needs its States read (LoadStates): the CSV's rows and the XLSX's sheets by
// Party and by recommendation do; the PDF and the JSON do not.
func ReportFormatShowsStates(format string) bool { return format == "csv" || format == "xlsx" }

// StateOf returns the state of a cell's follow-up, "" when it is not known (States not read).
func (d ReportExport) StateOf(c ComplianceCell) State {
	return d.States[FollowUpKey{Report: d.Report.Slug, Label: c.Label, Party: c.Party}]
}

// Draft reports whether the summary is on the draft basis and must be marked DRAFT.
func (d ReportExport) Draft() bool { return d.Compliance.Basis == BasisDraft }

// DossierExport is what a Party's dossier exports are made of.
type DossierExport struct {
	Party Party
	// FollowUps are the Party's follow-ups across reports, in the order to list them (grouped
	// by report, recommendations in report order); Status is the latest adopted status as of
	// AsOf, or the latest assessment's on the draft basis. Inactive follow-ups are listed and
	// flagged but left out of the scores.
	FollowUps       []FollowUp
	Reports         map[string]Report         // by slug
	Recommendations map[string]Recommendation // by "slug/label"
	AsOf            Date
	Draft           bool
	Lang            string
	GeneratedAt     time.Time
}

// SearchExport is what the download of a search is made of: every result of the query, in its
// order (the view of the search page, all its pages).
type SearchExport struct {
	Query       RecommendationQuery
	Hits        []RecommendationHit
	Parties     map[string]Party // by code
	Reports     map[string]Report
	Lang        string
	GeneratedAt time.Time
}

// RecommendationExport is what the compliance report on one recommendation is made of: the
// Committee's document of that procedure, covering every Party it is addressed to.
type RecommendationExport struct {
	Report         Report
	Recommendation Recommendation
	Parties        map[string]Party // by code
	// Cells are the recommendation's follow-ups, one per Party, with status, adoption date and
	// the rapporteur's comment on the basis asked for; Tally sums them up.
	Cells       []ComplianceCell
	Tally       Tally
	AsOf        Date
	Basis       Basis
	Lang        string
	GeneratedAt time.Time
}

// Draft reports whether the document is the committee's working copy, to be marked DRAFT.
func (d RecommendationExport) Draft() bool { return d.Basis == BasisDraft }

// StatusGroup is the Parties that share a status, for "the Parties grouped by status".
type StatusGroup struct {
	Status  string // a CountKeys key
	Parties []string
}

// ByStatus groups the cells' Parties by status in the order of CountKeys, leaving out the
// statuses no Party has.
func (d RecommendationExport) ByStatus() []StatusGroup {
	groups := map[string][]string{}
	for _, c := range d.Cells {
		k := Pending
		if c.Status != nil {
			k = string(*c.Status)
		}
		groups[k] = append(groups[k], c.Party)
	}
	var out []StatusGroup
	for _, k := range CountKeys {
		if len(groups[k]) > 0 {
			out = append(out, StatusGroup{Status: k, Parties: groups[k]})
		}
	}
	return out
}

// Exporter writes exports in a format: "csv", "xlsx", "pdf" or "json" (a search: "csv" or
// "xlsx"; the recommendation's compliance report: "pdf" or "xlsx"). An unknown format is an
// invalid "format" error.
type Exporter interface {
	EncodeReport(w io.Writer, format string, d ReportExport) error
	EncodeDossier(w io.Writer, format string, d DossierExport) error
	EncodeSearch(w io.Writer, format string, d SearchExport) error
	EncodeRecommendation(w io.Writer, format string, d RecommendationExport) error
}

// LoadRecommendationExport reads the compliance report on one recommendation with the caller's
// rights: the report's summary (so the same access rules; the draft basis is for the committee
// roles), cut to the recommendation.
func LoadRecommendationExport(ctx context.Context, comp ComplianceService, reports ReportService, parties PartyService,
	slug, label string, q ComplianceQuery, lang string, at time.Time) (RecommendationExport, error) {
	rec, err := reports.FindRecommendation(ctx, slug, label)
	if err != nil {
		return RecommendationExport{}, err
	}
	d, err := LoadReportExport(ctx, comp, reports, parties, slug, q, lang, at)
	if err != nil {
		return RecommendationExport{}, err
	}
	out := RecommendationExport{Report: d.Report, Recommendation: rec, Parties: d.Parties, AsOf: d.Compliance.AsOf,
		Basis: d.Compliance.Basis, Lang: lang, GeneratedAt: d.GeneratedAt, Cells: []ComplianceCell{}}
	for _, c := range d.Compliance.Cells {
		if c.Label == rec.Label {
			out.Cells = append(out.Cells, c)
		}
	}
	for _, t := range d.Compliance.ByRecommendation {
		if t.Label == rec.Label {
			out.Tally = t.Tally
		}
	}
	return out, nil
}

// LoadReportExport reads what a report's compliance export is made of with the caller's rights:
// the same service calls as the compliance API, so the same access rules. at is the instant
// the export is generated (from the caller's clock). The follow-ups' states are read apart
// (LoadStates), by the exports that show them.
func LoadReportExport(ctx context.Context, comp ComplianceService, reports ReportService, parties PartyService,
	slug string, q ComplianceQuery, lang string, at time.Time) (ReportExport, error) {
	c, err := comp.ReportCompliance(ctx, slug, q)
	if err != nil {
		return ReportExport{}, err
	}
	report, err := reports.FindReport(ctx, slug)
	if err != nil {
		return ReportExport{}, err
	}
	// The recommendations of the summary's day: one archived since is part of it.
	all, err := reports.ListRecommendations(ctx, slug, true)
	if err != nil {
		return ReportExport{}, err
	}
	recs := RecommendationsIn(c, all)
	ps, err := parties.ListParties(ctx)
	if err != nil {
		return ReportExport{}, err
	}
	byCode := make(map[string]Party, len(ps))
	for _, p := range ps {
		byCode[p.Code] = p
	}
	return ReportExport{Report: report, Recommendations: recs, Parties: byCode, Compliance: c,
		Lang: lang, GeneratedAt: at.UTC()}, nil
}

// LoadDossierExport reads what a Party's dossier export is made of with the caller's rights.
// at is the instant the export is generated.
func LoadDossierExport(ctx context.Context, dossiers DossierService, code string, q ComplianceQuery, lang string, at time.Time) (DossierExport, error) {
	d, err := dossiers.PartyDossier(ctx, code, q)
	if err != nil {
		return DossierExport{}, err
	}
	return DossierExport{Party: d.Party, FollowUps: d.FollowUps, Reports: d.Reports, Recommendations: d.Recommendations,
		AsOf: d.AsOf, Draft: d.Basis == BasisDraft, Lang: lang, GeneratedAt: at.UTC()}, nil
}

// ExportFileName is the download name of an export: kind (with "-draft" on the draft basis),
// key (with "-fr" when French), the "as of" date and the extension, e.g.
// ExportFileName("compliance", "refugee-crisis-2017", 2019-06-06, false, "en", "xlsx") is
// "compliance-refugee-crisis-2017-2019-06-06.xlsx". Kind and key are lower-cased and anything
// but letters, digits, '-' and '_' becomes '-'; a zero date is left out.
func ExportFileName(kind, key string, asOf Date, draft bool, lang, ext string) string {
	if draft {
		kind += "-draft"
	}
	if lang == "fr" {
		key += "-fr"
	}
	parts := []string{}
	for _, p := range []string{kind, key} {
		if p = fileNamePart(p); p != "" {
			parts = append(parts, p)
		}
	}
	if !asOf.IsZero() {
		parts = append(parts, asOf.String())
	}
	name := strings.Join(parts, "-")
	if name == "" {
		name = "export"
	}
	if ext = fileNamePart(strings.TrimPrefix(ext, ".")); ext != "" {
		name += "." + ext
	}
	return name
}

func fileNamePart(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
