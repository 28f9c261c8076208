package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/seed"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// newSeededEnv serves the seed data (real reports and the fictional demonstration) with the
// demo users' tokens, on the fixed test day.
func newSeededEnv(t *testing.T) *testEnv {
	t.Helper()
	store := storetest.Open(t, sqlstore.Options{Clock: followup.FixedClock(today), Location: time.UTC, PasswordCost: bcrypt.MinCost})
	if _, err := seed.Load(context.Background(), seed.Services{Parties: store, Reports: store, FollowUps: store, Users: store,
		Clock: followup.FixedClock(today), Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, store: store, tokens: map[string]string{}, srv: newServer(t, testOptions(t, store))}
	for _, l := range seed.Logins() {
		e.tokens[strings.TrimSuffix(l.Email, "@example.org")] = l.Token
	}
	return e
}

// recTally returns a recommendation's line of a compliance answer.
func recTally(t *testing.T, body map[string]any, label string) map[string]any {
	t.Helper()
	for _, r := range body["by_recommendation"].([]any) {
		if m := r.(map[string]any); m["label"] == label {
			return m["counts"].(map[string]any)
		}
	}
	t.Fatalf("no recommendation %s in %v", label, body["by_recommendation"])
	return nil
}

// The outcomes the Committee adopted on 6 June 2019 read through the public API as the facts
// give them, on any day after; the day before, nothing is adopted.
func TestPublishedOutcomesThroughTheAPI(t *testing.T) {
	t.Parallel()
	e := newSeededEnv(t)
	type want struct{ implemented, partial, pending float64 }
	after := map[string]want{
		"Urge 1 (screening)":             {33, 8, 0},
		"Urge 2 (family reunification)":  {39, 0, 2},
		"Urge 3 (topic not established)": {41, 0, 0},
		"Urge 4 (topic not established)": {41, 0, 0},
		"Urge 5 (topic not established)": {41, 0, 0},
		"R7":                             {0, 0, 41},
		"R37":                            {0, 0, 41},
	}
	for _, asOf := range []string{"2019-06-06", "2019-06-30", ""} {
		path := "/api/v1/reports/refugee-crisis-2017/compliance"
		if asOf != "" {
			path += "?as_of=" + asOf
		}
		body := e.expect(200, "GET", path, "", nil).json(t)
		for label, w := range after {
			c := recTally(t, body, label)
			if c["implemented"] != w.implemented || c["partially_implemented"] != w.partial || c["pending"] != w.pending ||
				c["not_implemented"] != 0.0 || c["no_information"] != 0.0 {
				t.Errorf("as of %q, %s: %v, want %+v", asOf, label, c, w)
			}
		}
		urge := body["by_category"].(map[string]any)["urge"].(map[string]any)["counts"].(map[string]any)
		if urge["implemented"] != 195.0 || urge["partially_implemented"] != 8.0 || urge["pending"] != 2.0 {
			t.Errorf("as of %q, urge: %v", asOf, urge)
		}
	}
	before := e.expect(200, "GET", "/api/v1/reports/refugee-crisis-2017/compliance?as_of=2019-06-05", "", nil).json(t)
	overall := before["overall"].(map[string]any)["counts"].(map[string]any)
	if overall["pending"] != 41.0*15 {
		t.Errorf("as of 2019-06-05: %v, want everything pending", overall)
	}

	// Finland's screening follow-up, to the public: the adopted assessment with its source.
	fi := e.expect(200, "GET", "/api/v1/followups/refugee-crisis-2017/"+url.PathEscape("Urge 1 (screening)")+"/FI", "", nil).json(t)
	as := fi["assessments"].([]any)
	if fi["status"] != "partially_implemented" || len(as) != 1 ||
		!strings.Contains(as[0].(map[string]any)["source"].(string), "press summary") {
		t.Errorf("FI screening: %v", fi)
	}
	// North Macedonia's family-reunification follow-up: no grade was established, none shown.
	mk := e.expect(200, "GET", "/api/v1/followups/refugee-crisis-2017/"+url.PathEscape("Urge 2 (family reunification)")+"/MK", "", nil).json(t)
	if mk["status"] != nil || len(mk["assessments"].([]any)) != 0 {
		t.Errorf("MK family reunification: %v", mk)
	}
	// The recommendation page shows the text saying so and the source.
	b := e.browser()
	p := b.get("/reports/refugee-crisis-2017/recommendations/"+url.PathEscape("Urge 2 (family reunification)")).expect(t, 200, "recommendation page")
	if !strings.Contains(p.body, "not yet in compliance") || !strings.Contains(p.body, `class="source"`) {
		t.Errorf("the family-reunification page does not say what was found and where from:\n%.3000s", p.body)
	}
	p = b.get("/followups/refugee-crisis-2017/"+url.PathEscape("Urge 1 (screening)")+"/FI").expect(t, 200, "follow-up page")
	if !strings.Contains(p.body, "A press summary of the Committee") {
		t.Errorf("the follow-up page does not show the assessment's source")
	}
	p = b.get("/reports/refugee-crisis-2017").expect(t, 200, "report page")
	if strings.Contains(p.body, "fictional-banner") || !strings.Contains(p.body, "T-ES(2016)17 final") {
		t.Errorf("the real report page is marked fictional or lacks its reference")
	}
}

// signInDemo signs in the browser as a demo user.
func signInDemo(t *testing.T, b *browser, email string) {
	t.Helper()
	for _, l := range seed.Logins() {
		if l.Email == email {
			b.post("/login", url.Values{"email": {l.Email}, "password": {l.Password}}).expect(t, http.StatusSeeOther, "sign in as "+email)
			return
		}
	}
	t.Fatalf("no demo login %s", email)
}

// The demonstration report says it is fictional on each of its pages, in both languages, and
// in each of its exports.
func TestDemoReportMarkedFictional(t *testing.T) {
	t.Parallel()
	e := newSeededEnv(t)
	b := e.browser()
	signInDemo(t, b, "secretariat@example.org")
	pages := []string{
		"/reports/demo-fictional",
		"/reports/demo-fictional?as_of=2025-01-01",
		"/reports/demo-fictional/recommendations/D1",
		"/followups/demo-fictional/D1/FR",
		"/manage/reports/demo-fictional/adopt",
		"/manage/reports/demo-fictional/import",
		"/manage/reports/demo-fictional/edit",
		"/manage/reports/demo-fictional/recommendations/new",
		"/manage/reports/demo-fictional/recommendations/D1/edit",
	}
	for _, path := range pages {
		for lang, mark := range map[string]string{"en": "Fictional — for demonstration.", "fr": "Fictif — pour la démonstration."} {
			b.get("/lang?l=" + lang + "&next=/")
			p := b.get(path).expect(t, 200, path)
			if !strings.Contains(p.body, `class="alert fictional-banner"`) || !strings.Contains(p.body, mark) {
				t.Errorf("%s (%s) is not marked fictional", path, lang)
			}
		}
	}
	// The desk of France's user names the report with its title, which says it.
	fr := e.browser()
	signInDemo(t, fr, "party-fr@example.org")
	if p := fr.get("/desk").expect(t, 200, "desk"); !strings.Contains(p.body, "Demonstration report (fictional)") {
		t.Error("the desk does not name the fictional report")
	}

	for _, format := range []string{"csv", "xlsx", "pdf", "json"} {
		for _, lang := range []string{"en", "fr"} {
			r := e.expect(200, "GET", "/api/v1/reports/demo-fictional/compliance."+format+"?lang="+lang, "", nil)
			if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "demo-fictional") {
				t.Errorf("%s %s: file name %q does not say fictional", format, lang, cd)
			}
			var text string
			switch format {
			case "csv", "json":
				text = string(r.body) // the report column and field carry the slug demo-fictional
			case "xlsx":
				wb, err := excelize.OpenReader(bytes.NewReader(r.body))
				if err != nil {
					t.Fatal(err)
				}
				for _, sheet := range wb.GetSheetList() {
					first, _ := wb.GetCellValue(sheet, "A1")
					if !strings.HasPrefix(first, "FICTIONAL") && !strings.HasPrefix(first, "FICTIF") {
						t.Errorf("xlsx %s: sheet %s opens with %q", lang, sheet, first)
					}
				}
				wb.Close()
				continue
			case "pdf":
				for i, page := range pdfPages(t, r.body) {
					if !strings.Contains(page, "FICTIONAL") && !strings.Contains(page, "FICTIF") {
						t.Errorf("pdf %s: page %d is not marked fictional", lang, i+1)
					}
				}
				continue
			}
			if !strings.Contains(text, "fictional") {
				t.Errorf("%s %s does not say fictional", format, lang)
			}
		}
	}
}

// pdfPages extracts the text of a PDF page by page with pdftotext (poppler-utils). Without it
// there are no pages to check, unless CI is set (CI installs it and must not skip).
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Logf("pdftotext is not on PATH (Debian's poppler-utils): the PDF's text is not checked")
			return nil
		}
		t.Fatalf("pdftotext is not on PATH (Debian's poppler-utils): %v", err)
	}
	path := filepath.Join(t.TempDir(), "export.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return strings.Split(strings.TrimRight(string(out), "\f\n"), "\f")
}

// A report's and a recommendation's document reference links to their address, and their
// source shows, when they have them.
func TestSourceAndLinkOnPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(200, "PATCH", "/api/v1/reports/rep", "secretariat", map[string]any{"doc_ref": "T-ES(2099)01",
		"url": "https://example.org/doc.pdf", "source": "The Committee's report as published."})
	e.expect(200, "PATCH", "/api/v1/reports/rep/recommendations/R1", "secretariat", map[string]any{
		"url": "https://example.org/doc.pdf#r1", "source": "Paragraph 12 of the report."})
	b := e.browser()
	p := b.get("/reports/rep").expect(t, 200, "report page")
	for _, want := range []string{`<a href="https://example.org/doc.pdf" rel="noopener">T-ES(2099)01</a>`, "The Committee&#39;s report as published."} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the report page lacks %s", want)
		}
	}
	p = b.get("/reports/rep/recommendations/R1").expect(t, 200, "recommendation page")
	for _, want := range []string{`<a href="https://example.org/doc.pdf#r1" rel="noopener">T-ES(2099)01</a>`, "Paragraph 12 of the report."} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the recommendation page lacks %s", want)
		}
	}
	// Without a source, no empty "Source:" line.
	if p := b.get("/reports/rep/recommendations/R2").expect(t, 200, "R2"); strings.Contains(p.body, `class="source"`) {
		t.Error("an empty source is shown")
	}
}

// The reminders of the demonstration name the fictional report by its title, which says it.
func TestDemoRemindersSayFictional(t *testing.T) {
	t.Parallel()
	e := newSeededEnv(t)
	opts := testOptions(t, e.store)
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	if _, err := opts.Services.Jobs.RunJob(ctx, "reminders"); err != nil {
		t.Fatal(err)
	}
	msgs, err := e.store.ListOutbox(ctx, followup.OutboxFilter{Kind: "reminder"})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) == 0 {
		t.Fatal("no reminder: the demonstration's deadlines should bring some")
	}
	for _, m := range msgs {
		full, err := e.store.FindOutboxMessage(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(full.BodyText, "Demonstration report (fictional)") && !strings.Contains(full.BodyText, "Rapport de démonstration (fictif)") {
			t.Errorf("reminder to %s does not name the fictional report:\n%s", m.Recipient, full.BodyText)
		}
		for _, real := range []string{"refugee", "circle of trust", "Röszke"} {
			if strings.Contains(full.BodyText, real) {
				t.Errorf("reminder to %s is about a real report (%s): no deadline of a real report is recorded", m.Recipient, real)
			}
		}
	}
}

// A real Party's totals are its record with the Committee: the outcomes invented on the
// fictional report are listed in that report's own row, never added to them. France's real
// record is the five urge recommendations of the refugee-crisis report, implemented, and
// thirteen follow-ups without an outcome; the demonstration adds three implemented and two
// partially implemented of its own.
func TestPartyTotalsLeaveOutTheFictionalReport(t *testing.T) {
	t.Parallel()
	e := newSeededEnv(t)
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	for _, on := range []string{"2026-11-20", "2026-11-27"} {
		if _, err := e.store.SnapshotCompliance(ctx, followup.MustDate(on)); err != nil {
			t.Fatal(err)
		}
	}
	p := e.browser().get("/parties/FR").expect(t, 200, "France's page")
	counts := between(p.body, `<ul class="counts">`, "</ul>")
	for _, want := range []string{"Implemented: <strong>5</strong>", "Partially implemented: <strong>0</strong>", "Pending: <strong>13</strong>"} {
		if !strings.Contains(counts, want) {
			t.Errorf("France's totals lack %q: %s", want, counts)
		}
	}
	if !strings.Contains(p.body, "Reports invented for demonstration are not counted") {
		t.Error("the page does not say that the fictional report is left out of the totals")
	}
	scores := between(p.body, "<h2>Score by report</h2>", "</table>")
	if !strings.Contains(scores, "Demonstration report (fictional)") || !strings.Contains(scores, "5 of 8") {
		t.Errorf("the fictional report's own row is missing: %s", scores)
	}
	// Every snapshot of France's real reports reads 100 %; with the fictional outcomes, 90 %.
	trend := between(p.body, `<desc id="chart-party-trend-desc">`, "</desc>")
	if !strings.Contains(trend, "from 20 November 2026 (100 %) to 27 November 2026 (100 %)") {
		t.Errorf("the trend counts the fictional report: %q", trend)
	}

	d := e.expect(200, "GET", "/api/v1/parties/FR/dossier.json", "", nil).json(t)
	overall := d["overall"].(map[string]any)["counts"].(map[string]any)
	if overall["implemented"] != 5.0 || overall["partially_implemented"] != 0.0 || overall["pending"] != 13.0 {
		t.Errorf("the dossier's overall counts %v, want France's real record", overall)
	}
	urge := d["by_category"].(map[string]any)["urge"].(map[string]any)["counts"].(map[string]any)
	if urge["implemented"] != 5.0 || urge["partially_implemented"] != 0.0 {
		t.Errorf("the dossier's urge counts %v", urge)
	}
	found := false
	for _, r := range d["by_report"].([]any) {
		if m := r.(map[string]any); m["report"] == seed.DemoReport {
			found = m["counts"].(map[string]any)["partially_implemented"] == 2.0
		}
	}
	if !found {
		t.Errorf("the dossier lacks the fictional report's own line: %v", d["by_report"])
	}
}

// The fictional recommendations cite the Convention's articles, so that a new user finds the
// article pages and the article facet at work; the real reports cite none (not established).
func TestDemoRecommendationsCiteArticles(t *testing.T) {
	t.Parallel()
	e := newSeededEnv(t)
	body := e.expect(200, "GET", "/api/v1/recommendations?article=13", "", nil).json(t)
	items, _ := body["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("article 13: %d recommendations, want the demonstration's D1: %v", len(items), body)
	}
	if it := items[0].(map[string]any); it["report"] != seed.DemoReport || it["label"] != "D1" {
		t.Errorf("article 13 lists %v/%v, want %s/D1", it["report"], it["label"], seed.DemoReport)
	}
	facets := e.expect(200, "GET", "/api/v1/recommendations", "", nil).json(t)["facets"].(map[string]any)
	if n, _ := facets["article"].(map[string]any)["5"].(float64); n != 2 {
		t.Errorf("article facet 5 = %v, want 2 (D2 and D7): %v", n, facets["article"])
	}
	page := e.browser().get("/articles/5").expect(t, 200, "/articles/5")
	for _, want := range []string{"Train every teacher", "background checks", "Fictional"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("/articles/5 lacks %q", want)
		}
	}
}
