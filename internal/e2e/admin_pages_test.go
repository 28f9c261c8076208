//go:build e2e

package e2e

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"followup/internal/export"
	"followup/internal/followup"
	"followup/internal/importer"
	"followup/internal/notify"
	"followup/internal/scheduler"
	"followup/internal/seed"
	"followup/internal/server"
	"followup/internal/sniff"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
	"followup/web"
)

// demoLogins returns the demo users by e-mail address.
func demoLogins() map[string]seed.Login {
	logins := map[string]seed.Login{}
	for _, l := range seed.Logins() {
		logins[l.Email] = l
	}
	return logins
}

// startServer serves the demo data with every service of `followup serve`: the scheduler, the
// outbox, calendar feeds and imports, and compliance snapshots on a few days for the trend.
func startServer(t *testing.T) string {
	t.Helper()
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	store := storetest.Open(t, sqlstore.Options{Location: time.UTC})
	if _, err := seed.Load(ctx, seed.Services{Parties: store, Reports: store, FollowUps: store, Users: store,
		Clock: followup.SystemClock{}, Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	// Snapshots before, between and after the demonstration's adoptions (a year and half a
	// year ago), and after the Committee's 2019 evaluation.
	today := followup.DateOf(time.Now(), time.UTC)
	days := []followup.Date{followup.MustDate("2019-01-01"), followup.MustDate("2019-06-10")}
	for _, d := range []int{-400, -300, -100, -1} {
		days = append(days, today.AddDays(d))
	}
	for _, day := range days {
		if _, err := store.SnapshotCompliance(ctx, day); err != nil {
			t.Fatal(err)
		}
	}
	r, err := notify.NewRenderer(web.EmailFS, "templates/email", "http://127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	sched, err := scheduler.New(scheduler.Options{Runs: store, Leases: store, Location: time.UTC, Entries: []scheduler.Entry{
		{Job: scheduler.Reminders{Store: store, Renderer: r, Rules: followup.DefaultReminderRules(), Location: time.UTC}, Spec: "0 8 * * *", Enabled: true},
		{Job: scheduler.Digest{Store: store, Renderer: r, Location: time.UTC}, Spec: "0 8 * * 1", Enabled: true},
		{Job: scheduler.Snapshot{Store: store, Location: time.UTC}, Spec: "50 23 * * *", Enabled: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	svc := store.Services()
	svc.Jobs, svc.Exporter, svc.Parser, svc.Detector = sched, export.Encoder{}, importer.Parser{}, sniff.Detector{}
	srv, err := server.New(server.Options{Services: svc, Clock: followup.SystemClock{}, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

// The administrators' and the Secretariat's newer pages in the browser: run a job, read the
// outbox, import recommendations with a preview, the compliance trend, a Party's calendar feed.
func TestAdminPagesInChromium(t *testing.T) {
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	base := startServer(t)
	ctx, cancel := chromium(t)
	defer cancel()
	logins := demoLogins()
	admin := logins["admin@example.org"]
	do(t, ctx, "sign in as admin", signIn(base, admin.Email, admin.Password)...)
	// "Run now" e-mails every Party's users: it asks first, on a page of its own.
	do(t, ctx, "run the reminders",
		chromedp.Navigate(base+"/manage/jobs"),
		chromedp.WaitVisible(css(`a[href="/manage/jobs/reminders/run"]`)),
		chromedp.Click(css(`a[href="/manage/jobs/reminders/run"]`)),
		chromedp.WaitVisible(css(`form[action="/manage/jobs/reminders/run"] button`)))
	if q := text(t, ctx, `h1`); !strings.Contains(q, "Run “Reminders” now?") {
		t.Fatalf("the confirmation asks %q", q)
	}
	shot(t, ctx, "13a-admin-confirm-run")
	do(t, ctx, "confirm the run",
		chromedp.Click(css(`form[action="/manage/jobs/reminders/run"] button`)),
		chromedp.WaitVisible(css(`.flash`)))
	if flash := text(t, ctx, `.flash`); !strings.Contains(flash, "Reminders") || !strings.Contains(flash, "messages:") {
		t.Fatalf("after run now: %q", flash)
	}
	shot(t, ctx, "13-admin-jobs")
	do(t, ctx, "outbox", chromedp.Navigate(base+"/manage/outbox?kind=reminder"), chromedp.WaitVisible(css(`table.outbox`)))
	shot(t, ctx, "14-admin-outbox")
	do(t, ctx, "message",
		chromedp.Click(css(`table.outbox tbody tr:first-child th a`)),
		chromedp.WaitVisible(css(`pre.mail-body`)))
	if body := text(t, ctx, `pre.mail-body`); body == "" {
		t.Fatal("empty message preview")
	}
	shot(t, ctx, "15-admin-outbox-message")
	do(t, ctx, "sign out", signOut()...)

	// The Secretariat imports a recommendation: preview, then confirm.
	file := filepath.Join(t.TempDir(), "recs.csv")
	if err := os.WriteFile(file, []byte("label,category,text\nE2E-1,invite,Summary: an imported recommendation.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sec := logins["secretariat@example.org"]
	slug := seed.DemoReport
	do(t, ctx, "sign in as Secretariat", signIn(base, sec.Email, sec.Password)...)
	do(t, ctx, "import preview",
		chromedp.Navigate(base+"/reports/"+slug),
		chromedp.WaitVisible(css(`a[href="/manage/reports/`+slug+`/import"]`)),
		chromedp.Click(css(`a[href="/manage/reports/`+slug+`/import"]`)),
		chromedp.WaitVisible(css(`#file-recommendations`)),
		chromedp.SetUploadFiles(css(`#file-recommendations`), []string{file}),
		chromedp.Click(css(`form[action$="/import/recommendations"] button[type=submit]`)),
		chromedp.WaitVisible(css(`table.import-plan`)))
	shot(t, ctx, "16-secretariat-import-preview")
	do(t, ctx, "import confirm",
		chromedp.Click(css(`form[action$="/confirm"] button[type=submit]`)),
		chromedp.WaitVisible(css(`.flash`)))
	if flash := text(t, ctx, `.flash`); !strings.Contains(flash, "1 created") {
		t.Fatalf("after the import: %q", flash)
	}
	do(t, ctx, "trend", chromedp.WaitVisible(css(`svg polyline.trend-line`)), chromedp.ScrollIntoView(css(`section.trend`)))
	buf, err := chromedp.Run(ctx, chromedp.Screenshot(css(`section.trend`)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shots, "17-report-trend.png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "sign out", signOut()...)

	// A Party user creates a calendar feed on the desk.
	fr := logins["party-fr@example.org"]
	do(t, ctx, "sign in as France", signIn(base, fr.Email, fr.Password)...)
	do(t, ctx, "calendar feed",
		chromedp.Navigate(base+"/desk"),
		chromedp.WaitVisible(css(`form[action="/desk/calendar"] button`)),
		chromedp.Click(css(`form[action="/desk/calendar"] button`)),
		chromedp.WaitVisible(css(`.calendar-feed code.secret`)))
	if feed := text(t, ctx, `.calendar-feed code.secret`); !strings.Contains(feed, "/api/v1/parties/FR/deadlines.ics?token=fuc_") {
		t.Fatalf("feed address %q", feed)
	}
	do(t, ctx, "scroll", chromedp.ScrollIntoView(css(`.calendar-feed`)))
	buf, err = chromedp.Run(ctx, chromedp.Screenshot(css(`.calendar-feed`)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shots, "18-party-calendar-feed.png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "account", chromedp.Navigate(base+"/account"), chromedp.WaitVisible(css(`input[name=mail_lang]`)))
	shot(t, ctx, "19-account")
}
