package server_test

import (
	"encoding/json"
	"testing"

	"followup/internal/followup"
)

// dossierFollowUp returns the follow-up of a Party's dossier (JSON) for a recommendation of rep.
func dossierFollowUp(t *testing.T, e *testEnv, party, label, asOf, as string) map[string]any {
	t.Helper()
	var doc struct {
		FollowUps []map[string]any `json:"follow_ups"`
	}
	body := e.expect(200, "GET", "/api/v1/parties/"+party+"/dossier.json?as_of="+asOf, as, nil).body
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	for _, f := range doc.FollowUps {
		if f["report"] == "rep" && f["label"] == label {
			return f
		}
	}
	t.Fatalf("no follow-up rep/%s in the dossier of %s as of %s: %s", label, party, asOf, body)
	return nil
}

// A rapporteur's draft written on the day of an adoption does not change what the public and
// the Party read of any past day: the dossier as of every day from the adoption to yesterday
// reads as the live follow-up reads (submitted: the Party answered after the assessment, so it
// is not overdue), for the anonymous and for the Party's own users.
func TestDossierPastDaysIgnoreDrafts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur",
		map[string]any{"status": "not_implemented", "comment": "Nothing yet.", "assessed_on": "2026-10-01"})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr",
		map[string]any{"text": "A bill is before Parliament.", "submitted_on": "2026-10-10"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-02", "labels": []string{"R1"}})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur",
		map[string]any{"status": "partially_implemented", "comment": "The bill is a start.", "assessed_on": "2026-11-02"})

	for _, as := range []string{"", "party-fr"} {
		live := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", as, nil).json(t)
		if live["state"] != "submitted" || live["overdue"] != false || live["status"] != "not_implemented" {
			t.Fatalf("live follow-up for %q: %v", as, live)
		}
		for d := followup.MustDate("2026-11-02"); d.Before(followup.DateOf(today, today.Location())); d = d.AddDays(1) {
			f := dossierFollowUp(t, e, "FR", "R1", d.String(), as)
			if f["state"] != live["state"] || f["overdue"] != live["overdue"] || f["status"] != live["status"] ||
				f["adopted_on"] != live["adopted_on"] || f["open"] != live["open"] {
				t.Errorf("reader %q, dossier as of %s: state %v status %v adopted_on %v open %v overdue %v; live: %v %v %v %v %v",
					as, d, f["state"], f["status"], f["adopted_on"], f["open"], f["overdue"],
					live["state"], live["status"], live["adopted_on"], live["open"], live["overdue"])
			}
		}
		// The day before the adoption, the assessment was a draft: the Party had submitted.
		if f := dossierFollowUp(t, e, "FR", "R1", "2026-11-01", as); f["state"] != "submitted" || f["status"] != nil || f["overdue"] != false {
			t.Errorf("reader %q, dossier as of the day before the adoption: %v", as, f)
		}
	}
	// The committee sees the draft on the day it is dated, and after.
	if f := dossierFollowUp(t, e, "FR", "R1", "2026-11-02", "rapporteur"); f["state"] != "assessed" || f["status"] != "not_implemented" {
		t.Errorf("rapporteur, dossier as of the adoption day: %v", f)
	}
}
