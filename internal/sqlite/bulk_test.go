package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"followup/internal/followup"
	"followup/internal/seed"
	"followup/internal/sqlite"
)

// The bulk loader must leave exactly the rows the services would: the same synthetic data set is
// loaded through the services into one database and through Bulk into another, under the same
// fixed clock, and every table is compared row for row (ids, derived followups columns, audit
// entries with their JSON).
func TestBulkMatchesServices(t *testing.T) {
	ctx := context.Background()
	opts := seed.SyntheticOptions{Parties: 12, Reports: 6, RecommendationsPerReport: 9, Seed: 7}

	viaServices := openStore(t, filepath.Join(t.TempDir(), "services.db"))
	want, err := seed.Synthetic(ctx, viaServices, opts)
	if err != nil {
		t.Fatal(err)
	}
	viaBulk := openStore(t, filepath.Join(t.TempDir(), "bulk.db"))
	bulk, err := viaBulk.BeginBulk(followup.WithActor(ctx, followup.SystemActor))
	if err != nil {
		t.Fatal(err)
	}
	got, err := seed.Synthetic(ctx, bulk, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := bulk.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("bulk created %s, services %s", got, want)
	}
	if want.Adopted == 0 || want.Drafts == 0 || want.Submissions == 0 {
		t.Fatalf("the small data set should exercise every kind of write: %s", want)
	}
	for _, table := range []string{"parties", "reports", "report_parties", "recommendations", "recommendation_addressees",
		"followups", "submissions", "assessments", "audit_log"} {
		a, b := dumpTable(t, viaServices.Path(), table), dumpTable(t, viaBulk.Path(), table)
		if a != b {
			t.Errorf("table %s differs:\n%s", table, firstDifference(a, b))
		}
	}
	checkDerived(t, viaBulk.Path())

	// Same options, same data: a second bulk load gives the same rows.
	again := openStore(t, filepath.Join(t.TempDir(), "again.db"))
	bulk2, err := again.BeginBulk(followup.WithActor(ctx, followup.SystemActor))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Synthetic(ctx, bulk2, opts); err != nil {
		t.Fatal(err)
	}
	if err := bulk2.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if a, b := dumpTable(t, viaBulk.Path(), "assessments"), dumpTable(t, again.Path(), "assessments"); a != b {
		t.Errorf("two loads with the same seed differ:\n%s", firstDifference(a, b))
	}
}

func TestBulkRefusesNonEmptyDatabase(t *testing.T) {
	f := newFixture(t)
	_, err := f.store.BeginBulk(followup.WithActor(context.Background(), followup.SystemActor))
	wantErr(t, err, followup.EConflict, "")
}

func TestBulkFirstErrorPoisonsTheLoad(t *testing.T) {
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	store := openStore(t, filepath.Join(t.TempDir(), "f.db"))
	bulk, err := store.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	must(t, func() error {
		_, err := bulk.CreateParty(ctx, followup.Party{Code: "FR", NameEN: "France", NameFR: "France"})
		return err
	}())
	if _, err := bulk.CreateAssessment(ctx, followup.FollowUpKey{Report: "x", Label: "R1", Party: "FR"},
		followup.AssessmentInput{Status: followup.Implemented}); followup.ErrorCode(err) != followup.ENotFound {
		t.Fatalf("assessment of a missing follow-up: %v", err)
	}
	must(t, bulk.Commit(ctx))
	var n int
	if err := openDB(t, store.Path()).QueryRow(`SELECT count(*) FROM parties`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("parties = %d, %v; a refused call must not poison the load", n, err)
	}
}

var _ seed.SyntheticSink = (*sqlite.Bulk)(nil)
var _ seed.SyntheticSink = (*sqlite.Store)(nil)

func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_query_only=true")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func dumpTable(t *testing.T, path, table string) string {
	t.Helper()
	rows, err := openDB(t, path).Query(`SELECT * FROM ` + table + ` ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fmt.Fprintf(&b, "%s=%v ", cols[i], v)
		}
		b.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func firstDifference(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\nservices: %s\nbulk:     %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("services has %d lines, bulk %d", len(la), len(lb))
}

// checkDerived checks the denormalised followups columns against the submissions and
// assessments they are derived from, independently of how they were written.
func checkDerived(t *testing.T, path string) {
	t.Helper()
	db := openDB(t, path)
	checks := map[string]string{
		"has_submission is whether a submitted submission exists": `SELECT count(*) FROM followups f WHERE f.has_submission !=
			EXISTS (SELECT 1 FROM submissions s WHERE s.followup_id = f.id AND s.draft = 0)`,
		"status is the latest adopted assessment's": `SELECT count(*) FROM followups f WHERE coalesce(f.status, '') != coalesce((
			SELECT a.status FROM assessments a WHERE a.followup_id = f.id AND a.adopted_on IS NOT NULL ORDER BY a.adopted_on DESC, a.id DESC LIMIT 1), '')`,
		"status_adopted_on is the latest adoption": `SELECT count(*) FROM followups f WHERE coalesce(f.status_adopted_on, '') !=
			coalesce((SELECT max(a.adopted_on) FROM assessments a WHERE a.followup_id = f.id), '')`,
		"awaiting_submission: nothing submitted, nothing assessed": `SELECT count(*) FROM followups f WHERE f.state = 'awaiting_submission'
			AND (f.has_submission OR EXISTS (SELECT 1 FROM assessments a WHERE a.followup_id = f.id))`,
		"assessed: the latest assessment is not adopted": `SELECT count(*) FROM followups f WHERE f.state = 'assessed'
			AND coalesce((SELECT a.adopted_on IS NULL FROM assessments a WHERE a.followup_id = f.id ORDER BY a.id DESC LIMIT 1), 0) = 0`,
		"adopted: the latest assessment is adopted": `SELECT count(*) FROM followups f WHERE f.state = 'adopted'
			AND coalesce((SELECT a.adopted_on IS NOT NULL FROM assessments a WHERE a.followup_id = f.id ORDER BY a.id DESC LIMIT 1), 0) = 0`,
		"last_submitted_at is set exactly when something was submitted": `SELECT count(*) FROM followups f
			WHERE (f.last_submitted_at IS NOT NULL) != f.has_submission`,
		"every submission and assessment has its audit entry": `SELECT (SELECT count(*) FROM submissions) + (SELECT count(*) FROM assessments)
			- (SELECT count(DISTINCT entity || entity_key) FROM audit_log WHERE entity IN ('submission', 'assessment'))`,
		"every adopted assessment has its adoption entry": `SELECT (SELECT count(*) FROM assessments WHERE adopted_on IS NOT NULL)
			- (SELECT count(*) FROM audit_log WHERE action = 'assessment.adopt')`,
	}
	for what, q := range checks {
		var bad int
		if err := db.QueryRow(q).Scan(&bad); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if bad != 0 {
			t.Errorf("%s: %d follow-ups break it", what, bad)
		}
	}
}
