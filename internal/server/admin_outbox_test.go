package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/server"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// jobsEnv is a server over a real SQLite file with France and Germany, a report whose R1 is
// due on 2025-06-30 and whose R2 (with a title that needs escaping) on 2025-09-30, and users.
type jobsEnv struct {
	t      *testing.T
	store  *sqlstore.Store
	h      http.Handler
	tokens map[string]string // API tokens by e-mail
}

func newJobsEnv(t *testing.T) *jobsEnv {
	t.Helper()
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	clock := followup.FixedClock(time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC))
	store := storetest.Open(t, sqlstore.Options{Clock: clock, PasswordCost: bcrypt.MinCost})
	srv := newServer(t, server.Options{Services: testServices(t, store, clock), Clock: clock,
		Web: server.WebOptions{BaseURL: "https://tracker.example.org"}})
	e := &jobsEnv{t: t, store: store, h: srv.Handler(), tokens: map[string]string{}}
	for _, p := range []followup.Party{{Code: "FR", NameEN: "France", NameFR: "France"}, {Code: "DE", NameEN: "Germany", NameFR: "Allemagne"}} {
		if _, err := store.CreateParty(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.CreateReport(ctx, followup.ReportInput{Slug: "rep-2025", Title: "Report", Kind: followup.ImplementationReport,
		AdoptedOn: followup.MustDate("2025-01-15"), FollowupDueOn: followup.MustDate("2025-06-30"), Parties: []string{"FR", "DE"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.PublishReport(ctx, "rep-2025"); err != nil {
		t.Fatal(err)
	}
	for _, in := range []followup.RecommendationInput{
		{Label: "R1", Category: followup.Urge, Text: "One."},
		{Label: "R2; part, two", Category: followup.Consider, Text: "Two.", DueOn: followup.MustDate("2025-09-30")},
	} {
		if _, err := store.CreateRecommendation(ctx, "rep-2025", in); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []followup.UserInput{
		{Email: "admin@x.org", Name: "Admin", Role: followup.RoleAdmin},
		{Email: "sec@x.org", Name: "Secretariat", Role: followup.RoleSecretariat},
		{Email: "fr@x.org", Name: "France desk", Role: followup.RoleParty, Party: "FR"},
		{Email: "de@x.org", Name: "Germany desk", Role: followup.RoleParty, Party: "DE"},
	} {
		u.Password = "a long test password"
		if _, err := store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		tok, err := store.CreateToken(ctx, u.Email, "test", "")
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[u.Email] = tok
	}
	return e
}

func (e *jobsEnv) get(path, bearer string) (int, http.Header, string) {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, rec.Header(), string(b)
}

type stubRenderer struct{}

func (stubRenderer) Render(m *followup.Message) error {
	m.Subject, m.BodyText = "Reminder", "Text"
	return nil
}

func TestAdminOutbox(t *testing.T) {
	e := newJobsEnv(t)
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	if _, err := e.store.EnqueueReminders(ctx, followup.MustDate("2025-07-01"), followup.DefaultReminderRules(), stubRenderer{}); err != nil {
		t.Fatal(err)
	}
	code, _, body := e.get("/api/v1/admin/outbox?recipient=FR@x.org&status=pending&kind=reminder", e.tokens["admin@x.org"])
	if code != http.StatusOK {
		t.Fatalf("admin: %d %s", code, body)
	}
	var got struct {
		Items []struct {
			ID        int64  `json:"id"`
			Kind      string `json:"kind"`
			Recipient string `json:"recipient"`
			Subject   string `json:"subject"`
			Status    string `json:"status"`
			Items     []struct{ Report, Label, Party, Point string }
		}
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 1 || got.Items[0].Recipient != "fr@x.org" || got.Items[0].Kind != "reminder" ||
		len(got.Items[0].Items) != 1 || got.Items[0].Items[0].Point != "due-0" || got.Items[0].Items[0].Label != "R1" {
		t.Errorf("outbox %s", body)
	}
	for who, want := range map[string]int{"": 401, "sec@x.org": 403, "fr@x.org": 403} {
		if code, _, _ := e.get("/api/v1/admin/outbox", e.tokens[who]); code != want {
			t.Errorf("%q: %d, want %d", who, code, want)
		}
	}
	if code, _, _ := e.get("/api/v1/admin/outbox?status=lost", e.tokens["admin@x.org"]); code != 422 {
		t.Errorf("bad status: %d, want 422", code)
	}
}

func TestDeadlinesICS(t *testing.T) {
	e := newJobsEnv(t)
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	frToken, err := e.store.CreateCalendarToken(ctx, "fr@x.org")
	if err != nil {
		t.Fatal(err)
	}
	secToken, err := e.store.CreateCalendarToken(ctx, "sec@x.org")
	if err != nil {
		t.Fatal(err)
	}
	code, h, body := e.get("/api/v1/parties/fr/deadlines.ics?token="+frToken, "")
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s\n%s", code, h.Get("Content-Type"), body)
	}
	if !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") || !strings.HasSuffix(body, "END:VCALENDAR\r\n") {
		t.Errorf("not a calendar:\n%s", body)
	}
	if strings.Count(body, "BEGIN:VEVENT") != 2 || !strings.Contains(body, "DTSTART;VALUE=DATE:20250630\r\n") ||
		!strings.Contains(body, "DTEND;VALUE=DATE:20250701\r\n") || !strings.Contains(body, "DTSTART;VALUE=DATE:20250930\r\n") {
		t.Errorf("events:\n%s", body)
	}
	if !strings.Contains(body, `recommendation R2\; part\, two (FR)`) {
		t.Errorf("text values are not escaped:\n%s", body)
	}
	for _, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(line) > 75 || strings.Contains(line, "\n") {
			t.Errorf("line of %d octets or with a bare LF: %q", len(line), line)
		}
	}
	if !strings.Contains(body, "\r\n ") {
		t.Errorf("no folded line:\n%s", body)
	}
	unfolded := strings.ReplaceAll(body, "\r\n ", "")
	if !strings.Contains(unfolded, "\r\nURL:https://tracker.example.org/followups/rep-2025/R2%3B%20part%2C%20two/FR\r\n") {
		t.Errorf("no link to the follow-up page:\n%s", unfolded)
	}
	// Committee members read any Party's feed; a Party's user only its own.
	if code, _, _ := e.get("/api/v1/parties/DE/deadlines.ics?token="+secToken, ""); code != http.StatusOK {
		t.Errorf("secretariat on DE: %d", code)
	}
	if code, _, _ := e.get("/api/v1/parties/DE/deadlines.ics?token="+frToken, ""); code != http.StatusForbidden {
		t.Errorf("France's token on DE: %d, want 403", code)
	}
	for name, tok := range map[string]string{"none": "", "unknown": "fuc_nope", "API token": e.tokens["fr@x.org"]} {
		if code, _, _ := e.get("/api/v1/parties/FR/deadlines.ics?token="+tok, ""); code != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, code)
		}
	}
	if n, err := e.store.RevokeCalendarTokens(ctx, "fr@x.org"); err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	if code, _, _ := e.get("/api/v1/parties/FR/deadlines.ics?token="+frToken, ""); code != http.StatusUnauthorized {
		t.Errorf("revoked token: %d, want 401", code)
	}
	if code, _, _ := e.get("/api/v1/parties/ZZ/deadlines.ics?token="+secToken, ""); code != http.StatusNotFound {
		t.Errorf("unknown Party: %d, want 404", code)
	}
}
