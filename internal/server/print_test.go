package server_test

import (
	"fmt"
	"strings"
	"testing"

	"followup/internal/followup"
)

// A future or malformed "as of" on the report page is refused like a bad form value: the page
// again (422) with the message next to the date. The API and the exports refuse it too.
func TestReportPageRefusesFutureAsOf(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pub := e.browser()
	cases := []struct{ asOf, message string }{
		{"2031-01-01", "The date of the situation, 1 January 2031, is in the future: enter today’s date or an earlier one."},
		{"2026-11-29", "The date of the situation, 29 November 2026, is in the future"},
		{"31/12/2020", "Enter the date of the situation in the form YYYY-MM-DD."},
	}
	for _, c := range cases {
		p := pub.get("/reports/rep?as_of="+c.asOf).expect(t, 422, "as of "+c.asOf)
		field := between(p.body, `<label for="f-asof">`, `</div>`)
		if !strings.Contains(field, `<p class="field-error" id="f-asof-err">`+c.message) || !strings.Contains(field, `value="`+c.asOf+`"`) {
			t.Errorf("as of %s: no message next to the date: %s", c.asOf, field)
		}
		if !strings.Contains(p.body, `class="matrix"`) || strings.Contains(p.body, "Situation as of 1 January 2031") || strings.Contains(p.body, `class="error-page"`) {
			t.Errorf("as of %s: not the report page of today", c.asOf)
		}
	}
	fr := pub.do("GET", "/reports/rep?as_of=2031-01-01", nil, map[string]string{"Accept-Language": "fr"})
	if fr.status != 422 || !strings.Contains(fr.body, "La date de la situation, le 1er janvier 2031, est dans le futur") {
		t.Errorf("French: %d %s", fr.status, between(fr.body, `<label for="f-asof">`, `</div>`))
	}
	for _, path := range []string{"/api/v1/reports/rep/compliance", "/api/v1/reports/rep/compliance.csv", "/api/v1/parties/FR/dossier.json"} {
		if code, field := e.expect(422, "GET", path+"?as_of=2031-01-01", "", nil).errorOf(t); code != "invalid" || field != "as_of" {
			t.Errorf("%s: %s %s", path, code, field)
		}
	}
	e.expect(200, "GET", "/api/v1/reports/rep/compliance?as_of=2026-11-28", "", nil)
}

// Printouts: the report page in landscape with the matrix in column groups that each repeat the
// Party column; every printed page of the report and Party pages stamped with the "as of" date
// and the time of printing.
func TestPrintouts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := 3; i <= 14; i++ {
		l := fmt.Sprintf("R%d", i)
		must(t, func() error {
			_, err := e.store.CreateRecommendation(sysCtx(), "rep", followup.RecommendationInput{Label: l, Category: followup.Invite, Text: "Act."})
			return err
		})
	}
	pub := e.browser()
	p := pub.get("/reports/rep?as_of=2026-11-01").expect(t, 200, "report")
	if !strings.Contains(p.body, `<body class="page-report">`) ||
		!strings.Contains(p.body, `<link rel="stylesheet" media="print" href="/print/stamp.css?as_of=2026-11-01">`) {
		t.Error("the report page has no print rules of its own or no print stamp")
	}
	printed := between(p.body, `<div class="print-only matrix-print">`, `<div id="matrix-legend"`)
	if n := strings.Count(printed, `<table class="matrix"`); n != 2 {
		t.Fatalf("14 recommendations print in %d column groups, want 2 of at most 12", n)
	}
	if strings.Count(printed, `<th scope="col">Party</th>`) != 2 || !strings.Contains(printed, "recommendations R1 to R12") ||
		!strings.Contains(printed, "recommendations R13 to R14") || strings.Count(printed, `>Hungary</a></th>`) != 2 {
		t.Errorf("the column groups do not each repeat the Party column: %.2000s", printed)
	}
	if !strings.Contains(p.body, `<div class="table-wrap matrix-wrap screen-only">`) {
		t.Error("the wide matrix is printed as well as its groups")
	}
	css := pub.get("/static/app.css").body
	for _, want := range []string{"@page report { size: A4 landscape; }", "body.page-report { page: report; }", ".screen-only { display: none !important; }"} {
		if !strings.Contains(css, want) {
			t.Errorf("app.css lacks %q", want)
		}
	}
	stamp := pub.get("/print/stamp.css?as_of=2026-11-01").expect(t, 200, "stamp")
	if !strings.HasPrefix(stamp.header.Get("Content-Type"), "text/css") ||
		!strings.Contains(stamp.body, `@page { @top-right { content: "Situation as of 1 November 2026 · printed 28 November 2026 09:00 UTC";`) {
		t.Errorf("the print stamp: %s %s", stamp.header.Get("Content-Type"), stamp.body)
	}
	if fr := pub.do("GET", "/print/stamp.css", nil, map[string]string{"Accept-Language": "fr"}); !strings.Contains(fr.body, `"Situation au 28 novembre 2026 · imprimé le 28 novembre 2026 09:00 UTC"`) {
		t.Errorf("the French print stamp: %s", fr.body)
	}
	pub.get("/print/stamp.css?as_of=2031-01-01").expect(t, 422, "a stamp for a day to come")
	if party := pub.get("/parties/FR"); !strings.Contains(party.body, `<link rel="stylesheet" media="print" href="/print/stamp.css">`) {
		t.Error("the Party page's printout is not stamped")
	}
	// A matrix that fits a page prints as it is.
	small := newEnv(t).browser().get("/reports/rep")
	if strings.Contains(small.body, "matrix-print") || strings.Contains(small.body, "screen-only") {
		t.Error("a narrow matrix is split for printing")
	}
}
