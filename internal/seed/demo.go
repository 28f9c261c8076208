package seed

import (
	"context"
	"fmt"

	"followup/internal/followup"
)

// DemoReport is the slug of the fictional report that carries the workflow demonstration. It
// begins with followup.FictionalSlugPrefix and the report is of kind "other", so every page
// marks it as fictional (followup.Report.Fictional); its title says so in every export and
// e-mail.
const DemoReport = followup.FictionalSlugPrefix + "fictional"

// DemoNotice begins every text the demonstration invents (recommendations, submissions,
// assessment comments).
const (
	DemoNotice   = "Fictional — for demonstration."
	DemoNoticeFR = "Fictif — pour la démonstration."
)

// demoParties are the Parties the fictional report is addressed to: those that have demo
// users (users.go), so that each Party desk has something to do.
var demoParties = []string{"FR", "DE", "HU"}

// demoStep is one invented event of the demonstration, dated in days from the day the seed
// runs (negative: in the past), so that deadlines are coming up whenever the demo is loaded.
type demoStep struct {
	label, party string
	day          int
	kind         demoKind
	status       followup.Status // assessments
}

type demoKind int

const (
	demoSubmit demoKind = iota
	demoDraftSubmission
	demoAssess
)

// demoRec is a fictional recommendation with its deadline in days from today.
type demoRec struct {
	label    string
	category followup.Category
	dueDay   int
	text     string
	textFR   string
	// articles are the Convention's articles each fictional text is about (the articles and
	// their subjects are the Convention's; the recommendations citing them are invented).
	articles []string
}

// The fictional report is adopted two years before the seed runs; its follow-up runs in three
// waves. D1-D3 are assessed and adopted about a year ago, D4-D5 half a year ago; then some
// Parties answer again, a rapporteur drafts one assessment that is left for the Secretariat to
// adopt, and D6-D7 have deadlines in the coming weeks, D8 a deadline just passed.
const (
	demoAdoptedDay = -730
	demoWave1Adopt = -370
	demoWave2Adopt = -190
)

var demoRecs = []demoRec{
	{"D1", followup.Urge, -400,
		"Set up a single national telephone line on which children can report sexual abuse at any hour.",
		"Mettre en place une ligne téléphonique nationale unique où les enfants peuvent signaler des abus sexuels à toute heure.", []string{"13"}},
	{"D2", followup.Urge, -400,
		"Train every teacher, within two years, to recognise the signs of sexual abuse.",
		"Former chaque enseignant, dans les deux ans, à reconnaître les signes d'abus sexuels.", []string{"5"}},
	{"D3", followup.Consider, -400,
		"Publish each year the number of reports of sexual abuse received by child-protection services.",
		"Publier chaque année le nombre de signalements d'abus sexuels reçus par les services de protection de l'enfance.", []string{"10"}},
	{"D4", followup.Consider, -220,
		"Give every child victim a single contact person throughout the proceedings.",
		"Donner à chaque enfant victime un interlocuteur unique tout au long de la procédure.", []string{"31"}},
	{"D5", followup.Consider, -220,
		"Hear child victims in rooms designed for them, recorded once, so that they need not repeat their account.",
		"Entendre les enfants victimes dans des salles conçues pour eux, avec un seul enregistrement, pour qu'ils n'aient pas à répéter leur récit.", []string{"35"}},
	{"D6", followup.Invite, 21,
		"Run an awareness campaign for parents on the risks children face online.",
		"Mener une campagne de sensibilisation des parents aux risques que les enfants courent en ligne.", []string{"8"}},
	{"D7", followup.Urge, 45,
		"Require background checks for every volunteer working with children in sports clubs.",
		"Exiger la vérification des antécédents de chaque bénévole travaillant avec des enfants dans les clubs sportifs.", []string{"5"}},
	{"D8", followup.Consider, -10,
		"Evaluate the national action plan against sexual abuse of children and publish the evaluation.",
		"Évaluer le plan d'action national contre les abus sexuels d'enfants et en publier l'évaluation.", []string{"10"}},
}

// demoWaves are the assessment rounds that are adopted, in order: the statuses the invented
// assessments give (one letter per Party of demoParties: I implemented, P partially
// implemented, N not implemented, ? no information, when the Party submitted nothing).
var demoWaves = []struct {
	labels    []string
	statuses  map[string]string // label → a letter per Party of demoParties
	submitDay int
	assessDay int
	adoptDay  int
}{
	{[]string{"D1", "D2", "D3"}, map[string]string{"D1": "PIN", "D2": "IPP", "D3": "IN?"}, -600, -380, demoWave1Adopt},
	{[]string{"D4", "D5"}, map[string]string{"D4": "IP?", "D5": "PIN"}, -300, -200, demoWave2Adopt},
}

var demoStatusLetters = map[byte]followup.Status{
	'I': followup.Implemented,
	'P': followup.PartiallyImplemented,
	'N': followup.NotImplemented,
	'?': followup.NoInformation,
}

// demoAfter is what happens after the last adoption: France answers again on D1 and Hungary on
// D6 (both in the rapporteurs' queue), Germany answers on D4 and a rapporteur drafts its
// assessment (ready for the Secretariat to adopt), Germany keeps a draft on D7.
var demoAfter = []demoStep{
	{label: "D4", party: "DE", day: -90, kind: demoSubmit},
	{label: "D1", party: "FR", day: -60, kind: demoSubmit},
	{label: "D4", party: "DE", day: -30, kind: demoAssess, status: followup.Implemented},
	{label: "D6", party: "HU", day: -5, kind: demoSubmit},
	{label: "D7", party: "DE", kind: demoDraftSubmission},
}

func demoReportSeed(today followup.Date) reportSeed {
	recs := make([]followup.RecommendationInput, len(demoRecs))
	for i, r := range demoRecs {
		recs[i] = followup.RecommendationInput{Label: r.label, Category: r.category,
			Text: DemoNotice + " " + r.text, TextFR: DemoNoticeFR + " " + r.textFR, DueOn: today.AddDays(r.dueDay),
			Articles: r.articles,
			Source:   "Invented for the demonstration: not a recommendation of the Committee."}
	}
	return reportSeed{
		input: followup.ReportInput{
			Slug:          DemoReport,
			Title:         "Demonstration report (fictional)",
			TitleFR:       "Rapport de démonstration (fictif)",
			Kind:          followup.OtherReport,
			Round:         "Demonstration (fictional)",
			RoundFR:       "Démonstration (fictive)",
			DocRef:        "DEMO (fictional)",
			Source:        "Invented to demonstrate the tracker: not a document of the Committee. Its recommendations, submissions and assessments are fictional, although they name real Parties.",
			AdoptedOn:     today.AddDays(demoAdoptedDay),
			FollowupDueOn: today.AddDays(-400),
			Parties:       demoParties,
		},
		recommendations: recs,
	}
}

// loadDemoActivity writes the fictional follow-up of the demonstration report. It runs only in
// the call of Load that created the report, so it never finds earlier activity of its own.
func loadDemoActivity(ctx context.Context, fu followup.FollowUpService, today followup.Date, res *Result) error {
	for _, w := range demoWaves {
		for li, label := range w.labels {
			for pi, party := range demoParties {
				if w.statuses[label][pi] == '?' {
					continue
				}
				if err := demoSubmission(ctx, fu, label, party, today.AddDays(w.submitDay+pi*9+li*3), false); err != nil {
					return err
				}
			}
		}
		for li, label := range w.labels {
			for pi, party := range demoParties {
				status := demoStatusLetters[w.statuses[label][pi]]
				if err := demoAssessment(ctx, fu, label, party, status, today.AddDays(w.assessDay+pi*2+li)); err != nil {
					return err
				}
				res.Assessments++
			}
		}
		on := today.AddDays(w.adoptDay)
		if _, err := fu.Adopt(ctx, DemoReport, followup.AdoptionInput{AdoptedOn: on, Labels: w.labels}); err != nil {
			return fmt.Errorf("seed: adopting the demo assessments of %s on %s: %w", DemoReport, on, err)
		}
	}
	for _, st := range demoAfter {
		var err error
		switch st.kind {
		case demoSubmit:
			err = demoSubmission(ctx, fu, st.label, st.party, today.AddDays(st.day), false)
		case demoDraftSubmission:
			err = demoSubmission(ctx, fu, st.label, st.party, followup.Date{}, true)
		case demoAssess:
			err = demoAssessment(ctx, fu, st.label, st.party, st.status, today.AddDays(st.day))
			res.Assessments++
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func demoSubmission(ctx context.Context, fu followup.FollowUpService, label, party string, on followup.Date, draft bool) error {
	key := followup.FollowUpKey{Report: DemoReport, Label: label, Party: party}
	text := fmt.Sprintf("%s Invented account of the measures taken on %s, not given by %s.", DemoNotice, label, partyName(party))
	if draft {
		text = fmt.Sprintf("%s Invented draft of a further account on %s, not given by %s and not yet submitted.", DemoNotice, label, partyName(party))
	}
	if _, err := fu.CreateSubmission(ctx, key, followup.SubmissionInput{Text: text, SubmittedOn: on, Draft: draft}); err != nil {
		return fmt.Errorf("seed: demo submission %s: %w", key, err)
	}
	return nil
}

func demoAssessment(ctx context.Context, fu followup.FollowUpService, label, party string, status followup.Status, on followup.Date) error {
	key := followup.FollowUpKey{Report: DemoReport, Label: label, Party: party}
	in := followup.AssessmentInput{Status: status, AssessedOn: on,
		Comment:   fmt.Sprintf("%s Invented assessment of %s on %s, not a finding of the Committee.", DemoNotice, partyName(party), label),
		CommentFR: fmt.Sprintf("%s Évaluation inventée (%s, %s), qui n'est pas une constatation du Comité.", DemoNoticeFR, partyNameFR(party), label),
		Source:    "Invented for the demonstration.",
	}
	if _, err := fu.CreateAssessment(ctx, key, in); err != nil {
		return fmt.Errorf("seed: demo assessment %s: %w", key, err)
	}
	return nil
}

func partyName(code string) string {
	for _, r := range partyTable {
		if r.code == code {
			return r.nameEN
		}
	}
	return code
}

func partyNameFR(code string) string {
	for _, r := range partyTable {
		if r.code == code {
			return r.nameFR
		}
	}
	return code
}
