package server_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// browser is a cookie-keeping client of the real handler over HTTP; it does not follow
// redirects, so that tests see the 303s.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (e *testEnv) browser() *browser {
	e.t.Helper()
	ts := httptest.NewServer(e.srv.Handler())
	e.t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, base: ts.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status int
	body   string
	header http.Header
}

func (b *browser) do(method, path string, form url.Values, header map[string]string) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: string(data), header: resp.Header}
}

func (b *browser) get(path string) page { b.t.Helper(); return b.do("GET", path, nil, nil) }

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	return b.do("POST", path, form, nil)
}

// expect fails unless the status is want.
func (p page) expect(t *testing.T, want int, what string) page {
	t.Helper()
	if p.status != want {
		t.Fatalf("%s: status %d, want %d\n%.2000s", what, p.status, want, p.body)
	}
	return p
}

const testPassword = "a long test password"

// login signs in as who (admin, secretariat, rapporteur, party-fr, party-de).
func (b *browser) login(who string) {
	b.t.Helper()
	p := b.post("/login", url.Values{"email": {who + "@example.org"}, "password": {testPassword}})
	p.expect(b.t, http.StatusSeeOther, "login as "+who)
}

func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// Every page, for every role: the status code.
func TestPagesPerRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	roles := []string{"", "party-fr", "party-de", "rapporteur", "secretariat", "admin"}
	browsers := map[string]*browser{}
	for _, r := range roles {
		b := e.browser()
		if r != "" {
			b.login(r)
		}
		browsers[r] = b
	}
	const ok, see, forbidden, missing = 200, 303, 403, 404
	cases := []struct {
		path string
		want []int // in the order of roles
	}{
		{"/", []int{ok, ok, ok, ok, ok, ok}},
		{"/reports/rep", []int{ok, ok, ok, ok, ok, ok}},
		{"/reports/rep?category=urge&party=FR&as_of=2020-01-01", []int{ok, ok, ok, ok, ok, ok}},
		{"/reports/rep/recommendations/R1", []int{ok, ok, ok, ok, ok, ok}},
		{"/parties/FR", []int{ok, ok, ok, ok, ok, ok}},
		{"/login", []int{ok, see, see, see, see, see}},
		{"/account/password", []int{see, ok, ok, ok, ok, ok}},
		{"/desk", []int{see, ok, ok, see, see, see}},
		{"/queue", []int{see, forbidden, forbidden, ok, ok, ok}},
		{"/followups/rep/R1/FR", []int{ok, ok, forbidden, ok, ok, ok}},
		{"/followups/rep/R1/DE", []int{ok, forbidden, ok, ok, ok, ok}},
		{"/manage", []int{see, forbidden, forbidden, forbidden, ok, ok}},
		{"/manage/reports/new", []int{see, forbidden, forbidden, forbidden, ok, ok}},
		{"/manage/reports/rep/edit", []int{see, forbidden, forbidden, forbidden, ok, ok}},
		{"/manage/reports/rep/recommendations/new", []int{see, forbidden, forbidden, forbidden, ok, ok}},
		{"/manage/reports/rep/recommendations/R1/edit", []int{see, forbidden, forbidden, forbidden, ok, ok}},
		{"/manage/reports/rep/adopt", []int{see, forbidden, forbidden, forbidden, ok, ok}},
		{"/manage/users", []int{see, forbidden, forbidden, forbidden, forbidden, ok}},
		{"/manage/audit", []int{see, forbidden, forbidden, ok, ok, ok}},
		{"/no/such/page", []int{missing, missing, missing, missing, missing, missing}},
		{"/reports/nope", []int{missing, missing, missing, missing, missing, missing}},
		{"/followups/rep/R9/FR", []int{missing, missing, forbidden, missing, missing, missing}},
		{"/static/app.css", []int{ok, ok, ok, ok, ok, ok}},
	}
	for _, c := range cases {
		for i, r := range roles {
			p := browsers[r].get(c.path)
			if p.status != c.want[i] {
				t.Errorf("GET %s as %q: status %d, want %d", c.path, r, p.status, c.want[i])
				continue
			}
			if p.status == see && c.want[0] == see && r == "" && !strings.HasPrefix(p.header.Get("Location"), "/login?next=") {
				t.Errorf("GET %s anonymous: redirected to %q, not to the sign-in page", c.path, p.header.Get("Location"))
			}
			if strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
				if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
					t.Errorf("GET %s: CSP %q", c.path, csp)
				}
				if strings.Contains(p.body, "<script") || strings.Contains(p.body, " style=") {
					t.Errorf("GET %s: inline script or style in the page", c.path)
				}
				if p.status >= 400 && !strings.Contains(p.body, "<h1>") {
					t.Errorf("GET %s: error page without a heading", c.path)
				}
			}
		}
	}
}

// Draft assessments and a Party's drafts never reach the public or the Parties on any page.
func TestPagesHideDrafts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Draft words of France", "draft": true})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Submitted words of France"})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "not_implemented", "comment": "Secret draft comment"})
	pages := []string{"/", "/reports/rep", "/reports/rep/recommendations/R1", "/parties/FR", "/followups/rep/R1/FR"}
	for _, who := range []string{"", "party-fr", "party-de"} {
		b := e.browser()
		if who != "" {
			b.login(who)
		}
		for _, path := range pages {
			p := b.get(path)
			if p.status != 200 {
				if who == "party-de" && strings.HasPrefix(path, "/followups/") && p.status == 403 {
					continue
				}
				t.Fatalf("GET %s as %q: %d", path, who, p.status)
			}
			for _, secret := range []string{"Secret draft comment", "Not implemented</span> <em", "st-not_implemented draft"} {
				if strings.Contains(p.body, secret) {
					t.Errorf("GET %s as %q shows %q", path, who, secret)
				}
			}
			if who != "party-fr" && strings.Contains(p.body, "words of France") {
				t.Errorf("GET %s as %q shows France's submission", path, who)
			}
		}
	}
	// The rapporteur sees the draft on the matrix, marked as a draft, and the submitted text,
	// never the Party's unsubmitted draft.
	b := e.browser()
	b.login("rapporteur")
	if p := b.get("/reports/rep"); !strings.Contains(p.body, "st-not_implemented draft") {
		t.Error("the rapporteur's matrix does not show the draft assessment as a draft")
	}
	p := b.get("/followups/rep/R1/FR")
	if !strings.Contains(p.body, "Secret draft comment") || !strings.Contains(p.body, "Submitted words of France") {
		t.Error("the rapporteur's follow-up page misses the draft assessment or the submission")
	}
	if strings.Contains(p.body, "Draft words of France") {
		t.Error("the rapporteur sees the Party's unsubmitted draft")
	}
}

// A Party's user can neither open nor post to another Party's follow-up, and nothing is written.
func TestPartyRefusedOtherPartyFollowUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("party-de")
	b.get("/followups/rep/R1/FR").expect(t, 403, "open France's follow-up as Germany")
	before := e.auditCount()
	b.post("/followups/rep/R1/FR/submissions", url.Values{"text": {"Not ours"}, "action": {"submit"}}).expect(t, 403, "post to France's follow-up as Germany")
	b.post("/followups/rep/R1/FR/assessments", url.Values{"status": {"implemented"}}).expect(t, 403, "assess as a Party")
	b.post("/manage/reports/rep/adopt", url.Values{"adopted_on": {"2026-11-01"}, "action": {"confirm"}}).expect(t, 403, "adopt as a Party")
	if n := e.auditCount() - before; n != 0 {
		t.Errorf("refused posts wrote %d audit entries", n)
	}
	// Its own follow-up works.
	b.post("/followups/rep/R1/DE/submissions", url.Values{"text": {"Ours"}, "action": {"submit"}}).expect(t, 303, "post to its own follow-up")
}

// Cross-origin state-changing requests are refused, forms and API alike; same-origin ones and
// API clients that are not browsers pass.
func TestCrossOriginRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("party-fr")
	form := url.Values{"text": {"Measures"}, "action": {"submit"}}
	before := e.auditCount()
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
		{"Sec-Fetch-Site": "same-site", "Origin": "https://sub.example.org"},
	} {
		p := b.do("POST", "/followups/rep/R1/FR/submissions", form, h)
		if p.status != 403 {
			t.Errorf("cross-origin form post with %v: status %d", h, p.status)
		}
		p = b.do("POST", "/logout", url.Values{}, h)
		if p.status != 403 {
			t.Errorf("cross-origin logout with %v: status %d", h, p.status)
		}
	}
	if n := e.auditCount() - before; n != 0 {
		t.Errorf("refused cross-origin posts wrote %d entries", n)
	}
	b.do("POST", "/followups/rep/R1/FR/submissions", form, map[string]string{"Sec-Fetch-Site": "same-origin"}).expect(t, 303, "same-origin post")
	b.do("POST", "/followups/rep/R1/FR/submissions", form, map[string]string{"Origin": b.base}).expect(t, 303, "post with our own Origin")
	// The JSON API: a session cookie from another site is refused; a bearer client passes.
	b.do("POST", "/api/v1/followups/rep/R1/FR/submissions", nil, map[string]string{"Sec-Fetch-Site": "cross-site"}).expect(t, 403, "cross-site API post")
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "By token"})
	// Safe methods are never refused.
	b.do("GET", "/reports/rep", nil, map[string]string{"Sec-Fetch-Site": "cross-site"}).expect(t, 200, "cross-site GET")
}

// Sign-in throttling: per account after 5 failures, per client address after 20.
func TestLoginThrottled(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	bad := url.Values{"email": {"party-fr@example.org"}, "password": {"wrong password!"}}
	for i := 0; i < 5; i++ {
		p := b.post("/login", bad).expect(t, 401, "wrong password")
		if !strings.Contains(p.body, "party-fr@example.org") {
			t.Fatal("the refused sign-in form lost the e-mail address")
		}
	}
	p := b.post("/login", url.Values{"email": {"party-fr@example.org"}, "password": {testPassword}}).expect(t, 429, "sixth attempt")
	if !strings.Contains(p.body, "Too many sign-in attempts; try again in 15 minutes") || p.header.Get("Retry-After") == "" {
		t.Errorf("throttled answer without its message or Retry-After: %.500s", p.body)
	}
	// Another account from the same address still may, until the address itself is throttled.
	b.login("party-de")
	for i := 0; i < 20; i++ {
		b.post("/login", url.Values{"email": {"nobody" + string(rune('a'+i)) + "@example.org"}, "password": {"x"}})
	}
	b.post("/login", url.Values{"email": {"rapporteur@example.org"}, "password": {testPassword}}).expect(t, 429, "address throttled")
	// French message.
	p = b.do("POST", "/login", url.Values{"email": {"rapporteur@example.org"}, "password": {testPassword}}, map[string]string{"Accept-Language": "fr-FR,fr;q=0.9"})
	if p.status != 429 || !strings.Contains(p.body, "Trop de tentatives de connexion") {
		t.Errorf("French throttled answer: %d", p.status)
	}
}

// The session id changes at sign-in and at sign-out, and a signed-out session is dead
// server-side even if its cookie is replayed.
func TestSessionRotationAndLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.post("/logout", url.Values{}).expect(t, 303, "anonymous sign-out")
	before := b.cookie("followup_session")
	if before == "" {
		t.Fatal("no session cookie after a flash message")
	}
	b.login("party-fr")
	during := b.cookie("followup_session")
	if during == "" || during == before {
		t.Fatalf("the session id was not renewed at sign-in: %q → %q", before, during)
	}
	b.get("/desk").expect(t, 200, "desk while signed in")
	// The session cookie authenticates the API too.
	if p := b.get("/api/v1/me"); p.status != 200 || !strings.Contains(p.body, "party-fr@example.org") {
		t.Errorf("/api/v1/me with the session cookie: %d %s", p.status, p.body)
	}
	b.post("/logout", url.Values{}).expect(t, 303, "sign-out")
	after := b.cookie("followup_session")
	if after == during {
		t.Error("the session id was not renewed at sign-out")
	}
	replay := e.browser()
	u, _ := url.Parse(replay.base)
	replay.c.Jar.SetCookies(u, []*http.Cookie{{Name: "followup_session", Value: during, Path: "/"}})
	replay.get("/desk").expect(t, 303, "replayed cookie of a signed-out session")
	// Deactivating a user ends their sessions at once.
	b.login("party-fr")
	b.get("/desk").expect(t, 200, "desk after signing in again")
	admin := e.browser()
	admin.login("admin")
	admin.post("/manage/users/party-fr@example.org/deactivate", url.Values{}).expect(t, 303, "deactivate")
	b.get("/desk").expect(t, 303, "desk of a deactivated user")
	b.post("/login", url.Values{"email": {"party-fr@example.org"}, "password": {testPassword}}).expect(t, 401, "sign-in of a deactivated user")
}

// A form with a wrong value comes back with 422, the message next to the field and the input kept.
func TestFormErrorsKeepInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("party-fr")
	before := e.auditCount()
	p := b.post("/followups/rep/R1/FR/submissions", url.Values{"text": {"My kept words"}, "submitted_on": {"2099-01-01"}, "action": {"submit"}})
	p.expect(t, 422, "submission dated in the future")
	if !strings.Contains(p.body, "My kept words") || !strings.Contains(p.body, `id="editor-on-err"`) || !strings.Contains(p.body, `aria-invalid="true"`) {
		t.Errorf("the 422 page lost the input or the field message: %.3000s", p.body)
	}
	sec := e.browser()
	sec.login("secretariat")
	p = sec.post("/manage/reports", url.Values{"slug": {"Bad Slug"}, "title": {"Kept title"}, "kind": {"other"}, "adopted_on": {"2020-01-01"}, "parties_mode": {"all"}})
	p.expect(t, 422, "report with a bad slug")
	if !strings.Contains(p.body, "Kept title") || !strings.Contains(p.body, `id="slug-err"`) {
		t.Error("the report form lost its input or its message")
	}
	rap := e.browser()
	rap.login("rapporteur")
	p = rap.do("POST", "/followups/rep/R1/FR/assessments", url.Values{"comment": {"Kept comment"}}, map[string]string{"Accept-Language": "fr"})
	p.expect(t, 422, "assessment without a status")
	if !strings.Contains(p.body, "Kept comment") || !strings.Contains(p.body, "Choisissez un statut") {
		t.Error("the French assessment form lost its input or its translated message")
	}
	if n := e.auditCount() - before; n != 0 {
		t.Errorf("refused forms wrote %d audit entries", n)
	}
}

// The whole cycle through the pages: a Party drafts and submits, a rapporteur assesses from the
// queue, the Secretariat previews and adopts, and the public sees the outcome, in French too.
func TestPageCycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fr := e.browser()
	fr.login("party-fr")
	desk := fr.get("/desk").expect(t, 200, "desk")
	if !strings.Contains(desk.body, "/followups/rep/R1/FR") || !strings.Contains(desk.body, "Overdue") {
		t.Errorf("the desk does not list R1 as overdue: %.2000s", desk.body)
	}
	fr.post("/followups/rep/R1/FR/submissions", url.Values{"text": {"First draft"}, "action": {"draft"}}).expect(t, 303, "save a draft")
	p := fr.get("/followups/rep/R1/FR")
	if !strings.Contains(p.body, "The draft was saved") || !strings.Contains(p.body, "First draft") {
		t.Fatalf("no flash or draft after saving: %.2000s", p.body)
	}
	id := between(p.body, `name="draft_id" value="`, `"`)
	confirm := fr.post("/followups/rep/R1/FR/submissions", url.Values{"text": {"Final words"}, "action": {"review"}, "draft_id": {id},
		"submitted_on": {"2026-11-20"}}).expect(t, 303, "review the draft")
	if c := fr.follow(confirm); !strings.Contains(c.body, "Final words") {
		t.Fatalf("the confirmation does not show the text: %.2000s", c.body)
	}
	fr.post("/followups/rep/R1/FR/submissions/"+id, url.Values{"action": {"submit"}, "submitted_on": {"2026-11-20"}}).expect(t, 303, "submit the draft")

	rap := e.browser()
	rap.login("rapporteur")
	q := rap.get("/queue").expect(t, 200, "queue")
	if !strings.Contains(q.body, "/followups/rep/R1/FR") {
		t.Fatal("the submission is not in the queue")
	}
	rap.post("/followups/rep/R1/FR/assessments", url.Values{"status": {"implemented"}, "comment": {"Done."}, "assessed_on": {"2026-11-21"}, "then": {"queue"}}).expect(t, 303, "assess")
	if q := rap.get("/queue"); strings.Contains(q.body, "/followups/rep/R1/FR") {
		t.Error("the assessed follow-up is still in the queue")
	}

	sec := e.browser()
	sec.login("secretariat")
	if m := sec.get("/manage"); !strings.Contains(m.body, `<strong class="badge due">1</strong>`) {
		t.Error("the Secretariat desk does not show 1 assessment ready to adopt")
	}
	prev := sec.post("/manage/reports/rep/adopt", url.Values{"labels": {"R1"}, "adopted_on": {"2026-11-25"}, "action": {"preview"}}).expect(t, 200, "preview")
	if !strings.Contains(prev.body, "1 assessment will be adopted on 25 November 2026") {
		t.Errorf("preview: %.3000s", prev.body)
	}
	sec.post("/manage/reports/rep/adopt", url.Values{"labels": {"R1"}, "adopted_on": {"2026-11-25"}, "action": {"confirm"}}).expect(t, 303, "confirm")

	pub := e.browser()
	m := pub.do("GET", "/reports/rep", nil, map[string]string{"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.8"}).expect(t, 200, "public matrix in French")
	if !strings.Contains(m.body, `<td class="cell st-implemented`) {
		t.Error("the public matrix does not show the adopted status")
	}
	for _, want := range []string{"Mise en œuvre", "Matrice de conformité", "3 mars 2017", `lang="fr"`} {
		if !strings.Contains(m.body, want) {
			t.Errorf("the French matrix lacks %q", want)
		}
	}
	before := pub.get("/reports/rep?as_of=2026-11-24&party=FR&category=urge")
	if strings.Contains(before.body, `<td class="cell st-implemented`) {
		t.Error("the matrix as of the day before the adoption shows it")
	}
	// The language switch is remembered in a cookie, over Accept-Language.
	pub.get("/lang?l=en&next=/reports/rep").expect(t, 303, "switch to English")
	if m := pub.do("GET", "/reports/rep", nil, map[string]string{"Accept-Language": "fr"}); !strings.Contains(m.body, "Compliance matrix") {
		t.Error("the language cookie does not beat Accept-Language")
	}
	if p := pub.get("/lang?l=en&next=//evil.example"); p.header.Get("Location") != "/" {
		t.Errorf("the language switch redirects off-site: %q", p.header.Get("Location"))
	}
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	j := strings.Index(s, end)
	if j < 0 {
		return ""
	}
	return s[:j]
}

// Administrators manage users and tokens through the pages.
func TestUserAdminPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.browser()
	admin.login("admin")
	admin.post("/manage/users", url.Values{"email": {"new-it@example.org"}, "name": {"Italy desk"}, "role": {"party"}, "party": {"HU"},
		"password": {"another long password"}}).expect(t, 303, "create a user")
	admin.post("/manage/users/new-it@example.org/party", url.Values{"party": {"DE"}}).expect(t, 303, "bind to a Party")
	admin.post("/manage/users/new-it@example.org/password", url.Values{"password": {"short"}}).expect(t, 422, "too short a password")
	admin.post("/manage/users/new-it@example.org/password", url.Values{"password": {"a third long password"}}).expect(t, 303, "reset the password")
	nb := e.browser()
	p := nb.post("/login", url.Values{"email": {"new-it@example.org"}, "password": {"a third long password"}}).expect(t, 303, "new user signs in")
	if p.header.Get("Location") != "/desk" {
		t.Errorf("a party user lands on %q", p.header.Get("Location"))
	}
	if d := nb.get("/desk"); !strings.Contains(d.body, "Germany") {
		t.Error("the rebound user's desk is not Germany's")
	}
	created := admin.post("/manage/tokens", url.Values{"email": {"new-it@example.org"}, "name": {"script"}}).expect(t, 201, "create a token")
	token := between(created.body, `<code class="secret">`, `</code>`)
	if !strings.HasPrefix(token, "fut_") {
		t.Fatalf("token not shown: %q", token)
	}
	e.tokens["new-it"] = token
	e.expect(200, "GET", "/api/v1/me", "new-it", nil)
	users := admin.get("/manage/users")
	id := between(users.body, `<td>script</td>`, `/revoke`)
	id = id[strings.LastIndex(id, "/")+1:]
	admin.post("/manage/tokens/"+id+"/revoke", url.Values{}).expect(t, 303, "revoke")
	e.expect(401, "GET", "/api/v1/me", "new-it", nil)
	if a := admin.get("/manage/audit?entity=user"); !strings.Contains(a.body, "API token revoked") || !strings.Contains(a.body, "Password reset") {
		t.Error("the audit log viewer misses the user changes")
	}
	// Changing one's own password needs the old one.
	nb.post("/account/password", url.Values{"old_password": {"wrong"}, "new_password": {"a fourth long password"}, "confirm_password": {"a fourth long password"}}).expect(t, 422, "wrong old password")
	nb.post("/account/password", url.Values{"old_password": {"a third long password"}, "new_password": {"a fourth long password"}, "confirm_password": {"a fourth long password"}}).expect(t, 303, "change the password")
}

// The Secretariat creates a report and a recommendation addressed to a subset of Parties.
func TestReportForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sec := e.browser()
	sec.login("secretariat")
	sec.post("/manage/reports", url.Values{"slug": {"visit-2026"}, "title": {"Visit 2026"}, "kind": {"visit_report"}, "adopted_on": {"2026-01-15"},
		"followup_due_on": {"2026-12-31"}, "parties_mode": {"some"}, "parties": {"FR", "DE"}}).expect(t, 303, "create a report")
	sec.post("/manage/reports/visit-2026/publish", url.Values{}).expect(t, 303, "publish the report")
	sec.post("/manage/reports/visit-2026/recommendations", url.Values{"label": {"V1"}, "category": {"urge"}, "text": {"Act."},
		"articles": {"18, 23"}, "addressees_mode": {"some"}, "addressed_to": {"DE"}}).expect(t, 303, "create a recommendation")
	r := e.expect(200, "GET", "/api/v1/reports/visit-2026/recommendations/V1", "", nil).json(t)
	if r["followup_count"] != float64(1) {
		t.Errorf("recommendation %v", r)
	}
	sec.post("/manage/reports/visit-2026/recommendations/V1/edit", url.Values{"category": {"consider"}, "text": {"Act now."},
		"articles": {"18"}, "addressees_mode": {"all"}}).expect(t, 303, "edit the recommendation")
	r = e.expect(200, "GET", "/api/v1/reports/visit-2026/recommendations/V1", "", nil).json(t)
	if r["followup_count"] != float64(2) || r["category"] != "consider" {
		t.Errorf("edited recommendation %v", r)
	}
	sec.post("/manage/reports/visit-2026/edit", url.Values{"title": {"Visit 2026 (renamed)"}, "kind": {"visit_report"}, "adopted_on": {"2026-01-15"},
		"parties": {"FR", "DE", "HU"}}).expect(t, 303, "edit the report")
	if p := sec.get("/reports/visit-2026"); !strings.Contains(p.body, "Visit 2026 (renamed)") || !strings.Contains(p.body, "Hungary") {
		t.Error("the edited report page does not show the new title or Party")
	}
}
