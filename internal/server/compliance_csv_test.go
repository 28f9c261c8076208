package server_test

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// The report's compliance CSV has, on each row, the recommendation's text, its deadline and the
// follow-up's stage on the day, as the reader may see it: a draft assessment only for the
// committee, a request for clarification only for those who may see it; every cell neutralised.
func TestComplianceCSVStages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(200, "PATCH", "/api/v1/reports/rep/recommendations/R2", "secretariat", map[string]any{"text": "=HYPERLINK(\"http://example.invalid\")"})
	// France submitted, and has a draft assessment; Germany's assessment is adopted; Hungary
	// is asked for clarification on R2.
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Measures.", "submitted_on": "2026-11-01"})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/DE/assessments", "rapporteur", map[string]any{"status": "not_implemented", "assessed_on": "2026-11-20"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-21", "labels": []string{"R1"}})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2026-11-22"})
	e.expect(201, "POST", "/api/v1/followups/rep/R2/HU/requests", "rapporteur", map[string]any{"question": "Which law?", "due_on": "2027-01-31"})

	rowsOf := func(path, as string) map[string]map[string]string {
		t.Helper()
		body := e.expect(200, "GET", path, as, nil).body
		recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out := map[string]map[string]string{}
		for _, r := range recs[1:] {
			row := map[string]string{}
			for i, h := range recs[0] {
				row[h] = r[i]
			}
			out[r[1]+"/"+r[5]] = row // label, Party code
		}
		return out
	}
	const path = "/api/v1/reports/rep/compliance.csv"
	cases := []struct {
		name, path, as string
		want           map[string]string // follow-up → state_code
	}{
		{"the public", path, "", map[string]string{"R1/FR": "submitted", "R1/DE": "adopted", "R1/HU": "awaiting_submission", "R2/HU": "awaiting_submission"}},
		{"a Party", path, "party-fr", map[string]string{"R1/FR": "submitted", "R1/DE": "adopted", "R2/HU": "awaiting_submission"}},
		{"the rapporteur", path + "?basis=draft", "rapporteur", map[string]string{"R1/FR": "assessed", "R1/DE": "adopted", "R1/HU": "awaiting_submission",
			"R2/HU": "clarification_requested"}},
		{"a past day", path + "?as_of=2026-11-15", "", map[string]string{"R1/FR": "submitted", "R1/DE": "awaiting_submission"}},
		{"a past day, drafts", path + "?as_of=2026-11-25&basis=draft", "rapporteur", map[string]string{"R1/FR": "assessed", "R1/DE": "adopted"}},
		{"an earlier day, drafts", path + "?as_of=2026-11-20&basis=draft", "rapporteur", map[string]string{"R1/FR": "submitted", "R1/DE": "assessed"}},
	}
	for _, c := range cases {
		rows := rowsOf(c.path, c.as)
		for key, want := range c.want {
			if r := rows[key]; r == nil || r["state_code"] != want {
				t.Errorf("%s: %s reads %q, want %q", c.name, key, r["state_code"], want)
			}
		}
	}
	rows := rowsOf(path, "")
	if r := rows["R1/FR"]; r["state"] != "Submitted" || r["recommendation"] != "Do the first thing." || r["due_on"] != "2018-09-30" {
		t.Errorf("R1/FR: %q", r)
	}
	if r := rows["R2/HU"]; r["recommendation"] != `'=HYPERLINK("http://example.invalid")` {
		t.Errorf("R2/HU: the text is not neutralised: %q", r["recommendation"])
	}
	// The next deadline the adoption set for Germany's open follow-up.
	if r := rows["R1/DE"]; r["due_on"] != "2027-11-21" {
		t.Errorf("R1/DE deadline %q, want the next one set by the adoption", r["due_on"])
	}
	fr := rowsOf(path+"?lang=fr", "")
	if r := fr["R1/FR"]; r["état"] != "Contribution reçue" || r["code_état"] != "submitted" {
		t.Errorf("French: %q", r)
	}
}
