package server_test

import (
	"strings"
	"testing"
)

// A recommendation archived today stays in the pictures of the days before: the report page,
// the compliance export and the Party's dossier export as of yesterday show it with its text
// and its adopted outcome; today's leave it out.
func TestArchivingKeepsThePastDays(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2026-11-01"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-10", "labels": []string{"R1"}})
	e.expect(200, "PATCH", "/api/v1/reports/rep/recommendations/R1", "secretariat", map[string]any{"archived": true})

	yesterday := "?as_of=2026-11-27"
	row := reportCell(t, e.expect(200, "GET", "/api/v1/reports/rep/compliance.csv"+yesterday, "", nil).body, "R1", "FR")
	if row["recommendation"] != "Do the first thing." || row["status_code"] != "implemented" || row["adopted_on"] != "2026-11-10" {
		t.Errorf("the compliance CSV as of yesterday, R1/FR: %v", row)
	}
	dossier := string(e.expect(200, "GET", "/api/v1/parties/FR/dossier.csv"+yesterday, "", nil).body)
	if !strings.Contains(dossier, "Do the first thing.") {
		t.Errorf("the dossier CSV as of yesterday lacks R1: %s", dossier)
	}
	page := e.browser().get("/reports/rep"+yesterday).expect(t, 200, "the report as of yesterday")
	if !strings.Contains(page.body, `href="/reports/rep/recommendations/R1"`) || !strings.Contains(page.body, `href="/followups/rep/R1/FR"`) {
		t.Errorf("the report page as of yesterday has no column R1: %s", between(page.body, `class="matrix"`, "</table>"))
	}

	for _, r := range csvRows(t, e.expect(200, "GET", "/api/v1/reports/rep/compliance.csv", "", nil).body)[1:] {
		if r[1] == "R1" {
			t.Errorf("today's compliance CSV has R1: %v", r)
		}
	}
	if d := string(e.expect(200, "GET", "/api/v1/parties/FR/dossier.csv", "", nil).body); strings.Contains(d, "Do the first thing.") {
		t.Errorf("today's dossier CSV has R1: %s", d)
	}
	if p := e.browser().get("/reports/rep").expect(t, 200, "the report today"); strings.Contains(p.body, `href="/reports/rep/recommendations/R1"`) {
		t.Errorf("today's report page has R1: %s", between(p.body, `class="matrix"`, "</table>"))
	}
}
