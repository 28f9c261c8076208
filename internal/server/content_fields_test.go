package server_test

import (
	"testing"
)

// The French texts, links and sources of reports, recommendations and assessments round-trip
// through the API: created, read back, patched, cleared; a link that is not an http(s) address
// is refused naming the field, and nothing is written.
func TestBilingualAndSourceFieldsRoundTrip(t *testing.T) {
	e := newEnv(t)
	r := e.expect(201, "POST", "/api/v1/reports", "secretariat", map[string]any{
		"slug": "bi", "title": "Bilingual report", "title_fr": "Rapport bilingue", "kind": "other",
		"round": "Second round", "round_fr": "Deuxième cycle", "adopted_on": "2024-01-10", "parties": []string{"FR"},
		"url": "https://rm.coe.int/example", "source": "T-ES(2024)01"}).json(t)
	e.expect(200, "POST", "/api/v1/reports/bi/publish", "secretariat", nil)
	for k, want := range map[string]string{"title_fr": "Rapport bilingue", "round_fr": "Deuxième cycle",
		"url": "https://rm.coe.int/example", "source": "T-ES(2024)01"} {
		if r[k] != want {
			t.Errorf("report %s = %v, want %q", k, r[k], want)
		}
	}
	e.expect(201, "POST", "/api/v1/reports/bi/recommendations", "secretariat", map[string]any{
		"label": "R1", "category": "urge", "text": "Criminalise grooming.", "text_fr": "Incriminer la sollicitation.",
		"source": "§ 12 of the report"})
	rec := e.expect(200, "GET", "/api/v1/reports/bi/recommendations/R1", "", nil).json(t)
	if rec["text_fr"] != "Incriminer la sollicitation." || rec["source"] != "§ 12 of the report" || rec["url"] != "" {
		t.Errorf("recommendation read back: %v", rec)
	}
	rec = e.expect(200, "PATCH", "/api/v1/reports/bi/recommendations/R1", "secretariat", map[string]any{
		"text_fr": "", "url": "http://example.org/r1"}).json(t)
	if rec["text_fr"] != "" || rec["url"] != "http://example.org/r1" || rec["text"] != "Criminalise grooming." {
		t.Errorf("recommendation patched: %v", rec)
	}
	a := e.expect(201, "POST", "/api/v1/followups/bi/R1/FR/assessments", "rapporteur", map[string]any{
		"status": "not_implemented", "comment": "No law yet.", "comment_fr": "Pas encore de loi.", "assessed_on": "2024-05-01",
		"source": "compliance report T-ES(2024)07"}).json(t)
	if a["comment_fr"] != "Pas encore de loi." || a["source"] != "compliance report T-ES(2024)07" {
		t.Errorf("assessment: %v", a)
	}
	fu := e.expect(200, "GET", "/api/v1/followups/bi/R1/FR", "rapporteur", nil).json(t)
	if as, _ := fu["assessments"].([]any); len(as) != 1 || as[0].(map[string]any)["comment_fr"] != "Pas encore de loi." {
		t.Errorf("the follow-up's assessment: %v", fu["assessments"])
	}

	before := e.auditCount()
	for _, bad := range []struct {
		path, method string
		body         map[string]any
	}{
		{"/api/v1/reports/bi", "PATCH", map[string]any{"url": "javascript:alert(1)"}},
		{"/api/v1/reports/bi", "PATCH", map[string]any{"url": "rm.coe.int/no-scheme"}},
		{"/api/v1/reports/bi/recommendations/R1", "PATCH", map[string]any{"url": "https://x.org/a b"}},
	} {
		resp := e.expect(422, bad.method, bad.path, "secretariat", bad.body)
		if code, field := resp.errorOf(t); code != "invalid" || field != "url" {
			t.Errorf("%s %v: %s on %q, want invalid on url", bad.path, bad.body, code, field)
		}
	}
	if e.auditCount() != before {
		t.Error("a refused link was written")
	}
}
