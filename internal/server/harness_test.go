package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/export"
	"followup/internal/followup"
	"followup/internal/importer"
	"followup/internal/server"
	"followup/internal/sniff"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// today is the fixed day of every API test.
var today = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// testEnv is a server over a real SQLite file with a few Parties, one user per role and a
// report: "rep" covers FR, DE and HU; R1 is addressed to all of them, R2 to HU only.
type testEnv struct {
	t        *testing.T
	database string // the store's database (a path or a URL), for a second store or a raw look
	store    *sqlstore.Store
	srv      *server.Server
	tokens   map[string]string // by role name: admin, secretariat, rapporteur, party-fr, party-de
}

// storeOptions are the options of every test store: the fixed day, UTC, a cheap bcrypt cost.
func storeOptions() sqlstore.Options {
	return sqlstore.Options{Clock: followup.FixedClock(today), Location: time.UTC, PasswordCost: bcrypt.MinCost}
}

func newEnv(t *testing.T) *testEnv {
	t.Helper()
	return newEnvAt(t, storetest.NewDatabase(t))
}

// newEnvAt builds the test environment on a database of storetest.NewDatabase.
func newEnvAt(t *testing.T, database string) *testEnv {
	t.Helper()
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	store := storetest.OpenAt(t, database, storeOptions())
	e := &testEnv{t: t, database: database, store: store, tokens: map[string]string{}}
	e.srv = newServer(t, testOptions(t, store))
	for _, p := range []followup.Party{
		{Code: "FR", NameEN: "France", NameFR: "France"},
		{Code: "DE", NameEN: "Germany", NameFR: "Allemagne"},
		{Code: "HU", NameEN: "Hungary", NameFR: "Hongrie"},
		{Code: "TR", NameEN: "Türkiye", NameFR: "Türkiye"},
	} {
		must(t, func() error { _, err := store.CreateParty(ctx, p); return err })
	}
	users := []followup.UserInput{
		{Email: "admin@example.org", Name: "Admin", Role: followup.RoleAdmin},
		{Email: "secretariat@example.org", Name: "Secretariat", Role: followup.RoleSecretariat},
		{Email: "rapporteur@example.org", Name: "Rapporteur", Role: followup.RoleRapporteur},
		{Email: "party-fr@example.org", Name: "France desk", Role: followup.RoleParty, Party: "FR"},
		{Email: "party-de@example.org", Name: "Germany desk", Role: followup.RoleParty, Party: "DE"},
	}
	for _, u := range users {
		u.Password = "a long test password"
		must(t, func() error { _, err := store.CreateUser(ctx, u); return err })
		tok, err := store.CreateToken(ctx, u.Email, "test", "")
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[strings.TrimSuffix(u.Email, "@example.org")] = tok
	}
	must(t, func() error {
		_, err := store.CreateReport(ctx, followup.ReportInput{Slug: "rep", Title: "Test report", Kind: followup.SpecialReport,
			AdoptedOn: followup.MustDate("2017-03-03"), FollowupDueOn: followup.MustDate("2018-09-30"), Parties: []string{"FR", "DE", "HU"}})
		return err
	})
	must(t, func() error { _, err := store.PublishReport(ctx, "rep"); return err })
	must(t, func() error {
		_, err := store.CreateRecommendation(ctx, "rep", followup.RecommendationInput{Label: "R1", Category: followup.Urge, Text: "Do the first thing."})
		return err
	})
	must(t, func() error {
		_, err := store.CreateRecommendation(ctx, "rep", followup.RecommendationInput{Label: "R2", Category: followup.Consider,
			Text: "Do the second thing.", AddressedTo: []string{"HU"}})
		return err
	})
	return e
}

// testOptions wire every service of `followup serve` over the store, with the store's clock
// and time zone.
func testOptions(t *testing.T, store *sqlstore.Store) server.Options {
	return server.Options{Services: testServices(t, store, followup.FixedClock(today)),
		Clock: followup.FixedClock(today), Location: time.UTC}
}

// testServices are the store's services with the scheduler, the export encoder and the import
// parser, as `followup serve` wires them.
func testServices(t *testing.T, store *sqlstore.Store, clock followup.Clock) followup.Services {
	svc := store.Services()
	svc.Jobs = newTestScheduler(t, store, clock)
	svc.Exporter = export.Encoder{}
	svc.Parser = importer.Parser{}
	svc.Detector = sniff.Detector{}
	return svc
}

// newServer builds a server and fails the test when it cannot.
func newServer(t *testing.T, opts server.Options) *server.Server {
	t.Helper()
	srv, err := server.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func must(t *testing.T, f func() error) {
	t.Helper()
	if err := f(); err != nil {
		t.Fatal(err)
	}
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return v
}

func (r response) list(t *testing.T) []any {
	t.Helper()
	var v []any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not a JSON array: %v\n%s", err, r.body)
	}
	return v
}

// errorOf returns the error object of an error response.
func (r response) errorOf(t *testing.T) (code, field string) {
	t.Helper()
	obj, _ := r.json(t)["error"].(map[string]any)
	if obj == nil {
		t.Fatalf("no error object in %s", r.body)
	}
	code, _ = obj["code"].(string)
	field, _ = obj["field"].(string)
	if msg, _ := obj["message"].(string); msg == "" {
		t.Errorf("error without message: %s", r.body)
	}
	return code, field
}

// do sends a request as the given user ("" for anonymous); body is JSON-encoded unless it is
// a string or []byte, sent as is.
func (e *testEnv) do(method, path, as string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		tok, ok := e.tokens[as]
		if !ok {
			e.t.Fatalf("no user %q", as)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// expect sends a request and fails unless the status is want.
func (e *testEnv) expect(want int, method, path, as string, body any) response {
	e.t.Helper()
	r := e.do(method, path, as, body)
	if r.status != want {
		e.t.Fatalf("%s %s as %q: status %d, want %d\n%s", method, path, as, r.status, want, r.body)
	}
	return r
}

// auditCount counts audit entries: every write leaves one, so an unchanged count means that
// nothing was written.
func (e *testEnv) auditCount() int {
	e.t.Helper()
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	page, err := e.store.ListAudit(ctx, followup.AuditFilter{Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	return page.Total
}
