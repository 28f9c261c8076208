package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"followup/internal/followup"
)

// A Party's user reads its own follow-up's history with who did what by name, never with the
// e-mail addresses of the Secretariat's staff.
func TestPartyHistoryShowsNamesNotAddresses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	if _, err := e.store.CreateUser(ctx, followup.UserInput{Email: "anne.martin@example.org", Name: "Anne Martin",
		Role: followup.RoleSecretariat, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Our measures"})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2026-11-20"})
	anne := e.browser()
	anne.login("anne.martin")
	anne.post("/manage/reports/rep/adopt", url.Values{"labels": {"R1"}, "adopted_on": {"2026-11-25"}, "action": {"confirm"}}).expect(t, 303, "adopt")
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "secretariat", map[string]any{"text": "On behalf of France"})

	others := []string{"anne.martin@example.org", "secretariat@example.org", "rapporteur@example.org", "admin@example.org", "party-de@example.org"}
	body := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR/history", "party-fr", nil).body
	var entries []map[string]any
	if err := json.Unmarshal(body, &entries); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(body), "@") {
		t.Errorf("the Party's history holds an e-mail address: %s", body)
	}
	names := map[string]string{}
	for _, en := range entries {
		names[fmt.Sprint(en["action"])] += fmt.Sprint(en["actor_name"]) + ";"
	}
	if !strings.Contains(names["assessment.adopt"], "Anne Martin") || !strings.Contains(names["submission.submit"], "France desk") ||
		!strings.Contains(names["submission.submit"], "Secretariat") {
		t.Errorf("the Party's history does not name who did what: %v", names)
	}
	fr := e.browser()
	fr.login("party-fr")
	p := fr.get("/followups/rep/R1/FR").expect(t, 200, "the Party's follow-up page")
	i := strings.Index(p.body, `id="hist-h"`)
	if i < 0 {
		t.Fatalf("no history on the page: %.2000s", p.body)
	}
	history := p.body[i:]
	for _, addr := range others {
		if strings.Contains(history, addr) {
			t.Errorf("the Party's follow-up page shows %s in the history", addr)
		}
	}
	if !strings.Contains(history, "Anne Martin") {
		t.Errorf("the Party's follow-up page does not name the adopter: %.2000s", history)
	}
	// The committee still reads the addresses.
	if body := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR/history", "secretariat", nil).body; !strings.Contains(string(body), "anne.martin@example.org") {
		t.Errorf("the Secretariat's history lost the addresses: %s", body)
	}
}
