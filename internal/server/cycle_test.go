package server_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// One whole follow-up cycle through the API, as the README tells it, with the state at each
// step and the compliance picture as of each adoption.
func TestFollowUpCycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/reports", "secretariat", map[string]any{
		"slug": "cycle", "title": "Cycle", "kind": "implementation_report", "doc_ref": "T-ES(2019)01",
		"adopted_on": "2019-01-15", "followup_due_on": "2019-12-31", "parties": []string{"fr", "DE"}})
	e.expect(200, "POST", "/api/v1/reports/cycle/publish", "secretariat", nil)
	rec := e.expect(201, "POST", "/api/v1/reports/cycle/recommendations", "secretariat", map[string]any{
		"label": "IV-3", "category": "urge", "text": "Bring the law into line.", "articles": []string{"18", "23"}}).json(t)
	if rec["followup_count"] != float64(2) || rec["effective_due_on"] != "2019-12-31" {
		t.Fatalf("recommendation %v", rec)
	}
	state := func(party string) string {
		t.Helper()
		return e.expect(200, "GET", "/api/v1/followups/cycle/IV-3/"+party, "secretariat", nil).json(t)["state"].(string)
	}
	if s := state("FR"); s != "awaiting_submission" {
		t.Fatalf("new follow-up in state %s", s)
	}
	// A draft changes nothing; submitting it does.
	draft := e.expect(201, "POST", "/api/v1/followups/cycle/IV-3/FR/submissions", "party-fr", map[string]any{"text": "First words", "draft": true}).json(t)
	if s := state("FR"); s != "awaiting_submission" {
		t.Fatalf("after a draft: %s", s)
	}
	draftPath := fmt.Sprintf("/api/v1/followups/cycle/IV-3/FR/submissions/%v", draft["id"])
	e.expect(200, "PATCH", draftPath, "party-fr", map[string]any{"text": "Better words"})
	sub := e.expect(200, "PATCH", draftPath, "party-fr", map[string]any{"draft": false, "submitted_on": "2019-03-01"}).json(t)
	if sub["draft"] != false || sub["submitted_on"] != "2019-03-01" || sub["text"] != "Better words" {
		t.Fatalf("submitted draft: %v", sub)
	}
	e.expect(409, "PATCH", draftPath, "party-fr", map[string]any{"text": "Rewriting history"})
	if s := state("FR"); s != "submitted" {
		t.Fatalf("after submitting: %s", s)
	}
	e.expect(201, "POST", "/api/v1/followups/cycle/IV-3/FR/assessments", "rapporteur", map[string]any{"status": "partially_implemented", "comment": "Half way.", "assessed_on": "2019-05-02"})
	e.expect(201, "POST", "/api/v1/followups/cycle/IV-3/DE/assessments", "rapporteur", map[string]any{"status": "no_information", "assessed_on": "2019-05-02"})
	if s := state("FR"); s != "assessed" {
		t.Fatalf("after assessing: %s", s)
	}
	adopted := e.expect(200, "POST", "/api/v1/reports/cycle/adopt", "secretariat", map[string]any{"adopted_on": "2019-06-06"}).json(t)
	if adopted["adopted"] != float64(2) {
		t.Fatalf("adopted %v", adopted)
	}
	if s := state("FR"); s != "adopted" {
		t.Fatalf("after adoption: %s", s)
	}
	again := e.expect(200, "POST", "/api/v1/reports/cycle/adopt", "secretariat", map[string]any{"adopted_on": "2019-06-07"}).json(t)
	if again["adopted"] != float64(0) {
		t.Fatalf("adopting twice adopted %v", again["adopted"])
	}
	// Overdue: the deadline passed and nothing came since the adoption; a submission stops it.
	fu := e.expect(200, "GET", "/api/v1/followups/cycle/IV-3/FR", "party-fr", nil).json(t)
	if fu["open"] != true || fu["overdue"] != true || fu["status"] != "partially_implemented" {
		t.Fatalf("after adoption FR is %v", fu)
	}
	e.expect(201, "POST", "/api/v1/followups/cycle/IV-3/FR/submissions", "party-fr", map[string]any{"text": "Done now.", "submitted_on": "2021-01-10"})
	fu = e.expect(200, "GET", "/api/v1/followups/cycle/IV-3/FR", "party-fr", nil).json(t)
	if fu["state"] != "submitted" || fu["overdue"] != false {
		t.Fatalf("a new submission after adoption: %v", fu)
	}
	e.expect(201, "POST", "/api/v1/followups/cycle/IV-3/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2021-09-01"})
	e.expect(200, "POST", "/api/v1/reports/cycle/adopt", "admin", map[string]any{"adopted_on": "2021-10-15", "labels": []string{"IV-3"}})
	fu = e.expect(200, "GET", "/api/v1/followups/cycle/IV-3/FR", "", nil).json(t)
	if fu["open"] != false || fu["overdue"] != false || fu["status"] != "implemented" {
		t.Fatalf("closed follow-up: %v", fu)
	}

	// The compliance picture of each day stays as it was.
	type picture struct {
		score  any
		counts map[string]float64
	}
	summary := func(asOf string) picture {
		t.Helper()
		var c struct {
			AsOf    string `json:"as_of"`
			Overall struct {
				Score  any                `json:"score"`
				Counts map[string]float64 `json:"counts"`
			} `json:"overall"`
			ByCategory map[string]json.RawMessage `json:"by_category"`
			ByParty    []struct{ Party string }   `json:"by_party"`
		}
		r := e.expect(200, "GET", "/api/v1/reports/cycle/compliance?as_of="+asOf, "", nil)
		if err := json.Unmarshal(r.body, &c); err != nil {
			t.Fatal(err)
		}
		if c.AsOf != asOf || len(c.Overall.Counts) != 6 || len(c.ByCategory) != 3 || len(c.ByParty) != 2 {
			t.Fatalf("summary as of %s: %s", asOf, r.body)
		}
		return picture{c.Overall.Score, c.Overall.Counts}
	}
	cases := []struct {
		asOf              string
		score             any
		impl, part, noInf float64
		pending           float64
	}{
		{"2019-06-05", nil, 0, 0, 0, 2},
		{"2019-06-06", 0.25, 0, 1, 1, 0},
		{"2020-12-31", 0.25, 0, 1, 1, 0},
		{"2021-10-15", 0.5, 1, 0, 1, 0},
		{"2026-11-28", 0.5, 1, 0, 1, 0},
	}
	for _, c := range cases {
		p := summary(c.asOf)
		if p.score != c.score || p.counts["implemented"] != c.impl || p.counts["partially_implemented"] != c.part ||
			p.counts["no_information"] != c.noInf || p.counts["pending"] != c.pending {
			t.Errorf("as of %s: %+v", c.asOf, p)
		}
	}

	// The history tells the story in order, and the public only its public part.
	actions := func(as string) []string {
		var entries []struct{ Action, Actor string }
		if err := json.Unmarshal(e.expect(200, "GET", "/api/v1/followups/cycle/IV-3/FR/history", as, nil).body, &entries); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, en := range entries {
			out = append(out, en.Action)
			if as == "" && en.Actor != "" {
				t.Errorf("the public sees who did %s: %s", en.Action, en.Actor)
			}
		}
		return out
	}
	// The first adoption leaves the follow-up open, so it sets the next deadline (followup.due).
	wantCommittee := "followup.create submission.draft submission.edit_draft submission.submit assessment.create assessment.adopt followup.due submission.submit assessment.create assessment.adopt"
	if got := strings.Join(actions("secretariat"), " "); got != wantCommittee {
		t.Errorf("secretariat history:\n got %s\nwant %s", got, wantCommittee)
	}
	if got := strings.Join(actions(""), " "); got != "followup.create assessment.adopt followup.due assessment.adopt" {
		t.Errorf("public history: %s", got)
	}
}

// Changing the addressees moves follow-ups in and out without losing any history.
func TestAddresseesChangeKeepsHistory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Our measures."})
	r := e.expect(200, "PATCH", "/api/v1/reports/rep/recommendations/R1", "secretariat", map[string]any{"addressed_to": []string{"DE", "HU"}}).json(t)
	if r["followup_count"] != float64(2) {
		t.Fatalf("followup_count %v, want 2", r["followup_count"])
	}
	e.expect(422, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "More."})
	page := e.expect(200, "GET", "/api/v1/followups?report=rep&party=FR", "party-fr", nil).json(t)
	if n := len(page["items"].([]any)); n != 0 {
		t.Errorf("FR still lists %d follow-ups", n)
	}
	e.expect(200, "PATCH", "/api/v1/reports/rep/recommendations/R1", "secretariat", map[string]any{"addressed_to": []string{}})
	fu := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "party-fr", nil).json(t)
	subs := fu["submissions"].([]any)
	if fu["active"] != true || len(subs) != 1 || subs[0].(map[string]any)["text"] != "Our measures." {
		t.Errorf("the returning follow-up lost its history: %v", fu)
	}
}

// Lists page through every follow-up once, and filters agree with the items.
func TestFollowUpListPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{})
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		path := "/api/v1/followups?limit=1"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		page := e.expect(200, "GET", path, "rapporteur", nil).json(t)
		pages++
		for _, it := range page["items"].([]any) {
			m := it.(map[string]any)
			key := m["label"].(string) + "/" + m["party"].(string)
			if seen[key] {
				t.Fatalf("%s listed twice", key)
			}
			seen[key] = true
			if _, ok := m["submissions"]; ok {
				t.Error("list items carry submissions")
			}
		}
		next, _ := page["next_cursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	if len(seen) != 4 || pages != 4 {
		t.Errorf("saw %d follow-ups in %d pages, want 4 in 4", len(seen), pages)
	}
	for _, c := range []struct {
		query string
		want  int
	}{
		{"open=true", 3}, {"open=false", 1}, {"overdue=true", 3}, {"category=consider", 1},
		{"party=hu", 2}, {"state=adopted", 1}, {"state=awaiting_submission", 3}, {"report=none", 0},
	} {
		page := e.expect(200, "GET", "/api/v1/followups?"+c.query, "", nil).json(t)
		if n := len(page["items"].([]any)); n != c.want {
			t.Errorf("%s: %d items, want %d", c.query, n, c.want)
		}
	}
}

// The OpenAPI description lists exactly the routes the router serves.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var spec struct {
		OpenAPI string                            `json:"openapi"`
		Paths   map[string]map[string]interface{} `json:"paths"`
	}
	if err := json.Unmarshal(e.expect(200, "GET", "/api/v1/openapi.json", "", nil).body, &spec); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(spec.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", spec.OpenAPI)
	}
	var documented, served []string
	for path, ops := range spec.Paths {
		for method := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete":
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	param := regexp.MustCompile(`:(\w+)`)
	for _, r := range e.srv.Routes() {
		served = append(served, r.Method+" "+param.ReplaceAllString(r.Path, "{$1}"))
	}
	sort.Strings(documented)
	sort.Strings(served)
	if strings.Join(documented, "\n") != strings.Join(served, "\n") {
		t.Errorf("documented:\n%s\n\nserved:\n%s", strings.Join(documented, "\n"), strings.Join(served, "\n"))
	}
}
