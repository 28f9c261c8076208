package server_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"followup/internal/export"
	"followup/internal/followup"
	"followup/internal/server"
)

// gatedExporter is the real encoder whose next renders, as many as hold asks for, wait for
// release: the test keeps them in flight.
type gatedExporter struct {
	export.Encoder
	mu      sync.Mutex
	held    int           // renders still to hold
	gate    chan struct{} // closed by release
	entered chan struct{} // a value for each render held
}

func newGatedExporter() *gatedExporter {
	return &gatedExporter{entered: make(chan struct{}, 16)}
}

// hold makes the next n renders wait for release.
func (g *gatedExporter) hold(n int) {
	g.mu.Lock()
	g.held, g.gate = n, make(chan struct{})
	g.mu.Unlock()
}

// awaitHeld waits until n renders are waiting.
func (g *gatedExporter) awaitHeld(t *testing.T, n int) {
	t.Helper()
	for range n {
		select {
		case <-g.entered:
		case <-time.After(30 * time.Second):
			t.Fatal("the renders to hold never started")
		}
	}
}

// release lets the held renders go on; it may be called again.
func (g *gatedExporter) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.gate == nil {
		return
	}
	select {
	case <-g.gate:
	default:
		close(g.gate)
	}
}

func (g *gatedExporter) wait() {
	g.mu.Lock()
	gate := g.gate
	hold := g.held > 0
	if hold {
		g.held--
	}
	g.mu.Unlock()
	if hold {
		g.entered <- struct{}{}
		<-gate
	}
}

func (g *gatedExporter) EncodeReport(w io.Writer, format string, d followup.ReportExport) error {
	g.wait()
	return g.Encoder.EncodeReport(w, format, d)
}

func (g *gatedExporter) EncodeDossier(w io.Writer, format string, d followup.DossierExport) error {
	g.wait()
	return g.Encoder.EncodeDossier(w, format, d)
}

func (g *gatedExporter) EncodeSearch(w io.Writer, format string, d followup.SearchExport) error {
	g.wait()
	return g.Encoder.EncodeSearch(w, format, d)
}

func (g *gatedExporter) EncodeRecommendation(w io.Writer, format string, d followup.RecommendationExport) error {
	g.wait()
	return g.Encoder.EncodeRecommendation(w, format, d)
}

// downloader is a client of the server behind the trusted proxy on the loopback, at a client
// address, anonymous, with a bearer token or with a session. Its requests may run in any
// goroutine: they report failures in the answer, not to the test.
type downloader struct {
	base  string
	addr  string
	token string
	c     *http.Client
}

type download struct {
	status int
	header http.Header
	body   string
	err    error
}

func (d downloader) get(path string) download {
	req, err := http.NewRequest("GET", d.base+path, nil)
	if err != nil {
		return download{err: err}
	}
	req.Header.Set("X-Forwarded-For", d.addr)
	if d.token != "" {
		req.Header.Set("Authorization", "Bearer "+d.token)
	}
	c := d.c
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return download{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return download{status: resp.StatusCode, header: resp.Header, body: string(body), err: err}
}

// start sends the request in the background; the channel gives its answer.
func (d downloader) start(path string) <-chan download {
	out := make(chan download, 1)
	go func() { out <- d.get(path) }()
	return out
}

// withSession signs who in from the downloader's address and returns it with the session.
func (d downloader) withSession(t *testing.T, who string) downloader {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	d.c = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("POST", d.base+"/login", strings.NewReader(url.Values{"email": {who + "@example.org"}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", d.addr)
	resp, err := d.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", who, resp.StatusCode)
	}
	return d
}

func (a download) expect(t *testing.T, want int, what string) download {
	t.Helper()
	if a.err != nil {
		t.Fatalf("%s: %v", what, a.err)
	}
	if a.status != want {
		body := a.body
		if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "text/") {
			body = "(a " + ct + " body)"
		}
		t.Fatalf("%s: status %d, want %d\n%.1000s", what, a.status, want, body)
	}
	return a
}

// expectBusy checks a refusal: 429 with Retry-After and the error object of code "busy".
func (a download) expectBusy(t *testing.T, what string) {
	t.Helper()
	a.expect(t, http.StatusTooManyRequests, what)
	if s, err := strconv.Atoi(a.header.Get("Retry-After")); err != nil || s <= 0 {
		t.Errorf("%s: Retry-After %q, want a number of seconds", what, a.header.Get("Retry-After"))
	}
	code, _ := response{status: a.status, body: []byte(a.body)}.errorOf(t)
	if code != "busy" {
		t.Errorf("%s: error code %q, want busy", what, code)
	}
}

func expectAll(t *testing.T, inFlight []<-chan download, want int, what string) {
	t.Helper()
	for _, ch := range inFlight {
		(<-ch).expect(t, want, what)
	}
}

// limitedServer serves the test env's store with the gated exporter, behind a trusted proxy
// on the loopback, with the given limits.
func limitedServer(t *testing.T, e *testEnv, gx *gatedExporter, limits server.ExportLimits) string {
	t.Helper()
	svc := testServices(t, e.store, followup.FixedClock(today))
	svc.Exporter = gx
	srv := newServer(t, server.Options{Services: svc, Clock: followup.FixedClock(today), Location: time.UTC,
		Web: server.WebOptions{TrustedProxies: []string{"127.0.0.1"}}, Exports: limits})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	t.Cleanup(gx.release) // a failed test must not leave renders waiting: Close waits for them
	return ts.URL
}

// Every download rendered as PDF or XLSX is bounded per client: with two in flight for one
// anonymous address the third is refused while another address is served, and once they are
// done the address is served again; a signed-in user counts as one client across addresses,
// by token or session alike, apart from the anonymous of the same address.
func TestExpensiveExportsAreBoundedPerClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, path := range []string{
		"/api/v1/reports/rep/compliance.xlsx",
		"/api/v1/reports/rep/compliance.pdf?lang=fr",
		"/api/v1/parties/FR/dossier.xlsx",
		"/api/v1/parties/FR/dossier.pdf",
		"/api/v1/recommendations.xlsx?q=thing",
		"/api/v1/reports/rep/recommendations/R1/compliance.pdf",
		"/api/v1/reports/rep/recommendations/R1/compliance.xlsx",
	} {
		t.Run(path, func(t *testing.T) {
			gx := newGatedExporter()
			base := limitedServer(t, e, gx, server.ExportLimits{PerClient: 2, Total: 10})
			anon := downloader{base: base, addr: "203.0.113.7"}
			other := downloader{base: base, addr: "198.51.100.20"}

			gx.hold(2)
			inFlight := []<-chan download{anon.start(path), anon.start(path)}
			gx.awaitHeld(t, 2)
			anon.get(path).expectBusy(t, "a third download from the address")
			other.get(path).expect(t, 200, "another address")
			gx.release()
			expectAll(t, inFlight, 200, "the held downloads")
			anon.get(path).expect(t, 200, "the address once its downloads are done")

			byToken := downloader{base: base, addr: "203.0.113.7", token: e.tokens["party-fr"]}
			bySession := downloader{base: base, addr: "198.51.100.20"}.withSession(t, "party-fr")
			elsewhere := downloader{base: base, addr: "192.0.2.33", token: e.tokens["party-fr"]}
			gx.hold(2)
			inFlight = []<-chan download{byToken.start(path), bySession.start(path)}
			gx.awaitHeld(t, 2)
			elsewhere.get(path).expectBusy(t, "the user's third download, from a third address")
			anon.get(path).expect(t, 200, "the anonymous of the user's address")
			downloader{base: base, addr: "192.0.2.33", token: e.tokens["rapporteur"]}.get(path).expect(t, 200, "another user at the same address")
			gx.release()
			expectAll(t, inFlight, 200, "the user's held downloads")
			elsewhere.get(path).expect(t, 200, "the user once their downloads are done")
		})
	}
}

// The cheap formats are not counted: at its limit, a client still gets CSV and JSON.
func TestCheapExportsAreNotBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	gx := newGatedExporter()
	base := limitedServer(t, e, gx, server.ExportLimits{PerClient: 1, Total: 10})
	anon := downloader{base: base, addr: "203.0.113.7"}
	gx.hold(1)
	inFlight := []<-chan download{anon.start("/api/v1/reports/rep/compliance.pdf")}
	gx.awaitHeld(t, 1)
	anon.get("/api/v1/reports/rep/compliance.xlsx").expectBusy(t, "a second expensive download")
	for _, path := range []string{"/api/v1/reports/rep/compliance.csv", "/api/v1/reports/rep/compliance.json",
		"/api/v1/parties/FR/dossier.csv", "/api/v1/recommendations.csv?q=thing"} {
		anon.get(path).expect(t, 200, path)
	}
	gx.release()
	expectAll(t, inFlight, 200, "the held download")
}

// The process renders at most Total at once whoever asks: past it, every client waits.
func TestExpensiveExportsAreBoundedInAll(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	gx := newGatedExporter()
	base := limitedServer(t, e, gx, server.ExportLimits{PerClient: 2, Total: 3})
	path := "/api/v1/parties/FR/dossier.pdf"
	first := downloader{base: base, addr: "203.0.113.7"}
	second := downloader{base: base, addr: "198.51.100.20", token: e.tokens["admin"]}
	third := downloader{base: base, addr: "192.0.2.33"}
	gx.hold(3)
	inFlight := []<-chan download{first.start(path), first.start(path), second.start(path)}
	gx.awaitHeld(t, 3)
	third.get(path).expectBusy(t, "a client with none in flight, past the process's limit")
	second.get(path).expectBusy(t, "a client under its own limit, past the process's")
	gx.release()
	expectAll(t, inFlight, 200, "the held downloads")
	third.get(path).expect(t, 200, "once the renders are done")
}
