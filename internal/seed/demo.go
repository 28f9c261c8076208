package seed

import (
	"context"
	"fmt"

	"followup/internal/followup"
)

// DemoNotice begins every demo assessment comment: the Parties in the seed are real, and the
// statuses the demo gives them are invented.
const DemoNotice = "Demonstration data — not a finding of the Committee."

// Adoption dates of the demo data. 2019-06-06 is the date on which the Committee adopted its
// evaluation of the urge recommendations; the facts put the consider compliance reports in
// October 2021 and March 2022, and the demo adopts them on a day of each of those months.
var (
	urgeAdoption          = followup.MustDate("2019-06-06")
	considerWave1Adoption = followup.MustDate("2021-10-15")
	considerWave2Adoption = followup.MustDate("2022-03-18")
)

// demoParties are the Parties that get demo follow-up activity on the refugee report, in the
// order used to spread the demo dates.
var demoParties = []string{"FR", "DE", "HU", "IT", "GR"}

// Invented statuses, one letter per recommendation: I implemented, P partially implemented,
// N not implemented, ? no information (the Party then made no submission).
var (
	// over urgeLabels
	demoUrgeStatuses = map[string]string{
		"FR": "IP", "DE": "II", "HU": "P?", "IT": "PP", "GR": "NP",
	}
	// over considerWave1Labels followed by considerWave2Labels
	demoConsiderStatuses = map[string]string{
		"FR": "IPPIPIIPPI",
		"DE": "IIPIPIPIPI",
		"HU": "PN?PPNPP?P",
		"IT": "PPPIPNPPIP",
		"GR": "P?PPNPPIPP",
	}
)

var demoStatusLetters = map[byte]followup.Status{
	'I': followup.Implemented,
	'P': followup.PartiallyImplemented,
	'N': followup.NotImplemented,
	'?': followup.NoInformation,
}

// loadDemoActivity writes the demo follow-up of the refugee report. It runs only in the call of
// Load that created the report, so it never finds earlier activity of its own.
//
//   - Urge recommendations: submissions in 2018, assessments in March 2019, adopted 2019-06-06.
//   - Consider recommendations: submissions in 2020, assessments of R7-R15 in September 2021
//     adopted 2021-10-15, of R17-R37 in February 2022 adopted 2022-03-18.
//   - Then Italy submits again on R32 and a rapporteur drafts a new assessment that is left
//     unadopted, and Germany starts a submission on R35 that is left as a draft.
func loadDemoActivity(ctx context.Context, fu followup.FollowUpService) error {
	cycles := []struct {
		labels     []string
		statuses   map[string]string
		submitFrom followup.Date // first submission date; later ones are spread after it
		waves      []wave
	}{
		{
			labels:     urgeLabels,
			statuses:   demoUrgeStatuses,
			submitFrom: followup.MustDate("2018-04-16"),
			waves:      []wave{{urgeLabels, followup.MustDate("2019-03-04"), urgeAdoption}},
		},
		{
			labels:     append(append([]string{}, considerWave1Labels...), considerWave2Labels...),
			statuses:   demoConsiderStatuses,
			submitFrom: followup.MustDate("2020-03-02"),
			waves: []wave{
				{considerWave1Labels, followup.MustDate("2021-09-06"), considerWave1Adoption},
				{considerWave2Labels, followup.MustDate("2022-02-07"), considerWave2Adoption},
			},
		},
	}
	for _, c := range cycles {
		// Submissions first, so that each assessment follows the Party's account.
		for pi, party := range demoParties {
			for li, label := range c.labels {
				if c.statuses[party][li] == '?' {
					continue
				}
				on := c.submitFrom.AddDays(pi*21 + li*5)
				if err := submit(ctx, fu, label, party, on, false); err != nil {
					return err
				}
			}
		}
		for _, w := range c.waves {
			for pi, party := range demoParties {
				for wi, label := range w.labels {
					li := indexOf(c.labels, label)
					status := demoStatusLetters[c.statuses[party][li]]
					on := w.assessFrom.AddDays(pi*2 + wi)
					if err := assess(ctx, fu, label, party, status, on); err != nil {
						return err
					}
				}
			}
			in := followup.AdoptionInput{AdoptedOn: w.adoptedOn, Labels: w.labels}
			if _, err := fu.Adopt(ctx, RefugeeReport, in); err != nil {
				return fmt.Errorf("seed: adopting the demo assessments of %s on %s: %w", RefugeeReport, w.adoptedOn, err)
			}
		}
	}

	// After the last adoption: a newer account from Italy and a draft assessment of it, which
	// only the committee roles see (compliance with basis=draft), and a German draft submission
	// that only Germany's users and the Secretariat see.
	if err := submit(ctx, fu, "R32", "IT", followup.MustDate("2022-06-15"), false); err != nil {
		return err
	}
	if err := assess(ctx, fu, "R32", "IT", followup.Implemented, followup.MustDate("2022-10-03")); err != nil {
		return err
	}
	return submit(ctx, fu, "R35", "DE", followup.Date{}, true)
}

// wave is a set of recommendations assessed from one date and adopted together.
type wave struct {
	labels     []string
	assessFrom followup.Date
	adoptedOn  followup.Date
}

func submit(ctx context.Context, fu followup.FollowUpService, label, party string, on followup.Date, draft bool) error {
	key := followup.FollowUpKey{Report: RefugeeReport, Label: label, Party: party}
	text := fmt.Sprintf("Demonstration data — not an account given by %s. Placeholder for the measures taken on %s, entered to show the follow-up workflow.", partyName(party), label)
	if draft {
		text = fmt.Sprintf("Demonstration data — not an account given by %s. Draft placeholder for a further account on %s, not yet submitted.", partyName(party), label)
	}
	in := followup.SubmissionInput{Text: text, SubmittedOn: on, Draft: draft}
	if _, err := fu.CreateSubmission(ctx, key, in); err != nil {
		return fmt.Errorf("seed: demo submission %s: %w", key, err)
	}
	return nil
}

func assess(ctx context.Context, fu followup.FollowUpService, label, party string, status followup.Status, on followup.Date) error {
	key := followup.FollowUpKey{Report: RefugeeReport, Label: label, Party: party}
	comment := fmt.Sprintf("%s Invented status for %s on %s, entered to show the assessment and adoption workflow.", DemoNotice, partyName(party), label)
	in := followup.AssessmentInput{Status: status, Comment: comment, AssessedOn: on}
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

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
