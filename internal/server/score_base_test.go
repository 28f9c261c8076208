package server_test

import (
	"strings"
	"testing"

	"followup/internal/followup"
)

// Every score shows its base: how many follow-ups it is computed from, out of how many.
func TestScoresShowTheirBase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// R1: France implemented, Germany not applicable (left out of scores); Hungary's R1 and R2
	// pending: 100 % of 1 follow-up out of 4.
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2026-11-10"})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/DE/assessments", "rapporteur", map[string]any{"status": "not_applicable", "assessed_on": "2026-11-10"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-12"})
	must(t, func() error {
		_, err := e.store.SnapshotCompliance(sysCtx(), followup.MustDate("2026-11-13"))
		return err
	})
	must(t, func() error {
		_, err := e.store.SnapshotCompliance(sysCtx(), followup.MustDate("2026-11-14"))
		return err
	})

	overall := e.expect(200, "GET", "/api/v1/reports/rep/compliance", "", nil).json(t)["overall"].(map[string]any)
	if overall["scored"] != float64(1) || overall["total"] != float64(4) {
		t.Errorf("the API's overall tally %v has no base", overall)
	}
	pub := e.browser()
	home := pub.get("/").expect(t, 200, "home")
	if !strings.Contains(home.body, `<th scope="col" class="num">Based on</th>`) || !strings.Contains(home.body, `<td class="num">1 of 4</td>`) {
		t.Errorf("the home table has no base: %.2000s", between(home.body, "<table>", "</table>"))
	}
	if !strings.Contains(home.body, ">100 % (1/4)</text>") {
		t.Errorf("the home chart's bar has no base: %s", between(home.body, "<svg", "</svg>"))
	}
	rep := pub.get("/reports/rep").expect(t, 200, "report")
	for _, want := range []string{
		"Overall compliance: <strong>100 %</strong> — based on 1 of 4 follow-ups",
		`<td class="num">100 %</td><td class="num">1 of 4</td>`, // the category and Party tables
		">100 % (1/1)</text>", // France's bar
		`<th scope="row">13 November 2026</th><td class="num">100 %</td><td class="num">1 of 4</td>`, // the trend
	} {
		if !strings.Contains(rep.body, want) {
			t.Errorf("the report page lacks %q", want)
		}
	}
	fr := pub.do("GET", "/reports/rep", nil, map[string]string{"Accept-Language": "fr"})
	if !strings.Contains(fr.body, "<strong>100 %</strong> — sur la base de 1 des 4 suivis") || !strings.Contains(fr.body, `<td class="num">1 sur 4</td>`) {
		t.Errorf("the French report page has no base: %s", between(fr.body, "<h2>Synthèse</h2>", "</p>"))
	}
	rec := pub.get("/reports/rep/recommendations/R1").expect(t, 200, "recommendation")
	if !strings.Contains(rec.body, "<strong>100 %</strong> — based on 1 of 3 follow-ups") {
		t.Errorf("the recommendation page has no base: %s", between(rec.body, "<h2>Outcome per Party</h2>", "</p>"))
	}
}
