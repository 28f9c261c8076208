// Package seed loads the tracker's seed data through the domain's service interfaces (never
// SQL), so that every row goes through the same validation, access checks and audit log as a
// request would. It keeps the Committee's record apart from the demonstration:
//
//   - Real: the 48 Parties to the Lanzarote Convention with their English and French names and
//     the entry into force where it is established; the Committee's reports as far as the
//     facts establish them (facts.go names the facts file): the special report on the refugee
//     crisis with its five urge and ten consider recommendations and the outcomes the Committee
//     adopted on 6 June 2019 for the urge ones; the visit report on the Hungarian transit zones;
//     the first monitoring round's two reports on the circle of trust, the first with R1-R4;
//     the second round's report on ICT-facilitated abuse. Each carries its source. Nothing on
//     them is invented: no submission, no deadline, no assessment the Committee did not adopt.
//   - Fictional: the "Demonstration report (fictional)" (DemoReport), addressed to the Parties
//     that have demo users, with invented recommendations, submissions, assessments and
//     adoptions dated relative to the day the seed runs, so that every role has something to
//     do; and one demo user per role with an API token each.
//
// Load is idempotent: it looks each thing up before creating it, and a second call creates
// nothing.
package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"followup/internal/followup"
)

// Services are the domain services Load writes through.
type Services struct {
	Parties   followup.PartyService
	Reports   followup.ReportService
	FollowUps followup.FollowUpService
	Users     followup.UserService
	// Clock and Location give the day the seed runs: the demonstration is dated from it.
	Clock    followup.Clock
	Location *time.Location
}

// Result counts what one call of Load created.
type Result struct{ Parties, Reports, Recommendations, Assessments, Users, Tokens int }

// Empty reports whether nothing was created.
func (r Result) Empty() bool { return r == Result{} }

func (r Result) String() string {
	return fmt.Sprintf("%d Parties, %d reports, %d recommendations, %d assessments, %d users, %d tokens",
		r.Parties, r.Reports, r.Recommendations, r.Assessments, r.Users, r.Tokens)
}

// Load creates whatever of the seed data is missing, acting as followup.SystemActor, and returns
// what it created. A published outcome is recorded only in the call that creates its
// recommendation, the demonstration's activity only in the call that creates its report, and a
// demo user's token only in the call that creates the user.
func Load(ctx context.Context, s Services) (Result, error) {
	var res Result
	if s.Parties == nil || s.Reports == nil || s.FollowUps == nil || s.Users == nil || s.Clock == nil {
		return res, errors.New("seed: every service and the clock are required")
	}
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	today := followup.DateOf(s.Clock.Now(), loc)
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

	for _, rs := range realReportSeeds() {
		_, createdRecs, err := loadReport(ctx, s.Reports, rs, &res)
		if err != nil {
			return res, err
		}
		if err := loadPublishedOutcomes(ctx, s.FollowUps, rs, createdRecs, &res); err != nil {
			return res, err
		}
	}
	created, _, err := loadReport(ctx, s.Reports, demoReportSeed(today), &res)
	if err != nil {
		return res, err
	}
	if created {
		if err := loadDemoActivity(ctx, s.FollowUps, today, &res); err != nil {
			return res, err
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
// missing, and reports whether it created the report and which recommendations it created.
func loadReport(ctx context.Context, reports followup.ReportService, rs reportSeed, res *Result) (bool, []followup.Recommendation, error) {
	slug := rs.input.Slug
	created := false
	_, err := reports.FindReport(ctx, slug)
	switch {
	case err == nil:
	case notFound(err):
		if _, err := reports.CreateReport(ctx, rs.input); err != nil {
			return false, nil, fmt.Errorf("seed: creating report %s: %w", slug, err)
		}
		res.Reports++
		created = true
	default:
		return false, nil, fmt.Errorf("seed: looking up report %s: %w", slug, err)
	}
	var recs []followup.Recommendation
	for _, in := range rs.recommendations {
		if !created {
			_, err := reports.FindRecommendation(ctx, slug, in.Label)
			if err == nil {
				continue
			}
			if !notFound(err) {
				return created, recs, fmt.Errorf("seed: looking up recommendation %s/%s: %w", slug, in.Label, err)
			}
		}
		rec, err := reports.CreateRecommendation(ctx, slug, in)
		if err != nil {
			return created, recs, fmt.Errorf("seed: creating recommendation %s/%s: %w", slug, in.Label, err)
		}
		recs = append(recs, rec)
		res.Recommendations++
	}
	// The Committee's own reports are public: a report the seed creates is published once its
	// recommendations are in.
	if created {
		if _, err := reports.PublishReport(ctx, slug); err != nil {
			return created, recs, fmt.Errorf("seed: publishing report %s: %w", slug, err)
		}
	}
	return created, recs, nil
}

func notFound(err error) bool { return followup.ErrorCode(err) == followup.ENotFound }
