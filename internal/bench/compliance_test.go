package bench

import (
	"context"
	"testing"

	"followup/internal/followup"
	"followup/internal/seed"
	"followup/internal/server"
)

// rawCompliance is the ceiling of a compliance summary: one SQL statement that counts, for
// each recommendation of the report, the follow-ups by their latest status adopted on or
// before the date — the same rule the store applies — and hands back the counts, with no
// breakdown by Party, no comments and no JSON. rawComplianceAll does it for every report.
const (
	rawComplianceFrom = ` FROM followups f
	JOIN recommendations c ON c.id = f.recommendation_id
	LEFT JOIN assessments a ON a.id = (
		SELECT a2.id FROM assessments a2
		WHERE a2.followup_id = f.id AND a2.adopted_on IS NOT NULL AND a2.adopted_on <= ?
		ORDER BY a2.adopted_on DESC, a2.id DESC LIMIT 1)`
	rawCompliance = `SELECT c.id, coalesce(a.status, 'pending'), count(*)` + rawComplianceFrom + `
	WHERE c.report_id = (SELECT id FROM reports WHERE slug = ?) AND c.archived = FALSE AND f.active = TRUE
	GROUP BY c.id, a.status`
	rawComplianceAll = `SELECT c.id, coalesce(a.status, 'pending'), count(*)` + rawComplianceFrom + `
	JOIN reports r ON r.id = c.report_id
	WHERE r.archived = FALSE AND c.archived = FALSE AND f.active = TRUE
	GROUP BY c.id, a.status`
)

// (The raw SQL is the same on both engines: TRUE and FALSE are SQLite's 1 and 0.)
func rawAggregate(ctx context.Context, e benchEngine, slug string, asOf followup.Date) error {
	query, args := rawCompliance, []any{asOf.String(), slug}
	if slug == "" {
		query, args = rawComplianceAll, []any{asOf.String()}
	}
	rows, err := e.raw.QueryContext(ctx, e.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var id int64
	var status string
	var n int
	for rows.Next() {
		if err := rows.Scan(&id, &status, &n); err != nil {
			return err
		}
	}
	return rows.Err()
}

// BenchmarkComplianceOneReport: the compliance summary of one report (about 7,500 follow-ups),
// as of today and as of a past date, computed (the store's cache bypassed) against the raw SQL
// aggregate; then served from the cache, as it is between two writes; and the largest report
// (about 7,900 follow-ups) as of today, computed. Once per engine (see forEachEngine). On
// PostgreSQL the database works in its own processes: the thread CPU figures leave that out,
// and the wall times are the ones to compare across engines.
func BenchmarkComplianceOneReport(b *testing.B) {
	forEachEngine(b, func(b *testing.B, e benchEngine) {
		s := e.store
		ctx := context.Background()
		for _, tc := range []struct {
			name string
			slug string
			asOf followup.Date
		}{{"today", benchSlug, s.Today()}, {"past", benchSlug, benchPast}, {"largest-today", largestReport(b), s.Today()}} {
			b.Run(tc.name, func(b *testing.B) {
				measure(b, func() error {
					_, err := s.ReportCompliance(ctx, tc.slug, followup.ComplianceQuery{AsOf: tc.asOf})
					return err
				}, func() error { return rawAggregate(ctx, e, tc.slug, tc.asOf) })
			})
			if tc.slug != benchSlug {
				continue
			}
			b.Run(tc.name+"-cached", func(b *testing.B) {
				cache := server.NewComplianceCache(s, s, s.Today, 0)
				measure(b, func() error {
					_, err := cache.ReportCompliance(ctx, tc.slug, followup.ComplianceQuery{AsOf: tc.asOf})
					return err
				}, func() error { return rawAggregate(ctx, e, tc.slug, tc.asOf) })
			})
		}
	})
}

// BenchmarkComplianceAllReports: the summaries of all 50 reports (about 375,000 follow-ups),
// one computation per report (cache bypassed), against one raw SQL aggregate over all of them.
func BenchmarkComplianceAllReports(b *testing.B) {
	s := benchStore(b)
	e := benchEngine{name: "sqlite", store: s, raw: openRaw(b)}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		asOf followup.Date
	}{{"today", s.Today()}, {"past", benchPast}} {
		b.Run(tc.name, func(b *testing.B) {
			measure(b, func() error {
				for i := 1; i <= benchOptions.Reports; i++ {
					if _, err := s.ReportCompliance(ctx, seed.SyntheticReportSlug(i), followup.ComplianceQuery{AsOf: tc.asOf}); err != nil {
						return err
					}
				}
				return nil
			}, func() error { return rawAggregate(ctx, e, "", tc.asOf) })
		})
	}
}
