package server_test

import (
	"fmt"
	"strings"
	"testing"

	"followup/internal/sniff/sniffdata"
)

// A report not yet published is the committee's with everything under it, in the search, the
// article pages, the requests for clarification, the files and the published submissions too:
// the public, the Parties' users and the stakeholders find nothing of it there.
func TestDraftReportStaysOutOfSearchRequestsAndFiles(t *testing.T) {
	t.Parallel()
	e := newEvidenceEnv(t)
	e.expect(201, "POST", "/api/v1/reports", "secretariat", map[string]any{"slug": "unpublished", "title": "Not yet public",
		"kind": "other", "adopted_on": "2020-01-10", "parties": []string{"FR", "DE"}})
	e.expect(201, "POST", "/api/v1/reports/unpublished/recommendations", "secretariat", map[string]any{"label": "U1", "category": "urge",
		"text": "Summary: a confidential wording on helplines.", "articles": []string{"23"}})
	fu := "/api/v1/followups/unpublished/U1/FR"
	r := e.multipart(fu+"/submissions", "secretariat", map[string]string{"text": "On behalf of France."}, file{"confidential.pdf", sniffdata.PDF()})
	if r.status != 201 {
		t.Fatalf("the Secretariat's submission: %d %s", r.status, r.body)
	}
	sub, fileID := attachmentOf(t, r)
	e.expect(200, "POST", fmt.Sprintf("%s/submissions/%d/publish", fu, sub), "secretariat", nil)
	e.expect(201, "POST", fu+"/requests", "rapporteur", map[string]any{"question": "Which confidential article?", "due_on": "2027-01-31"})

	for _, who := range []string{"", "party-fr", ngo} {
		if found := e.search(who, "q=confidential"); found.Total != 0 {
			t.Errorf("%q finds the unpublished report's recommendation: %+v", who, found.Items)
		}
		if body := string(e.expect(200, "GET", "/api/v1/recommendations?article=23", who, nil).body); strings.Contains(body, "unpublished") {
			t.Errorf("%q lists the unpublished report under article 23: %s", who, body)
		}
		e.expect(404, "GET", fmt.Sprintf("/api/v1/attachments/%d", fileID), who, nil)
		if body := string(e.expect(200, "GET", "/api/v1/requests", who, nil).body); strings.Contains(body, "confidential") {
			t.Errorf("%q lists the unpublished report's request: %s", who, body)
		}
	}
	page := e.browser().get("/articles/23").expect(t, 200, "the article page")
	if strings.Contains(page.body, "unpublished") {
		t.Error("the article page shows the unpublished report")
	}
	if p := e.browser().get("/parties/FR").expect(t, 200, "France's page"); strings.Contains(p.body, "confidential.pdf") || strings.Contains(p.body, "On behalf of France.") {
		t.Error("France's page shows the published submission of the unpublished report")
	}

	// The committee finds all of it.
	if found := e.search("secretariat", "q=confidential"); found.Total != 1 {
		t.Errorf("the Secretariat finds %d", found.Total)
	}
	e.expect(200, "GET", fmt.Sprintf("/api/v1/attachments/%d", fileID), "rapporteur", nil)
	if body := string(e.expect(200, "GET", "/api/v1/requests", "secretariat", nil).body); !strings.Contains(body, "confidential") {
		t.Errorf("the Secretariat does not list the request: %s", body)
	}
}
