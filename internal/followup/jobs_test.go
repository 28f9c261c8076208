package followup

import (
	"testing"
	"time"
)

func TestPartyReminderPoint(t *testing.T) {
	rules := DefaultReminderRules()
	if err := rules.Validate(); err != nil {
		t.Fatal(err)
	}
	due := MustDate("2025-03-31")
	facts := ReminderFacts{DueOn: due, Open: true}
	cases := []struct {
		today string
		want  string
	}{
		{"2025-02-28", ""},           // 31 days before
		{"2025-03-01", "due-30"},     // 30 days before
		{"2025-03-23", "due-30"},     // still the latest point reached
		{"2025-03-24", "due-7"},      // 7 days before
		{"2025-03-31", "due-0"},      // the due date
		{"2025-04-06", "due-0"},      // 6 days overdue
		{"2025-04-07", "overdue-7"},  // 7 days overdue
		{"2025-04-14", "overdue-14"}, // every 7 days
		{"2025-04-20", "overdue-14"},
		{"2025-12-31", "overdue-273"},
	}
	for _, c := range cases {
		got := rules.PartyReminderPoint(facts, MustDate(c.today))
		if got.Name != c.want {
			t.Errorf("on %s: point %q, want %q", c.today, got.Name, c.want)
		}
	}
}

func TestReminderPointNotEligible(t *testing.T) {
	rules := DefaultReminderRules()
	today := MustDate("2025-04-30")
	for name, f := range map[string]ReminderFacts{
		"closed":            {DueOn: MustDate("2025-03-31"), Open: false},
		"no due date":       {Open: true},
		"submitted":         {DueOn: MustDate("2025-03-31"), Open: true, SubmittedSinceAdoption: true},
		"answered by adopt": {DueOn: MustDate("2025-03-31"), Open: true, AdoptedOn: MustDate("2025-05-01")},
	} {
		if p := rules.PartyReminderPoint(f, today); !p.IsZero() {
			t.Errorf("%s: point %q, want none", name, p.Name)
		}
		if p := rules.EscalationPoint(f, today); !p.IsZero() {
			t.Errorf("%s: escalation %q, want none", name, p.Name)
		}
	}
}

func TestAdoptionRestartsFromItsDate(t *testing.T) {
	rules := DefaultReminderRules()
	f := ReminderFacts{DueOn: MustDate("2025-01-01"), Open: true, AdoptedOn: MustDate("2025-06-10")}
	// 2025-06-10 is 160 days after the due date: the points before it are answered.
	if p := rules.PartyReminderPoint(f, MustDate("2025-06-10")); !p.IsZero() {
		t.Errorf("on the adoption day: %q, want none", p.Name)
	}
	if p := rules.PartyReminderPoint(f, MustDate("2025-06-12")); p.Name != "overdue-161" {
		t.Errorf("two days later: %q, want overdue-161", p.Name)
	}
}

func TestEscalationPoint(t *testing.T) {
	rules := DefaultReminderRules()
	f := ReminderFacts{DueOn: MustDate("2025-03-31"), Open: true}
	if p := rules.EscalationPoint(f, MustDate("2025-04-29")); !p.IsZero() {
		t.Errorf("29 days overdue: %q, want none", p.Name)
	}
	p := rules.EscalationPoint(f, MustDate("2025-04-30"))
	if p.Name != "escalation-30" || p.On != MustDate("2025-04-30") {
		t.Errorf("30 days overdue: %+v, want escalation-30 on 2025-04-30", p)
	}
	rules.EscalateAfter = 0
	if p := rules.EscalationPoint(f, MustDate("2026-01-01")); !p.IsZero() {
		t.Errorf("escalation off: %q", p.Name)
	}
}

func TestCustomOffsets(t *testing.T) {
	rules := ReminderRules{DaysBefore: []int{0, 14, 14, 60}, OverdueEvery: 0}
	if err := rules.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := rules.DaysBefore; len(got) != 3 || got[0] != 60 || got[2] != 0 {
		t.Errorf("DaysBefore = %v, want [60 14 0]", got)
	}
	if rules.Lead() != 60 {
		t.Errorf("Lead = %d", rules.Lead())
	}
	f := ReminderFacts{DueOn: MustDate("2025-03-31"), Open: true}
	if p := rules.PartyReminderPoint(f, MustDate("2025-09-30")); p.Name != "due-0" {
		t.Errorf("no overdue reminders: %q, want due-0 to stay the latest", p.Name)
	}
	for _, bad := range []ReminderRules{{DaysBefore: []int{-1}}, {OverdueEvery: -7}, {EscalateAfter: 99999}} {
		if err := bad.Validate(); ErrorCode(err) != EInvalid {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}
}

func TestShouldSend(t *testing.T) {
	due := MustDate("2025-03-31")
	p7 := ReminderPoint{Name: "due-7", On: MustDate("2025-03-24")}
	p30 := ReminderPoint{Name: "due-30", On: MustDate("2025-03-01")}
	if !ShouldSend(p7, due, Date{}, ReminderPoint{}) {
		t.Error("nothing sent yet: want send")
	}
	if ShouldSend(p7, due, due, p7) {
		t.Error("same point: want no send")
	}
	if !ShouldSend(p7, due, due, p30) {
		t.Error("later point: want send")
	}
	if !ShouldSend(p30, MustDate("2025-04-30"), due, p7) {
		t.Error("new due date: want send")
	}
	if ShouldSend(ReminderPoint{}, due, Date{}, ReminderPoint{}) {
		t.Error("no point: want no send")
	}
}

func TestMessageKeyIgnoresOrder(t *testing.T) {
	a := MessageItem{Report: "r", Label: "R1", Party: "FR", Point: "due-7", DueOn: MustDate("2025-03-31")}
	b := MessageItem{Report: "r", Label: "R2", Party: "FR", Point: "due-7", DueOn: MustDate("2025-03-31")}
	if MessageKey(KindReminder, "A@x.org", "", []MessageItem{a, b}) != MessageKey(KindReminder, "a@x.org", "", []MessageItem{b, a}) {
		t.Error("the key depends on the order of the items or the case of the address")
	}
	c := b
	c.Point = "due-0"
	if MessageKey(KindReminder, "a@x.org", "", []MessageItem{a, b}) == MessageKey(KindReminder, "a@x.org", "", []MessageItem{a, c}) {
		t.Error("another point gives the same key")
	}
}

func TestRetryDelay(t *testing.T) {
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}
	for i, w := range want {
		if got := RetryDelay(i + 1); got != w {
			t.Errorf("RetryDelay(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := RetryDelay(50); got != 6*time.Hour {
		t.Errorf("RetryDelay(50) = %v, want the 6h cap", got)
	}
}

func TestOutboxFilterValidate(t *testing.T) {
	f := OutboxFilter{Recipient: " A@B.org "}
	if err := f.Validate(); err != nil || f.Limit != 200 || f.Recipient != "a@b.org" {
		t.Errorf("%+v %v", f, err)
	}
	for _, bad := range []OutboxFilter{{Status: "lost"}, {Kind: "spam"}, {Limit: 5000}} {
		if err := bad.Validate(); ErrorCode(err) != EInvalid {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}
}
