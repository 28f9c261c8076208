package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// What depends on who asks is never kept by a cache: every page, and every API answer to a
// request with a bearer token or a session; static files keep their caching.
func TestCacheControl(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	login := e.page(t, "POST", "/login", url.Values{"email": {"party-fr@example.org"}, "password": {testPassword}}, nil)
	if login.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", login.status)
	}
	session := login.cookies()
	const noStore = "no-store"
	cases := []struct {
		name, method, path, as string
		body                   any
		session                bool
		status                 int
		want                   string // "" when the answer may be cached
	}{
		{"me with a token", "GET", "/api/v1/me", "admin", nil, false, 200, noStore},
		{"reports with a token", "GET", "/api/v1/reports", "secretariat", nil, false, 200, noStore},
		{"follow-up with a token", "GET", "/api/v1/followups/rep/R1/FR", "party-fr", nil, false, 200, noStore},
		{"compliance with a token", "GET", "/api/v1/reports/rep/compliance?basis=draft", "rapporteur", nil, false, 200, noStore},
		{"error with a token", "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": " "}, false, 422, noStore},
		{"forbidden with a token", "GET", "/api/v1/followups/rep/R1/DE", "party-fr", nil, false, 403, noStore},
		{"write with a token", "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Draft.", "draft": true}, false, 201, noStore},
		{"export with a token", "GET", "/api/v1/parties/FR/dossier.csv", "party-fr", nil, false, 200, "private, no-store"},
		{"me with a session", "GET", "/api/v1/me", "", nil, true, 200, noStore},
		{"follow-up with a session", "GET", "/api/v1/followups/rep/R1/FR", "", nil, true, 200, noStore},
		{"anonymous API", "GET", "/api/v1/reports", "", nil, false, 200, ""},
		{"home page", "GET", "/", "", nil, false, 200, noStore},
		{"desk page", "GET", "/desk", "", nil, true, 200, noStore},
		{"redirect to sign in", "GET", "/desk", "", nil, false, 303, noStore},
		{"language switch", "GET", "/lang?l=fr&next=/", "", nil, true, 303, noStore},
		{"missing page", "GET", "/no/such/page", "", nil, true, 404, noStore},
		{"static file", "GET", "/static/app.css", "", nil, false, 200, "public, max-age=3600"},
		{"static file with a token", "GET", "/static/favicon.svg", "admin", nil, false, 200, "public, max-age=3600"},
	}
	for _, c := range cases {
		var r response
		if c.session {
			r = e.page(t, c.method, c.path, nil, session)
		} else {
			r = e.do(c.method, c.path, c.as, c.body)
		}
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d: %.300s", c.name, r.status, c.status, r.body)
			continue
		}
		// A session cookie written with the answer adds its own no-cache="Set-Cookie".
		got := strings.Join(r.header.Values("Cache-Control"), ", ")
		switch {
		case c.want == "" && strings.Contains(got, "no-store"):
			t.Errorf("%s: Cache-Control %q on an answer that is the same for everyone", c.name, got)
		case c.want == noStore && !hasDirective(got, noStore):
			t.Errorf("%s: Cache-Control %q, want no-store", c.name, got)
		case c.want != "" && c.want != noStore && got != c.want:
			t.Errorf("%s: Cache-Control %q, want %q", c.name, got, c.want)
		}
		if vary := strings.Join(r.header.Values("Vary"), ", "); strings.HasPrefix(c.path, "/api/") &&
			(!hasDirective(vary, "Authorization") || !hasDirective(vary, "Cookie")) {
			t.Errorf("%s: Vary %q, want Authorization and Cookie", c.name, vary)
		}
	}
}

// hasDirective reports whether a comma-separated header value has the item.
func hasDirective(value, item string) bool {
	for _, v := range strings.Split(value, ",") {
		if strings.EqualFold(strings.TrimSpace(v), item) {
			return true
		}
	}
	return false
}
