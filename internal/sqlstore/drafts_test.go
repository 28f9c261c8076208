package sqlstore_test

import (
	"testing"

	"followup/internal/followup"
)

// A follow-up tells when its latest unsent draft was saved, to those who may read the Party's
// drafts only (the Party's users, the Secretariat, admins), in lists and alone; submitting the
// last draft clears it.
func TestDraftSavedAt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := key("R1", "FR")
	seen := func(who string) bool {
		t.Helper()
		one := f.find(t, who, k)
		page, err := f.store.ListFollowUps(f.as(who), followup.FollowUpFilter{Party: "FR"})
		must(t, err)
		listed := false
		for _, it := range page.Items {
			if it.Label == "R1" && it.DraftSavedAt != nil {
				listed = true
				if !it.DraftSavedAt.Equal(today) {
					t.Errorf("%s: draft saved at %s, want %s", who, it.DraftSavedAt, today)
				}
			}
		}
		if listed != (one.DraftSavedAt != nil) {
			t.Fatalf("%s: the list and the follow-up disagree on the draft", who)
		}
		return listed
	}
	for _, who := range []string{"fr", "secretariat", "rapporteur", "anon"} {
		if seen(who) {
			t.Errorf("%s sees a draft before any", who)
		}
	}
	d := f.submit(t, "fr", k, "Draft words.", true)
	for who, want := range map[string]bool{"fr": true, "secretariat": true, "admin": true, "rapporteur": false, "anon": false} {
		if got := seen(who); got != want {
			t.Errorf("%s sees the draft: %v, want %v", who, got, want)
		}
	}
	if fu := f.find(t, "hu", key("R1", "HU")); fu.DraftSavedAt != nil {
		t.Error("Hungary's follow-up has France's draft")
	}
	_, err := f.store.UpdateSubmission(f.as("fr"), k, d.ID, followup.SubmissionPatch{Draft: ptr(false)})
	must(t, err)
	if seen("fr") || seen("secretariat") {
		t.Error("a submitted draft is still shown as unsent")
	}
}
