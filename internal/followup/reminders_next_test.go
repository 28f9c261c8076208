package followup

import (
	"math/rand/v2"
	"testing"
)

// TestNextReminderOnSteppingDays: NextReminderOn is the first day after today on which the
// latest point to the Party or the escalation differs from today's — found by stepping day by
// day through the rules themselves — over random rules, due dates and days (fixed seed).
func TestNextReminderOnSteppingDays(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 4))
	base := MustDate("2026-01-01")
	for i := range 3000 {
		rules := ReminderRules{OverdueEvery: rng.IntN(4) * rng.IntN(15), EscalateAfter: rng.IntN(3) * rng.IntN(40)}
		for range rng.IntN(4) {
			rules.DaysBefore = append(rules.DaysBefore, rng.IntN(40))
		}
		if err := rules.Validate(); err != nil {
			t.Fatal(err)
		}
		facts := ReminderFacts{DueOn: base.AddDays(rng.IntN(200)), Open: true}
		today := base.AddDays(rng.IntN(300))
		want := Date{}
		p0, e0 := rules.PartyReminderPoint(facts, today), rules.EscalationPoint(facts, today)
		for d := today.AddDays(1); !d.After(today.AddDays(500)); d = d.AddDays(1) {
			if rules.PartyReminderPoint(facts, d) != p0 || rules.EscalationPoint(facts, d) != e0 {
				want = d
				break
			}
		}
		if got := rules.NextReminderOn(facts.DueOn, today); got.String() != want.String() {
			t.Fatalf("case %d: rules %+v, due %s, today %s: NextReminderOn = %s, want %s", i, rules, facts.DueOn, today, got, want)
		}
	}
	if got := DefaultReminderRules().NextReminderOn(Date{}, base); !got.IsZero() {
		t.Errorf("no due date: NextReminderOn = %s, want none", got)
	}
}
