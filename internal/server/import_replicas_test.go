package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/importtest"
	"followup/internal/server"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// importReplica is one process serving the test database: its own store and server, on the
// test's clock, named as the import jobs it runs say.
type importReplica struct {
	store *sqlstore.Store
	srv   *server.Server
}

func newImportReplica(t *testing.T, database, name string, clock followup.Clock) importReplica {
	t.Helper()
	opts := storeOptions()
	opts.Clock = clock
	store := storetest.OpenAt(t, database, opts)
	return importReplica{store: store, srv: newServer(t, server.Options{Services: testServices(t, store, clock),
		Clock: clock, Location: time.UTC, Replica: name})}
}

// on returns the browser, with its cookies, speaking to another server (another replica
// behind the same address).
func (b *browser) on(srv *server.Server) *browser {
	b.t.Helper()
	ts := httptest.NewServer(srv.Handler())
	b.t.Cleanup(ts.Close)
	return &browser{t: b.t, base: ts.URL, c: b.c}
}

// importRecsCSV adds R3 and leaves R1 as it is.
var importRecsCSV = []byte("label,category,text\nR1,urge,Do the first thing.\nR3,invite,Do a third thing.\n")

const recsImport = "/manage/reports/rep/import/recommendations"

// previewOn uploads importRecsCSV as the browser's user and returns the upload's id from the
// preview's confirmation form.
func previewOn(t *testing.T, b *browser) string {
	t.Helper()
	p := b.upload(recsImport, "recs.csv", importRecsCSV).expect(t, 200, "preview")
	id := between(p.body, `name="upload" value="`, `"`)
	if id == "" || !strings.Contains(p.body, "Confirm: apply 1 change<") {
		t.Fatalf("the preview offers no confirmation: %.2000s", between(p.body, "<main", "</main>"))
	}
	return id
}

// confirmed checks that a confirmation ended on the report's page with the flash, and that R3
// was imported.
func (e *testEnv) confirmed(b *browser, p page) {
	e.t.Helper()
	p.expect(e.t, 303, "confirm")
	if got := p.header.Get("Location"); got != "/reports/rep" {
		e.t.Fatalf("the confirmation sent to %q", got)
	}
	if p := b.follow(p); !strings.Contains(p.body, "Recommendations imported from recs.csv: 1 created, 0 updated, 1 unchanged.") {
		e.t.Errorf("no flash after the import: %.1500s", between(p.body, "<main", "</h1>"))
	}
	e.expect(200, "GET", "/api/v1/reports/rep/recommendations/R3", "", nil)
}

// An upload previewed on one replica shows on another and is confirmed there: the file and its
// job are in the database, not in the memory of the replica that took it. On SQLite (two
// processes on one file) and on PostgreSQL.
func TestImportConfirmedOnAnotherReplica(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clock := followup.FixedClock(today)
	a, b := newImportReplica(t, e.database, "replica-a", clock), newImportReplica(t, e.database, "replica-b", clock)
	onA := e.browser().on(a.srv)
	onA.login("secretariat")
	onB := onA.on(b.srv)
	id := previewOn(t, onA)
	e.expect(404, "GET", "/api/v1/reports/rep/recommendations/R3", "", nil)

	job := recsImport + "/jobs/" + id
	if p := onB.get(job).expect(t, 200, "the preview on the other replica"); !strings.Contains(p.body, `name="upload" value="`+id+`"`) ||
		!strings.Contains(p.body, "recs.csv") {
		t.Errorf("the other replica does not show the preview: %.2000s", between(p.body, "<main", "</main>"))
	}
	e.confirmed(onB, onB.post(recsImport+"/confirm", url.Values{"upload": {id}}))
	// Applied, the file is gone; the job's page says so on either replica.
	if n := e.rawCount(`SELECT count(*) FROM import_upload_chunks WHERE upload_id = ?`, id); n != 0 {
		t.Errorf("%d pieces of the applied file are left", n)
	}
	onA.post(recsImport+"/confirm", url.Values{"upload": {id}}).expect(t, 422, "confirm again on the first replica")
}

// A server started after the one that took the upload was closed confirms it: a restart loses
// nothing.
func TestImportConfirmedAfterRestart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clock := followup.FixedClock(today)
	first := newImportReplica(t, e.database, "first", clock)
	b := e.browser().on(first.srv)
	b.login("secretariat")
	id := previewOn(t, b)
	if err := first.store.Close(); err != nil {
		t.Fatal(err)
	}
	second := newImportReplica(t, e.database, "second", clock)
	e.confirmed(b.on(second.srv), b.on(second.srv).post(recsImport+"/confirm", url.Values{"upload": {id}}))
}

// An upload is kept ImportUploadTTL after its preview, on the server's clock: past it, its page
// and its confirmation say that it expired (410), and the file is deleted.
func TestImportUploadExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clock := &movingClock{t: today}
	r := newImportReplica(t, e.database, "replica", clock)
	b := e.browser().on(r.srv)
	b.login("secretariat")
	id := previewOn(t, b)
	if n := e.rawCount(`SELECT count(*) FROM import_upload_chunks WHERE upload_id = ?`, id); n != 1 {
		t.Fatalf("the upload is kept in %d pieces, want 1", n)
	}
	clock.advance(followup.ImportUploadTTL - time.Second)
	b.get(recsImport+"/jobs/"+id).expect(t, 200, "the preview a second before it expires")
	clock.advance(time.Second)
	const expired = "The uploaded file is no longer available (it is kept 20 minutes): upload it again."
	if p := b.get(recsImport+"/jobs/"+id).expect(t, 410, "the expired job's page"); !strings.Contains(p.body, expired) {
		t.Errorf("the expired job's page does not say so: %.2000s", between(p.body, "<main", "</main>"))
	}
	if p := b.post(recsImport+"/confirm", url.Values{"upload": {id}}).expect(t, 410, "the expired confirmation"); !strings.Contains(p.body, expired) {
		t.Errorf("the expired confirmation does not say so: %.2000s", between(p.body, "<main", "</main>"))
	}
	if n := e.rawCount(`SELECT count(*) FROM import_upload_chunks WHERE upload_id = ?`, id) +
		e.rawCount(`SELECT count(*) FROM import_uploads WHERE id = ?`, id); n != 0 {
		t.Errorf("the expired upload is still kept (%d rows)", n)
	}
	e.expect(404, "GET", "/api/v1/reports/rep/recommendations/R3", "", nil)
}

// Only the user who uploaded a file sees its job and confirms it, on any replica: for anyone
// else it does not exist (404), and their attempt leaves it to its owner.
func TestImportUploadIsTheOwnersOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clock := followup.FixedClock(today)
	a, b := newImportReplica(t, e.database, "replica-a", clock), newImportReplica(t, e.database, "replica-b", clock)
	owner := e.browser().on(a.srv)
	owner.login("secretariat")
	id := previewOn(t, owner)
	for _, srv := range []*server.Server{a.srv, b.srv} {
		other := e.browser().on(srv)
		other.login("admin")
		if p := other.get(recsImport+"/jobs/"+id).expect(t, 404, "another user's job"); strings.Contains(p.body, "recs.csv") {
			t.Error("another user's job page names the file")
		}
		other.post(recsImport+"/confirm", url.Values{"upload": {id}}).expect(t, 404, "another user's confirmation")
		// Nor does the upload show under another report or kind.
		other.get("/manage/reports/rep/import/assessments/jobs/"+id).expect(t, 404, "another kind")
	}
	e.expect(404, "GET", "/api/v1/reports/rep/recommendations/R3", "", nil)
	owner.get("/manage/parties/import/parties/jobs/"+id).expect(t, 404, "the owner's upload under another kind")
	e.confirmed(owner.on(b.srv), owner.on(b.srv).post(recsImport+"/confirm", url.Values{"upload": {id}}))
}

// A confirmation whose runner vanished (its process died mid-way: the job was claimed and its
// transaction never committed) shows as running elsewhere until its heartbeat passes, then as
// failed, with nothing written; the owner confirms it again on another replica.
func TestImportJobWhoseRunnerVanished(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clock := &movingClock{t: today}
	a, b := newImportReplica(t, e.database, "replica-a", clock), newImportReplica(t, e.database, "replica-b", clock)
	onA := e.browser().on(a.srv)
	onA.login("secretariat")
	id := previewOn(t, onA)
	// What replica A leaves when it dies right after claiming the confirmation.
	sec, err := a.store.FindUserByEmail(sysCtx(), "secretariat@example.org")
	if err != nil {
		t.Fatal(err)
	}
	claimed, err := a.store.ClaimImportApply(followup.WithActor(sysCtx(), sec.Actor()), id, "replica-a", clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	onB := onA.on(b.srv)
	job := recsImport + "/jobs/" + id
	p := onB.get(job).expect(t, 200, "the job while its heartbeat lasts")
	for _, want := range []string{"Importing the file", "Another server of the tracker (replica-a) is writing the file", `http-equiv="refresh"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the job applying elsewhere lacks %q: %.2000s", want, between(p.body, "<main", "</main>"))
		}
	}
	onB.post(recsImport+"/confirm", url.Values{"upload": {id}}).expect(t, 422, "a confirmation while the first one runs")

	clock.advance(claimed.HeartbeatUntil.Sub(clock.Now()))
	p = onB.get(job).expect(t, 200, "the job whose runner vanished")
	for _, want := range []string{"Failed: the server running the import (replica-a) stopped; nothing was written.", `name="upload" value="` + id + `"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the job whose runner vanished lacks %q: %.2000s", want, between(p.body, "<main", "</main>"))
		}
	}
	if strings.Contains(p.body, `http-equiv="refresh"`) {
		t.Error("the failed job's page still reloads itself")
	}
	e.expect(404, "GET", "/api/v1/reports/rep/recommendations/R3", "", nil)
	e.confirmed(onB, onB.post(recsImport+"/confirm", url.Values{"upload": {id}}))
}

// rawCount runs a SELECT count(*) ... on a connection of its own to the test database.
func (e *testEnv) rawCount(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := storetest.Raw(e.t, e.database).QueryRow(query, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// A user keeps at most WebOptions.ImportHeldBytes of files waiting for confirmation: beyond, the
// upload is refused next to the file field, saying how much is kept; a confirmation frees its
// file's room.
func TestImportUploadsHeldPerUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	opts := testOptions(t, e.store)
	opts.Web.ImportHeldBytes = int64(2 * len(importRecsCSV))
	e.srv = newServer(t, opts)
	b := e.browser()
	b.login("secretariat")
	first := previewOn(t, b)
	previewOn(t, b)
	p := b.upload(recsImport, "recs.csv", importRecsCSV).expect(t, 422, "a third file")
	want := "Files you uploaded and have not confirmed yet: 2, " + followup.SizeText(int64(2*len(importRecsCSV))) + " in all; with this one (" +
		followup.SizeText(int64(len(importRecsCSV))) + ") they would pass the " + followup.SizeText(int64(2*len(importRecsCSV))) + " a user may keep."
	if !strings.Contains(p.body, want) || !strings.Contains(p.body, `class="field-error" id="file-recommendations-err"`) {
		t.Errorf("the refusal does not say %q next to the field: %.3000s", want, between(p.body, "<main", "</main>"))
	}
	e.confirmed(b, b.post(recsImport+"/confirm", url.Values{"upload": {first}}))
	b.upload(recsImport, "recs.csv", importRecsCSV).expect(t, 200, "a file once another was confirmed")
}

// While a confirmation is applied (its transaction holds the writer, which every other write
// waits for), its page still answers on every replica: the one applying it says how far it
// is, the others which replica is writing it. A page view writes nothing that would wait.
func TestImportApplyShowsWhileItWrites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := sysCtx()
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
	var release sync.Once
	clock := followup.FixedClock(today)
	opts := server.Options{Services: testServices(t, e.store, clock), Clock: clock, Location: time.UTC, Replica: "replica-a",
		Web: server.WebOptions{ImportWait: -1}}
	opts.Services.Parser = gp
	a := newServer(t, opts)
	b := newImportReplica(t, e.database, "replica-b", clock)
	onA := e.browser().on(a)
	onA.login("secretariat")
	onB := onA.on(b.srv)
	// Registered after the test servers, so that it runs before their Close waits for the
	// requests under way.
	t.Cleanup(func() { release.Do(func() { close(gp.gate) }) })

	const base = "/manage/reports/upr/import/recommendations"
	p := onA.upload(base, "upr.csv", importtest.CSV(3000, importtest.Parties(30), 3)).expect(t, 303, "upload")
	p = waitForJob(t, onA, p.header.Get("Location")).expect(t, 200, "the preview")
	id := between(p.body, `name="upload" value="`, `"`)
	job := onA.post(base+"/confirm", url.Values{"upload": {id}}).expect(t, 303, "confirm").header.Get("Location")
	<-gp.reached

	// A page that waited for the apply would not answer before the gate opens.
	impatient := func(b *browser) *browser {
		return &browser{t: b.t, base: b.base, c: &http.Client{Jar: b.c.Jar, CheckRedirect: b.c.CheckRedirect, Timeout: 10 * time.Second}}
	}
	p = impatient(onA).get(job).expect(t, 200, "the job applying here")
	for _, want := range []string{"Importing the file", "256 of 3000 rows read", `http-equiv="refresh"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the job applying here lacks %q: %.2000s", want, between(p.body, "<main", "</main>"))
		}
	}
	p = impatient(onB).get(job).expect(t, 200, "the job on the other replica")
	if !strings.Contains(p.body, "Another server of the tracker (replica-a) is writing the file") {
		t.Errorf("the other replica does not say who writes the file: %.2000s", between(p.body, "<main", "</main>"))
	}
	release.Do(func() { close(gp.gate) })
	if p := waitForJob(t, onB, job); p.status != 303 || p.header.Get("Location") != "/reports/upr" {
		t.Errorf("after the apply: %d to %q", p.status, p.header.Get("Location"))
	}
	if r, err := e.store.FindReport(ctx, "upr"); err != nil || r.RecommendationCount != 3000 {
		t.Errorf("the report has %d recommendations (%v), want 3000", r.RecommendationCount, err)
	}
}
