package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// Every role × endpoint × own/other Party: each denial and each permitted access. Each case
// runs on a fresh database so that the cases cannot depend on each other.
func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	const (
		anon  = ""
		admin = "admin"
		sec   = "secretariat"
		rap   = "rapporteur"
		fr    = "party-fr"
		de    = "party-de"
	)
	newParty := map[string]any{"code": "IT", "name_en": "Italy", "name_fr": "Italie"}
	newReport := map[string]any{"slug": "new", "title": "New", "kind": "other", "adopted_on": "2020-01-01"}
	newRec := map[string]any{"label": "R9", "category": "invite", "text": "Think about it."}
	submission := map[string]any{"text": "Measures taken."}
	assessment := map[string]any{"status": "implemented"}
	type access struct {
		as   string
		want int
	}
	cases := []struct {
		method, path string
		body         any
		access       []access
	}{
		{"GET", "/healthz", nil, []access{{anon, 200}, {fr, 200}}},
		{"GET", "/api/v1/openapi.json", nil, []access{{anon, 200}}},
		{"GET", "/api/v1/me", nil, []access{{anon, 401}, {admin, 200}, {sec, 200}, {rap, 200}, {fr, 200}}},
		{"GET", "/api/v1/parties", nil, []access{{anon, 200}, {fr, 200}, {rap, 200}}},
		{"GET", "/api/v1/parties/fr", nil, []access{{anon, 200}, {de, 200}}},
		{"POST", "/api/v1/parties", newParty, []access{{anon, 401}, {fr, 403}, {rap, 403}, {sec, 201}, {admin, 201}}},
		{"GET", "/api/v1/reports", nil, []access{{anon, 200}, {fr, 200}}},
		{"POST", "/api/v1/reports", newReport, []access{{anon, 401}, {fr, 403}, {rap, 403}, {sec, 201}, {admin, 201}}},
		{"GET", "/api/v1/reports/rep", nil, []access{{anon, 200}, {de, 200}}},
		{"PATCH", "/api/v1/reports/rep", map[string]any{"title": "Renamed"}, []access{{anon, 401}, {fr, 403}, {rap, 403}, {sec, 200}, {admin, 200}}},
		{"GET", "/api/v1/reports/rep/recommendations", nil, []access{{anon, 200}, {fr, 200}}},
		{"POST", "/api/v1/reports/rep/recommendations", newRec, []access{{anon, 401}, {fr, 403}, {rap, 403}, {sec, 201}, {admin, 201}}},
		{"GET", "/api/v1/reports/rep/recommendations/R1", nil, []access{{anon, 200}, {fr, 200}}},
		{"PATCH", "/api/v1/reports/rep/recommendations/R1", map[string]any{"text": "New text."}, []access{{anon, 401}, {fr, 403}, {rap, 403}, {sec, 200}, {admin, 200}}},
		{"POST", "/api/v1/reports/rep/adopt", map[string]any{}, []access{{anon, 401}, {fr, 403}, {rap, 403}, {sec, 200}, {admin, 200}}},
		{"GET", "/api/v1/reports/rep/compliance", nil, []access{{anon, 200}, {fr, 200}, {rap, 200}}},
		{"GET", "/api/v1/reports/rep/compliance?basis=draft", nil, []access{{anon, 401}, {fr, 403}, {rap, 200}, {sec, 200}, {admin, 200}}},
		{"GET", "/api/v1/followups", nil, []access{{anon, 200}, {fr, 200}, {rap, 200}}},
		{"GET", "/api/v1/followups?party=FR", nil, []access{{fr, 200}, {de, 403}, {anon, 200}}},
		{"GET", "/api/v1/followups/rep/R1/FR", nil, []access{{anon, 200}, {fr, 200}, {de, 403}, {rap, 200}, {sec, 200}, {admin, 200}}},
		{"GET", "/api/v1/followups/rep/R1/fr/history", nil, []access{{anon, 200}, {fr, 200}, {de, 403}, {rap, 200}}},
		{"POST", "/api/v1/followups/rep/R1/FR/submissions", submission, []access{{anon, 401}, {fr, 201}, {de, 403}, {rap, 403}, {sec, 201}, {admin, 201}}},
		{"POST", "/api/v1/followups/rep/R1/DE/submissions", submission, []access{{fr, 403}, {de, 201}}},
		{"POST", "/api/v1/followups/rep/R1/FR/assessments", assessment, []access{{anon, 401}, {fr, 403}, {de, 403}, {sec, 403}, {rap, 201}, {admin, 201}}},
		{"GET", "/api/v1/audit", nil, []access{{anon, 401}, {fr, 403}, {rap, 200}, {sec, 200}, {admin, 200}}},
	}
	for _, c := range cases {
		for _, a := range c.access {
			name := c.method + " " + c.path + " as " + a.as
			if a.as == "" {
				name += "anonymous"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				before := e.auditCount()
				r := e.do(c.method, c.path, a.as, c.body)
				if r.status != a.want {
					t.Fatalf("status %d, want %d: %s", r.status, a.want, r.body)
				}
				if r.status >= 400 {
					code, _ := r.errorOf(t)
					wantCode := map[int]string{401: "unauthorized", 403: "forbidden"}[a.want]
					if wantCode != "" && code != wantCode {
						t.Errorf("error code %q, want %q", code, wantCode)
					}
					if a.want == http.StatusUnauthorized && r.header.Get("WWW-Authenticate") == "" {
						t.Error("401 without WWW-Authenticate")
					}
					if after := e.auditCount(); after != before {
						t.Errorf("a refused request wrote %d audit entries", after-before)
					}
				}
			})
		}
	}
}

// Drafts never reach the public or the Parties, on any read that could carry them.
func TestDraftsStayWithTheCommittee(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Draft words", "draft": true})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Submitted words"})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "not_implemented", "comment": "Secret draft comment"})

	type view struct {
		submissions, assessments int
		state                    string
	}
	cases := []struct {
		as   string
		want view
	}{
		{"", view{0, 0, "submitted"}},
		{"party-fr", view{2, 0, "submitted"}},
		{"rapporteur", view{1, 1, "assessed"}},
		{"secretariat", view{2, 1, "assessed"}},
	}
	for _, c := range cases {
		r := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", c.as, nil)
		v := r.json(t)
		got := view{len(v["submissions"].([]any)), len(v["assessments"].([]any)), v["state"].(string)}
		if got != c.want {
			t.Errorf("as %q: got %+v, want %+v", c.as, got, c.want)
		}
		if c.as == "" || c.as == "party-fr" {
			for _, path := range []string{"/api/v1/followups/rep/R1/FR", "/api/v1/followups/rep/R1/FR/history",
				"/api/v1/followups?report=rep", "/api/v1/reports/rep/compliance"} {
				body := string(e.expect(200, "GET", path, c.as, nil).body)
				for _, secret := range []string{"Secret draft comment", "not_implemented\":1"} {
					if strings.Contains(body, secret) {
						t.Errorf("as %q, %s shows %q: %s", c.as, path, secret, body)
					}
				}
				if c.as == "" && strings.Contains(body, "Submitted words") {
					t.Errorf("the public sees a Party's submission at %s", path)
				}
			}
		}
	}
	// The rapporteur sees the Party's submitted text but never its draft.
	if body := string(e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "rapporteur", nil).body); strings.Contains(body, "Draft words") {
		t.Error("the rapporteur sees the Party's draft")
	}
	// Filtering on the hidden state reveals nothing either.
	page := e.expect(200, "GET", "/api/v1/followups?state=assessed", "", nil).json(t)
	if n := len(page["items"].([]any)); n != 0 {
		t.Errorf("state=assessed shows %d follow-ups to the public", n)
	}
	// After adoption everyone sees the status.
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-28"})
	v := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "", nil).json(t)
	if v["status"] != "not_implemented" || len(v["assessments"].([]any)) != 1 || v["state"] != "adopted" {
		t.Errorf("after adoption the public sees %v", v)
	}
}
