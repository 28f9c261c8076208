package followup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Reminder rules.
//
// A follow-up that is open, has a due date and has had no submission since its latest adoption
// passes through reminder points: "due-30" and "due-7" days before its due date (the offsets are
// configurable), "due-0" on the due date, "overdue-7", "overdue-14", ... every OverdueEvery days
// after it, and "escalation-30" (to the Secretariat) once it is EscalateAfter days overdue.
//
// On a given day the point due is the latest point reached, so a job that did not run for a few
// days sends the latest reminder only, not every one it missed. A point dated before the latest
// adoption of the follow-up counts as answered by that adoption. A submission stops the points
// (the follow-up is no longer a candidate); a new due date starts them over.

// ReminderRules are the configurable offsets of the reminder points.
type ReminderRules struct {
	// DaysBefore lists the days before the due date on which the Party is reminded; 0 is the
	// due date itself.
	DaysBefore []int
	// OverdueEvery is the interval in days of the reminders while overdue; 0 for none.
	OverdueEvery int
	// EscalateAfter is the number of days overdue after which the Secretariat is told; 0 for never.
	EscalateAfter int
}

// DefaultReminderRules are 30 and 7 days before, on the day, every 7 days overdue, escalation
// after 30 days.
func DefaultReminderRules() ReminderRules {
	return ReminderRules{DaysBefore: []int{30, 7, 0}, OverdueEvery: 7, EscalateAfter: 30}
}

// Validate checks the rules and sorts DaysBefore from the earliest point (largest offset) on.
func (r *ReminderRules) Validate() error {
	seen := map[int]bool{}
	var days []int
	for _, d := range r.DaysBefore {
		if d < 0 || d > 366 {
			return Invalid("offsets", "%d is not a number of days between 0 and 366", d)
		}
		if !seen[d] {
			seen[d] = true
			days = append(days, d)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(days)))
	r.DaysBefore = days
	if r.OverdueEvery < 0 || r.OverdueEvery > 366 {
		return Invalid("overdue_every_days", "%d is not a number of days between 0 and 366", r.OverdueEvery)
	}
	if r.EscalateAfter < 0 || r.EscalateAfter > 3660 {
		return Invalid("escalate_after_days", "%d is not a number of days between 0 and 3660", r.EscalateAfter)
	}
	return nil
}

// Lead returns the largest number of days before the due date at which a point is reached: a
// follow-up due later than today + Lead has no point yet.
func (r ReminderRules) Lead() int {
	lead := 0
	for _, d := range r.DaysBefore {
		lead = max(lead, d)
	}
	return lead
}

// ReminderPoint names one point in a follow-up's reminder calendar: "due-30", "due-0",
// "overdue-14", "escalation-30".
type ReminderPoint struct {
	Name string
	On   Date // the day the point is reached
}

// IsZero reports whether there is no point.
func (p ReminderPoint) IsZero() bool { return p.Name == "" }

// ReminderFacts are what the rules need to know of a follow-up.
type ReminderFacts struct {
	DueOn                  Date
	Open                   bool
	SubmittedSinceAdoption bool
	AdoptedOn              Date // the latest adoption; zero when none
}

// Eligible reports whether the follow-up gets reminders at all: open, with a due date and
// without a submission since its latest adoption.
func (f ReminderFacts) Eligible() bool {
	return f.Open && !f.DueOn.IsZero() && !f.SubmittedSinceAdoption
}

// PartyReminderPoint returns the latest point of the Party's reminders reached on today, or the
// zero point when there is none (not eligible, too early, or answered by an adoption).
func (r ReminderRules) PartyReminderPoint(f ReminderFacts, today Date) ReminderPoint {
	if !f.Eligible() {
		return ReminderPoint{}
	}
	var best ReminderPoint
	consider := func(name string, on Date) {
		if on.After(today) || (!f.AdoptedOn.IsZero() && on.Before(f.AdoptedOn)) {
			return
		}
		if best.IsZero() || on.After(best.On) {
			best = ReminderPoint{Name: name, On: on}
		}
	}
	for _, d := range r.DaysBefore {
		consider("due-"+strconv.Itoa(d), f.DueOn.AddDays(-d))
	}
	if r.OverdueEvery > 0 {
		overdue := f.DueOn.DaysUntil(today)
		if overdue >= r.OverdueEvery {
			n := overdue / r.OverdueEvery * r.OverdueEvery
			consider("overdue-"+strconv.Itoa(n), f.DueOn.AddDays(n))
		}
	}
	return best
}

// EscalationPoint returns the escalation point to the Secretariat when it is reached on today,
// or the zero point.
func (r ReminderRules) EscalationPoint(f ReminderFacts, today Date) ReminderPoint {
	if !f.Eligible() || r.EscalateAfter <= 0 {
		return ReminderPoint{}
	}
	on := f.DueOn.AddDays(r.EscalateAfter)
	if on.After(today) || (!f.AdoptedOn.IsZero() && on.Before(f.AdoptedOn)) {
		return ReminderPoint{}
	}
	return ReminderPoint{Name: "escalation-" + strconv.Itoa(r.EscalateAfter), On: on}
}

// NextReminderOn returns the first day after today on which a reminder point (to the Party or,
// the escalation, to the Secretariat) of a follow-up due on due is reached, or the zero date when
// there is none (no due date, or every point is past and there are no overdue reminders).
//
// While a follow-up's facts stay the same, the reminders job has nothing new to say about it
// before that day: the latest point reached only moves when the calendar reaches a point, and an
// adoption or a submission only ever answers points. So a job that looked at a follow-up on today
// need not look at it again before NextReminderOn, unless its facts change.
func (r ReminderRules) NextReminderOn(due, today Date) Date {
	if due.IsZero() {
		return Date{}
	}
	var next Date
	consider := func(on Date) {
		if on.After(today) && (next.IsZero() || on.Before(next)) {
			next = on
		}
	}
	for _, d := range r.DaysBefore {
		consider(due.AddDays(-d))
	}
	if r.OverdueEvery > 0 {
		// The overdue points are due + k×OverdueEvery, k ≥ 1: the first one after today.
		k := 1
		if overdue := due.DaysUntil(today); overdue >= 0 {
			k = overdue/r.OverdueEvery + 1
		}
		consider(due.AddDays(k * r.OverdueEvery))
	}
	if r.EscalateAfter > 0 {
		consider(due.AddDays(r.EscalateAfter))
	}
	return next
}

// Fingerprint writes the rules as "30,7,0/7/30" (DaysBefore, OverdueEvery, EscalateAfter), so
// that a schedule computed with them can tell when they changed.
func (r ReminderRules) Fingerprint() string {
	days := make([]string, len(r.DaysBefore))
	for i, d := range r.DaysBefore {
		days[i] = strconv.Itoa(d)
	}
	return strings.Join(days, ",") + "/" + strconv.Itoa(r.OverdueEvery) + "/" + strconv.Itoa(r.EscalateAfter)
}

// ShouldSend reports whether point is news compared with the last point sent for the same
// follow-up and audience: nothing sent yet for this due date, or a later point.
func ShouldSend(point ReminderPoint, dueOn Date, lastDueOn Date, lastPoint ReminderPoint) bool {
	if point.IsZero() {
		return false
	}
	if lastPoint.IsZero() || lastDueOn != dueOn {
		return true
	}
	return point.On.After(lastPoint.On)
}

// Message kinds.
const (
	KindReminder         = "reminder"          // to a Party's users: follow-ups due or overdue
	KindEscalation       = "escalation"        // to the Secretariat: follow-ups long overdue
	KindRapporteurDigest = "rapporteur_digest" // to rapporteurs: submissions awaiting assessment
)

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
)

// MessageItem is one follow-up listed in a message.
type MessageItem struct {
	Report      string `json:"report"`
	ReportTitle string `json:"report_title,omitempty"`
	Label       string `json:"label"`
	Party       string `json:"party"`
	PartyNameEN string `json:"party_name_en,omitempty"`
	PartyNameFR string `json:"party_name_fr,omitempty"`
	Point       string `json:"point,omitempty"` // the reminder point, for reminders and escalations
	// Request is the request for clarification the item reminds of; 0 for the follow-up itself.
	Request int64 `json:"request,omitempty"`
	DueOn   Date  `json:"due_on"`
	// SubmittedOn is the date of the latest submission as the Party gave it, and SubmittedAt
	// when it was recorded (rapporteur digests).
	SubmittedOn Date      `json:"submitted_on,omitzero"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	// DaysOverdue is the number of days past the due date on the message's day (negative: days left).
	DaysOverdue int `json:"days_overdue"`
}

// Key returns the item's follow-up key.
func (i MessageItem) Key() FollowUpKey {
	return FollowUpKey{Report: i.Report, Label: i.Label, Party: i.Party}
}

// PartyName returns the Party's name in lang.
func (i MessageItem) PartyName(lang string) string {
	return Party{Code: i.Party, NameEN: i.PartyNameEN, NameFR: i.PartyNameFR}.Name(lang)
}

// Message is one e-mail in the outbox.
type Message struct {
	ID             int64         `json:"id"`
	IdempotencyKey string        `json:"idempotency_key"`
	Kind           string        `json:"kind"`
	Recipient      string        `json:"recipient"`
	RecipientName  string        `json:"recipient_name"`
	Lang           string        `json:"lang"`
	Subject        string        `json:"subject"`
	BodyText       string        `json:"body_text,omitempty"`
	BodyHTML       string        `json:"body_html,omitempty"`
	Items          []MessageItem `json:"items"`
	Status         string        `json:"status"`
	Attempts       int           `json:"attempts"`
	NextAttemptAt  time.Time     `json:"next_attempt_at,omitzero"`
	LastError      string        `json:"last_error,omitempty"`
	CreatedAt      time.Time     `json:"created_at"`
	SentAt         time.Time     `json:"sent_at,omitzero"`
	// Claim is the number of the claim under which a deliverer holds the message, until
	// ClaimedUntil (see OutboxService.ClaimOutbox); not shown.
	Claim        int64     `json:"-"`
	ClaimedUntil time.Time `json:"-"`
	// On is the day the message speaks of (the job's "today"); not stored.
	On Date `json:"-"`
}

// MessageKey returns the idempotency key of a message: its kind, its recipient, a scope (the day
// of a digest, or "" when the items say it all) and a hash of what it says (the follow-ups, their
// due dates and points), so that the same decision never makes two messages.
func MessageKey(kind, recipient, scope string, items []MessageItem) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		// A follow-up's part is as it always was, so that the keys of messages already written
		// do not change; a request's names the request.
		parts = append(parts, itemKey(it)+"@"+it.DueOn.String()+"#"+it.Point)
	}
	sort.Strings(parts)
	sum := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	return kind + ":" + strings.ToLower(recipient) + ":" + scope + ":" + hex.EncodeToString(sum[:16])
}

// Renderer writes a message's subject and bodies from its kind, language and items. Render must
// be safe for concurrent use: the reminders job renders its digests in parallel.
type Renderer interface {
	Render(m *Message) error
}

// Mailer sends one message; the error tells whether a failure is permanent (see PermanentError).
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// PermanentError marks a delivery failure that retrying will not cure (an SMTP 5xx answer).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// OutboxFilter selects outbox messages.
type OutboxFilter struct {
	Status    string
	Recipient string
	Kind      string
	Limit     int
}

// Validate checks the filter and sets the default limit.
func (f *OutboxFilter) Validate() error {
	switch f.Status {
	case "", OutboxPending, OutboxSent, OutboxFailed:
	default:
		return Invalid("status", "%q is not an outbox status (pending, sent, failed)", f.Status)
	}
	switch f.Kind {
	case "", KindReminder, KindEscalation, KindRapporteurDigest:
	default:
		return Invalid("kind", "%q is not a message kind (reminder, escalation, rapporteur_digest)", f.Kind)
	}
	f.Recipient = strings.ToLower(strings.TrimSpace(f.Recipient))
	switch {
	case f.Limit == 0:
		f.Limit = 200
	case f.Limit < 0 || f.Limit > 1000:
		return Invalid("limit", "the limit must be between 1 and 1000")
	}
	return nil
}

// RetryDelay returns how long to wait before the next delivery attempt after attempts failed
// ones: one minute, doubling, at most six hours.
func RetryDelay(attempts int) time.Duration {
	d := time.Minute
	for i := 1; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// ErrClaimLost is the answer to marking an outbox message under a claim that is no longer the
// message's: another deliverer took it over, and its outcome is that one's to record.
var ErrClaimLost = errors.New("the claim on the message was taken over by another delivery")

// MaxDeliveryAttempts is the number of failed attempts after which a message is marked failed
// (it stays in the outbox and can be retried by hand).
const MaxDeliveryAttempts = 12

// JobCounts are what a job run did, by name ("messages", "items", "snapshots", ...).
type JobCounts map[string]int

// String writes the counts as "a=1 b=2" in key order.
func (c JobCounts) String() string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%d", k, c[k])
	}
	return b.String()
}

// JobRun records one run of a scheduled job.
type JobRun struct {
	ID           int64     `json:"id"`
	Job          string    `json:"job"`
	ScheduledFor time.Time `json:"scheduled_for"`
	StartedAt    time.Time `json:"started_at"`
	FinishedAt   time.Time `json:"finished_at,omitzero"`
	Counts       JobCounts `json:"counts"`
	Error        string    `json:"error,omitempty"`
	// Holder is the process the run ran in, and Term the term of the scheduler's lease it ran
	// under; 0 for a run asked for by hand ("Run now", `followup jobs run`), which runs in the
	// process asked whether it leads or not.
	Holder string `json:"holder,omitempty"`
	Term   int64  `json:"term,omitempty"`
}

// Duration returns how long the run took, or 0 while it runs.
func (r JobRun) Duration() time.Duration {
	if r.FinishedAt.IsZero() {
		return 0
	}
	return r.FinishedAt.Sub(r.StartedAt)
}

// JobRunStore records job runs.
type JobRunStore interface {
	// StartJobRun records that a run began: its Job, ScheduledFor, StartedAt, Holder and Term.
	// Under a Fence (WithFence) it is refused when the lease is lost.
	StartJobRun(ctx context.Context, run JobRun) (int64, error)
	// FinishJobRun records how a run ended, fenced or not.
	FinishJobRun(ctx context.Context, id int64, finishedAt time.Time, counts JobCounts, runErr error) error
	// LastJobRun returns the latest run of a job by scheduled time, finished or not; ok is
	// false when none.
	LastJobRun(ctx context.Context, job string) (run JobRun, ok bool, err error)
	// LastFinishedJobRun returns the latest finished run of a job by scheduled time: a run
	// whose process died before it ended did not do its activation.
	LastFinishedJobRun(ctx context.Context, job string) (run JobRun, ok bool, err error)
	ListJobRuns(ctx context.Context, job string, limit int) ([]JobRun, error)
}

// ReminderCounts are what one reminders run enqueued.
type ReminderCounts struct {
	Candidates  int // follow-ups looked at
	Items       int // follow-up points newly sent to a Party (or escalated)
	Messages    int // messages written to the outbox
	Escalations int // follow-up points escalated to the Secretariat
}

// JobService is what the scheduled jobs ask of the store. Each Enqueue method decides what to
// send and writes it to the outbox in one transaction, under unique idempotency keys, so that
// a rerun, a catch-up or a second scheduler sends nothing twice.
type JobService interface {
	JobRunStore
	EnqueueReminders(ctx context.Context, today Date, rules ReminderRules, r Renderer) (ReminderCounts, error)
	EnqueueRapporteurDigest(ctx context.Context, today Date, r Renderer) (messages int, err error)
	// SnapshotCompliance stores the compliance counts and score of every report, overall and
	// per Party, as of today; a second snapshot of the same day changes nothing.
	SnapshotCompliance(ctx context.Context, today Date) (stored int, err error)
	// Backup writes a consistent copy of the database to path (which must not exist).
	Backup(ctx context.Context, path string) error
	// Optimize lets the database refresh its statistics.
	Optimize(ctx context.Context) error
	// PurgeImportUploads deletes the import uploads expired at now (ImportUploadService).
	PurgeImportUploads(ctx context.Context, now time.Time) (int, error)
}

// OutboxService lists and delivers outbox messages.
type OutboxService interface {
	// ListOutbox lists messages, newest first (admin).
	ListOutbox(ctx context.Context, f OutboxFilter) ([]Message, error)
	// ClaimOutbox takes up to limit pending messages due at now that nobody holds, and holds
	// them until now + lease under a new claim number each (Message.Claim), so that no other
	// delivery loop, of this process or another, takes them meanwhile. A claim that runs out
	// (its deliverer died) leaves the message to the next claim.
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Message, error)
	// MarkSent records a delivered message; ErrClaimLost when the claim is no longer the
	// message's (it ran out and another deliverer claimed the message).
	MarkSent(ctx context.Context, id, claim int64, at time.Time) error
	// MarkFailedAttempt records a failed attempt: retried at next, or failed for good when
	// permanent; ErrClaimLost as MarkSent.
	MarkFailedAttempt(ctx context.Context, id, claim int64, attempts int, next time.Time, permanent bool, reason string) error
	// FindOutboxMessage returns one message with its bodies (admin).
	FindOutboxMessage(ctx context.Context, id int64) (Message, error)
	// RetryOutbox puts a message that failed for good back in the queue, due at once (admin).
	RetryOutbox(ctx context.Context, id int64) error
}

// ComplianceSnapshot is the compliance of a report (overall when Party is "", else of one
// Party) on a day, as stored by the daily snapshot job.
type ComplianceSnapshot struct {
	On     Date     `json:"on"`
	Report string   `json:"report"`
	Party  string   `json:"party,omitempty"`
	Counts Counts   `json:"counts"`
	Score  *float64 `json:"score"`
	Total  int      `json:"total"`
}

// CalendarService manages the secret calendar-feed tokens.
type CalendarService interface {
	// CreateCalendarToken makes a feed token for a user (admin, or the user itself) and returns
	// it in clear; only its hash is kept.
	CreateCalendarToken(ctx context.Context, email string) (string, error)
	// RevokeCalendarTokens revokes every feed token of a user and returns how many.
	RevokeCalendarTokens(ctx context.Context, email string) (int, error)
	// AuthenticateCalendarToken returns the actor a feed token stands for.
	AuthenticateCalendarToken(ctx context.Context, token string) (Actor, error)
	// LiveCalendarTokens counts a user's feed tokens that are not revoked (admin, or the user).
	LiveCalendarTokens(ctx context.Context, email string) (int, error)
}
