package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"followup/internal/followup"
)

// Every API route answered to a request that carries credentials (a bearer token, a session
// cookie, or a calendar feed's token in the query string) says no-store, whatever its status:
// the JSON, the calendar feed and the downloads all depend on who asks.
func TestCacheControlEveryCredentialedRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	calendar, err := e.store.CreateCalendarToken(ctx, "party-fr@example.org")
	if err != nil {
		t.Fatal(err)
	}
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Draft.", "draft": true})
	login := e.page(t, "POST", "/login", url.Values{"email": {"party-fr@example.org"}, "password": {testPassword}}, nil)
	if login.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", login.status)
	}
	session := login.cookies()
	params := strings.NewReplacer(":slug", "rep", ":label", "R1", ":party", "FR", ":code", "FR", ":id", "1",
		":file", "recommendations.csv")

	type request struct {
		name, path string
		session    bool // a session cookie, else a bearer token
	}
	var cases []request
	for _, r := range e.srv.Routes() {
		if r.Method != http.MethodGet {
			continue
		}
		path := params.Replace(r.Path)
		cases = append(cases, request{"token " + r.Path, path, false}, request{"session " + r.Path, path, true})
	}
	if len(cases) < 40 {
		t.Fatalf("only %d cases: the routes are not listed", len(cases))
	}
	check := func(name string, r response) {
		t.Helper()
		if got := strings.Join(r.header.Values("Cache-Control"), ", "); !hasDirective(got, "no-store") {
			t.Errorf("%s: status %d, Cache-Control %q, want no-store", name, r.status, got)
		}
	}
	for _, c := range cases {
		if c.session {
			check(c.name, e.page(t, "GET", c.path, nil, session))
		} else {
			check(c.name, e.do("GET", c.path, "party-fr", nil))
		}
	}
	// The calendar feed, whose token is in the query string, answered or refused.
	feed := e.do("GET", "/api/v1/parties/FR/deadlines.ics?token="+url.QueryEscape(calendar), "", nil)
	if feed.status != http.StatusOK || !strings.HasPrefix(feed.header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("calendar feed: %d %s", feed.status, feed.body)
	}
	check("calendar feed", feed)
	check("calendar feed of another Party", e.do("GET", "/api/v1/parties/DE/deadlines.ics?token="+url.QueryEscape(calendar), "", nil))
	check("calendar feed with a wrong token", e.do("GET", "/api/v1/parties/FR/deadlines.ics?token=wrong", "", nil))
	// The downloads as well, in each format and for each kind of reader.
	for _, path := range []string{"/api/v1/reports/rep/compliance.csv", "/api/v1/reports/rep/compliance.xlsx",
		"/api/v1/reports/rep/compliance.json", "/api/v1/parties/FR/dossier.csv", "/api/v1/parties/FR/dossier.json",
		"/api/v1/reports/rep/recommendations/R1/compliance.xlsx", "/api/v1/recommendations.csv"} {
		r := e.do("GET", path, "party-fr", nil)
		if r.status != http.StatusOK {
			t.Errorf("%s: status %d", path, r.status)
		}
		check("download "+path, r)
	}
}
