package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// The bodies of the API are one JSON object, in UTF-8, each key once.
func TestJSONBodyShape(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const sub = "/api/v1/followups/rep/R1/FR/submissions"
	cases := []struct {
		name, path, body string
		field, message   string // message: a part of the message
	}{
		{"duplicate key", sub, `{"text":"a","text":"b"}`, "text", `"text" appears twice`},
		{"duplicate key in another case", sub, `{"text":"a","draft":true,"Text":"b"}`, "Text", `"Text" appears twice`},
		{"duplicate key spelled with an escape", sub, `{"text":"a","t\u0065xt":"b"}`, "text", `"text" appears twice`},
		{"duplicate key in a nested object", "/api/v1/reports", `{"slug":"x","parties":[{"a":1,"a":2}]}`, "a", `"a" appears twice`},
		{"duplicate date", "/api/v1/reports/rep/adopt", `{"adopted_on":"2026-01-01","adopted_on":"2026-02-01"}`, "adopted_on", "appears twice"},
		{"array", sub, `[]`, "", "must be a JSON object, not an array"},
		{"array of objects", sub, `[{"text":"a"}]`, "", "must be a JSON object, not an array"},
		{"string", sub, `"x"`, "", "must be a JSON object, not a string"},
		{"number", sub, `3`, "", "must be a JSON object, not a number"},
		{"boolean", sub, `true`, "", "must be a JSON object, not a boolean"},
		{"null", sub, `null`, "", "must be a JSON object, not null"},
		{"null where an empty body is fine", "/api/v1/reports/rep/adopt", `null`, "", "must be a JSON object, not null"},
		{"invalid UTF-8 in a value", sub, "{\"draft\":true,\"text\":\"a\xffb\"}", "text", "not valid UTF-8"},
		{"invalid UTF-8 in a list", "/api/v1/reports", "{\"slug\":\"x\",\"parties\":[\"FR\",\"D\xc3\"]}", "parties", "not valid UTF-8"},
		{"lone surrogate", sub, `{"text":"a\ud800b"}`, "text", "surrogate"},
		{"lone low surrogate", sub, `{"text":"a\udc00"}`, "text", "surrogate"},
		{"reversed surrogates", sub, `{"text":"\udc00\ud800"}`, "text", "surrogate"},
		{"too deep", "/api/v1/reports", `{"parties":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, "", "nested"},
	}
	for _, c := range cases {
		before := e.auditCount()
		as := "party-fr"
		if !strings.Contains(c.path, "/followups/") {
			as = "secretariat"
		}
		r := e.do("POST", c.path, as, c.body)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400: %.300s", c.name, r.status, r.body)
			continue
		}
		code, field := r.errorOf(t)
		msg, _ := r.json(t)["error"].(map[string]any)["message"].(string)
		if code != "bad_request" || field != c.field || !strings.Contains(msg, c.message) {
			t.Errorf("%s: error %q field %q message %q, want bad_request field %q message with %q", c.name, code, field, msg, c.field, c.message)
		}
		if after := e.auditCount(); after != before {
			t.Errorf("%s: %d audit entries written", c.name, after-before)
		}
	}
	// A pair of surrogates is one character, and escaped quotes and backslashes are text.
	e.expect(201, "POST", sub, "party-fr", `{"text":"a \ud83d\ude00 \"\\ud800\" b"}`)
	fu := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "party-fr", nil).json(t)
	if text := fu["submissions"].([]any)[0].(map[string]any)["text"]; text != `a 😀 "\ud800" b` {
		t.Errorf("stored %q", text)
	}
}
