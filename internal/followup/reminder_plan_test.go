package followup

import (
	"slices"
	"testing"
)

func TestPlanReminders(t *testing.T) {
	rules := DefaultReminderRules()
	if err := rules.Validate(); err != nil {
		t.Fatal(err)
	}
	today := MustDate("2025-08-15") // 46 days after 2025-06-30
	recs := map[int64]ReminderRecommendation{
		1: {Report: "rep", ReportTitle: "Report", Label: "R1", Order: "a1", DueOn: MustDate("2025-06-30")},
		2: {Report: "rep", ReportTitle: "Report", Label: "R2", Order: "a2", DueOn: MustDate("2025-09-14")}, // 30 days ahead
		3: {Report: "rep", Label: "R3", Order: "a3", DueOn: MustDate("2025-06-30"), Archived: true},
		4: {Report: "rep", Label: "R4", Order: "a4"}, // no due date
	}
	parties := map[string]Party{"FR": {Code: "FR", NameEN: "France", NameFR: "France"}, "DE": {Code: "DE", NameEN: "Germany", NameFR: "Allemagne"},
		"HU": {Code: "HU", NameEN: "Hungary", NameFR: "Hongrie"}}
	candidates := []ReminderCandidate{
		{FollowUpID: 10, RecommendationID: 2, Party: "FR", Eligible: true}, // due-30 today
		{FollowUpID: 11, RecommendationID: 1, Party: "FR", Eligible: true}, // overdue-42, escalation-30
		{FollowUpID: 12, RecommendationID: 1, Party: "DE", Eligible: true, PartyMark: ReminderMark{DueOn: MustDate("2025-06-30"), Point: ReminderPoint{Name: "overdue-42", On: MustDate("2025-08-11")}}}, // sent already
		{FollowUpID: 13, RecommendationID: 1, Party: "HU", Eligible: true},                                    // no user of HU
		{FollowUpID: 14, RecommendationID: 1, Party: "FR", Eligible: false, HasWake: true, WakeOn: WakeNever}, // closed, already asleep
		{FollowUpID: 15, RecommendationID: 3, Party: "FR", Eligible: true},                                    // archived
		{FollowUpID: 16, RecommendationID: 4, Party: "FR", Eligible: true},                                    // no due date
		{FollowUpID: 17, RecommendationID: 1, Party: "DE", Eligible: true, AdoptedOn: MustDate("2025-08-14")}, // answered by an adoption yesterday
	}
	recipients := []ReminderRecipient{
		{Email: "fr@x", Name: "FR desk", Lang: "fr", Role: RoleParty, Party: "FR"},
		{Email: "de@x", Name: "DE desk", Lang: "en", Role: RoleParty, Party: "DE"},
		{Email: "sec@x", Name: "Secretariat", Lang: "en", Role: RoleSecretariat},
		{Email: "rap@x", Name: "Rapporteur", Lang: "en", Role: RoleRapporteur},
	}
	plan := PlanReminders(today, rules, recs, candidates, recipients, parties, nil)

	if plan.Counts.Candidates != len(candidates) {
		t.Errorf("candidates %d, want %d", plan.Counts.Candidates, len(candidates))
	}
	var got []string
	for _, m := range plan.Messages {
		line := m.Kind + " " + m.Recipient + ":"
		for _, it := range m.Items {
			line += " " + it.Label + "/" + it.Party + "@" + it.Point
		}
		got = append(got, line)
		if m.IdempotencyKey != MessageKey(m.Kind, m.Recipient, "", m.Items) {
			t.Errorf("%s: key %q is not the message's", line, m.IdempotencyKey)
		}
	}
	want := []string{
		"reminder fr@x: R1/FR@overdue-42 R2/FR@due-30", // in report order, one message
		// DE was reminded already, but never escalated.
		"escalation sec@x: R1/DE@escalation-30 R1/FR@escalation-30 R1/HU@escalation-30",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("messages:\n got %q\nwant %q", got, want)
	}
	var marks []string
	for _, m := range plan.Marks {
		marks = append(marks, m.Audience+" "+m.Party+" "+m.Point.Name)
	}
	// HU has no user: its point is not marked for the Party, so that its first user gets it;
	// the Secretariat received HU's escalation.
	wantMarks := []string{"party FR due-30", "party FR overdue-42", "secretariat DE escalation-30", "secretariat FR escalation-30", "secretariat HU escalation-30"}
	slices.Sort(marks)
	if !slices.Equal(marks, wantMarks) {
		t.Fatalf("marks:\n got %q\nwant %q", marks, wantMarks)
	}
	if plan.Counts.Items != 2 || plan.Counts.Escalations != 3 || plan.Counts.Messages != 2 {
		t.Errorf("counts %+v", plan.Counts)
	}
	wakes := map[int64]Date{}
	for _, w := range plan.Wakes {
		wakes[w.FollowUpID] = w.WakeOn
	}
	if _, ok := wakes[14]; ok {
		t.Error("a follow-up asleep already got its wake day written again")
	}
	for id, want := range map[int64]Date{10: MustDate("2025-09-07"), 11: MustDate("2025-08-18"), 15: WakeNever, 16: WakeNever} {
		if wakes[id] != want {
			t.Errorf("follow-up %d wakes on %s, want %s", id, wakes[id], want)
		}
	}
}

// A second plan over the marks the first wrote sends nothing: the points are not news.
func TestPlanRemindersTwiceSendsNothing(t *testing.T) {
	rules := DefaultReminderRules()
	_ = rules.Validate()
	today := MustDate("2025-07-07")
	recs := map[int64]ReminderRecommendation{1: {Report: "rep", Label: "R1", DueOn: MustDate("2025-06-30")}}
	cand := ReminderCandidate{FollowUpID: 1, RecommendationID: 1, Party: "FR", Eligible: true}
	users := []ReminderRecipient{{Email: "fr@x", Role: RoleParty, Party: "FR"}}
	first := PlanReminders(today, rules, recs, []ReminderCandidate{cand}, users, nil, nil)
	if len(first.Messages) != 1 || len(first.Marks) != 1 {
		t.Fatalf("first run: %d messages, %d marks", len(first.Messages), len(first.Marks))
	}
	m := first.Marks[0]
	cand.PartyMark = ReminderMark{DueOn: m.DueOn, Point: m.Point}
	if second := PlanReminders(today, rules, recs, []ReminderCandidate{cand}, users, nil, nil); len(second.Messages) != 0 || len(second.Marks) != 0 {
		t.Fatalf("second run: %d messages, %d marks, want none", len(second.Messages), len(second.Marks))
	}
}

// Requests for clarification are reminded of by the follow-ups' rules, from their own deadline
// and the day they were made, in the same messages, each point once.
func TestPlanRemindersOfRequests(t *testing.T) {
	rules := DefaultReminderRules()
	if err := rules.Validate(); err != nil {
		t.Fatal(err)
	}
	recs := map[int64]ReminderRecommendation{
		1: {Report: "rep", ReportTitle: "Report", Label: "R1", Order: "a1", DueOn: MustDate("2027-06-30")},
		2: {Report: "rep", ReportTitle: "Report", Label: "R2", Order: "a2", Archived: true},
	}
	users := []ReminderRecipient{{Email: "fr@x", Role: RoleParty, Party: "FR"}, {Email: "sec@x", Role: RoleSecretariat}}
	req := ReminderRequest{ID: 5, RecommendationID: 1, Party: "FR", Eligible: true,
		RequestedOn: MustDate("2026-11-28"), DueOn: MustDate("2026-12-20")}
	plan := func(on string, q ReminderRequest, who []ReminderRecipient) ReminderPlan {
		return PlanReminders(MustDate(on), rules, recs, nil, who, nil, []ReminderRequest{q})
	}
	// On the day it is made, the due-30 point (dated before it) is not sent.
	if p := plan("2026-11-28", req, users); len(p.Messages) != 0 || len(p.Marks) != 0 {
		t.Errorf("on the day of the request: %+v", p)
	}
	p := plan("2026-12-13", req, users) // due-7
	if len(p.Messages) != 1 || p.Messages[0].Recipient != "fr@x" || len(p.Messages[0].Items) != 1 {
		t.Fatalf("at due-7: %+v", p.Messages)
	}
	it := p.Messages[0].Items[0]
	if it.Request != 5 || it.Point != "due-7" || it.DueOn != req.DueOn || it.Label != "R1" {
		t.Errorf("item %+v", it)
	}
	if len(p.Marks) != 1 || p.Marks[0].RequestID != 5 || p.Marks[0].FollowUpID != 0 || p.Marks[0].Point.Name != "due-7" {
		t.Errorf("marks %+v", p.Marks)
	}
	// A follow-up's item and a request's of the same follow-up are two items with two keys.
	fu := MessageItem{Report: "rep", Label: "R1", Party: "FR", DueOn: req.DueOn, Point: "due-7"}
	if MessageKey(KindReminder, "fr@x", "", []MessageItem{fu}) == MessageKey(KindReminder, "fr@x", "", []MessageItem{it}) {
		t.Error("a request's reminder has the key of its follow-up's")
	}
	// Marked, it is not sent again; answered, archived, or with no user yet, nothing is sent.
	marked := req
	marked.PartyMark = ReminderMark{DueOn: req.DueOn, Point: p.Marks[0].Point}
	if p := plan("2026-12-14", marked, users); len(p.Messages) != 0 {
		t.Errorf("sent twice: %+v", p.Messages)
	}
	answered := req
	answered.Eligible = false
	archived := req
	archived.RecommendationID = 2
	for name, q := range map[string]ReminderRequest{"answered": answered, "archived": archived} {
		if p := plan("2026-12-13", q, users); len(p.Messages) != 0 {
			t.Errorf("%s: %+v", name, p.Messages)
		}
	}
	if p := plan("2026-12-13", req, users[1:]); len(p.Messages) != 0 || len(p.Marks) != 0 {
		t.Errorf("no user of FR: %+v", p)
	}
	// Long overdue, the Secretariat is told, once.
	p = plan("2027-01-19", marked, users)
	var kinds []string
	for _, m := range p.Messages {
		kinds = append(kinds, m.Kind+" "+m.Items[0].Point)
	}
	if !slices.Equal(kinds, []string{"reminder overdue-28", "escalation escalation-30"}) {
		t.Errorf("30 days overdue: %v", kinds)
	}
}
