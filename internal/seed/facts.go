package seed

import "followup/internal/followup"

// The published facts the seed records about real reports, copied from the project's facts
// file (shared/data/lanzarote-facts.yaml, kept outside the repository) so that the tracker
// depends on nothing outside itself. Only what that file establishes is here; where it says
// null (not established), the seed records nothing rather than a guess. Every seeded fact about
// a real report comes from these tables, and the tests check the stored data against them.

// evaluation2019 is the day the Committee adopted its evaluation of the Parties' follow-up to
// the five urge recommendations of the refugee-crisis report (followup: 2019-06-06 evaluation
// adopted).
var evaluation2019 = followup.MustDate("2019-06-06")

// evaluation2019Source is the source the facts name for the 2019 outcomes.
const evaluation2019Source = "A press summary of the Committee's report (evaluation adopted on 6 June 2019)"

// urgeOutcome is the 2019 outcome of one urge recommendation of the refugee-crisis report
// (outcomes_2019_06_06 in the facts file): partial lists the Parties found partially in
// compliance, noGrade those found "not yet in compliance" without an established grade; every
// other Party the report covers was found in compliance.
type urgeOutcome struct {
	label   string
	partial []string
	noGrade []string
}

// refugeeUrgeOutcomes2019 copies outcomes_2019_06_06: screening partially implemented by eight
// Parties; family reunification not yet in compliance for North Macedonia and the Republic of
// Moldova with no grade; the three other urge recommendations met by every Party covered.
var refugeeUrgeOutcomes2019 = []urgeOutcome{
	{label: labelUrgeScreening, partial: []string{"FI", "IS", "LI", "SI", "SE", "UA", "MK", "MD"}},
	{label: labelUrgeFamily, noGrade: []string{"MK", "MD"}},
	{label: labelUrge3},
	{label: labelUrge4},
	{label: labelUrge5},
}

// status returns the status the Committee adopted for party, and false where no grade is
// established (the seed then records no assessment).
func (o urgeOutcome) status(party string) (followup.Status, bool) {
	for _, c := range o.noGrade {
		if c == party {
			return "", false
		}
	}
	for _, c := range o.partial {
		if c == party {
			return followup.PartiallyImplemented, true
		}
	}
	return followup.Implemented, true
}

// PublishedStatus returns the status the Committee adopted for a follow-up of a real report
// as the seed records it, with the day it was adopted; ok is false where the facts establish
// no graded outcome, and then the follow-up must hold no assessment. It is the seed's whole
// record of published outcomes: only the refugee-crisis report's urge recommendations, as
// evaluated on 2019-06-06, have any.
func PublishedStatus(report, label, party string) (status followup.Status, adoptedOn followup.Date, ok bool) {
	if report != RefugeeReport {
		return "", followup.Date{}, false
	}
	for _, o := range refugeeUrgeOutcomes2019 {
		if o.label == label {
			s, ok := o.status(party)
			if !ok {
				return "", followup.Date{}, false
			}
			return s, evaluation2019, true
		}
	}
	return "", followup.Date{}, false
}

// considerComplianceReports copies consider_compliance_reports: the meeting at which the
// Committee considered each consider recommendation's compliance report and, where the facts
// give it, its reference. R12 is in neither meeting's list: only the count (ten reports,
// published 2022) covers it. Per-Party outcomes are null in the facts.
var considerComplianceReports = map[string]struct{ meetings, docRef string }{
	"R7":  {"36th meeting (7-10 March 2022)", "T-ES(2021)25"},
	"R11": {"36th meeting (7-10 March 2022)", "T-ES(2021)27"},
	"R12": {"", ""},
	"R13": {"36th meeting (7-10 March 2022)", "T-ES(2021)23"},
	"R15": {"34th meeting (4-7 October 2021)", ""},
	"R17": {"34th meeting (4-7 October 2021)", ""},
	"R31": {"34th meeting (4-7 October 2021) and 36th meeting (7-10 March 2022)", "T-ES(2021)28"},
	"R32": {"34th meeting (4-7 October 2021)", ""},
	"R35": {"34th meeting (4-7 October 2021)", ""},
	"R37": {"36th meeting (7-10 March 2022)", "T-ES(2021)24"},
}

// publishedComments are the tracker's words for an outcome of the 2019 evaluation.
var publishedComments = map[followup.Status][2]string{
	followup.Implemented: {
		"Found in compliance with this recommendation in the evaluation the Committee adopted on 6 June 2019.",
		"Jugée en conformité avec cette recommandation dans l'évaluation adoptée par le Comité le 6 juin 2019.",
	},
	followup.PartiallyImplemented: {
		"Found only partially in compliance with this recommendation in the evaluation the Committee adopted on 6 June 2019.",
		"Jugée seulement partiellement en conformité avec cette recommandation dans l'évaluation adoptée par le Comité le 6 juin 2019.",
	},
}
