package server_test

import (
	"strings"
	"testing"
)

// newSelectionEnv adopts: R1 FR implemented, R1 DE not implemented, R1 HU partially
// implemented, R2 HU implemented. The whole report scores (1 + 0 + 0.5 + 1) / 4 = 63 %.
func newSelectionEnv(t *testing.T) *testEnv {
	e := newEnv(t)
	for _, a := range []struct{ label, party, status string }{
		{"R1", "FR", "implemented"}, {"R1", "DE", "not_implemented"}, {"R1", "HU", "partially_implemented"}, {"R2", "HU", "implemented"},
	} {
		e.expect(201, "POST", "/api/v1/followups/rep/"+a.label+"/"+a.party+"/assessments", "rapporteur",
			map[string]any{"status": a.status, "assessed_on": "2026-11-10"})
	}
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-12"})
	return e
}

// The report page's summary and charts are those of the filter, as the matrix is, and say so.
func TestReportPageFiguresFollowTheFilter(t *testing.T) {
	t.Parallel()
	e := newSelectionEnv(t)
	pub := e.browser()
	whole := pub.get("/reports/rep").expect(t, 200, "whole report")
	if !strings.Contains(whole.body, "Overall compliance: <strong>63 %") || strings.Contains(whole.body, "cover only this selection") {
		t.Errorf("whole report summary: %s", between(whole.body, `<h2>Summary</h2>`, `</ul>`))
	}
	cases := []struct {
		query, score, note string
		absent             []string // Party names that must not be in the charts
	}{
		{"party=HU", "75 %", "Party: Hungary", []string{">France<", ">Germany<"}},
		{"category=urge&party=FR,DE", "50 %", "Category: Urge · Parties: France, Germany", []string{">Hungary<"}},
		{"category=urge&party=DE&party=FR", "50 %", "Category: Urge · Parties: France, Germany", []string{">Hungary<"}},
		{"category=consider", "100 %", "Category: Consider", []string{">France<", ">Germany<"}},
	}
	for _, c := range cases {
		p := pub.get("/reports/rep?"+c.query).expect(t, 200, c.query)
		summary := between(p.body, `<h2>Summary</h2>`, `<h2>Recommendations</h2>`)
		if !strings.Contains(summary, "Overall compliance: <strong>"+c.score) {
			t.Errorf("%s: summary %.400s, want %s", c.query, summary, c.score)
		}
		if !strings.Contains(p.body, "These figures cover only this selection: "+c.note+".") {
			t.Errorf("%s: the page does not say the figures cover %q", c.query, c.note)
		}
		charts := between(p.body, `<div class="charts">`, `<h2>Recommendations</h2>`)
		for _, name := range c.absent {
			if strings.Contains(charts, name) {
				t.Errorf("%s: the charts show %s", c.query, name)
			}
		}
	}
	// A bad filter: the page again (422) with the message next to the filter.
	for _, q := range []string{"category=bogus", "party=TR", "party=F1"} {
		p := pub.get("/reports/rep?"+q).expect(t, 422, q)
		field := strings.SplitN(q, "=", 2)[0]
		if !strings.Contains(p.body, `id="f-`+field+`-err"`) || !strings.Contains(p.body, `class="matrix"`) {
			t.Errorf("%s: no message next to the filter, or no matrix: %.1500s", q, between(p.body, "<main", "</form>"))
		}
	}
}

// The compliance API and its exports take category= and party= and rebuild the figures.
func TestComplianceAPISelection(t *testing.T) {
	t.Parallel()
	e := newSelectionEnv(t)
	for _, q := range []string{"party=HU", "party=hu", "category=urge&party=HU", "party=HU,FR"} {
		doc := e.expect(200, "GET", "/api/v1/reports/rep/compliance?"+q, "", nil).json(t)
		overall := doc["overall"].(map[string]any)
		sel, _ := doc["selection"].(map[string]any)
		want := map[string]float64{"party=HU": 2, "party=hu": 2, "category=urge&party=HU": 1, "party=HU,FR": 3}[q]
		if overall["total"] != want || sel == nil {
			t.Errorf("%s: overall %v, selection %v", q, overall, sel)
		}
	}
	if doc := e.expect(200, "GET", "/api/v1/reports/rep/compliance", "", nil).json(t); doc["selection"] != nil {
		t.Errorf("the whole report names a selection: %v", doc["selection"])
	}
	for _, c := range []struct{ query, field string }{
		{"category=bogus", "category"}, {"category=urge&category=invite", "category"},
		{"party=TR", "party"}, {"party=FRA", "party"}, {"party=HU,1", "party"},
	} {
		for _, path := range []string{"/api/v1/reports/rep/compliance?", "/api/v1/reports/rep/compliance.csv?", "/api/v1/reports/rep/compliance.pdf?"} {
			code, field := e.expect(422, "GET", path+c.query, "", nil).errorOf(t)
			if code != "invalid" || field != c.field {
				t.Errorf("%s%s: %s %s", path, c.query, code, field)
			}
		}
	}
	body := e.expect(200, "GET", "/api/v1/reports/rep/compliance.csv?party=HU", "", nil).body
	rows := csvRows(t, body)
	if len(rows) != 3 {
		t.Fatalf("Hungary's CSV has %d rows: %s", len(rows), body)
	}
	// The adoption of 12 November 2026 left R1/HU open: it is due again a year later.
	if hu := reportCell(t, body, "R1", "HU"); hu["selection"] != "Party: Hungary" || hu["recommendation"] != "Do the first thing." || hu["due_on"] != "2027-11-12" {
		t.Errorf("Hungary's R1 row %v", hu)
	}
	for _, r := range rows[1:] {
		if !strings.Contains(strings.Join(r, ","), ",HU,Hungary,") {
			t.Errorf("row %v", r)
		}
	}
	js := string(e.expect(200, "GET", "/api/v1/reports/rep/compliance.json?category=consider", "", nil).body)
	if !strings.Contains(js, `"category": "consider"`) || !strings.Contains(js, `"total": 1`) {
		t.Errorf("the JSON export of a category: %.500s", js)
	}
	e.expect(200, "GET", "/api/v1/reports/rep/compliance.xlsx?party=FR&lang=fr", "", nil)
}
