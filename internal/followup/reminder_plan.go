package followup

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
)

// Planning a reminders run. A store reads what the rules need (the recommendations with their
// due dates, the follow-ups due to be looked at with their latest adoption and the last point
// sent to each audience, the users who receive reminders) and gives it to PlanReminders, which
// decides everything: which follow-ups reached a new point, which message each recipient gets
// with its idempotency key, which marks move and when each follow-up must be looked at again.
// The store then renders the messages and writes the plan in the same transaction as its reads.

// Reminder audiences: who a point is sent to.
const (
	AudienceParty       = "party"       // the Party's users
	AudienceSecretariat = "secretariat" // the Secretariat (escalations)
)

// WakeNever is the wake day of a follow-up that gets no reminder until its facts change.
var WakeNever = NewDate(9999, 12, 31)

// ReminderRecommendation is what planning needs of a recommendation and its report.
type ReminderRecommendation struct {
	Report      string // slug
	ReportTitle string
	Label       string
	// Order sorts the items of a message: report adoption, slug, position in the report.
	Order    string
	DueOn    Date // the recommendation's due date, or its report's; zero when none
	Archived bool // the recommendation or its report is archived, or the report is not published
}

// ReminderMark is the last point sent of a follow-up to an audience, for the due date it was
// computed from; the zero mark when none was sent.
type ReminderMark struct {
	DueOn Date
	Point ReminderPoint
}

// ReminderCandidate is a follow-up a run looks at.
type ReminderCandidate struct {
	FollowUpID       int64
	RecommendationID int64
	Party            string
	// Eligible: active, open and not answered by a submission since its latest adoption.
	Eligible  bool
	AdoptedOn Date // the latest adoption; zero when none
	// DueOn is the follow-up's own deadline, set by an adoption that left it open; zero when it
	// has none, and the recommendation's applies.
	DueOn Date
	// WakeOn is the day the follow-up was due to be looked at again; HasWake is false when the
	// follow-up had no wake day stored.
	WakeOn          Date
	HasWake         bool
	PartyMark       ReminderMark
	SecretariatMark ReminderMark
}

// ReminderRequest is a request for clarification a run looks at: every open one, since they
// are few. Its reminders follow the same rules as a follow-up's, counted from its own deadline;
// points dated before the request was made are not sent (the request itself said as much).
type ReminderRequest struct {
	ID               int64
	RecommendationID int64
	Party            string
	DueOn            Date
	RequestedOn      Date
	// Eligible: still open, on an active follow-up.
	Eligible        bool
	PartyMark       ReminderMark
	SecretariatMark ReminderMark
}

// ReminderRecipient is an active user who receives reminders (a Party's user) or escalations
// (the Secretariat).
type ReminderRecipient struct {
	Email, Name, Lang string
	Role              Role
	Party             string // for RoleParty
}

// ReminderMarkUpdate moves the mark of a follow-up for an audience to a point sent.
type ReminderMarkUpdate struct {
	FollowUpID int64
	RequestID  int64 // for a request's point; FollowUpID is then 0
	Party      string
	Audience   string
	DueOn      Date
	Point      ReminderPoint
}

// ReminderWake is the next day a follow-up must be looked at (WakeNever: until its facts change).
type ReminderWake struct {
	FollowUpID int64
	WakeOn     Date
}

// ReminderPlan is what a run writes: the messages (not yet rendered, with their idempotency
// keys), the marks of the points someone received, the wake days that changed, and the counts.
// Counts.Messages is the number of messages planned; the store counts those it wrote (a message
// whose key is in the outbox already is not written again).
type ReminderPlan struct {
	Messages []Message
	Marks    []ReminderMarkUpdate
	Wakes    []ReminderWake
	Counts   ReminderCounts
}

// PlanReminders decides a reminders run on today. recs holds every recommendation by id;
// candidates are the follow-ups looked at (those whose wake day has come, or all of them);
// requests are the open requests for clarification, reminded of by the same rules and listed
// in the same messages as the follow-ups; recipients are the active users of the Parties and of the Secretariat; parties gives the names
// shown in the messages. A point is news when it is later than the mark of the follow-up for
// the audience (ShouldSend); it is marked only when someone received it, so that a Party with no
// user yet gets its current point when its first user exists.
func PlanReminders(today Date, rules ReminderRules, recs map[int64]ReminderRecommendation, candidates []ReminderCandidate,
	recipients []ReminderRecipient, parties map[string]Party, requests []ReminderRequest) ReminderPlan {
	var plan ReminderPlan
	// The points a due date reaches on today, and the next day one is reached, are the same for
	// every follow-up due that day: computed once per due date.
	type duePoints struct {
		party, escalation ReminderPoint
		wake              Date
	}
	points := map[Date]duePoints{}
	pointsOf := func(due Date) duePoints {
		if p, ok := points[due]; ok {
			return p
		}
		p := duePoints{wake: WakeNever}
		facts := ReminderFacts{DueOn: due, Open: true}
		p.party, p.escalation = rules.PartyReminderPoint(facts, today), rules.EscalationPoint(facts, today)
		if next := rules.NextReminderOn(due, today); !next.IsZero() {
			p.wake = next
		}
		points[due] = p
		return p
	}

	byParty := map[string][]MessageItem{}
	order := map[string]string{} // by itemKey
	var escalations []MessageItem
	var partyMarks, secMarks []ReminderMarkUpdate
	for _, c := range candidates {
		plan.Counts.Candidates++
		rec, ok := recs[c.RecommendationID]
		due := rec.DueOn
		if !c.DueOn.IsZero() {
			due = c.DueOn
		}
		eligible := c.Eligible && ok && !rec.Archived && !due.IsZero()
		next := WakeNever
		var dp duePoints
		if eligible {
			dp = pointsOf(due)
			next = dp.wake
		}
		if !c.HasWake || c.WakeOn != next {
			plan.Wakes = append(plan.Wakes, ReminderWake{FollowUpID: c.FollowUpID, WakeOn: next})
		}
		if !eligible || (dp.party.IsZero() && dp.escalation.IsZero()) {
			continue
		}
		facts := ReminderFacts{DueOn: due, Open: true, AdoptedOn: c.AdoptedOn}
		item := func(point string) MessageItem {
			p := parties[c.Party]
			it := MessageItem{Report: rec.Report, ReportTitle: rec.ReportTitle, Label: rec.Label, Party: c.Party,
				PartyNameEN: p.NameEN, PartyNameFR: p.NameFR, Point: point, DueOn: due, DaysOverdue: due.DaysUntil(today)}
			order[itemKey(it)] = rec.Order
			return it
		}
		if p := rules.PartyReminderPoint(facts, today); ShouldSend(p, due, c.PartyMark.DueOn, c.PartyMark.Point) {
			byParty[c.Party] = append(byParty[c.Party], item(p.Name))
			partyMarks = append(partyMarks, ReminderMarkUpdate{FollowUpID: c.FollowUpID, Party: c.Party, Audience: AudienceParty, DueOn: due, Point: p})
		}
		if p := rules.EscalationPoint(facts, today); ShouldSend(p, due, c.SecretariatMark.DueOn, c.SecretariatMark.Point) {
			escalations = append(escalations, item(p.Name))
			secMarks = append(secMarks, ReminderMarkUpdate{FollowUpID: c.FollowUpID, Party: c.Party, Audience: AudienceSecretariat, DueOn: due, Point: p})
		}
	}
	for _, q := range requests {
		plan.Counts.Candidates++
		rec, ok := recs[q.RecommendationID]
		if !q.Eligible || !ok || rec.Archived || q.DueOn.IsZero() {
			continue
		}
		facts := ReminderFacts{DueOn: q.DueOn, Open: true, AdoptedOn: q.RequestedOn}
		item := func(point string) MessageItem {
			p := parties[q.Party]
			it := MessageItem{Report: rec.Report, ReportTitle: rec.ReportTitle, Label: rec.Label, Party: q.Party, Request: q.ID,
				PartyNameEN: p.NameEN, PartyNameFR: p.NameFR, Point: point, DueOn: q.DueOn, DaysOverdue: q.DueOn.DaysUntil(today)}
			order[itemKey(it)] = rec.Order + "\x01" + fmt.Sprintf("%012d", q.ID)
			return it
		}
		if p := rules.PartyReminderPoint(facts, today); ShouldSend(p, q.DueOn, q.PartyMark.DueOn, q.PartyMark.Point) {
			byParty[q.Party] = append(byParty[q.Party], item(p.Name))
			partyMarks = append(partyMarks, ReminderMarkUpdate{RequestID: q.ID, Party: q.Party, Audience: AudienceParty, DueOn: q.DueOn, Point: p})
		}
		if p := rules.EscalationPoint(facts, today); ShouldSend(p, q.DueOn, q.SecretariatMark.DueOn, q.SecretariatMark.Point) {
			escalations = append(escalations, item(p.Name))
			secMarks = append(secMarks, ReminderMarkUpdate{RequestID: q.ID, Party: q.Party, Audience: AudienceSecretariat, DueOn: q.DueOn, Point: p})
		}
	}
	if len(byParty) == 0 && len(escalations) == 0 {
		return plan
	}

	// Each Party's items, and the escalations, in report and recommendation order.
	byOrder := func(a, b MessageItem) int {
		return cmp.Or(cmp.Compare(a.Party, b.Party), cmp.Compare(order[itemKey(a)], order[itemKey(b)]))
	}
	for _, items := range byParty {
		slices.SortFunc(items, byOrder)
	}
	slices.SortFunc(escalations, byOrder)
	usersOf := map[string][]ReminderRecipient{}
	var secretariat []ReminderRecipient
	for _, u := range recipients {
		switch u.Role {
		case RoleSecretariat:
			secretariat = append(secretariat, u)
		case RoleParty:
			usersOf[u.Party] = append(usersOf[u.Party], u)
		}
	}
	codes := make([]string, 0, len(byParty))
	for p := range byParty {
		codes = append(codes, p)
	}
	sort.Strings(codes)
	served := map[string]bool{}
	for _, party := range codes {
		items := byParty[party]
		for _, u := range usersOf[party] {
			served[party] = true
			m := Message{Kind: KindReminder, Recipient: u.Email, RecipientName: u.Name, Lang: u.Lang, Items: items, On: today}
			m.IdempotencyKey = MessageKey(m.Kind, u.Email, "", items)
			plan.Messages = append(plan.Messages, m)
		}
		if served[party] {
			plan.Counts.Items += len(items)
		}
	}
	if len(escalations) > 0 {
		for _, u := range secretariat {
			m := Message{Kind: KindEscalation, Recipient: u.Email, RecipientName: u.Name, Lang: u.Lang, Items: escalations, On: today}
			m.IdempotencyKey = MessageKey(m.Kind, u.Email, "", escalations)
			plan.Messages = append(plan.Messages, m)
		}
	}
	for _, m := range partyMarks {
		if served[m.Party] {
			plan.Marks = append(plan.Marks, m)
		}
	}
	if len(escalations) > 0 && len(secretariat) > 0 {
		plan.Marks = append(plan.Marks, secMarks...)
		plan.Counts.Escalations = len(secMarks)
	}
	plan.Counts.Messages = len(plan.Messages)
	return plan
}

// itemKey names an item of a message: its follow-up, and its request for clarification if any.
func itemKey(it MessageItem) string {
	if it.Request != 0 {
		return it.Key().String() + "?request=" + strconv.FormatInt(it.Request, 10)
	}
	return it.Key().String()
}
