package server_test

import (
	"bytes"
	"strings"
	"testing"
)

// snapshot is everything a refused write must leave as it was: the follow-ups as the
// Secretariat reads them (submissions, drafts and assessments included), their histories, and
// the number of audit entries.
func (e *testEnv) snapshot(keys ...string) string {
	e.t.Helper()
	var b bytes.Buffer
	for _, k := range keys {
		b.Write(e.expect(200, "GET", "/api/v1/followups/"+k, "secretariat", nil).body)
		b.Write(e.expect(200, "GET", "/api/v1/followups/"+k+"/history", "secretariat", nil).body)
	}
	b.WriteString(strings.Repeat("|", e.auditCount()))
	return b.String()
}

// No submission, assessment or adoption can be dated before the report's adoption, no
// submission or new assessment before the follow-up's latest adoption, no second adoption of a
// follow-up on the day of its previous one, and a report cannot be moved after its history:
// each is refused with 422 naming the date, and nothing is written.
func TestHistoryDatesRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// A report adopted in 2024, and the history of rep/R1/FR: assessed 2020-01-10, adopted 2020-02-01.
	e.expect(201, "POST", "/api/v1/reports", "secretariat", map[string]any{"slug": "late", "title": "Late report", "kind": "other",
		"adopted_on": "2024-03-01", "parties": []string{"FR"}})
	e.expect(200, "POST", "/api/v1/reports/late/publish", "secretariat", nil)
	e.expect(201, "POST", "/api/v1/reports/late/recommendations", "secretariat", map[string]any{"label": "L1", "category": "urge", "text": "Act."})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "not_implemented", "assessed_on": "2020-01-10"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2020-02-01", "labels": []string{"R1"}})
	draft := e.expect(201, "POST", "/api/v1/followups/late/L1/FR/submissions", "party-fr", map[string]any{"text": "A draft.", "draft": true}).json(t)
	draftPath := "/api/v1/followups/late/L1/FR/submissions/" + jsonNumber(draft["id"])

	cases := []struct {
		name, method, path, as string
		body                   map[string]any
		field, mentions        string
	}{
		{"submission in 1900", "POST", "/api/v1/followups/late/L1/FR/submissions", "party-fr",
			map[string]any{"text": "Old news.", "submitted_on": "1900-01-01"}, "submitted_on", "2024-03-01"},
		{"submission the day before the report", "POST", "/api/v1/followups/late/L1/FR/submissions", "secretariat",
			map[string]any{"text": "Early.", "submitted_on": "2024-02-29"}, "submitted_on", "2024-03-01"},
		{"draft submitted as of 1900", "PATCH", draftPath, "party-fr",
			map[string]any{"draft": false, "submitted_on": "1900-01-01"}, "submitted_on", "2024-03-01"},
		{"assessment in 1900", "POST", "/api/v1/followups/late/L1/FR/assessments", "rapporteur",
			map[string]any{"status": "implemented", "assessed_on": "1900-01-01"}, "assessed_on", "2024-03-01"},
		{"adoption in 1900", "POST", "/api/v1/reports/late/adopt", "secretariat",
			map[string]any{"adopted_on": "1900-01-02"}, "adopted_on", "2024-03-01"},
		{"assessment before the latest adoption", "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur",
			map[string]any{"status": "implemented", "assessed_on": "2020-01-20"}, "assessed_on", "2020-02-01"},
		{"submission before the latest adoption", "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr",
			map[string]any{"text": "Backdated.", "submitted_on": "2020-01-31"}, "submitted_on", "2020-02-01"},
		{"report moved after its history", "PATCH", "/api/v1/reports/rep", "secretariat",
			map[string]any{"adopted_on": "2020-01-11", "followup_due_on": "2021-01-01"}, "adopted_on", "2020-01-10"},
	}
	keys := []string{"late/L1/FR", "rep/R1/FR"}
	for _, c := range cases {
		before := e.snapshot(keys...)
		report := e.expect(200, "GET", "/api/v1/reports/rep", "", nil).body
		r := e.do(c.method, c.path, c.as, c.body)
		if r.status != 422 {
			t.Errorf("%s: status %d, want 422: %s", c.name, r.status, r.body)
			continue
		}
		code, field := r.errorOf(t)
		msg := r.json(t)["error"].(map[string]any)["message"].(string)
		if code != "invalid" || field != c.field || !strings.Contains(msg, c.mentions) {
			t.Errorf("%s: %s field %q message %q; want invalid %q mentioning %s", c.name, code, field, msg, c.field, c.mentions)
		}
		if e.snapshot(keys...) != before || !bytes.Equal(e.expect(200, "GET", "/api/v1/reports/rep", "", nil).body, report) {
			t.Errorf("%s: the refused request changed the follow-ups, their history or the report", c.name)
		}
	}

	// A new assessment may be dated on the day of the latest adoption, but it cannot be adopted
	// on that day too: the day's outcome is the earlier adoption's.
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2020-02-01"})
	before := e.snapshot(keys...)
	r := e.expect(422, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2020-02-01"})
	code, field := r.errorOf(t)
	if msg := r.json(t)["error"].(map[string]any)["message"].(string); code != "invalid" || field != "adopted_on" || !strings.Contains(msg, "same day") {
		t.Errorf("second adoption on the same day: %s %q %q", code, field, msg)
	}
	if e.snapshot(keys...) != before {
		t.Error("the refused adoption changed something")
	}
	asOf := e.expect(200, "GET", "/api/v1/reports/rep/compliance?as_of=2020-02-01", "", nil).body
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2020-02-02"})
	if got := e.expect(200, "GET", "/api/v1/reports/rep/compliance?as_of=2020-02-01", "", nil).body; !bytes.Equal(got, asOf) {
		t.Errorf("the next day's adoption changed the picture of 2020-02-01:\n%s\n%s", asOf, got)
	}
	if fu := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "", nil).json(t); fu["status"] != "implemented" || fu["adopted_on"] != "2020-02-02" {
		t.Errorf("after the next day's adoption: %v", fu)
	}

	// An assessments import reports the rows dated before the follow-up's latest adoption or
	// the report's, and writes nothing.
	before = e.snapshot(keys...)
	csv := "label,party,status,comment,assessed_on\n" +
		"R1,DE,implemented,Fine.,2021-01-01\n" +
		"R1,FR,implemented,Too early.,2020-02-01\n" + // before FR's latest adoption, 2020-02-02
		"R1,HU,implemented,Before the report.,2017-03-02\n"
	a := decodeImport(t, e.upload("/api/v1/reports/rep/import/assessments", "rapporteur", "text/csv", "", []byte(csv)), 422)
	if a.Applied || len(a.Errors) != 2 || a.Errors[0].Row != 3 || a.Errors[0].Column != "assessed_on" ||
		a.Errors[1].Row != 4 || a.Errors[1].Column != "assessed_on" {
		t.Errorf("import: %+v", a)
	}
	if e.snapshot(keys...) != before {
		t.Error("the refused import changed something")
	}
}
