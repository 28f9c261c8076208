package server_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// newSearchEnv is the test environment with bilingual texts: R1 has its French text and cites
// Articles 18 and 23, R2 is in English only; a second report on helplines with a text that a
// spreadsheet would read as a formula.
func newSearchEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newEnv(t)
	e.expect(200, "PATCH", "/api/v1/reports/rep/recommendations/R1", "secretariat", map[string]any{
		"text": "Protect the children in care.", "text_fr": "Protéger les enfants placés.", "articles": []string{"18", "23"}})
	e.expect(200, "PATCH", "/api/v1/reports/rep", "secretariat", map[string]any{"title_fr": "Rapport d’essai"})
	e.expect(201, "POST", "/api/v1/reports", "secretariat", map[string]any{"slug": "helplines", "title": "Helplines",
		"kind": "implementation_report", "round": "Second round", "round_fr": "Deuxième cycle", "adopted_on": "2020-01-10", "parties": []string{"FR", "DE"}})
	e.expect(200, "POST", "/api/v1/reports/helplines/publish", "secretariat", nil)
	e.expect(201, "POST", "/api/v1/reports/helplines/recommendations", "secretariat", map[string]any{"label": "H1", "category": "invite",
		"text": "=HYPERLINK(\"http://evil.test\") fund a helpline for children", "articles": []string{"23"}})
	return e
}

type searchAnswer struct {
	Items []struct {
		Report, Label, Category, Text string
		TextFR                        string   `json:"text_fr"`
		Articles                      []string `json:"articles"`
		AddressedTo                   []string `json:"addressed_to"`
		Highlight                     *struct {
			Text   string `json:"text"`
			TextFR string `json:"text_fr"`
		} `json:"highlight"`
	} `json:"items"`
	NextCursor *string                   `json:"next_cursor"`
	Total      int                       `json:"total"`
	Facets     map[string]map[string]int `json:"facets"`
	Match      string                    `json:"match"`
}

func (e *testEnv) search(as, query string) searchAnswer {
	e.t.Helper()
	r := e.expect(200, "GET", "/api/v1/recommendations?"+query, as, nil)
	var a searchAnswer
	if err := json.Unmarshal(r.body, &a); err != nil {
		e.t.Fatalf("%s: %v", r.body, err)
	}
	return a
}

func hitLabels(a searchAnswer) string {
	var out []string
	for _, it := range a.Items {
		out = append(out, it.Report+"/"+it.Label)
	}
	return strings.Join(out, " ")
}

func TestSearchAPI(t *testing.T) {
	t.Parallel()
	e := newSearchEnv(t)
	a := e.search("", "q=enfants")
	if hitLabels(a) != "rep/R1" || a.Items[0].TextFR != "Protéger les enfants placés." || a.Items[0].Category != "urge" {
		t.Fatalf("q=enfants: %+v", a)
	}
	if a.Match == "stems" && (a.Items[0].Highlight == nil || a.Items[0].Highlight.TextFR != "Protéger les <mark>enfants</mark> placés.") {
		t.Errorf("highlight: %+v", a.Items[0].Highlight)
	}
	if got := hitLabels(e.search("", "article=23&sort=report")); got != "helplines/H1 rep/R1" {
		t.Errorf("article=23: %s", got)
	}
	if got := hitLabels(e.search("", "party=HU&sort=report")); got != "rep/R1 rep/R2" {
		t.Errorf("party=HU: %s", got)
	}
	all := e.search("", "limit=2&sort=report")
	if all.Total != 3 || all.NextCursor == nil || all.Facets["category"]["invite"] != 1 || all.Facets["report"]["rep"] != 2 ||
		all.Facets["round"]["Second round"] != 1 || all.Facets["article"]["23"] != 2 || all.Facets["party"]["HU"] != 2 {
		t.Fatalf("facets of everything: %+v", all)
	}
	next := e.search("", "limit=2&sort=report&cursor="+url.QueryEscape(*all.NextCursor))
	if hitLabels(next) != "rep/R2" || next.NextCursor != nil {
		t.Errorf("second page: %s", hitLabels(next))
	}
	for _, bad := range []struct{ query, field string }{
		{"status=done", "status"}, {"open=maybe", "open"}, {"limit=0", "limit"}, {"cursor=zz", "cursor"}, {"article=%3Cb%3E", "article"},
	} {
		r := e.expect(422, "GET", "/api/v1/recommendations?"+bad.query, "", nil)
		if code, field := r.errorOf(t); code != "invalid" || field != bad.field {
			t.Errorf("%s: %s %s", bad.query, code, field)
		}
	}
}

// A draft assessment never shows through the search: not in its results, not in its counts,
// not on its page, to the public; once adopted it does.
func TestSearchShowsNoDraft(t *testing.T) {
	t.Parallel()
	e := newSearchEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2026-11-01"})
	for _, as := range []string{"", "party-fr", "rapporteur"} {
		a := e.search(as, "status=implemented")
		if a.Total != 0 || a.Facets["status"]["implemented"] != 0 {
			t.Errorf("as %q: the draft shows: %+v", as, a)
		}
	}
	b := e.browser()
	p := b.get("/recommendations?party=FR").expect(t, 200, "search page")
	if strings.Contains(p.body, "status=implemented") {
		t.Errorf("the page offers the draft's status")
	}
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-20"})
	if a := e.search("", "status=implemented"); hitLabels(a) != "rep/R1" {
		t.Errorf("adopted: %s", hitLabels(a))
	}
	p = b.get("/recommendations?party=FR").expect(t, 200, "search page")
	if !strings.Contains(p.body, `href="/recommendations?party=FR&amp;status=implemented"`) {
		t.Errorf("the page has no link to the adopted status:\n%s", p.body)
	}
}

func TestSearchPageInBothLanguages(t *testing.T) {
	t.Parallel()
	e := newSearchEnv(t)
	b := e.browser()
	fr := b.do("GET", "/recommendations?q=children&sort=report", nil, map[string]string{"Accept-Language": "fr"}).expect(t, 200, "French page")
	for _, want := range []string{
		"Protéger les enfants placés.",                                               // R1 in French
		`<span lang="en">=HYPERLINK(&#34;http://evil.test&#34;) fund a helpline for`, // H1 in English, marked
		"(en anglais)",
		`title="Rapport d’essai"`, // the report's French title
		`href="/api/v1/recommendations.csv?lang=fr&amp;q=children&amp;sort=report"`,
	} {
		if !strings.Contains(fr.body, want) {
			t.Errorf("the French page lacks %q", want)
		}
	}
	en := b.get("/recommendations?q=children&sort=report").expect(t, 200, "English page")
	if strings.Contains(en.body, "Protéger") || strings.Contains(en.body, "(in English)") || !strings.Contains(en.body, "Protect the") {
		t.Errorf("the English page shows French text or marks")
	}
	if e.search("", "q=x").Match == "stems" && !strings.Contains(en.body, "<mark>children</mark>") {
		t.Errorf("the English page does not mark the matching word")
	}
	// A facet link keeps the rest of the view and drops the page.
	if !strings.Contains(en.body, `href="/recommendations?category=urge&amp;q=children&amp;sort=report"`) {
		t.Errorf("no facet link to category=urge in the view")
	}
	// A bad filter comes from a link, not a field of the page: the alert says what is wrong,
	// in the page's language.
	for _, tc := range []struct{ path, lang, want string }{
		{"/recommendations?status=done", "en", "Choose a status."},
		{"/recommendations?status=done", "fr", "Choisissez un statut."},
		{"/recommendations?sort=label", "en", "Choose an order."},
	} {
		bad := b.do("GET", tc.path, nil, map[string]string{"Accept-Language": tc.lang}).expect(t, 422, tc.path)
		if alert := between(bad.body, `role="alert">`, "<"); alert != tc.want {
			t.Errorf("%s (%s): the alert says %q, want %q", tc.path, tc.lang, alert, tc.want)
		}
	}
}

func TestSearchDownloadIsTheView(t *testing.T) {
	t.Parallel()
	e := newSearchEnv(t)
	r := e.expect(200, "GET", "/api/v1/recommendations.csv?article=23&sort=report&lang=fr", "", nil)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][0] != "helplines" || rows[2][0] != "rep" || rows[2][3] != "R1" {
		t.Fatalf("rows: %q", rows)
	}
	if h1 := rows[1][5]; !strings.HasPrefix(h1, "'=HYPERLINK") || !strings.HasSuffix(h1, "(en anglais)") {
		t.Errorf("H1's text is not neutralised and marked: %q", h1)
	}
	if rows[2][5] != "Protéger les enfants placés." || rows[2][1] != "Rapport d’essai" {
		t.Errorf("R1 in French: %q", rows[2])
	}
	x := e.expect(200, "GET", "/api/v1/recommendations.xlsx?q=children", "", nil)
	if !strings.HasPrefix(string(x.body), "PK") {
		t.Errorf("not a workbook")
	}
	e.expect(422, "GET", "/api/v1/recommendations.csv?lang=de", "", nil)
}

func TestArticlePage(t *testing.T) {
	t.Parallel()
	e := newSearchEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2026-11-01"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-20"})
	b := e.browser()
	p := b.get("/articles/23").expect(t, 200, "article 23")
	for _, want := range []string{"Article 23", `href="/reports/rep/recommendations/R1"`, `href="/reports/helplines/recommendations/H1"`, "100 %", "1 of 3"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the article page lacks %q", want)
		}
	}
	if strings.Contains(p.body, "/reports/rep/recommendations/R2") {
		t.Errorf("R2 does not cite Article 23")
	}
	b.get("/articles/abc").expect(t, http.StatusNotFound, "not an article")
}
