package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"followup/internal/followup"
)

// A new report is a draft: it and everything under it is invisible to the public and to the
// Parties' users (404, as if it did not exist) until the Secretariat publishes it; the committee
// sees it, marked as a draft.
func TestDraftReportsHiddenUntilPublished(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/reports", "secretariat", map[string]any{"slug": "draft", "title": "Unpublished report",
		"kind": "other", "adopted_on": "2020-01-01", "followup_due_on": "2021-01-01", "parties": []string{"FR", "DE"}})
	e.expect(201, "POST", "/api/v1/reports/draft/recommendations", "secretariat", map[string]any{"label": "D1", "category": "urge", "text": "Do it."})
	e.expect(201, "POST", "/api/v1/followups/draft/D1/DE/submissions", "secretariat", map[string]any{"text": "Sent on behalf.", "submitted_on": "2020-06-01"})
	e.expect(201, "POST", "/api/v1/followups/draft/D1/DE/assessments", "rapporteur", map[string]any{"status": "not_implemented", "assessed_on": "2020-06-02"})

	// The committee reads it first, so that a cached summary is there to leak, were it to leak.
	e.expect(200, "GET", "/api/v1/reports/draft/compliance", "rapporteur", nil)
	e.expect(200, "GET", "/api/v1/reports/draft/compliance.json", "secretariat", nil)
	if r := e.expect(200, "GET", "/api/v1/reports/draft", "rapporteur", nil).json(t); r["published_on"] != nil {
		t.Errorf("a new report is published: %v", r["published_on"])
	}
	hidden := []string{
		"/api/v1/reports/draft",
		"/api/v1/reports/draft/recommendations",
		"/api/v1/reports/draft/recommendations/D1",
		"/api/v1/followups/draft/D1/FR",
		"/api/v1/followups/draft/D1/FR/history",
		"/api/v1/reports/draft/compliance",
		"/api/v1/reports/draft/compliance.csv",
		"/api/v1/reports/draft/compliance.json",
	}
	for _, as := range []string{"", "party-fr"} {
		for _, path := range hidden {
			if r := e.do("GET", path, as, nil); r.status != http.StatusNotFound {
				t.Errorf("GET %s as %q: %d, want 404\n%.300s", path, as, r.status, r.body)
			}
		}
		for _, path := range []string{"/api/v1/reports", "/api/v1/followups?party=FR", "/api/v1/followups?report=draft", "/api/v1/parties/FR/dossier.json"} {
			if r := e.expect(200, "GET", path, as, nil); strings.Contains(string(r.body), "draft") || strings.Contains(string(r.body), "Unpublished") {
				t.Errorf("GET %s as %q lists the draft report: %.500s", path, as, r.body)
			}
		}
	}
	// A Party's user cannot write to it either, and learns nothing about it.
	if r := e.do("POST", "/api/v1/followups/draft/D1/FR/submissions", "party-fr", map[string]any{"text": "Hello?"}); r.status != http.StatusNotFound {
		t.Errorf("submission to a draft report by its Party: %d, want 404", r.status)
	}

	pub := e.browser()
	fr := e.browser()
	fr.login("party-fr")
	for _, b := range []*browser{pub, fr} {
		for _, path := range []string{"/reports/draft", "/reports/draft/recommendations/D1", "/followups/draft/D1/FR"} {
			b.get(path).expect(t, 404, path)
		}
		for _, path := range []string{"/", "/parties/FR"} {
			if p := b.get(path).expect(t, 200, path); strings.Contains(p.body, "Unpublished report") || strings.Contains(p.body, "/reports/draft") {
				t.Errorf("%s lists the draft report", path)
			}
		}
	}
	if p := fr.get("/desk").expect(t, 200, "desk"); strings.Contains(p.body, "/followups/draft/") {
		t.Error("the desk lists a follow-up of a draft report")
	}

	// The committee sees it, marked.
	rap := e.browser()
	rap.login("rapporteur")
	for _, path := range []string{"/reports/draft", "/followups/draft/D1/DE", "/"} {
		if p := rap.get(path).expect(t, 200, path); !strings.Contains(p.body, "Draft — not public") {
			t.Errorf("%s does not mark the draft report for the committee", path)
		}
	}
	e.expect(200, "GET", "/api/v1/reports/draft/compliance?basis=draft", "rapporteur", nil)

	// Publishing: the Secretariat only, once, recorded in the audit log.
	e.expect(403, "POST", "/api/v1/reports/draft/publish", "rapporteur", nil)
	e.expect(401, "POST", "/api/v1/reports/draft/publish", "", nil)
	r := e.expect(200, "POST", "/api/v1/reports/draft/publish", "secretariat", nil).json(t)
	if r["published_on"] != "2026-11-28" {
		t.Errorf("published_on = %v, want today", r["published_on"])
	}
	if code, _ := e.expect(409, "POST", "/api/v1/reports/draft/publish", "secretariat", nil).errorOf(t); code != "conflict" {
		t.Errorf("second publication: %s", code)
	}
	page, err := e.store.ListAudit(followup.WithActor(context.Background(), followup.SystemActor), followup.AuditFilter{Entity: "report", Limit: 1})
	entries := page.Items
	if err != nil || len(entries) != 1 || entries[0].Action != "report.publish" || entries[0].EntityKey != "draft" {
		t.Errorf("audit after publishing: %+v %v", entries, err)
	}
	for _, path := range hidden {
		e.expect(200, "GET", path, "", nil)
	}
	if p := pub.get("/reports/draft").expect(t, 200, "published report"); strings.Contains(p.body, "Draft — not public") {
		t.Error("a published report is still marked as a draft")
	}
	if p := pub.get("/").expect(t, 200, "home"); !strings.Contains(p.body, "/reports/draft") {
		t.Error("the home page does not list the published report")
	}
}

// The Secretariat publishes from the report's page, with a button (no JavaScript), and is told
// what to do next on an empty report; the public sees no empty matrix.
func TestPublishButtonAndEmptyReport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sec := e.browser()
	sec.login("secretariat")
	sec.post("/manage/reports", url.Values{"slug": {"empty"}, "title": {"Empty report"}, "kind": {"other"},
		"adopted_on": {"2020-01-01"}, "parties_mode": {"all"}}).expect(t, 303, "create a report")
	p := sec.get("/reports/empty").expect(t, 200, "draft report")
	for _, want := range []string{"Draft — not public", `action="/manage/reports/empty/publish"`, "No recommendations yet: add one, or import a file",
		`href="/manage/reports/empty/recommendations/new"`, `href="/manage/reports/empty/import"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the draft report page lacks %q", want)
		}
	}
	if m := sec.get("/manage").expect(t, 200, "manage"); !strings.Contains(between(m.body, "Empty report", "</tr>"), "Draft — not public") {
		t.Error("the Secretariat's list does not mark the draft report")
	}
	e.browser().get("/reports/empty").expect(t, 404, "draft report, public")
	// Publishing needs the form's own origin (cross-origin protection) and the manager's role.
	rap := e.browser()
	rap.login("rapporteur")
	rap.post("/manage/reports/empty/publish", url.Values{}).expect(t, 403, "a rapporteur publishes")
	p = sec.follow(sec.post("/manage/reports/empty/publish", url.Values{}))
	if !strings.Contains(p.body, "Report published") || strings.Contains(p.body, "Draft — not public") {
		t.Errorf("after publishing: %.1500s", between(p.body, "<main", "</dl>"))
	}
	pubPage := e.browser().get("/reports/empty").expect(t, 200, "published empty report")
	for _, unwanted := range []string{"No recommendations yet", "table class=\"matrix\"", "publish"} {
		if strings.Contains(pubPage.body, unwanted) {
			t.Errorf("the public page of an empty report shows %q", unwanted)
		}
	}
}
