package server_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/notify"
	"followup/internal/scheduler"
	"followup/internal/sqlstore"
	"followup/web"
)

// newTestScheduler is the real scheduler over the test store, on the tests' fixed day: the
// reminders and the snapshot, not started (the jobs page runs them on demand).
func newTestScheduler(t *testing.T, store *sqlstore.Store, clock followup.Clock) *scheduler.Scheduler {
	t.Helper()
	r, err := notify.NewRenderer(web.EmailFS, "templates/email", "http://tracker.test")
	if err != nil {
		t.Fatal(err)
	}
	s, err := scheduler.New(scheduler.Options{Runs: store, Leases: store, Location: time.UTC, Clock: clock, Entries: []scheduler.Entry{
		{Job: scheduler.Reminders{Store: store, Renderer: r, Rules: followup.DefaultReminderRules(), Location: time.UTC}, Spec: "0 8 * * *", Enabled: true},
		{Job: scheduler.Snapshot{Store: store, Location: time.UTC}, Spec: "50 23 * * *", Enabled: false},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sysCtx() context.Context { return followup.WithActor(context.Background(), followup.SystemActor) }

// upload posts a file in a multipart form's "file" field.
func (b *browser) upload(path, filename string, content []byte) page {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, err := w.CreateFormFile("file", filename)
	if err != nil {
		b.t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	req, err := http.NewRequest("POST", b.base+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: string(data), header: resp.Header}
}

// follow gets the page a 303 sends to.
func (b *browser) follow(p page) page {
	b.t.Helper()
	if p.status != http.StatusSeeOther {
		b.t.Fatalf("not a redirect: %d", p.status)
	}
	return b.get(p.header.Get("Location"))
}

// failOne enqueues the reminders of the day and makes the first message fail for good; it
// returns its id.
func failOne(t *testing.T, e *testEnv) int64 {
	t.Helper()
	ctx := sysCtx()
	msgs, err := e.store.ClaimOutbox(ctx, today.Add(time.Hour), time.Minute, 10)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no message to fail: %v", err)
	}
	if err := e.store.MarkFailedAttempt(ctx, msgs[0].ID, msgs[0].Claim, 1, today, true, "550 mailbox <unavailable>"); err != nil {
		t.Fatal(err)
	}
	return msgs[0].ID
}

// The new pages, for every role: the status code, and no inline script or style.
func TestNewPagesPerRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.browser()
	admin.login("admin")
	admin.post("/manage/jobs/reminders/run", url.Values{}).expect(t, 303, "run the reminders")
	id := strconv.FormatInt(failOne(t, e), 10)
	roles := []string{"", "party-fr", "rapporteur", "secretariat", "admin"}
	const ok, see, forbidden = 200, 303, 403
	cases := []struct {
		path string
		want []int
	}{
		{"/manage/jobs", []int{see, forbidden, forbidden, forbidden, ok}},
		{"/manage/outbox", []int{see, forbidden, forbidden, forbidden, ok}},
		{"/manage/outbox?status=failed&kind=reminder", []int{see, forbidden, forbidden, forbidden, ok}},
		{"/manage/outbox/" + id, []int{see, forbidden, forbidden, forbidden, ok}},
		{"/manage/outbox/999999", []int{see, forbidden, forbidden, forbidden, 404}},
		{"/manage/reports/rep/import", []int{see, forbidden, ok, ok, ok}},
		{"/manage/reports/nope/import", []int{see, forbidden, 404, 404, 404}},
		{"/account", []int{see, ok, ok, ok, ok}},
	}
	for _, r := range roles {
		b := e.browser()
		if r != "" {
			b.login(r)
		}
		for _, c := range cases {
			want := c.want[indexOf(roles, r)]
			p := b.get(c.path)
			if p.status != want {
				t.Errorf("GET %s as %q: status %d, want %d", c.path, r, p.status, want)
				continue
			}
			if r == "" && !strings.HasPrefix(p.header.Get("Location"), "/login?next=") {
				t.Errorf("GET %s anonymous: redirected to %q", c.path, p.header.Get("Location"))
			}
			if strings.Contains(p.body, "<script") || strings.Contains(p.body, " style=") {
				t.Errorf("GET %s as %q: inline script or style", c.path, r)
			}
		}
		// Writes are refused alike, and write nothing.
		if r != "admin" {
			before := e.auditCount()
			want := forbidden
			if r == "" {
				want = see
			}
			for _, path := range []string{"/manage/jobs/snapshot/run", "/manage/outbox/" + id + "/retry"} {
				if p := b.post(path, url.Values{}); p.status != want {
					t.Errorf("POST %s as %q: status %d, want %d", path, r, p.status, want)
				}
			}
			if n := e.auditCount() - before; n != 0 {
				t.Errorf("refused posts as %q wrote %d audit entries", r, n)
			}
		}
	}
	runs, err := e.store.ListJobRuns(sysCtx(), "snapshot", 10)
	if err != nil || len(runs) != 0 {
		t.Errorf("refused run-now recorded runs: %v %v", runs, err)
	}
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// "Run now" runs the job as of the clock, records the run and flashes its counts; the page
// shows the schedule, the next run and the run.
func TestJobsPageRunNow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.browser()
	admin.login("admin")
	p := admin.get("/manage/jobs").expect(t, 200, "jobs page")
	for _, want := range []string{"<code>0 8 * * *</code> (UTC)", "29 November 2026 08:00 UTC", "This job has not run yet.", "Disabled", `href="/manage/jobs/snapshot/run"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the jobs page lacks %q", want)
		}
	}
	p = admin.follow(admin.post("/manage/jobs/reminders/run", url.Values{}))
	if !strings.Contains(p.body, "Job “Reminders” ran: follow-ups examined: 4, escalations: 4, items: 2, messages: 3.") {
		t.Errorf("no flash with the counts: %.3000s", between(p.body, `<main`, `</section>`))
	}
	runs, err := e.store.ListJobRuns(sysCtx(), "reminders", 10)
	if err != nil || len(runs) != 1 || !runs[0].ScheduledFor.Equal(today) || runs[0].Counts["messages"] != 3 {
		t.Fatalf("runs %+v, %v", runs, err)
	}
	if !strings.Contains(p.body, "28 November 2026 09:00 UTC") || !strings.Contains(p.body, "messages: 3") {
		t.Error("the jobs page does not list the run with its start and counts")
	}
	// In French.
	p = admin.do("GET", "/manage/jobs", nil, map[string]string{"Accept-Language": "fr"})
	if !strings.Contains(p.body, "Exécuter maintenant") || !strings.Contains(p.body, "28 novembre 2026 09:00 UTC") {
		t.Error("the French jobs page")
	}
	admin.post("/manage/jobs/nope/run", url.Values{}).expect(t, 404, "unknown job")
}

// The outbox page filters by status, kind and recipient; a failed message is previewed
// escaped and retried.
func TestOutboxPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.browser()
	admin.login("admin")
	admin.post("/manage/jobs/reminders/run", url.Values{}).expect(t, 303, "run the reminders")
	id := failOne(t, e)
	sid := strconv.FormatInt(id, 10)
	all := admin.get("/manage/outbox").expect(t, 200, "outbox")
	if !strings.Contains(all.body, "3 messages") {
		t.Errorf("the outbox does not list 3 messages: %.2000s", all.body)
	}
	failed := admin.get("/manage/outbox?status=failed").expect(t, 200, "failed messages")
	if !strings.Contains(failed.body, "1 message, newest first") || !strings.Contains(failed.body, `action="/manage/outbox/`+sid+`/retry"`) ||
		!strings.Contains(failed.body, "550 mailbox &lt;unavailable&gt;") {
		t.Errorf("the failed filter: %.3000s", failed.body)
	}
	if p := admin.get("/manage/outbox?recipient=party-fr@example.org&kind=reminder"); !strings.Contains(p.body, "1 message, newest first") {
		t.Error("the recipient filter")
	}
	if p := admin.get("/manage/outbox?kind=escalation&status=pending"); !strings.Contains(p.body, "secretariat@example.org") || strings.Contains(p.body, "party-de@example.org") {
		t.Error("the kind filter")
	}
	admin.get("/manage/outbox?status=lost").expect(t, 422, "a status that does not exist")
	m := admin.get("/manage/outbox/"+sid).expect(t, 200, "preview")
	if !strings.Contains(m.body, `<pre class="mail-body">`) || !strings.Contains(m.body, "/followups/rep/R1/") || !strings.Contains(m.body, "Retry") {
		t.Errorf("the preview: %.3000s", m.body)
	}
	before := e.auditCount()
	admin.post("/manage/outbox/"+sid+"/retry", url.Values{"next": {"/manage/outbox?status=failed"}}).expect(t, 303, "retry")
	msgs, err := e.store.ListOutbox(followup.WithActor(context.Background(), followup.SystemActor), followup.OutboxFilter{Status: "failed"})
	if err != nil || len(msgs) != 0 {
		t.Errorf("still failed after the retry: %v %v", msgs, err)
	}
	if e.auditCount() != before+1 {
		t.Error("the retry left no audit entry")
	}
	admin.post("/manage/outbox/"+sid+"/retry", url.Values{}).expect(t, 404, "retry a message that is not failed")
	if a := admin.get("/manage/audit?entity=outbox"); !strings.Contains(a.body, "E-mail queued again") {
		t.Error("the audit viewer shows the retry's raw action")
	}
}

// An import's preview writes nothing; its confirmation writes the same file; a bad file shows
// every bad row with 422.
func TestImportPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sec := e.browser()
	sec.login("secretariat")
	p := sec.get("/reports/rep")
	if !strings.Contains(p.body, `href="/manage/reports/rep/import"`) {
		t.Error("the report page has no import link for the Secretariat")
	}
	p = sec.get("/manage/reports/rep/import").expect(t, 200, "import page")
	if !strings.Contains(p.body, "/api/v1/import-templates/recommendations.xlsx") || strings.Contains(p.body, `action="/manage/reports/rep/import/assessments"`) {
		t.Error("the Secretariat's import page: template links, or an assessments form it may not use")
	}
	csv := []byte("label,category,text\nR1,urge,Do the first thing.\nR3,invite,Do a third thing.\n")
	before := e.auditCount()
	prev := sec.upload("/manage/reports/rep/import/recommendations", "recs.csv", csv).expect(t, 200, "preview")
	if e.auditCount() != before {
		t.Fatal("the preview wrote")
	}
	for _, want := range []string{"Create", "Unchanged", "R3", "recs.csv", "Confirm: apply 1 change<"} {
		if !strings.Contains(prev.body, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	e.expect(404, "GET", "/api/v1/reports/rep/recommendations/R3", "", nil)
	id := between(prev.body, `name="upload" value="`, `"`)
	if id == "" {
		t.Fatal("no upload id in the preview")
	}
	// Another user cannot see or confirm it: for them it does not exist.
	admin := e.browser()
	admin.login("admin")
	admin.post("/manage/reports/rep/import/recommendations/confirm", url.Values{"upload": {id}}).expect(t, 404, "someone else's upload")
	done := sec.post("/manage/reports/rep/import/recommendations/confirm", url.Values{"upload": {id}}).expect(t, 303, "confirm")
	if p := sec.follow(done); !strings.Contains(p.body, "Recommendations imported from recs.csv: 1 created, 0 updated, 1 unchanged.") {
		t.Errorf("no flash after the import: %.1500s", between(p.body, "<main", "</h1>"))
	}
	if e.auditCount() <= before {
		t.Error("the confirmation wrote nothing")
	}
	e.expect(200, "GET", "/api/v1/reports/rep/recommendations/R3", "", nil)
	if p := sec.post("/manage/reports/rep/import/recommendations/confirm", url.Values{"upload": {id}}).expect(t, 422, "confirm twice"); !strings.Contains(p.body, "This file has already been imported.") {
		t.Errorf("confirming twice does not say why: %.1500s", between(p.body, "<main", "</h1>"))
	}

	// A bad file: every bad row, with its row and column, and nothing written.
	before = e.auditCount()
	bad := []byte("label,category,text\nR4,bogus,Text.\nR5,urge,\nR6,invite,Fine.\n")
	p = sec.upload("/manage/reports/rep/import/recommendations", "bad.csv", bad).expect(t, 422, "bad file")
	for _, want := range []string{`<th scope="row" class="num">2</th><td><code>category</code> (B2)</td>`, `<th scope="row" class="num">3</th>`, "Nothing was written", `role="alert"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the bad file's page lacks %q: %.3000s", want, between(p.body, "<main", "</section>"))
		}
	}
	if strings.Contains(p.body, `name="upload"`) {
		t.Error("a bad file can be confirmed")
	}
	sec.do("POST", "/manage/reports/rep/import/recommendations", url.Values{}, nil).expect(t, 422, "no file")
	if e.auditCount() != before {
		t.Error("the bad file wrote")
	}

	// Rapporteurs import assessments, not recommendations; Parties nothing.
	rap := e.browser()
	rap.login("rapporteur")
	rap.upload("/manage/reports/rep/import/recommendations", "recs.csv", csv).expect(t, 403, "a rapporteur imports recommendations")
	if p := rap.get("/reports/rep"); !strings.Contains(p.body, "Import assessments") {
		t.Error("the report page has no import link for the rapporteur")
	}
	as := []byte("label,party,status,comment,assessed_on\nR1,FR,implemented,Done.,2026-11-20\n")
	prev = rap.upload("/manage/reports/rep/import/assessments", "as.csv", as).expect(t, 200, "assessments preview")
	id = between(prev.body, `name="upload" value="`, `"`)
	rap.post("/manage/reports/rep/import/assessments/confirm", url.Values{"upload": {id}}).expect(t, 303, "confirm the assessments")
	fr := e.browser()
	fr.login("party-fr")
	fr.upload("/manage/reports/rep/import/assessments", "as.csv", as).expect(t, 403, "a Party imports")
}

// The report page draws the trend of the overall score once there are two snapshots.
func TestReportTrend(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := sysCtx()
	pub := e.browser()
	if p := pub.get("/reports/rep"); strings.Contains(p.body, "chart-trend") {
		t.Error("a trend without snapshots")
	}
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2026-11-10"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-12"})
	must(t, func() error { _, err := e.store.SnapshotCompliance(ctx, followup.MustDate("2026-11-13")); return err })
	if p := pub.get("/reports/rep"); strings.Contains(p.body, "chart-trend") {
		t.Error("a trend with one snapshot")
	}
	e.expect(201, "POST", "/api/v1/followups/rep/R1/DE/assessments", "rapporteur", map[string]any{"status": "not_implemented", "assessed_on": "2026-11-14"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-15"})
	must(t, func() error { _, err := e.store.SnapshotCompliance(ctx, followup.MustDate("2026-11-16")); return err })
	p := pub.get("/reports/rep").expect(t, 200, "report")
	for _, want := range []string{`<title id="chart-trend-title">Compliance over time</title>`, `<desc id="chart-trend-desc">`, "<polyline points=\"56,16 620,108\"",
		`<th scope="row">13 November 2026</th><td class="num">100 %</td>`, `<th scope="row">16 November 2026</th><td class="num">50 %</td>`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the trend lacks %q", want)
		}
	}
	if strings.Contains(p.body, " style=") {
		t.Error("inline style in the trend")
	}
	// As of a day between them, one point: no line.
	if p := pub.get("/reports/rep?as_of=2026-11-14"); strings.Contains(p.body, "chart-trend") {
		t.Error("the trend as of a day with one snapshot")
	}
}

// A Party user creates their calendar feed (its address shown once) and revokes it; the
// account page sets the language of their e-mails.
func TestCalendarFeedAndAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fr := e.browser()
	fr.login("party-fr")
	if p := fr.get("/desk"); !strings.Contains(p.body, "You have no active feed address.") {
		t.Error("the desk has no calendar section")
	}
	p := fr.post("/desk/calendar", url.Values{}).expect(t, 201, "create a feed")
	feed := between(p.body, `<code class="secret">`, `</code>`)
	if !strings.Contains(feed, "/api/v1/parties/FR/deadlines.ics?token=fuc_") {
		t.Fatalf("feed address %q", feed)
	}
	u, err := url.Parse(strings.ReplaceAll(feed, "&amp;", "&"))
	if err != nil {
		t.Fatal(err)
	}
	e.expect(200, "GET", u.RequestURI(), "", nil)
	if p := fr.get("/desk"); strings.Contains(p.body, "fuc_") || !strings.Contains(p.body, "Active feed addresses: 1.") {
		t.Error("the feed address is shown again, or the desk does not say it is active")
	}
	fr.follow(fr.post("/desk/calendar/revoke", url.Values{}))
	e.expect(401, "GET", u.RequestURI(), "", nil)
	rap := e.browser()
	rap.login("rapporteur")
	rap.post("/desk/calendar", url.Values{}).expect(t, 403, "a rapporteur's desk feed")
	admin := e.browser()
	admin.login("admin")
	if a := admin.get("/manage/audit?entity=user"); !strings.Contains(a.body, "Calendar feed created") || !strings.Contains(a.body, "Calendar feeds revoked") {
		t.Error("the audit viewer shows raw calendar actions")
	}

	// The language of e-mails.
	p = fr.get("/account").expect(t, 200, "account")
	if !strings.Contains(p.body, `value="en" checked`) {
		t.Error("the account page does not show English as the e-mail language")
	}
	fr.post("/account/lang", url.Values{"mail_lang": {"de"}}).expect(t, 422, "an unknown language")
	p = fr.follow(fr.post("/account/lang", url.Values{"mail_lang": {"fr"}}))
	if !strings.Contains(p.body, "Your e-mails will be in French.") || !strings.Contains(p.body, `value="fr" checked`) {
		t.Errorf("after choosing French: %.2000s", between(p.body, "<main", "</form>"))
	}
	lang, err := e.store.UserLang(sysCtx(), "party-fr@example.org")
	if err != nil || lang != "fr" {
		t.Errorf("lang %q %v", lang, err)
	}
	if a := admin.get("/manage/audit?entity=user"); !strings.Contains(a.body, "E-mail language changed") {
		t.Error("the audit viewer shows the raw language action")
	}
}
