package server_test

import (
	"strings"
	"testing"
)

// Bad input is answered as documented, names the field at fault, and changes nothing.
func TestBadInput(t *testing.T) {
	t.Parallel()
	huge := `{"text":"` + strings.Repeat("x", 1<<20) + `"}`
	cases := []struct {
		name, method, path, as string
		body                   any
		status                 int
		code, field            string
	}{
		{"malformed JSON", "POST", "/api/v1/reports", "secretariat", `{"slug": `, 400, "bad_request", ""},
		{"not an object", "POST", "/api/v1/reports", "secretariat", `[1,2]`, 400, "bad_request", ""},
		{"empty body", "POST", "/api/v1/parties", "secretariat", ``, 400, "bad_request", ""},
		{"trailing data", "POST", "/api/v1/parties", "secretariat", `{"code":"IT","name_en":"Italy","name_fr":"Italie"} {}`, 400, "bad_request", ""},
		{"unknown field", "POST", "/api/v1/reports/rep/recommendations", "secretariat",
			map[string]any{"label": "R5", "category": "urge", "text": "x", "colour": "red"}, 400, "bad_request", "colour"},
		{"wrong type", "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", `{"text": "x", "draft": "yes"}`, 400, "bad_request", "draft"},
		{"body over 1 MiB", "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", huge, 413, "too_large", ""},
		{"unknown category", "POST", "/api/v1/reports/rep/recommendations", "secretariat",
			map[string]any{"label": "R5", "category": "demand", "text": "x"}, 422, "invalid", "category"},
		{"duplicate label", "POST", "/api/v1/reports/rep/recommendations", "secretariat",
			map[string]any{"label": "R1", "category": "urge", "text": "x"}, 409, "conflict", "label"},
		{"label with a slash", "POST", "/api/v1/reports/rep/recommendations", "secretariat",
			map[string]any{"label": "R1/2", "category": "urge", "text": "x"}, 422, "invalid", "label"},
		{"addressee outside the report", "POST", "/api/v1/reports/rep/recommendations", "secretariat",
			map[string]any{"label": "R5", "category": "urge", "text": "x", "addressed_to": []string{"TR"}}, 422, "invalid", "addressed_to"},
		{"malformed Party code", "POST", "/api/v1/reports/rep/recommendations", "secretariat",
			map[string]any{"label": "R5", "category": "urge", "text": "x", "addressed_to": []string{"France"}}, 422, "invalid", "addressed_to"},
		{"unknown Party in report", "POST", "/api/v1/reports", "secretariat",
			map[string]any{"slug": "x", "title": "X", "kind": "other", "adopted_on": "2020-01-01", "parties": []string{"ZZ"}}, 422, "invalid", "parties"},
		{"unknown kind", "POST", "/api/v1/reports", "secretariat",
			map[string]any{"slug": "x", "title": "X", "kind": "memo", "adopted_on": "2020-01-01"}, 422, "invalid", "kind"},
		{"bad date", "POST", "/api/v1/reports", "secretariat",
			map[string]any{"slug": "x", "title": "X", "kind": "other", "adopted_on": "2020-02-30"}, 422, "invalid", "adopted_on"},
		{"date in the future", "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr",
			map[string]any{"text": "x", "submitted_on": "2030-01-01"}, 422, "invalid", "submitted_on"},
		{"duplicate slug", "POST", "/api/v1/reports", "secretariat",
			map[string]any{"slug": "rep", "title": "X", "kind": "other", "adopted_on": "2020-01-01"}, 409, "conflict", ""},
		{"unknown status", "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur",
			map[string]any{"status": "done"}, 422, "invalid", "status"},
		{"empty submission", "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr",
			map[string]any{"text": "   "}, 422, "invalid", "text"},
		{"unknown Party", "POST", "/api/v1/followups/rep/R1/XX/submissions", "secretariat",
			map[string]any{"text": "x"}, 404, "not_found", ""},
		{"Party not addressed", "POST", "/api/v1/followups/rep/R2/FR/submissions", "party-fr",
			map[string]any{"text": "x"}, 422, "invalid", "party"},
		{"Party outside the report", "POST", "/api/v1/followups/rep/R1/TR/assessments", "rapporteur",
			map[string]any{"status": "implemented"}, 422, "invalid", "party"},
		{"unknown recommendation", "POST", "/api/v1/followups/rep/R7/FR/submissions", "party-fr",
			map[string]any{"text": "x"}, 404, "not_found", ""},
		{"unknown report", "GET", "/api/v1/reports/nope/compliance", "", nil, 404, "not_found", ""},
		{"adopt unknown label", "POST", "/api/v1/reports/rep/adopt", "secretariat",
			map[string]any{"labels": []string{"R9"}}, 422, "invalid", "labels"},
		{"bad as_of", "GET", "/api/v1/reports/rep/compliance?as_of=yesterday", "", nil, 422, "invalid", "as_of"},
		{"unknown basis", "GET", "/api/v1/reports/rep/compliance?basis=rumour", "rapporteur", nil, 422, "invalid", "basis"},
		{"bad boolean", "GET", "/api/v1/followups?open=maybe", "", nil, 422, "invalid", "open"},
		{"bad limit", "GET", "/api/v1/followups?limit=5000", "", nil, 422, "invalid", "limit"},
		{"bad state", "GET", "/api/v1/followups?state=done", "", nil, 422, "invalid", "state"},
		{"bad cursor", "GET", "/api/v1/followups?cursor=abc", "", nil, 422, "invalid", "cursor"},
		{"unknown route", "GET", "/api/v1/nothing", "", nil, 404, "not_found", ""},
		{"method not allowed", "DELETE", "/api/v1/reports/rep", "admin", nil, 405, "method_not_allowed", ""},
		{"bad token", "GET", "/api/v1/reports", "", nil, 401, "unauthorized", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			if c.name == "bad token" {
				e.tokens["stranger"] = "fut_not-a-real-token-at-all"
				c.as = "stranger"
			}
			before := e.auditCount()
			r := e.do(c.method, c.path, c.as, c.body)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			code, field := r.errorOf(t)
			if code != c.code || field != c.field {
				t.Errorf("error %q field %q, want %q field %q: %s", code, field, c.code, c.field, r.body)
			}
			if after := e.auditCount(); after != before {
				t.Errorf("a failed request wrote %d audit entries", after-before)
			}
		})
	}
}

// A refused adoption adopts nothing, even for the follow-ups that were fine.
func TestAdoptionIsAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2019-01-10"})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/DE/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2019-05-10"})
	r := e.expect(422, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2019-03-01"})
	if _, field := r.errorOf(t); field != "adopted_on" {
		t.Errorf("field %q, want adopted_on", field)
	}
	v := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "", nil).json(t)
	if v["status"] != nil {
		t.Errorf("FR was adopted although the adoption failed: %v", v["status"])
	}
	n := e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2019-06-06"}).json(t)
	if n["adopted"] != float64(2) {
		t.Errorf("adopted %v, want 2", n["adopted"])
	}
}
