// Package seed loads the tracker's real seed data and its demo data through the domain's
// service interfaces (never SQL), so that every row goes through the same validation, access
// checks and audit log as a request would:
//
//   - the 48 Parties to the Lanzarote Convention with their English and French names;
//   - the special report on the refugee crisis (T-ES(2016)17 final) with its 41 Parties, its ten
//     "consider" recommendations and the two "urge" recommendations whose topics are known;
//   - the report on the visit to the Hungarian transit zones (T-ES(2017)11 final), addressed to
//     Hungary;
//   - one demo user per role, party users for France, Hungary and Germany, and an API token each;
//   - demo follow-up activity on the refugee report (submissions, assessments, three adoptions,
//     a draft assessment and a draft submission) so that the workflow and the as-of history can
//     be seen.
//
// The facts come from shared/data/lanzarote-facts.yaml; every text is written for the tracker.
// Recommendation texts are summaries of the topic, marked "Summary: ", not the report's wording.
// Where the facts do not establish a recommendation's label (the two urge recommendations of the
// refugee report, the recommendations of the transit-zones report), the label is the tracker's
// own and the text says so. The follow-up activity is invented: the Parties are real, so every
// demo assessment comment begins with DemoNotice and every demo submission says it is not the
// Party's.
//
// Load is idempotent: it looks each thing up before creating it, and a second call creates
// nothing.
package seed

import (
	"context"
	"errors"
	"fmt"

	"followup/internal/followup"
)

// Services are the domain services Load writes through.
type Services struct {
	Parties   followup.PartyService
	Reports   followup.ReportService
	FollowUps followup.FollowUpService
	Users     followup.UserService
}

// Result counts what one call of Load created.
type Result struct{ Parties, Reports, Recommendations, Users, Tokens int }

// Empty reports whether nothing was created.
func (r Result) Empty() bool { return r == Result{} }

func (r Result) String() string {
	return fmt.Sprintf("%d Parties, %d reports, %d recommendations, %d users, %d tokens",
		r.Parties, r.Reports, r.Recommendations, r.Users, r.Tokens)
}

// Load creates whatever of the seed data is missing, acting as followup.SystemActor, and returns
// what it created. The demo follow-up activity is added only in the call that creates the
// refugee-crisis report, and a demo user's token only in the call that creates the user.
func Load(ctx context.Context, s Services) (Result, error) {
	var res Result
	if s.Parties == nil || s.Reports == nil || s.FollowUps == nil || s.Users == nil {
		return res, errors.New("seed: every service is required")
	}
	ctx = followup.WithActor(ctx, followup.SystemActor)

	for _, row := range partyTable {
		_, err := s.Parties.FindParty(ctx, row.code)
		if err == nil {
			continue
		}
		if !notFound(err) {
			return res, fmt.Errorf("seed: looking up Party %s: %w", row.code, err)
		}
		if _, err := s.Parties.CreateParty(ctx, row.party()); err != nil {
			return res, fmt.Errorf("seed: creating Party %s: %w", row.code, err)
		}
		res.Parties++
	}

	for _, rs := range reportSeeds() {
		created, err := loadReport(ctx, s.Reports, rs, &res)
		if err != nil {
			return res, err
		}
		if created && rs.input.Slug == RefugeeReport {
			if err := loadDemoActivity(ctx, s.FollowUps); err != nil {
				return res, err
			}
		}
	}

	for _, u := range demoUsers {
		_, err := s.Users.FindUserByEmail(ctx, u.Email)
		if err == nil {
			continue
		}
		if !notFound(err) {
			return res, fmt.Errorf("seed: looking up user %s: %w", u.Email, err)
		}
		if _, err := s.Users.CreateUser(ctx, u.input()); err != nil {
			return res, fmt.Errorf("seed: creating user %s: %w", u.Email, err)
		}
		res.Users++
		if _, err := s.Users.CreateToken(ctx, u.Email, demoTokenName, u.Token); err != nil {
			return res, fmt.Errorf("seed: creating the token of %s: %w", u.Email, err)
		}
		res.Tokens++
	}
	return res, nil
}

// loadReport creates the report if it is missing, then each of its recommendations that is
// missing, and reports whether it created the report.
func loadReport(ctx context.Context, reports followup.ReportService, rs reportSeed, res *Result) (bool, error) {
	slug := rs.input.Slug
	created := false
	_, err := reports.FindReport(ctx, slug)
	switch {
	case err == nil:
	case notFound(err):
		if _, err := reports.CreateReport(ctx, rs.input); err != nil {
			return false, fmt.Errorf("seed: creating report %s: %w", slug, err)
		}
		res.Reports++
		created = true
	default:
		return false, fmt.Errorf("seed: looking up report %s: %w", slug, err)
	}
	for _, in := range rs.recommendations {
		if !created {
			_, err := reports.FindRecommendation(ctx, slug, in.Label)
			if err == nil {
				continue
			}
			if !notFound(err) {
				return created, fmt.Errorf("seed: looking up recommendation %s/%s: %w", slug, in.Label, err)
			}
		}
		if _, err := reports.CreateRecommendation(ctx, slug, in); err != nil {
			return created, fmt.Errorf("seed: creating recommendation %s/%s: %w", slug, in.Label, err)
		}
		res.Recommendations++
	}
	return created, nil
}

func notFound(err error) bool { return followup.ErrorCode(err) == followup.ENotFound }
