package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The "next" of the language switch and of the sign-in may only name a path of this site:
// anything a browser could read as another host (after dropping tabs and newlines, turning
// backslashes into slashes or decoding percent escapes) sends the user home instead.
func TestNextStaysOnSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name, next string
		kept       bool // the redirect goes to next; otherwise to the fallback
	}{
		{"tab after the slash", "/\t/evil.example/x", false},
		{"tab before the slashes", "\t//evil.example/x", false},
		{"CR LF after the slash", "/\r\n/evil.example/x", false},
		{"LF after the slash", "/\n/evil.example/x", false},
		{"NUL", "/\x00/evil.example", false},
		{"two slashes", "//evil.example/x", false},
		{"slash backslash", "/\\evil.example/x", false},
		{"backslash slash", "\\/evil.example/x", false},
		{"two backslashes", "\\\\evil.example/x", false},
		{"encoded slash after the slash", "/%2F/evil.example/x", false},
		{"encoded slash, lower case", "/%2f/evil.example/x", false},
		{"two encoded slashes", "%2F%2Fevil.example/x", false},
		{"encoded backslash after the slash", "/%5Cevil.example/x", false},
		{"encoded tab after the slash", "/%09/evil.example/x", false},
		{"doubly encoded slash", "/%252F/evil.example/x", false},
		{"scheme", "https://evil.example/x", false},
		{"scheme without slashes", "https:evil.example", false},
		{"javascript", "javascript:alert(1)", false},
		{"relative path", "evil.example/x", false},
		{"space inside", "/reports/ rep", false},
		{"leading space", " /reports/rep", false},
		{"encoded space", "/reports/%20rep", false},
		{"non-breaking space", "/reports/\u00a0rep", false},
		{"bad percent escape", "/reports/%zz", false},
		{"good path", "/reports/rep", true},
		{"good path with a query", "/reports/rep?as_of=2020-01-01&party=FR", true},
		{"encoded slash later in the path", "/reports/rep/recommendations/R%2F1", true},
		{"root", "/", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := e.page(t, "GET", "/lang?"+url.Values{"l": {"en"}, "next": {c.next}}.Encode(), nil, nil)
			want := "/"
			if c.kept {
				want = c.next
			}
			if r.status != http.StatusSeeOther || r.header.Get("Location") != want {
				t.Errorf("/lang with next %q: %d Location %q, want 303 %q", c.next, r.status, r.header.Get("Location"), want)
			}
			r = e.page(t, "POST", "/login", url.Values{"email": {"party-fr@example.org"}, "password": {testPassword}, "next": {c.next}}, nil)
			if !c.kept {
				want = "/desk"
			}
			if r.status != http.StatusSeeOther || r.header.Get("Location") != want {
				t.Errorf("sign-in with next %q: %d Location %q, want 303 %q", c.next, r.status, r.header.Get("Location"), want)
			}
			// Signed in, the sign-in page sends the user on at once, by the same rule.
			r = e.page(t, "GET", "/login?"+url.Values{"next": {c.next}}.Encode(), nil, r.cookies())
			if r.status != http.StatusSeeOther || r.header.Get("Location") != want {
				t.Errorf("sign-in page with next %q: %d Location %q, want 303 %q", c.next, r.status, r.header.Get("Location"), want)
			}
		})
	}
}

// page sends a request to the real handler in process, as a browser would (a form when form is
// not nil, the given cookies), and returns the answer as is: no client parses its Location.
func (e *testEnv) page(t *testing.T, method, target string, form url.Values, cookies []*http.Cookie) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// cookies returns the cookies an answer sets.
func (r response) cookies() []*http.Cookie {
	return (&http.Response{Header: r.header}).Cookies()
}
