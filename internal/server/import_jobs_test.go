package server_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/importer"
	"followup/internal/importtest"
)

// gatedParser is the real parser whose recommendations stream, once it has read its first
// rows, waits for the gate: the test sees the import's page while the job still runs.
type gatedParser struct {
	importer.Parser
	reached chan struct{}
	gate    chan struct{}
	once    *sync.Once // the first stream only waits
}

func (g gatedParser) RecommendationStream(r io.Reader, f followup.ImportFormat, progress func(followup.ImportProgress)) followup.ImportStream[followup.RecommendationRow] {
	first := true
	return g.Parser.RecommendationStream(r, f, func(p followup.ImportProgress) {
		progress(p)
		if first && !p.Done {
			first = false
			g.once.Do(func() {
				close(g.reached)
				<-g.gate
			})
		}
	})
}

// A large upload runs as a background job: the browser is sent to the job's page, which
// reloads itself and says how many rows have been read of how many, then shows the preview
// (its first 1,000 rows and the counts of all); the confirmation runs as a job too and ends on
// the report's page with the flash.
func TestImportJobShowsProgress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	for _, c := range importtest.Parties(30) {
		if _, err := e.store.CreateParty(ctx, followup.Party{Code: c, NameEN: "State " + c, NameFR: "État " + c}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.store.CreateReport(ctx, followup.ReportInput{Slug: "upr", Title: "Universal review", Kind: followup.OtherReport,
		AdoptedOn: followup.MustDate("2022-01-01")}); err != nil {
		t.Fatal(err)
	}
	gp := gatedParser{reached: make(chan struct{}), gate: make(chan struct{}), once: &sync.Once{}}
	opts := testOptions(t, e.store)
	opts.Services.Parser = gp
	opts.Web.ImportWait = -1 // never wait: the job's page at once
	e.srv = newServer(t, opts)
	sec := e.browser()
	sec.login("secretariat")

	const rows = 3000
	p := sec.upload("/manage/reports/upr/import/recommendations", "upr.csv", importtest.CSV(rows, importtest.Parties(30), 3)).expect(t, 303, "upload")
	job := p.header.Get("Location")
	if !strings.HasPrefix(job, "/manage/reports/upr/import/recommendations/jobs/") {
		t.Fatalf("sent to %q", job)
	}
	<-gp.reached
	p = sec.get(job).expect(t, 200, "the running job")
	for _, want := range []string{`<meta http-equiv="refresh" content="2">`, "256 of 3000 rows read", `<progress max="3000" value="256">`, "upr.csv"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the running job's page lacks %q: %.2000s", want, between(p.body, "<main", "</main>"))
		}
	}
	// Someone else does not see it.
	other := e.browser()
	other.login("admin")
	other.get(job).expect(t, 404, "another user's job")
	close(gp.gate)

	p = waitForJob(t, sec, job)
	p.expect(t, 200, "the preview")
	for _, want := range []string{"What each row would do: the first 1000 of 3000 rows", "Confirm: apply 3000 changes<", ">R1000<"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if strings.Contains(p.body, ">R1001<") || strings.Contains(p.body, "http-equiv") {
		t.Error("the preview lists more than 1,000 rows, or still reloads")
	}
	id := between(p.body, `name="upload" value="`, `"`)
	p = sec.post("/manage/reports/upr/import/recommendations/confirm", url.Values{"upload": {id}}).expect(t, 303, "confirm")
	apply := p.header.Get("Location")
	p = waitForJob(t, sec, apply)
	p.expect(t, 303, "the applied job")
	if p.header.Get("Location") != "/reports/upr" {
		t.Errorf("sent to %q after the import", p.header.Get("Location"))
	}
	if p := sec.follow(p); !strings.Contains(p.body, "Recommendations imported from upr.csv: 3000 created, 0 updated, 0 unchanged.") {
		t.Errorf("no flash after the import: %.1500s", between(p.body, "<main", "</h1>"))
	}
	r, err := e.store.FindReport(ctx, "upr")
	if err != nil || r.RecommendationCount != rows {
		t.Errorf("the report has %d recommendations (%v), want %d", r.RecommendationCount, err, rows)
	}
}

// waitForJob reloads a job's page until it no longer reloads itself.
func waitForJob(t *testing.T, b *browser, path string) page {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		p := b.get(path)
		if !strings.Contains(p.body, `http-equiv="refresh"`) {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job at %s is still running", path)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Parties in bulk, from the API and from the admin pages: the Secretariat's, with a dry run,
// every bad row, and nothing written unless the whole file is good.
func TestImportPartiesAPIAndPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	file := []byte("code,name_en,name_fr,joined_on\nFR,France,France,\nDE,Federal Republic of Germany,Allemagne,\nZA,South Africa,Afrique du Sud,1996-06-16\n")
	a := decodeImport(t, e.upload("/api/v1/import/parties?dry_run=true", "secretariat", "text/csv", "", file), 200)
	if !a.DryRun || a.Applied || a.Created != 1 || a.Updated != 1 || a.Unchanged != 1 || len(a.Rows) != 3 || a.Rows[2].Party != "ZA" {
		t.Fatalf("dry run %+v", a)
	}
	e.expect(404, "GET", "/api/v1/parties/ZA", "", nil)
	if r := e.upload("/api/v1/import/parties", "rapporteur", "text/csv", "", file); r.status != 403 {
		t.Errorf("a rapporteur imports Parties: %d", r.status)
	}
	bad := decodeImport(t, e.upload("/api/v1/import/parties", "secretariat", "multipart", "p.csv", []byte("code,name_en,name_fr\nQQQ,Nowhere,Nulle part\nZA,South Africa,\n")), 422)
	if bad.Error == nil || bad.Error.Field != "file" || len(bad.Errors) != 2 || bad.Errors[0].Cell != "A2" || bad.Errors[1].Cell != "C3" {
		t.Errorf("bad file %+v", bad)
	}
	e.expect(404, "GET", "/api/v1/parties/ZA", "", nil)

	sec := e.browser()
	sec.login("secretariat")
	if p := sec.get("/manage").expect(t, 200, "manage"); !strings.Contains(p.body, `href="/manage/parties/import"`) {
		t.Error("the Secretariat's page has no link to the Parties import")
	}
	p := sec.get("/manage/parties/import").expect(t, 200, "import page")
	for _, want := range []string{"Import Parties", `action="/manage/parties/import/parties"`, "/api/v1/import-templates/parties.csv", "<code>joined_on</code>"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the Parties import page lacks %q", want)
		}
	}
	p = sec.upload("/manage/parties/import/parties", "parties.csv", file).expect(t, 200, "preview")
	if !strings.Contains(p.body, "<code>ZA</code>") || !strings.Contains(p.body, "name_en") || !strings.Contains(p.body, "Confirm: apply 2 changes<") {
		t.Errorf("the preview: %.3000s", between(p.body, "<main", "</section>"))
	}
	id := between(p.body, `name="upload" value="`, `"`)
	done := sec.post("/manage/parties/import/parties/confirm", url.Values{"upload": {id}}).expect(t, 303, "confirm")
	if done.header.Get("Location") != "/manage" {
		t.Errorf("sent to %q", done.header.Get("Location"))
	}
	if p := sec.follow(done); !strings.Contains(p.body, "Parties imported from parties.csv: 1 created, 1 updated, 1 unchanged.") {
		t.Errorf("no flash: %.1500s", between(p.body, "<main", "</h1>"))
	}
	za := e.expect(200, "GET", "/api/v1/parties/ZA", "", nil).json(t)
	if za["name_fr"] != "Afrique du Sud" || za["joined_on"] != "1996-06-16" {
		t.Errorf("ZA = %v", za)
	}
	// A rapporteur may not; nor may a report's import page take Parties, or the Parties' page recommendations.
	rap := e.browser()
	rap.login("rapporteur")
	rap.get("/manage/parties/import").expect(t, 403, "a rapporteur's Parties import")
	sec.upload("/manage/reports/rep/import/parties", "parties.csv", file).expect(t, 404, "Parties into a report")
	sec.upload("/manage/parties/import/recommendations", "recs.csv", file).expect(t, 404, "recommendations into the Parties")
}

// applyGatedParser is the real parser whose second stream (the one the confirmation applies,
// inside the import's write transaction) waits for the gate once it has read its first rows.
type applyGatedParser struct {
	importer.Parser
	streams *atomic.Int32
	reached chan struct{}
	gate    chan struct{}
}

func (g applyGatedParser) RecommendationStream(r io.Reader, f followup.ImportFormat, progress func(followup.ImportProgress)) followup.ImportStream[followup.RecommendationRow] {
	apply := g.streams.Add(1) == 2
	first := true
	return g.Parser.RecommendationStream(r, f, func(p followup.ImportProgress) {
		progress(p)
		if apply && first && !p.Done {
			first = false
			close(g.reached)
			<-g.gate
		}
	})
}

// While an import is applied, in one transaction that holds the writer, the user who started
// it is sent to its page at once and sees there how many rows have been read: neither answer
// waits for the import to end (a page view does not need the writer to keep its session).
func TestImportJobProgressWhileApplying(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	for _, c := range importtest.Parties(30) {
		if _, err := e.store.CreateParty(ctx, followup.Party{Code: c, NameEN: "State " + c, NameFR: "État " + c}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.store.CreateReport(ctx, followup.ReportInput{Slug: "upr", Title: "Universal review", Kind: followup.OtherReport,
		AdoptedOn: followup.MustDate("2022-01-01")}); err != nil {
		t.Fatal(err)
	}
	gp := applyGatedParser{streams: &atomic.Int32{}, reached: make(chan struct{}), gate: make(chan struct{})}
	opts := testOptions(t, e.store)
	opts.Services.Parser = gp
	opts.Web.ImportWait = -1
	e.srv = newServer(t, opts)
	sec := e.browser()
	sec.login("secretariat")
	const rows = 3000
	p := sec.upload("/manage/reports/upr/import/recommendations", "upr.csv", importtest.CSV(rows, importtest.Parties(30), 3)).expect(t, 303, "upload")
	p = waitForJob(t, sec, p.header.Get("Location")).expect(t, 200, "the preview")
	id := between(p.body, `name="upload" value="`, `"`)

	type answer struct {
		status   int
		location string
		body     string
		err      error
	}
	send := func(req *http.Request) <-chan answer {
		out := make(chan answer, 1)
		go func() {
			resp, err := sec.c.Do(req)
			if err != nil {
				out <- answer{err: err}
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			out <- answer{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(b)}
		}()
		return out
	}
	// A watchdog, not a measure: a request that waits for the gate never answers.
	wait := func(what string, ch <-chan answer) (answer, bool) {
		select {
		case a := <-ch:
			return a, true
		case <-time.After(30 * time.Second):
			t.Errorf("%s waits for the import to end", what)
			return answer{}, false
		}
	}
	released := false
	release := func() {
		if !released {
			released = true
			close(gp.gate)
		}
	}
	defer release()

	req, _ := http.NewRequest("POST", sec.base+"/manage/reports/upr/import/recommendations/confirm", strings.NewReader(url.Values{"upload": {id}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	confirmed := send(req)
	<-gp.reached // the import now holds the writer
	a, ok := wait("the confirmation", confirmed)
	if !ok {
		release()
		a = <-confirmed
	}
	if a.err != nil || a.status != 303 || !strings.Contains(a.location, "/jobs/") {
		t.Fatalf("confirm: %d %q %v", a.status, a.location, a.err)
	}
	job := a.location
	if !released {
		req, _ = http.NewRequest("GET", sec.base+job, nil)
		if a, ok := wait("the job's page", send(req)); ok {
			if a.status != 200 || !strings.Contains(a.body, "256 of 3000 rows read") || !strings.Contains(a.body, `http-equiv="refresh"`) {
				t.Errorf("the job's page while the import runs: %d %.1500s", a.status, between(a.body, "<main", "</main>"))
			}
		}
	}
	release()
	if p := waitForJob(t, sec, job); p.status != 303 || p.header.Get("Location") != "/reports/upr" {
		t.Errorf("after the import: %d %q", p.status, p.header.Get("Location"))
	}
	if r, err := e.store.FindReport(ctx, "upr"); err != nil || r.RecommendationCount != rows {
		t.Errorf("the report has %d recommendations (%v), want %d", r.RecommendationCount, err, rows)
	}
}
