package server_test

import (
	"context"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// measure returns a text's width in pixels at 13 px in DejaVu Sans (bold or not), the font
// the charts ask for.
func measure(t *testing.T, text string, bold bool) float64 {
	t.Helper()
	file := "DejaVuSans.ttf"
	if bold {
		file = "DejaVuSans-Bold.ttf"
	}
	ttf, err := os.ReadFile(filepath.Join("..", "export", "fonts", file))
	if err != nil {
		t.Fatal(err)
	}
	pdf := fpdf.New("P", "pt", "A4", "")
	pdf.AddUTF8FontFromBytes("D", "", ttf)
	pdf.SetFont("D", "", 13)
	return pdf.GetStringWidth(text)
}

var (
	chartLabel = regexp.MustCompile(`<text x="(\d+)" y="\d+" text-anchor="end" class="chart-label">([^<]*)</text>`)
	chartValue = regexp.MustCompile(`<text x="(\d+)" y="\d+" class="chart-value">([^<]*)</text>`)
	viewBox    = regexp.MustCompile(`viewBox="0 0 (\d+) \d+"`)
)

// checkChartFits fails when a bar chart's labels start left of the view box or its values end
// right of it.
func checkChartFits(t *testing.T, what, svg string) {
	t.Helper()
	vb := viewBox.FindStringSubmatch(svg)
	if vb == nil {
		t.Fatalf("%s: no view box in %s", what, svg)
	}
	width, _ := strconv.ParseFloat(vb[1], 64)
	labels := chartLabel.FindAllStringSubmatch(svg, -1)
	if len(labels) == 0 {
		t.Fatalf("%s: no labels in %s", what, svg)
	}
	for _, m := range labels {
		x, _ := strconv.ParseFloat(m[1], 64)
		text := html.UnescapeString(m[2])
		if w := measure(t, text, false); x-w < 0 {
			t.Errorf("%s: the label %q (%.0f px) is cut off: it ends at x=%.0f", what, text, w, x)
		}
	}
	for _, m := range chartValue.FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.ParseFloat(m[1], 64)
		text := html.UnescapeString(m[2])
		if w := measure(t, text, true); x+w > width {
			t.Errorf("%s: the value %q ends at %.0f, past the view box's %v", what, text, x+w, width)
		}
	}
}

// The bar charts leave room for their longest label and value, measured in the chart font.
func TestBarChartLabelsFit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := sysCtx()
	must(t, func() error {
		_, err := e.store.CreateParty(ctx, followup.Party{Code: "MK", NameEN: "North Macedonia, the former Yugoslav Republic", NameFR: "Macédoine du Nord, ex-République yougoslave"})
		return err
	})
	must(t, func() error {
		_, err := e.store.CreateReport(ctx, followup.ReportInput{Slug: "long", Kind: followup.SpecialReport,
			Title:     "Protecting children affected by the refugee crisis from sexual exploitation and sexual abuse",
			AdoptedOn: followup.MustDate("2017-03-03"), Parties: []string{"MK", "FR"}})
		return err
	})
	must(t, func() error { _, err := e.store.PublishReport(ctx, "long"); return err })
	must(t, func() error {
		_, err := e.store.CreateRecommendation(ctx, "long", followup.RecommendationInput{Label: "R1", Category: followup.Urge, Text: "Act."})
		return err
	})
	for _, p := range []string{"MK", "FR"} {
		e.expect(201, "POST", "/api/v1/followups/long/R1/"+p+"/assessments", "rapporteur", map[string]any{"status": "partially_implemented", "assessed_on": "2026-11-10"})
	}
	e.expect(200, "POST", "/api/v1/reports/long/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-12"})
	pub := e.browser()
	for _, lang := range []string{"en", "fr"} {
		h := map[string]string{"Accept-Language": lang}
		home := pub.do("GET", "/", nil, h)
		checkChartFits(t, lang+" home chart", between(home.body, `<svg role="img" aria-labelledby="chart-reports-title`, `</svg>`))
		// The report has no French title: the French page shows the English one, marked.
		whole := "Protecting children affected by the refugee crisis from sexual exploitation and sexual abuse"
		if lang == "fr" {
			whole += " (en anglais)"
		}
		if !strings.Contains(home.body, "<title>"+whole+"</title>") {
			t.Errorf("%s: the shortened report title has no tooltip with the whole title", lang)
		}
		rep := pub.do("GET", "/reports/long", nil, h)
		checkChartFits(t, lang+" chart by Party", between(rep.body, `<svg role="img" aria-labelledby="chart-party-title`, `</svg>`))
	}
}

// The rapporteurs' queue says what its status column is, the deadline, and how long each
// submission has waited.
func TestQueueShowsDeadlineAndWaiting(t *testing.T) {
	t.Parallel()
	path := storetest.NewDatabase(t)
	open := func(at time.Time) *sqlstore.Store {
		return storetest.OpenAt(t, path, sqlstore.Options{Clock: followup.FixedClock(at), Location: time.UTC, PasswordCost: bcrypt.MinCost})
	}
	// Twelve days ago France submitted.
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	early := open(today.AddDate(0, 0, -12))
	must(t, func() error {
		_, err := early.CreateParty(ctx, followup.Party{Code: "FR", NameEN: "France", NameFR: "France"})
		return err
	})
	must(t, func() error {
		_, err := early.CreateReport(ctx, followup.ReportInput{Slug: "rep", Title: "Test report", Kind: followup.SpecialReport,
			AdoptedOn: followup.MustDate("2017-03-03"), FollowupDueOn: followup.MustDate("2018-09-30"), Parties: []string{"FR"}})
		return err
	})
	must(t, func() error { _, err := early.PublishReport(ctx, "rep"); return err })
	must(t, func() error {
		_, err := early.CreateRecommendation(ctx, "rep", followup.RecommendationInput{Label: "R1", Category: followup.Urge, Text: "Act."})
		return err
	})
	must(t, func() error {
		_, err := early.CreateUser(ctx, followup.UserInput{Email: "rapporteur@example.org", Name: "Rapporteur", Role: followup.RoleRapporteur, Password: testPassword})
		return err
	})
	must(t, func() error {
		_, err := early.CreateSubmission(followup.WithActor(ctx, followup.SystemActor), followup.FollowUpKey{Report: "rep", Label: "R1", Party: "FR"},
			followup.SubmissionInput{Text: "Measures."})
		return err
	})
	early.Close()
	store := open(today)
	t.Cleanup(func() { store.Close() })
	e := &testEnv{t: t, store: store, tokens: map[string]string{}}
	e.srv = newServer(t, testOptions(t, store))
	b := e.browser()
	b.login("rapporteur")
	q := b.get("/queue").expect(t, 200, "queue")
	table := between(q.body, "<table>", "</table>")
	for _, want := range []string{">Last adopted status</th>", ">Deadline</th>", "<td>waiting 12 days</td>", "<td>30 September 2018</td>"} {
		if !strings.Contains(table, want) {
			t.Errorf("the queue lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, `scope="col">Status</th>`) {
		t.Error("the queue still heads the adopted status \"Status\"")
	}
	fr := b.do("GET", "/queue", nil, map[string]string{"Accept-Language": "fr"})
	if !strings.Contains(fr.body, "<td>en attente depuis 12 jours</td>") || !strings.Contains(fr.body, "Dernier statut adopté") {
		t.Errorf("the French queue: %s", between(fr.body, "<table>", "</table>"))
	}
}
