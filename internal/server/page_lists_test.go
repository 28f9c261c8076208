package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"followup/internal/followup"
)

// The desk, the Party page and the Secretariat's desk show a Party's or a report's whole list,
// even when it runs past one page of the follow-up API (1,000 items).
func TestPagesListPastOnePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	const n = 1003
	for i := 1; i <= n; i++ {
		label := fmt.Sprintf("L%04d", i)
		if _, err := e.store.CreateRecommendation(ctx, "rep", followup.RecommendationInput{Label: label, Category: followup.Invite,
			Text: "Keep going.", AddressedTo: []string{"FR"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.CreateAssessment(ctx, followup.FollowUpKey{Report: "rep", Label: label, Party: "FR"},
			followup.AssessmentInput{Status: followup.PartiallyImplemented}); err != nil {
			t.Fatal(err)
		}
	}
	last := fmt.Sprintf("L%04d", n)
	b := e.browser()
	if p := b.get("/parties/FR").expect(t, 200, "Party page"); !strings.Contains(p.body, last) {
		t.Errorf("the Party page stops before %s", last)
	}
	b.login("party-fr")
	if p := b.get("/desk").expect(t, 200, "desk"); !strings.Contains(p.body, last) {
		t.Errorf("the desk stops before %s", last)
	}
	b.post("/logout", nil)
	b.login("secretariat")
	if p := b.get("/manage").expect(t, 200, "Secretariat desk"); !strings.Contains(p.body, fmt.Sprint(n)) {
		t.Errorf("the Secretariat desk does not count %d assessments ready to adopt", n)
	}
}
