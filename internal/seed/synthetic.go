package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"followup/internal/followup"
)

// SyntheticOptions size a synthetic data set. The same options give the same data.
type SyntheticOptions struct {
	Parties                  int    // at most 676 (every two-letter code)
	Reports                  int    // at most 999
	RecommendationsPerReport int    // at most 999
	Seed                     uint64 // the seed of the pseudo-random choices
}

// SyntheticSink receives the synthetic data. The store's services satisfy it (slow: one
// transaction per call), and so does the store's bulk loader (one transaction for everything).
type SyntheticSink interface {
	CreateParty(ctx context.Context, p followup.Party) (followup.Party, error)
	CreateReport(ctx context.Context, in followup.ReportInput) (followup.Report, error)
	PublishReport(ctx context.Context, slug string) (followup.Report, error)
	CreateRecommendation(ctx context.Context, slug string, in followup.RecommendationInput) (followup.Recommendation, error)
	CreateSubmission(ctx context.Context, key followup.FollowUpKey, in followup.SubmissionInput) (followup.Submission, error)
	CreateAssessment(ctx context.Context, key followup.FollowUpKey, in followup.AssessmentInput) (followup.Assessment, error)
	Adopt(ctx context.Context, slug string, in followup.AdoptionInput) (int, error)
}

// SyntheticResult counts what Synthetic created.
type SyntheticResult struct {
	Parties, Reports, Recommendations, FollowUps, Submissions, Drafts, Assessments, Adopted int
}

func (r SyntheticResult) String() string {
	return fmt.Sprintf("%d Parties, %d reports, %d recommendations, %d follow-ups, %d submissions (+%d drafts), %d assessments (%d adopted)",
		r.Parties, r.Reports, r.Recommendations, r.FollowUps, r.Submissions, r.Drafts, r.Assessments, r.Adopted)
}

// SyntheticReportSlug is the slug of the i-th synthetic report (from 1); the last one is the
// largest data set's newest report.
func SyntheticReportSlug(i int) string { return fmt.Sprintf("synthetic-%03d", i) }

// syntheticEnd is the last day any synthetic event happens on, so that the data set does not
// depend on the day it is generated (every date must also be in the past, which holds from 2026).
var syntheticEnd = followup.NewDate(2025, 12, 31)

// SyntheticParties returns the codes Synthetic uses for n Parties: the 48 real ones first (in
// the seed's order), then two-letter codes from AA to ZZ that are not real Parties.
func SyntheticParties(n int) []string {
	out := make([]string, 0, n)
	real := map[string]bool{}
	for _, row := range partyTable {
		real[row.code] = true
		if len(out) < n {
			out = append(out, row.code)
		}
	}
	for a := 'A'; a <= 'Z' && len(out) < n; a++ {
		for b := 'A'; b <= 'Z' && len(out) < n; b++ {
			if code := string([]rune{a, b}); !real[code] {
				out = append(out, code)
			}
		}
	}
	return out
}

// Synthetic writes a synthetic data set for benchmarks and load tests, acting as
// followup.SystemActor: Parties (the real ones, then invented ones), reports adopted from 2012
// to 2024 covering every Party, recommendations of every category (one in eight addressed to a
// subset of the Parties), and for each report up to three follow-up rounds of submissions
// (some left as drafts, some arriving after the assessment), assessments and adoptions in two
// waves ("urge" recommendations first). The newest rounds stay unadopted, as drafts. Every text
// says it is synthetic. The database should be empty.
func Synthetic(ctx context.Context, sink SyntheticSink, o SyntheticOptions) (SyntheticResult, error) {
	var res SyntheticResult
	switch {
	case o.Parties < 1 || o.Parties > 676:
		return res, errors.New("synthetic: the number of Parties must be between 1 and 676")
	case o.Reports < 1 || o.Reports > 999:
		return res, errors.New("synthetic: the number of reports must be between 1 and 999")
	case o.RecommendationsPerReport < 1 || o.RecommendationsPerReport > 999:
		return res, errors.New("synthetic: the number of recommendations per report must be between 1 and 999")
	}
	ctx = followup.WithActor(ctx, followup.SystemActor)
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed_f011_0ab5))
	real := map[string]partyRow{}
	for _, row := range partyTable {
		real[row.code] = row
	}
	codes := SyntheticParties(o.Parties)
	for _, code := range codes {
		p := followup.Party{Code: code, NameEN: "Synthetic Party " + code, NameFR: "Partie synthétique " + code}
		if row, ok := real[code]; ok {
			p = row.party()
		}
		if _, err := sink.CreateParty(ctx, p); err != nil {
			return res, fmt.Errorf("synthetic: Party %s: %w", code, err)
		}
		res.Parties++
	}
	sorted := slices.Clone(codes)
	slices.Sort(sorted)

	first, last := followup.NewDate(2012, 1, 16), followup.NewDate(2024, 6, 1)
	span := first.DaysUntil(last)
	kinds := []followup.ReportKind{followup.ImplementationReport, followup.SpecialReport, followup.VisitReport, followup.OtherReport}
	for i := 1; i <= o.Reports; i++ {
		adopted := first
		if o.Reports > 1 {
			adopted = first.AddDays(span * (i - 1) / (o.Reports - 1))
		}
		due := adopted.AddDays(365)
		slug := SyntheticReportSlug(i)
		in := followup.ReportInput{Slug: slug, Title: fmt.Sprintf("Synthetic report %d (benchmark data)", i),
			Kind: kinds[i%len(kinds)], Round: strconv.Itoa(1 + i/10), DocRef: fmt.Sprintf("SYN(%d)%03d", adopted.Time().Year(), i),
			AdoptedOn: adopted, FollowupDueOn: due, Parties: sorted}
		if _, err := sink.CreateReport(ctx, in); err != nil {
			return res, fmt.Errorf("synthetic: report %s: %w", slug, err)
		}
		if _, err := sink.PublishReport(ctx, slug); err != nil {
			return res, fmt.Errorf("synthetic: publishing report %s: %w", slug, err)
		}
		res.Reports++
		type cell struct {
			key     followup.FollowUpKey
			cat     followup.Category
			open    bool
			pending followup.Status // assessed, not adopted yet
		}
		var cells []*cell
		var urgeLabels []string
		for j := 1; j <= o.RecommendationsPerReport; j++ {
			label := "R" + strconv.Itoa(j)
			cat := followup.Consider
			switch x := rng.IntN(10); {
			case x < 3:
				cat = followup.Urge
			case x < 8:
				cat = followup.Consider
			default:
				cat = followup.Invite
			}
			rec := followup.RecommendationInput{Label: label, Category: cat,
				Text:     fmt.Sprintf("Synthetic recommendation %d of report %d, generated for benchmarks: it asks the Parties to take measure number %d.", j, i, rng.IntN(1000)),
				Articles: []string{strconv.Itoa(1 + rng.IntN(50))}}
			if rng.IntN(3) == 0 {
				rec.Articles = append(rec.Articles, strconv.Itoa(1+rng.IntN(50)))
			}
			targets := sorted
			if rng.IntN(8) == 0 && len(sorted) > 1 {
				var subset []string
				for _, c := range sorted {
					if rng.IntN(2) == 0 {
						subset = append(subset, c)
					}
				}
				if len(subset) == 0 {
					subset = sorted[:1]
				}
				rec.AddressedTo, targets = subset, subset
			}
			if rng.IntN(10) == 0 {
				rec.DueOn = due.AddDays(180)
			}
			if _, err := sink.CreateRecommendation(ctx, slug, rec); err != nil {
				return res, fmt.Errorf("synthetic: recommendation %s/%s: %w", slug, label, err)
			}
			res.Recommendations++
			if cat == followup.Urge {
				urgeLabels = append(urgeLabels, label)
			}
			for _, c := range targets {
				cells = append(cells, &cell{key: followup.FollowUpKey{Report: slug, Label: label, Party: c}, cat: cat, open: true})
			}
		}
		res.FollowUps += len(cells)

		// Follow-up rounds, eighteen months apart, while they fit before syntheticEnd.
		for round := 0; round < 3; round++ {
			start := due.AddDays(540 * round)
			if start.After(syntheticEnd) {
				break
			}
			day := func(from, spread int) followup.Date {
				d := start.AddDays(from + rng.IntN(spread))
				if d.After(syntheticEnd) {
					d = syntheticEnd
				}
				return d
			}
			late := map[*cell]bool{}
			for _, c := range cells {
				if !c.open {
					continue
				}
				x := rng.IntN(100)
				switch {
				case x < 5:
					in := followup.SubmissionInput{Text: fmt.Sprintf("Synthetic draft, round %d: measures being prepared.", round+1), Draft: true}
					if _, err := sink.CreateSubmission(ctx, c.key, in); err != nil {
						return res, fmt.Errorf("synthetic: draft %s: %w", c.key, err)
					}
					res.Drafts++
				case x < 65:
					in := followup.SubmissionInput{Text: fmt.Sprintf("Synthetic submission, round %d: the Party reports measure %d.", round+1, rng.IntN(10000)),
						SubmittedOn: day(0, 60)}
					if _, err := sink.CreateSubmission(ctx, c.key, in); err != nil {
						return res, fmt.Errorf("synthetic: submission %s: %w", c.key, err)
					}
					res.Submissions++
				case x < 68:
					late[c] = true
				}
			}
			for _, c := range cells {
				if !c.open || rng.IntN(10) == 0 {
					continue
				}
				st := assessStatus(rng, round)
				in := followup.AssessmentInput{Status: st, Comment: fmt.Sprintf("Synthetic assessment, round %d.", round+1), AssessedOn: day(90, 30)}
				if _, err := sink.CreateAssessment(ctx, c.key, in); err != nil {
					return res, fmt.Errorf("synthetic: assessment %s: %w", c.key, err)
				}
				c.pending = st
				res.Assessments++
			}
			for _, c := range cells { // a Party answering after the assessment, before the adoption
				if !late[c] {
					continue
				}
				in := followup.SubmissionInput{Text: fmt.Sprintf("Synthetic late submission, round %d.", round+1), SubmittedOn: day(125, 20)}
				if _, err := sink.CreateSubmission(ctx, c.key, in); err != nil {
					return res, fmt.Errorf("synthetic: late submission %s: %w", c.key, err)
				}
				res.Submissions++
			}
			// Two waves of adoption: the urge recommendations first, then the rest.
			waves := []struct {
				on     followup.Date
				labels []string
			}{{start.AddDays(150), urgeLabels}, {start.AddDays(210), nil}}
			for _, w := range waves {
				if w.on.After(syntheticEnd) || (w.labels != nil && len(w.labels) == 0) {
					continue
				}
				n, err := sink.Adopt(ctx, slug, followup.AdoptionInput{AdoptedOn: w.on, Labels: w.labels})
				if err != nil {
					return res, fmt.Errorf("synthetic: adoption of %s on %s: %w", slug, w.on, err)
				}
				res.Adopted += n
				for _, c := range cells {
					if c.pending != "" && (w.labels == nil || c.cat == followup.Urge) {
						c.open = !c.pending.Closes()
						c.pending = ""
					}
				}
			}
		}
	}
	return res, nil
}

// assessStatus draws a status; later rounds find more measures implemented.
func assessStatus(rng *rand.Rand, round int) followup.Status {
	x := rng.IntN(100) + 8*round
	switch {
	case x < 20:
		return followup.NoInformation
	case x < 45:
		return followup.NotImplemented
	case x < 75:
		return followup.PartiallyImplemented
	case x < 97:
		return followup.Implemented
	}
	return followup.NotApplicable
}
