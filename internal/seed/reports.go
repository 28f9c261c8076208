package seed

import "followup/internal/followup"

// Slugs of the seeded reports.
const (
	RefugeeReport      = "refugee-crisis-2017"
	TransitZonesReport = "hungary-transit-zones-2018"
	roundRefugeeCrisis = "Urgent monitoring round: refugee crisis"
)

// The labels of the two known "urge" recommendations of the refugee-crisis report. The facts
// establish their topics but not the labels the report gives them, so these labels are the
// tracker's own.
const (
	labelUrgeScreening = "U-screening"
	labelUrgeFamily    = "U-family-reunification"
)

// urgeLabels and considerLabels list the refugee-crisis recommendations by category; the
// consider ones are split in the two waves in which the demo data adopts their assessments.
var (
	urgeLabels          = []string{labelUrgeScreening, labelUrgeFamily}
	considerWave1Labels = []string{"R7", "R11", "R12", "R13", "R15"}
	considerWave2Labels = []string{"R17", "R31", "R32", "R35", "R37"}
)

// reportSeed is a report with the recommendations to create under it.
type reportSeed struct {
	input           followup.ReportInput
	recommendations []followup.RecommendationInput
}

// reportSeeds returns the two seeded reports. Titles and recommendation texts are written for
// the tracker: every recommendation text starts with "Summary: " because it summarizes the topic
// established in the facts and is not the wording of the report. Convention article numbers are
// not established for any of these recommendations, so Articles is left empty throughout.
func reportSeeds() []reportSeed {
	return []reportSeed{refugeeReportSeed(), transitZonesReportSeed()}
}

func refugeeReportSeed() reportSeed {
	// The report's default follow-up deadline and the recommendations' due dates are demo
	// values: the facts give when the follow-up took place (urge recommendations in 2018-2019,
	// consider recommendations in 2020-2022) but not the deadlines the Committee set. They are
	// chosen so that the urge deadline falls before the 2018-2019 follow-up and the consider
	// deadline before the stock-taking of September 2020.
	urgeDue := followup.MustDate("2018-09-30")     // demo value
	considerDue := followup.MustDate("2020-06-30") // demo value
	urge := func(label, text string) followup.RecommendationInput {
		return followup.RecommendationInput{Label: label, Category: followup.Urge, Text: text, DueOn: urgeDue}
	}
	consider := func(label, text string) followup.RecommendationInput {
		return followup.RecommendationInput{Label: label, Category: followup.Consider, Text: text, DueOn: considerDue}
	}
	const trackerLabel = " The label is the tracker's, not the report's: the report's own number for this recommendation is not established."
	return reportSeed{
		input: followup.ReportInput{
			Slug:          RefugeeReport,
			Title:         "Children caught up in the refugee crisis: keeping them safe from sexual exploitation and sexual abuse",
			Kind:          followup.SpecialReport,
			Round:         roundRefugeeCrisis,
			DocRef:        "T-ES(2016)17 final",
			AdoptedOn:     followup.MustDate("2017-03-03"),
			FollowupDueOn: urgeDue, // demo value, see above
			Parties:       refugeeRoundParties(),
		},
		recommendations: []followup.RecommendationInput{
			urge(labelUrgeScreening, "Summary: background checks (screening) of the people who are in regular contact with children affected by the refugee crisis."+trackerLabel),
			urge(labelUrgeFamily, "Summary: safeguards against the abuse or exploitation of children in the course of family reunification."+trackerLabel),
			consider("R7", "Summary: mechanisms for collecting data on children affected by the refugee crisis."),
			consider("R11", "Summary: protection of the children affected by the crisis who become victims of sexual exploitation or abuse."),
			consider("R12", "Summary: the topic of this recommendation is not established in the facts available to the tracker (it may concern the prosecution of offenders); this text is a placeholder until it is checked against the report."),
			consider("R13", "Summary: co-ordination and collaboration among the different actors who deal with children affected by the crisis."),
			consider("R15", "Summary: the information and advice given to children affected by the crisis."),
			consider("R17", "Summary: exchange of information about awareness-raising."),
			consider("R31", "Summary: proceedings adapted to children (child-friendly proceedings)."),
			consider("R32", "Summary: helplines for child victims."),
			consider("R35", "Summary: co-operation across borders on missing children."),
			consider("R37", "Summary: a co-ordinated approach among the agencies responsible for these children."),
		},
	}
}

// The recommendations of the transit-zones report: the facts list the subjects Hungary's
// follow-up covered in 2019 but neither the number nor the labels of the recommendations, nor
// their category. The labels TZ-1 … TZ-6 are therefore the tracker's, one per subject, and the
// category (urge, since the report came out of the urgent monitoring procedure) is the tracker's
// choice too; the Committee stated the 2019 outcome as a narrative without a grade, so the seed
// records no assessment for them.
func transitZonesReportSeed() reportSeed {
	tz := func(n, subject string) followup.RecommendationInput {
		return followup.RecommendationInput{
			Label:    "TZ-" + n,
			Category: followup.Urge,
			Text:     "Summary: " + subject + " The label TZ-" + n + " and the category are the tracker's, not the report's.",
		}
	}
	return reportSeed{
		input: followup.ReportInput{
			Slug:      TransitZonesReport,
			Title:     "Visit to the Röszke and Tompa transit zones on the Serbian–Hungarian border (5-7 July 2017)",
			Kind:      followup.VisitReport,
			Round:     roundRefugeeCrisis,
			DocRef:    "T-ES(2017)11 final",
			AdoptedOn: followup.MustDate("2018-01-30"),
			// Demo value: the facts say Hungary's follow-up was examined in March and June
			// 2019 but give no deadline.
			FollowupDueOn: followup.MustDate("2019-01-31"),
			Parties:       []string{"HU"},
		},
		recommendations: []followup.RecommendationInput{
			tz("1", "access of non-governmental organisations to the transit zones."),
			tz("2", "how the age of young asylum seekers is assessed."),
			tz("3", "unaccompanied children aged 14 to 18 being treated as adults in asylum procedures."),
			tz("4", "living conditions in the transit zones (fenced areas, containers)."),
			tz("5", "care of unaccompanied children within the child-protection system."),
			tz("6", "alternative accommodation after the planned closure of a children's home."),
		},
	}
}
