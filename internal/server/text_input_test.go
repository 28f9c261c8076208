package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"followup/internal/followup"
)

// Every text field of the API refuses control characters and texts over its limit with a 422
// that names the field, and writes nothing.
func TestTextFieldsThroughAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	draft := e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "A draft.", "draft": true}).json(t)
	draftPath := "/api/v1/followups/rep/R1/FR/submissions/" + jsonNumber(draft["id"])
	party := func(en, fr string) map[string]any { return map[string]any{"code": "IT", "name_en": en, "name_fr": fr} }
	report := func(field, v string) map[string]any {
		r := map[string]any{"slug": "new", "title": "New", "kind": "other", "adopted_on": "2024-01-01"}
		r[field] = v
		return r
	}
	rec := func(label, text string) map[string]any {
		return map[string]any{"label": label, "category": "urge", "text": text}
	}
	cases := []struct {
		name, method, path, as string
		body                   map[string]any
		field                  string
	}{
		{"NUL in a Party's English name", "POST", "/api/v1/parties", "secretariat", party("It\x00aly", "Italie"), "name_en"},
		{"tab in a Party's French name", "POST", "/api/v1/parties", "secretariat", party("Italy", "Ita\tlie"), "name_fr"},
		{"Party name too long", "POST", "/api/v1/parties", "secretariat", party(strings.Repeat("n", 201), "Italie"), "name_en"},
		{"newline in a title", "POST", "/api/v1/reports", "secretariat", report("title", "New\nreport"), "title"},
		{"vertical tab in a round", "POST", "/api/v1/reports", "secretariat", report("round", "First\vround"), "round"},
		{"escape in a document reference", "POST", "/api/v1/reports", "secretariat", report("doc_ref", "T-ES\x1b(2024)"), "doc_ref"},
		{"document reference too long", "POST", "/api/v1/reports", "secretariat", report("doc_ref", strings.Repeat("d", 101)), "doc_ref"},
		{"title too long", "POST", "/api/v1/reports", "secretariat", report("title", strings.Repeat("t", 501)), "title"},
		{"round too long", "POST", "/api/v1/reports", "secretariat", report("round", strings.Repeat("r", 201)), "round"},
		{"patch: NUL in a title", "PATCH", "/api/v1/reports/rep", "secretariat", map[string]any{"title": "Test\x00"}, "title"},
		{"patch: document reference too long", "PATCH", "/api/v1/reports/rep", "secretariat", map[string]any{"doc_ref": strings.Repeat("d", 101)}, "doc_ref"},
		{"patch: line separator in a round", "PATCH", "/api/v1/reports/rep", "secretariat", map[string]any{"round": "a\u2028b"}, "round"},
		{"tab in a label", "POST", "/api/v1/reports/rep/recommendations", "secretariat", rec("R\t5", "Do it."), "label"},
		{"NUL in a recommendation", "POST", "/api/v1/reports/rep/recommendations", "secretariat", rec("R5", "Do\x00 it."), "text"},
		{"recommendation too long", "POST", "/api/v1/reports/rep/recommendations", "secretariat", rec("R5", strings.Repeat("x", 20001)), "text"},
		{"patch: form feed in a recommendation", "PATCH", "/api/v1/reports/rep/recommendations/R1", "secretariat", map[string]any{"text": "a\fb"}, "text"},
		{"vertical tab in a submission", "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "line\vline"}, "text"},
		{"NUL in a draft", "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "a\x00", "draft": true}, "text"},
		{"submission too long", "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": strings.Repeat("s", 100001)}, "text"},
		{"patch: bell in a draft", "PATCH", draftPath, "party-fr", map[string]any{"text": "a\x07b"}, "text"},
		{"delete in a comment", "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "comment": "ok\x7f"}, "comment"},
		{"comment too long", "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "comment": strings.Repeat("c", 20001)}, "comment"},
		{"tab in a label to adopt", "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"labels": []string{"R\t1"}}, "labels"},
	}
	for _, c := range cases {
		before := e.auditCount()
		r := e.do(c.method, c.path, c.as, c.body)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422: %.300s", c.name, r.status, r.body)
			continue
		}
		if code, field := r.errorOf(t); code != "invalid" || field != c.field {
			t.Errorf("%s: error %q field %q, want invalid %q", c.name, code, field, c.field)
		}
		if after := e.auditCount(); after != before {
			t.Errorf("%s: %d audit entries written", c.name, after-before)
		}
	}
	// At the limits, and with the line breaks of a text area, the texts are taken; CR LF is
	// stored as LF.
	e.expect(201, "POST", "/api/v1/parties", "secretariat", party(strings.Repeat("n", 200), strings.Repeat("é", 200)))
	e.expect(201, "POST", "/api/v1/reports", "secretariat", map[string]any{"slug": "new", "title": strings.Repeat("t", 500),
		"kind": "other", "adopted_on": "2024-01-01", "round": strings.Repeat("r", 200), "doc_ref": strings.Repeat("d", 100), "parties": []string{"FR"}})
	e.expect(201, "POST", "/api/v1/reports/rep/recommendations", "secretariat", rec("R5", strings.Repeat("x", 20000)))
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "First line.\r\n\tSecond line."})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "comment": strings.Repeat("c", 20000)})
	fu := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "party-fr", nil).json(t)
	subs, _ := fu["submissions"].([]any)
	if len(subs) != 2 {
		t.Fatalf("submissions %v", fu["submissions"])
	}
	if text := subs[1].(map[string]any)["text"]; text != "First line.\n\tSecond line." {
		t.Errorf("stored text %q, want the lines separated by LF", text)
	}
}

func jsonNumber(v any) string {
	f, _ := v.(float64)
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// The forms of the user pages refuse control characters in a user's name, e-mail address and
// a token's name, and write nothing.
func TestTextFieldsThroughForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.browser()
	admin.login("admin")
	user := func(email, name string) url.Values {
		return url.Values{"email": {email}, "name": {name}, "role": {"rapporteur"}, "password": {"another long password"}}
	}
	cases := []struct {
		name, path string
		form       url.Values
		field      string
	}{
		{"NUL in a user's name", "/manage/users", user("new@example.org", "New\x00 user"), "name"},
		{"newline in a user's name", "/manage/users", user("new@example.org", "New\nuser"), "name"},
		{"user's name too long", "/manage/users", user("new@example.org", strings.Repeat("n", 201)), "name"},
		{"tab in an e-mail address", "/manage/users", user("new\t@example.org", "New"), "email"},
		{"e-mail address too long", "/manage/users", user(strings.Repeat("a", 243)+"@example.org", "New"), "email"},
		{"invalid UTF-8 in a user's name", "/manage/users", user("new@example.org", "N\xffw"), "name"},
		{"bell in a token name", "/manage/tokens", url.Values{"email": {"admin@example.org"}, "name": {"ci\x07"}}, "name"},
		{"newline in a token name", "/manage/tokens", url.Values{"email": {"admin@example.org"}, "name": {"ci\nscript"}}, "name"},
		{"token name too long", "/manage/tokens", url.Values{"email": {"admin@example.org"}, "name": {strings.Repeat("t", 201)}}, "name"},
	}
	for _, c := range cases {
		before := e.auditCount()
		p := admin.post(c.path, c.form)
		if p.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", c.name, p.status)
			continue
		}
		if !strings.Contains(p.body, `class="field-error"`) {
			t.Errorf("%s: no message next to the field", c.name)
		}
		if after := e.auditCount(); after != before {
			t.Errorf("%s: %d audit entries written", c.name, after-before)
		}
	}
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	if _, err := e.store.FindUserByEmail(ctx, "new@example.org"); followup.ErrorCode(err) != followup.ENotFound {
		t.Errorf("a refused user exists: %v", err)
	}
	// At the limits the texts are taken.
	admin.post("/manage/users", user(strings.Repeat("a", 242)+"@example.org", strings.Repeat("é", 200))).expect(t, 303, "user at the limits")
	admin.post("/manage/tokens", url.Values{"email": {"admin@example.org"}, "name": {strings.Repeat("t", 200)}}).expect(t, 201, "token name at the limit")
}
