package export

import (
	"time"

	"followup/internal/followup"
)

// The test data: a special report with four recommendations addressed to five Parties, three
// of them with accented names in French, and comments that a spreadsheet would take for
// formulas.

var generatedAt = time.Date(2019, 6, 7, 9, 30, 0, 0, time.UTC)

var testParties = map[string]followup.Party{
	"AT": {Code: "AT", NameEN: "Austria", NameFR: "Autriche"},
	"HU": {Code: "HU", NameEN: "Hungary", NameFR: "Hongrie", JoinedOn: followup.MustDate("2015-03-01")},
	"MD": {Code: "MD", NameEN: "Republic of Moldova", NameFR: "République de Moldova"},
	"MK": {Code: "MK", NameEN: "North Macedonia", NameFR: "Macédoine du Nord"},
	"TR": {Code: "TR", NameEN: "Türkiye", NameFR: "Türkiye", JoinedOn: followup.MustDate("2012-02-01")},
}

var testReport = followup.Report{
	Slug:          "refugee-crisis-2017",
	Title:         "Protecting children affected by the refugee crisis from sexual exploitation and sexual abuse",
	Kind:          followup.SpecialReport,
	DocRef:        "T-ES(2017)11",
	AdoptedOn:     followup.MustDate("2017-03-03"),
	FollowupDueOn: followup.MustDate("2018-03-03"),
	Parties:       []string{"AT", "HU", "MD", "MK", "TR"},
}

var testRecommendations = []followup.Recommendation{
	{Report: "refugee-crisis-2017", Label: "R1", Category: followup.Urge, Text: "Ensure that every child is registered on arrival.",
		TextFR: "Veiller à ce que chaque enfant soit enregistré à son arrivée."},
	{Report: "refugee-crisis-2017", Label: "R2", Category: followup.Consider, Text: "Train staff of reception centres to detect signs of sexual abuse."},
	{Report: "refugee-crisis-2017", Label: "R3", Category: followup.Invite, Text: "Provide child-friendly information on how to report abuse."},
	{Report: "refugee-crisis-2017", Label: "R4", Category: followup.Urge, Text: "- Stop holding children in transit zones.", AddressedTo: []string{"HU"}},
}

func st(s followup.Status) *followup.Status { return &s }

// withFR gives a cell the French comment of its assessment.
func withFR(c followup.ComplianceCell, fr string) followup.ComplianceCell {
	c.CommentFR = fr
	return c
}

var adopted = followup.MustDate("2019-06-06")

func testCells(basis followup.Basis) []followup.ComplianceCell {
	c := func(label string, cat followup.Category, party string, s *followup.Status, comment string) followup.ComplianceCell {
		cell := followup.ComplianceCell{Label: label, Category: cat, Party: party, Status: s, Comment: comment}
		if s != nil {
			cell.AdoptedOn = adopted
		}
		return cell
	}
	cells := []followup.ComplianceCell{
		// Deliberately not in display order: the exports sort.
		c("R2", followup.Consider, "TR", st(followup.PartiallyImplemented), "@x"),
		c("R1", followup.Urge, "TR", st(followup.Implemented), "-x: registration, \"quoted\", and a\nsecond line"),
		withFR(c("R1", followup.Urge, "AT", st(followup.Implemented), "Registration at the border."), "Enregistrement à la frontière."),
		c("R1", followup.Urge, "HU", st(followup.PartiallyImplemented), "Transit zone at Röszke: improvements noted."),
		c("R1", followup.Urge, "MD", st(followup.NotImplemented), "=1+1"),
		c("R1", followup.Urge, "MK", st(followup.NoInformation), ""),
		c("R2", followup.Consider, "AT", st(followup.PartiallyImplemented), ""),
		c("R2", followup.Consider, "HU", st(followup.NotApplicable), "No reception centre hosts children."),
		c("R2", followup.Consider, "MD", nil, ""),
		c("R2", followup.Consider, "MK", st(followup.Implemented), ""),
		c("R3", followup.Invite, "AT", nil, ""),
		c("R3", followup.Invite, "HU", st(followup.Implemented), ""),
		c("R3", followup.Invite, "MD", st(followup.PartiallyImplemented), "Leaflets in Romanian and Russian."),
		c("R3", followup.Invite, "MK", st(followup.NotImplemented), ""),
		c("R3", followup.Invite, "TR", st(followup.NoInformation), "+x"),
		c("R4", followup.Urge, "HU", st(followup.NotImplemented), "\tx"),
	}
	if basis == followup.BasisDraft {
		// On the draft basis two follow-ups have an assessment not adopted yet.
		for i := range cells {
			cl := &cells[i]
			if (cl.Label == "R2" && cl.Party == "MD") || (cl.Label == "R4" && cl.Party == "HU") {
				cl.Status, cl.AdoptedOn, cl.Draft, cl.Comment = st(followup.PartiallyImplemented), followup.Date{}, true, "Draft: \rx"
			}
		}
	}
	return cells
}

func testReportData(lang string, basis followup.Basis) followup.ReportExport {
	labels := make([]followup.RecommendationTally, 0, len(testRecommendations))
	for _, r := range testRecommendations {
		labels = append(labels, followup.RecommendationTally{Label: r.Label, Category: r.Category})
	}
	comp := followup.Summarize(testReport.Slug, adopted, basis, labels, testCells(basis))
	return followup.ReportExport{Report: testReport, Recommendations: testRecommendations, Parties: testParties,
		Compliance: comp, States: testStates(basis), Lang: lang, GeneratedAt: generatedAt}
}

// testStates are the follow-ups' states on the day: adopted where an assessment was, awaiting a
// submission where none was, except two that the Parties answered since (submitted); on the
// draft basis, the committee reads those two assessed and sees a request for clarification.
func testStates(basis followup.Basis) map[followup.FollowUpKey]followup.State {
	out := map[followup.FollowUpKey]followup.State{}
	for _, c := range testCells(followup.BasisAdopted) {
		s := followup.Adopted
		if c.Status == nil {
			s = followup.AwaitingSubmission
		}
		out[followup.FollowUpKey{Report: testReport.Slug, Label: c.Label, Party: c.Party}] = s
	}
	key := func(label, party string) followup.FollowUpKey {
		return followup.FollowUpKey{Report: testReport.Slug, Label: label, Party: party}
	}
	out[key("R2", "MD")], out[key("R4", "HU")] = followup.Submitted, followup.Submitted
	if basis == followup.BasisDraft {
		out[key("R2", "MD")], out[key("R4", "HU")] = followup.Assessed, followup.Assessed
		out[key("R3", "AT")] = followup.ClarificationRequested
	}
	return out
}

var secondReport = followup.Report{
	Slug:      "sexual-abuse-circle-of-trust",
	Title:     "Protection of children against sexual abuse in the circle of trust",
	Kind:      followup.ImplementationReport,
	Round:     "1st",
	DocRef:    "T-ES(2015)07",
	AdoptedOn: followup.MustDate("2015-12-04"),
}

// testDossierData is Hungary's dossier: follow-ups from both reports, one no longer active.
func testDossierData(lang string, draft bool) followup.DossierExport {
	recs := map[string]followup.Recommendation{}
	for _, r := range testRecommendations {
		recs[r.Report+"/"+r.Label] = r
	}
	recs["sexual-abuse-circle-of-trust/IV-1"] = followup.Recommendation{Report: secondReport.Slug, Label: "IV-1",
		Category: followup.Urge, Text: "Criminalise the solicitation of children for sexual purposes (Article 23)."}
	recs["sexual-abuse-circle-of-trust/IV-2"] = followup.Recommendation{Report: secondReport.Slug, Label: "IV-2",
		Category: followup.Invite, Text: "=HYPERLINK(\"http://example.invalid\") is not a recommendation."}
	a := func(id int64, s followup.Status, comment, assessed, adoptedOn string) followup.Assessment {
		as := followup.Assessment{ID: id, Status: s, Comment: comment, AssessedOn: followup.MustDate(assessed)}
		if adoptedOn != "" {
			as.AdoptedOn = followup.MustDate(adoptedOn)
		}
		return as
	}
	fus := []followup.FollowUp{
		{Report: secondReport.Slug, Label: "IV-1", Party: "HU", Category: followup.Urge, State: followup.Adopted,
			Status: st(followup.Implemented), AdoptedOn: followup.MustDate("2018-05-01"), Active: true,
			Assessments: []followup.Assessment{
				a(1, followup.NotImplemented, "Not yet criminalised.", "2017-01-10", "2017-02-01"),
				a(2, followup.Implemented, "Criminal Code amended in Röszke's county too.", "2018-04-10", "2018-05-01"),
			}},
		{Report: secondReport.Slug, Label: "IV-2", Party: "HU", Category: followup.Invite, State: followup.AwaitingSubmission,
			Open: true, Active: false},
		{Report: testReport.Slug, Label: "R1", Party: "HU", Category: followup.Urge, State: followup.Adopted,
			Status: st(followup.PartiallyImplemented), AdoptedOn: adopted, DueOn: followup.MustDate("2018-03-03"), Open: true, Active: true,
			Assessments: []followup.Assessment{a(3, followup.PartiallyImplemented, "Transit zone at Röszke: improvements noted.", "2019-05-01", "2019-06-06")}},
		{Report: testReport.Slug, Label: "R4", Party: "HU", Category: followup.Urge, State: followup.Submitted,
			Status: st(followup.NotImplemented), AdoptedOn: adopted, DueOn: followup.MustDate("2018-03-03"), Open: true, Overdue: true, Active: true,
			Assessments: []followup.Assessment{a(4, followup.NotImplemented, "-1 child places left", "2019-05-01", "2019-06-06")}},
	}
	if draft {
		fus[3].State = followup.Assessed
		fus[3].Status = st(followup.PartiallyImplemented)
		fus[3].Assessments = append(fus[3].Assessments, a(5, followup.PartiallyImplemented, "Draft: places reduced.", "2019-06-01", ""))
	}
	return followup.DossierExport{Party: testParties["HU"], FollowUps: fus,
		Reports:         map[string]followup.Report{testReport.Slug: testReport, secondReport.Slug: secondReport},
		Recommendations: recs, AsOf: adopted, Draft: draft, Lang: lang, GeneratedAt: generatedAt}
}
