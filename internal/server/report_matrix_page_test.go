package server_test

import (
	"strings"
	"testing"
)

// The matrix: a status filter, the start of each recommendation's text on its column, and, for
// the committee, "submitted, awaiting assessment" told from "no submission".
func TestReportMatrixFilterTipsAndAwaiting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "We did it.", "submitted_on": "2026-11-01"})
	rap := e.browser()
	rap.login("rapporteur")
	p := rap.get("/reports/rep").expect(t, 200, "report as rapporteur")
	if !strings.Contains(p.body, `aria-label="R1 · FR: Pending — submitted, awaiting assessment"`) ||
		strings.Contains(p.body, `aria-label="R1 · DE: Pending — submitted`) {
		t.Errorf("the rapporteur's matrix does not tell FR's submission from DE's none:\n%s", between(p.body, `<table class="matrix"`, `</table>`))
	}
	if !strings.Contains(p.body, `title="Do the first thing." data-tip="Do the first thing."`) || !strings.Contains(p.body, `<li id="col-R1">`) {
		t.Errorf("the columns have no tip or no legend")
	}
	if pub := e.browser().get("/reports/rep").expect(t, 200, "public report"); strings.Contains(pub.body, "awaiting assessment") {
		t.Errorf("the public matrix tells of a submission")
	}
	e.expect(201, "POST", "/api/v1/followups/rep/R2/HU/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2026-11-01"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-20"})
	f := e.browser().get("/reports/rep?status=implemented").expect(t, 200, "status filter")
	matrix := between(f.body, `<table class="matrix"`, `</table>`)
	if !strings.Contains(matrix, ">Hungary</a>") || strings.Contains(matrix, ">France</a>") || strings.Contains(matrix, ">R1</a>") {
		t.Errorf("status=implemented keeps Hungary and R2 only:\n%s", matrix)
	}
	bad := e.browser().get("/reports/rep?status=done").expect(t, 422, "bad status")
	if !strings.Contains(bad.body, `id="f-status-err"`) {
		t.Errorf("the bad status is not told next to its filter")
	}
}
