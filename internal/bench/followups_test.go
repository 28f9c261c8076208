package bench

import (
	"context"
	"database/sql"
	"testing"

	"followup/internal/followup"
)

// BenchmarkFollowUpList: a filtered list, paged through to its end 100 at a time, as the public
// (anonymous) sees it, against the same filter as one raw SQL statement that returns the ids.
// Once per engine (see forEachEngine).
func BenchmarkFollowUpList(b *testing.B) {
	forEachEngine(b, benchFollowUpList)
}

func benchFollowUpList(b *testing.B, e benchEngine) {
	s := e.store
	ctx := context.Background()
	yes := true
	today := s.Today().String()
	for _, tc := range []struct {
		name   string
		filter followup.FollowUpFilter
		raw    string
		args   []any
	}{
		{"party-open", followup.FollowUpFilter{Party: "FR", Open: &yes},
			`SELECT f.id FROM followups f JOIN recommendations c ON c.id = f.recommendation_id JOIN reports r ON r.id = c.report_id
			WHERE f.active = TRUE AND r.archived = FALSE AND c.archived = FALSE AND f.party_code = 'FR'
			AND (f.status IS NULL OR f.status NOT IN ('implemented', 'not_applicable')) ORDER BY f.id`, nil},
		{"report-urge-overdue", followup.FollowUpFilter{Report: benchSlug, Category: followup.Urge, Overdue: &yes},
			`SELECT f.id FROM followups f JOIN recommendations c ON c.id = f.recommendation_id JOIN reports r ON r.id = c.report_id
			WHERE f.active = TRUE AND r.archived = FALSE AND c.archived = FALSE AND r.slug = ? AND c.category = 'urge'
			AND (f.status IS NULL OR f.status NOT IN ('implemented', 'not_applicable'))
			AND coalesce(c.due_on, r.followup_due_on) < ? AND f.submitted_since_adoption = FALSE ORDER BY f.id`, []any{benchSlug, today}},
		{"submitted-first-page", followup.FollowUpFilter{State: followup.Submitted, Limit: 100},
			`SELECT f.id FROM followups f JOIN recommendations c ON c.id = f.recommendation_id JOIN reports r ON r.id = c.report_id
			WHERE f.active = TRUE AND r.archived = FALSE AND c.archived = FALSE
			AND (f.state = 'submitted' OR (f.state = 'assessed' AND f.has_submission = TRUE)) ORDER BY f.id LIMIT 100`, nil},
	} {
		b.Run(tc.name, func(b *testing.B) {
			items := 0
			measure(b, func() error {
				f := tc.filter
				items = 0
				for {
					page, err := s.ListFollowUps(ctx, f)
					if err != nil {
						return err
					}
					items += len(page.Items)
					if page.NextCursor == nil || tc.filter.Limit > 0 {
						return nil
					}
					f.Cursor = *page.NextCursor
				}
			}, func() error { return rawIDs(ctx, e.raw, e.q(tc.raw), tc.args...) })
			b.ReportMetric(float64(items), "items")
		})
	}
}

func rawIDs(ctx context.Context, db *sql.DB, query string, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var id int64
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return err
		}
	}
	return rows.Err()
}

// openRaw opens a plain read-only connection pool on the data set, for the ceilings.
func openRaw(b testing.TB) *sql.DB {
	b.Helper()
	db, err := sql.Open("sqlite3", "file:"+benchDBPath(b)+"?_query_only=true&_busy_timeout=10000")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}
