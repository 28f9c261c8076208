package sqlstore_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// today is the fixed instant of every test's clock: the store's "today" is 2026-11-28.
var today = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// slug is the fixture's report.
const slug = "special-2018"

const password = "correct-horse-battery"

func date(s string) followup.Date { return followup.MustDate(s) }

func ptr[T any](v T) *T { return &v }

// storeOptions are the options of every test's store: the fixed clock, and the lowest bcrypt
// cost, which keeps user creation fast under the race detector.
var storeOptions = sqlstore.Options{Clock: followup.FixedClock(today), Location: time.UTC, PasswordCost: bcrypt.MinCost}

// openStore opens a store on a database of storetest.NewDatabase (an SQLite file, or a
// PostgreSQL database when the run is on PostgreSQL) with the fixed clock; a second store on the
// same database stands for a second process.
func openStore(t *testing.T, database string) *sqlstore.Store {
	t.Helper()
	return storetest.OpenAt(t, database, storeOptions)
}

// fixture is a store with four Parties, one report and two recommendations, and one user per
// role (party users for FR and HU).
//
//	Parties: FR (joined 2010-01-01), DE (joined on an unknown date), HU (joined 2015-03-01),
//	         IT (joined 2019-01-01, after the report).
//	Report special-2018 adopted 2018-03-01, follow-up due 2026-11-27 (yesterday), covering by
//	default DE, FR, HU.
//	R1 (urge) addressed to all: follow-ups R1/DE, R1/FR, R1/HU.
//	R2 (consider) addressed to HU only, due 2027-06-30: follow-up R2/HU.
type fixture struct {
	store *sqlstore.Store
	path  string        // the database: a file path or a PostgreSQL URL
	raw   *storetest.DB // a separate connection to the same database
	users map[string]followup.User
}

var fixtureUsers = []struct {
	who   string
	role  followup.Role
	party string
}{
	{"admin", followup.RoleAdmin, ""},
	{"secretariat", followup.RoleSecretariat, ""},
	{"rapporteur", followup.RoleRapporteur, ""},
	{"fr", followup.RoleParty, "FR"},
	{"hu", followup.RoleParty, "HU"},
}

func email(who string) string { return who + "@coe.test" }

// newBareFixture opens a store on a new database with no data, and the raw connection.
func newBareFixture(t *testing.T) *fixture {
	t.Helper()
	return newBareFixtureWith(t, storeOptions)
}

// newBareFixtureWith is newBareFixture with a store of those options (another clock).
func newBareFixtureWith(t *testing.T, opts sqlstore.Options) *fixture {
	t.Helper()
	path := storetest.NewDatabase(t)
	f := &fixture{store: storetest.OpenAt(t, path, opts), path: path, users: map[string]followup.User{}}
	f.raw = newRaw(t, path)
	return f
}

// newRaw opens a connection to the database, apart from the store.
func newRaw(t *testing.T, path string) *storetest.DB {
	t.Helper()
	return storetest.Raw(t, path)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, storeOptions)
}

// newFixtureWith is newFixture with a store of those options (another clock).
func newFixtureWith(t *testing.T, opts sqlstore.Options) *fixture {
	t.Helper()
	f := newBareFixtureWith(t, opts)
	ctx := f.as("system")
	for _, p := range []followup.Party{
		{Code: "FR", NameEN: "France", NameFR: "France", JoinedOn: date("2010-01-01")},
		{Code: "DE", NameEN: "Germany", NameFR: "Allemagne"},
		{Code: "HU", NameEN: "Hungary", NameFR: "Hongrie", JoinedOn: date("2015-03-01")},
		{Code: "IT", NameEN: "Italy", NameFR: "Italie", JoinedOn: date("2019-01-01")},
	} {
		if _, err := f.store.CreateParty(ctx, p); err != nil {
			t.Fatalf("CreateParty %s: %v", p.Code, err)
		}
	}
	if _, err := f.store.CreateReport(ctx, followup.ReportInput{
		Slug: slug, Title: "Protecting children affected by the refugee crisis", Kind: followup.SpecialReport,
		Round: "", DocRef: "T-ES(2017)11", AdoptedOn: date("2018-03-01"), FollowupDueOn: date("2026-11-27"),
	}); err != nil {
		t.Fatalf("CreateReport: %v", err)
	}
	if _, err := f.store.PublishReport(ctx, slug); err != nil {
		t.Fatalf("PublishReport: %v", err)
	}
	for _, in := range []followup.RecommendationInput{
		{Label: "R1", Category: followup.Urge, Text: "Summary: criminalise the solicitation of children.", Articles: []string{"4", "11"}},
		{Label: "R2", Category: followup.Consider, Text: "Summary: review the transit zones.", AddressedTo: []string{"HU"}, DueOn: date("2027-06-30")},
	} {
		if _, err := f.store.CreateRecommendation(ctx, slug, in); err != nil {
			t.Fatalf("CreateRecommendation %s: %v", in.Label, err)
		}
	}
	for _, u := range fixtureUsers {
		created, err := f.store.CreateUser(ctx, followup.UserInput{Email: email(u.who), Name: "User " + u.who,
			Role: u.role, Party: u.party, Password: password})
		if err != nil {
			t.Fatalf("CreateUser %s: %v", u.who, err)
		}
		f.users[u.who] = created
	}
	return f
}

// as returns a context acting as who: "anon", "system" or a fixture user.
func (f *fixture) as(who string) context.Context {
	switch who {
	case "anon":
		return context.Background()
	case "system":
		return followup.WithActor(context.Background(), followup.SystemActor)
	}
	u, ok := f.users[who]
	if !ok {
		panic("no fixture user " + who)
	}
	return followup.WithActor(context.Background(), u.Actor())
}

func key(label, party string) followup.FollowUpKey {
	return followup.FollowUpKey{Report: slug, Label: label, Party: party}
}

// count runs a SELECT count(*) ... on the raw connection.
func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.raw.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func (f *fixture) auditCount(t *testing.T) int {
	t.Helper()
	return f.count(t, `SELECT count(*) FROM audit_log`)
}

// dump returns the whole database as text, to prove that a refused write changed nothing.
func (f *fixture) dump(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT code, name_en, name_fr, coalesce(joined_on, '') FROM parties ORDER BY code`,
		`SELECT id, email, role, coalesce(party_code, ''), active FROM users ORDER BY id`,
		`SELECT id, user_id, token_hash FROM api_tokens ORDER BY id`,
		`SELECT id, slug, title, kind, round, doc_ref, adopted_on, coalesce(followup_due_on, ''), archived, updated_at FROM reports ORDER BY id`,
		`SELECT report_id, party_code FROM report_parties ORDER BY report_id, party_code`,
		`SELECT id, label, category, text, articles, coalesce(due_on, ''), archived FROM recommendations ORDER BY id`,
		`SELECT recommendation_id, party_code FROM recommendation_addressees ORDER BY recommendation_id, party_code`,
		`SELECT id, recommendation_id, party_code, active, state, coalesce(status, ''), coalesce(status_adopted_on, ''),
			submitted_since_adoption, has_submission, coalesce(last_submitted_at, '') FROM followups ORDER BY id`,
		`SELECT id, followup_id, text, draft, coalesce(submitted_on, ''), updated_at FROM submissions ORDER BY id`,
		`SELECT id, followup_id, status, comment, assessed_on, coalesce(adopted_on, '') FROM assessments ORDER BY id`,
		`SELECT id, action, entity_key FROM audit_log ORDER BY id`,
	} {
		rows, err := f.raw.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
		fmt.Fprintln(&b, "--")
	}
	return b.String()
}

// unchanged fails unless the database is exactly as dumped before.
func (f *fixture) unchanged(t *testing.T, before string) {
	t.Helper()
	if after := f.dump(t); after != before {
		t.Fatalf("a refused write changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// wantErr fails unless err is a domain error with the code and field.
func wantErr(t *testing.T, err error, code, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s (field %q)", code, field)
	}
	if got := followup.ErrorCode(err); got != code {
		t.Fatalf("error %q: code %s, want %s", err, got, code)
	}
	if got := followup.ErrorField(err); got != field {
		t.Fatalf("error %q: field %q, want %q", err, got, field)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v (code %s)", err, followup.ErrorCode(err))
	}
}

func mustV[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		must(t, err)
		return v
	}
}

// find returns a follow-up as who sees it.
func (f *fixture) find(t *testing.T, who string, k followup.FollowUpKey) followup.FollowUp {
	t.Helper()
	fu, err := f.store.FindFollowUp(f.as(who), k)
	if err != nil {
		t.Fatalf("FindFollowUp %s as %s: %v", k, who, err)
	}
	return fu
}

// state returns the true state of a follow-up (as the secretariat sees it).
func (f *fixture) state(t *testing.T, k followup.FollowUpKey) followup.State {
	t.Helper()
	return f.find(t, "secretariat", k).State
}

func (f *fixture) submit(t *testing.T, who string, k followup.FollowUpKey, text string, draft bool) followup.Submission {
	t.Helper()
	s, err := f.store.CreateSubmission(f.as(who), k, followup.SubmissionInput{Text: text, Draft: draft})
	if err != nil {
		t.Fatalf("CreateSubmission %s as %s: %v", k, who, err)
	}
	return s
}

func (f *fixture) assess(t *testing.T, k followup.FollowUpKey, st followup.Status, on string) followup.Assessment {
	t.Helper()
	a, err := f.store.CreateAssessment(f.as("rapporteur"), k, followup.AssessmentInput{Status: st, Comment: "assessed " + string(st), AssessedOn: date(on)})
	if err != nil {
		t.Fatalf("CreateAssessment %s: %v", k, err)
	}
	return a
}

func (f *fixture) adopt(t *testing.T, on string, labels ...string) int {
	t.Helper()
	n, err := f.store.Adopt(f.as("secretariat"), slug, followup.AdoptionInput{AdoptedOn: date(on), Labels: labels})
	if err != nil {
		t.Fatalf("Adopt %s %v: %v", on, labels, err)
	}
	return n
}

// keys returns "LABEL/PARTY" of each follow-up.
func keys(items []followup.FollowUp) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Label + "/" + it.Party
	}
	return out
}

func wantStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if got == nil {
		got = []string{}
	}
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %q, want %q", what, got, want)
	}
}

func submissionTexts(subs []followup.Submission) []string {
	out := []string{}
	for _, s := range subs {
		out = append(out, s.Text)
	}
	return out
}

func assessmentStatuses(as []followup.Assessment) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, string(a.Status))
	}
	return out
}

// lastAudit returns the newest audit entry (read as the admin).
func (f *fixture) lastAudit(t *testing.T) followup.AuditEntry {
	t.Helper()
	page, err := f.store.ListAudit(f.as("admin"), followup.AuditFilter{Limit: 1})
	must(t, err)
	entries := page.Items
	if len(entries) != 1 {
		t.Fatalf("ListAudit returned %d entries, want 1", len(entries))
	}
	return entries[0]
}

func approx(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
