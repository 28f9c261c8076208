package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"followup/internal/followup"
)

var (
	_ followup.JobService      = (*Store)(nil)
	_ followup.OutboxService   = (*Store)(nil)
	_ followup.CalendarService = (*Store)(nil)
)

// fixedLayout writes instants with a fixed width, so that their text sorts and compares like
// the instants themselves (RFC 3339 with a variable fraction does not: "…00Z" > "…00.5Z").
const fixedLayout = "2006-01-02T15:04:05.000000000Z"

func fixedStamp(t time.Time) string { return t.UTC().Format(fixedLayout) }

func nullStamp(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return fixedStamp(t)
}

func scanNullStamp(v sql.NullString) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return parseStamp(v.String)
}

// StartJobRun records that a run of job began.
func (s *Store) StartJobRun(ctx context.Context, job string, scheduledFor, startedAt time.Time) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO job_runs (job, scheduled_for, started_at) VALUES (?, ?, ?) RETURNING id`,
			job, fixedStamp(scheduledFor), fixedStamp(startedAt)).Scan(&id)
	})
	return id, err
}

// FinishJobRun records the end of a run, its counts and its error.
func (s *Store) FinishJobRun(ctx context.Context, id int64, finishedAt time.Time, counts followup.JobCounts, runErr error) error {
	if counts == nil {
		counts = followup.JobCounts{}
	}
	b, err := json.Marshal(counts)
	if err != nil {
		return err
	}
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
	}
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE job_runs SET finished_at = ?, counts = ?, error = ? WHERE id = ?`,
			fixedStamp(finishedAt), string(b), msg, id)
		return err
	})
}

const jobRunColumns = `id, job, scheduled_for, started_at, finished_at, counts, error`

func scanJobRun(row interface{ Scan(...any) error }) (followup.JobRun, error) {
	var r followup.JobRun
	var sched, started, counts string
	var finished sql.NullString
	if err := row.Scan(&r.ID, &r.Job, &sched, &started, &finished, &counts, &r.Error); err != nil {
		return r, err
	}
	r.ScheduledFor, r.StartedAt, r.FinishedAt = parseStamp(sched), parseStamp(started), scanNullStamp(finished)
	r.Counts = followup.JobCounts{}
	_ = json.Unmarshal([]byte(counts), &r.Counts)
	return r, nil
}

// LastJobRun returns the run of job with the latest scheduled time.
func (s *Store) LastJobRun(ctx context.Context, job string) (followup.JobRun, bool, error) {
	r, err := scanJobRun(s.reader.QueryRowContext(ctx, `SELECT `+jobRunColumns+` FROM job_runs WHERE job = ?
		ORDER BY scheduled_for DESC, id DESC LIMIT 1`, job))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

// ListJobRuns returns the latest runs of a job (of every job when job is ""), newest first.
func (s *Store) ListJobRuns(ctx context.Context, job string, limit int) ([]followup.JobRun, error) {
	if limit <= 0 || limit > 1000 {
		limit = 20
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT `+jobRunColumns+` FROM job_runs WHERE (? = '' OR job = ?)
		ORDER BY id DESC LIMIT ?`, job, job, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []followup.JobRun{}
	for rows.Next() {
		r, err := scanJobRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// recipient is a user a job writes to.
type recipient struct {
	email, name, lang, role, party string
}

func activeRecipients(ctx context.Context, tx *Tx, roles ...string) ([]recipient, error) {
	args := make([]any, len(roles))
	for i, r := range roles {
		args[i] = r
	}
	rows, err := tx.QueryContext(ctx, `SELECT email, name, lang, role, coalesce(party_code, '') FROM users
		WHERE active = TRUE AND role IN (`+placeholders(len(roles))+`) ORDER BY email`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []recipient
	for rows.Next() {
		var r recipient
		if err := rows.Scan(&r.email, &r.name, &r.lang, &r.role, &r.party); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// enqueue renders a message and writes it to the outbox unless a message with the same
// idempotency key is there already; it reports whether it wrote one.
func (s *Store) enqueue(ctx context.Context, tx *Tx, m followup.Message, r followup.Renderer) (bool, error) {
	if err := r.Render(&m); err != nil {
		return false, fmt.Errorf("render %s for %s: %w", m.Kind, m.Recipient, err)
	}
	return s.insertOutbox(ctx, tx, m)
}

// insertOutbox writes a rendered message to the outbox unless a message with the same
// idempotency key is there already; it reports whether it wrote one.
func (s *Store) insertOutbox(ctx context.Context, tx *Tx, m followup.Message) (bool, error) {
	items, err := json.Marshal(m.Items)
	if err != nil {
		return false, err
	}
	var html any
	if m.BodyHTML != "" {
		html = m.BodyHTML
	}
	now := s.now()
	res, err := tx.ExecContext(ctx, `INSERT INTO outbox (idempotency_key, kind, recipient, recipient_name, lang, subject, body_text, body_html,
			items, status, attempts, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
		ON CONFLICT (idempotency_key) DO NOTHING`,
		m.IdempotencyKey, m.Kind, m.Recipient, m.RecipientName, m.Lang, m.Subject, m.BodyText, html, string(items),
		fixedStamp(now), fixedStamp(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// renderAll renders messages on as many goroutines as there are processors: the templates are
// most of the work of a reminders run (a steady day renders some 200 digests of about a hundred
// items each), and a followup.Renderer is safe for concurrent use. Each message is rendered
// exactly as one at a time would be; the first error, in message order, is returned.
func renderAll(ms []followup.Message, r followup.Renderer) error {
	errs := make([]error, len(ms))
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(ms) {
				return
			}
			if err := r.Render(&ms[i]); err != nil {
				errs[i] = fmt.Errorf("render %s for %s: %w", ms[i].Kind, ms[i].Recipient, err)
			}
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(ms)) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// The reminders job looks each day only at the follow-ups whose day has come in reminder_wake
// (migration 0005): the job sets a follow-up's wake_on to the next day on which one of its
// reminder points is reached, and triggers set it back to wakeNow whenever its facts change. A
// run looks at every follow-up when reminder_state says so (the rules changed, a Secretariat user
// appeared, or the migration just created the schedule).
const (
	wakeNow   = ""           // at the next run
	wakeNever = "9999-12-31" // no reminder until the follow-up's facts change
)

// reminderCandidates selects the follow-ups whose wake day has come, with what the rules need to
// know of them: whether they are open, active and not answered since their latest adoption (the
// recommendation's and report's part of it, due date and archived flags, comes from
// reminderRecommendations), the latest adoption, and the last points sent to each audience.
const reminderCandidates = `SELECT w.followup_id, w.wake_on, f.recommendation_id, f.party_code,
		f.active = TRUE AND (f.status IS NULL OR f.status NOT IN ('implemented', 'not_applicable')) AND f.submitted_since_adoption = FALSE,
		f.status_adopted_on, mp.due_on, mp.point, mp.point_on, ms.due_on, ms.point, ms.point_on
	FROM reminder_wake w
	JOIN followups f ON f.id = w.followup_id
	LEFT JOIN reminder_marks mp ON mp.followup_id = f.id AND mp.audience = 'party'
	LEFT JOIN reminder_marks ms ON ms.followup_id = f.id AND ms.audience = 'secretariat'
	WHERE w.wake_on <= ?`

// reminderCandidatesAll is reminderCandidates over every follow-up, in table order, for the runs
// that look at everything; a follow-up without a reminder_wake row (there should be none) gets one.
const reminderCandidatesAll = `SELECT f.id, w.wake_on, f.recommendation_id, f.party_code,
		f.active = TRUE AND (f.status IS NULL OR f.status NOT IN ('implemented', 'not_applicable')) AND f.submitted_since_adoption = FALSE,
		f.status_adopted_on, mp.due_on, mp.point, mp.point_on, ms.due_on, ms.point, ms.point_on
	FROM followups f
	LEFT JOIN reminder_wake w ON w.followup_id = f.id
	LEFT JOIN reminder_marks mp ON mp.followup_id = f.id AND mp.audience = 'party'
	LEFT JOIN reminder_marks ms ON ms.followup_id = f.id AND ms.audience = 'secretariat'`

// reminderRecommendations reads every recommendation once per run (a few thousand rows), with
// its report: the due date, whether either is archived, and what a message item shows of them.
const reminderRecommendations = `SELECT c.id, r.slug, r.title, r.adopted_on, c.position, c.label,
		coalesce(c.due_on, r.followup_due_on), r.archived = TRUE OR c.archived = TRUE
	FROM recommendations c JOIN reports r ON r.id = c.report_id`

type reminderRec struct {
	slug, title, label string
	order              string // report adoption, slug, position: the order of items in a message
	due                sql.NullString
	dueOn              followup.Date
	archived           bool
	// party and escalation are the latest points reached on the run's day by the recommendation's
	// due date, and wake the next day one is; computed once per recommendation.
	party, escalation followup.ReminderPoint
	wake              string
}

// news reports whether point is new against the mark last stored: followup.ShouldSend, with a
// fast path (same due date, same point) that parses no date.
func news(point followup.ReminderPoint, due, markDue, markPoint, markOn sql.NullString) bool {
	if point.IsZero() {
		return false
	}
	if markDue.Valid && markDue.String == due.String && markPoint.String == point.Name {
		return false
	}
	return followup.ShouldSend(point, scanDate(due), scanDate(markDue), followup.ReminderPoint{Name: markPoint.String, On: scanDate(markOn)})
}

type markUpdate struct {
	followupID int64
	partyCode  string
	audience   string
	dueOn      followup.Date
	point      followup.ReminderPoint
}

type wakeUpdate struct {
	followupID int64
	wakeOn     string
}

// EnqueueReminders decides, for today, which follow-ups reached a new reminder point and writes
// one digest per recipient to the outbox, all in one transaction: the Party's users get their
// Party's items, the Secretariat the escalations. The last point sent for each follow-up and
// audience is kept in reminder_marks, so a point is sent once, whatever the number of runs.
//
// Only the follow-ups whose reminder_wake day has come are looked at (all of them when
// reminder_state asks for it); each one looked at gets its next wake day in the same
// transaction. The decision for each follow-up looked at is the rule's, unchanged: the schedule
// only skips follow-ups that have nothing new (see followup.ReminderRules.NextReminderOn and
// migration 0005).
func (s *Store) EnqueueReminders(ctx context.Context, today followup.Date, rules followup.ReminderRules, r followup.Renderer) (followup.ReminderCounts, error) {
	var counts followup.ReminderCounts
	if err := rules.Validate(); err != nil {
		return counts, err
	}
	fingerprint := rules.Fingerprint()
	err := s.write(ctx, func(tx *Tx) error {
		counts = followup.ReminderCounts{}
		var stateRules string
		var wakeAll bool
		switch err := tx.QueryRowContext(ctx, `SELECT rules, wake_all FROM reminder_state WHERE id = 1`).Scan(&stateRules, &wakeAll); {
		case errors.Is(err, sql.ErrNoRows):
			wakeAll = true
		case err != nil:
			return err
		}
		all := wakeAll || stateRules != fingerprint

		recs, err := reminderRecs(ctx, tx, today, rules)
		if err != nil {
			return err
		}
		parties, err := partyNames(ctx, tx)
		if err != nil {
			return err
		}
		var rows *sql.Rows
		if all {
			rows, err = tx.QueryContext(ctx, reminderCandidatesAll)
		} else {
			rows, err = tx.QueryContext(ctx, reminderCandidates, today.String())
		}
		if err != nil {
			return err
		}
		byParty := map[string][]followup.MessageItem{}
		order := map[followup.FollowUpKey]string{}
		var escalations []followup.MessageItem
		var partyMarks, secMarks []markUpdate
		var wakes []wakeUpdate
		for rows.Next() {
			var id, recID int64
			var party string
			var eligible bool
			var wake, adopted, pDue, pPoint, pOn, sDue, sPoint, sOn sql.NullString
			if err := rows.Scan(&id, &wake, &recID, &party, &eligible, &adopted, &pDue, &pPoint, &pOn, &sDue, &sPoint, &sOn); err != nil {
				rows.Close()
				return err
			}
			counts.Candidates++
			rec := recs[recID]
			if rec == nil || rec.archived || !rec.due.Valid {
				eligible = false
			}
			next := wakeNever
			if eligible {
				next = rec.wake
			}
			if !wake.Valid || wake.String != next {
				wakes = append(wakes, wakeUpdate{id, next})
			}
			if !eligible || (rec.party.IsZero() && rec.escalation.IsZero()) {
				continue
			}
			facts := followup.ReminderFacts{DueOn: rec.dueOn, Open: true, AdoptedOn: scanDate(adopted)}
			item := func(point string) followup.MessageItem {
				p := parties[party]
				it := followup.MessageItem{Report: rec.slug, ReportTitle: rec.title, Label: rec.label, Party: party,
					PartyNameEN: p[0], PartyNameFR: p[1], Point: point, DueOn: rec.dueOn, DaysOverdue: rec.dueOn.DaysUntil(today)}
				order[it.Key()] = rec.order
				return it
			}
			if p := rules.PartyReminderPoint(facts, today); news(p, rec.due, pDue, pPoint, pOn) {
				byParty[party] = append(byParty[party], item(p.Name))
				partyMarks = append(partyMarks, markUpdate{id, party, "party", rec.dueOn, p})
			}
			if p := rules.EscalationPoint(facts, today); news(p, rec.due, sDue, sPoint, sOn) {
				escalations = append(escalations, item(p.Name))
				secMarks = append(secMarks, markUpdate{id, party, "secretariat", rec.dueOn, p})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := s.sendReminders(ctx, tx, today, r, byParty, escalations, order, partyMarks, secMarks, &counts); err != nil {
			return err
		}
		if err := writeWakes(ctx, tx, wakes); err != nil {
			return err
		}
		if all {
			_, err := tx.ExecContext(ctx, `INSERT INTO reminder_state (id, rules, wake_all) VALUES (1, ?, FALSE)
				ON CONFLICT (id) DO UPDATE SET rules = excluded.rules, wake_all = FALSE`, fingerprint)
			return err
		}
		return nil
	})
	return counts, err
}

// reminderRecs reads every recommendation with its due date and computes, once for all its
// follow-ups, the points its due date reaches on today and the next day one is reached.
func reminderRecs(ctx context.Context, tx *Tx, today followup.Date, rules followup.ReminderRules) (map[int64]*reminderRec, error) {
	rows, err := tx.QueryContext(ctx, reminderRecommendations)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	recs := map[int64]*reminderRec{}
	for rows.Next() {
		var id int64
		var pos int
		var reportOn string
		rec := &reminderRec{}
		if err := rows.Scan(&id, &rec.slug, &rec.title, &reportOn, &pos, &rec.label, &rec.due, &rec.archived); err != nil {
			return nil, err
		}
		rec.order = reportOn + "\x00" + rec.slug + "\x00" + fmt.Sprintf("%08d", pos)
		rec.dueOn = scanDate(rec.due)
		rec.wake = wakeNever
		if !rec.archived && rec.due.Valid {
			facts := followup.ReminderFacts{DueOn: rec.dueOn, Open: true}
			rec.party, rec.escalation = rules.PartyReminderPoint(facts, today), rules.EscalationPoint(facts, today)
			if next := rules.NextReminderOn(rec.dueOn, today); !next.IsZero() {
				rec.wake = next.String()
			}
		}
		recs[id] = rec
	}
	return recs, rows.Err()
}

// partyNames returns each Party's English and French names.
func partyNames(ctx context.Context, tx *Tx) (map[string][2]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT code, name_en, name_fr FROM parties`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][2]string{}
	for rows.Next() {
		var code string
		var names [2]string
		if err := rows.Scan(&code, &names[0], &names[1]); err != nil {
			return nil, err
		}
		out[code] = names
	}
	return out, rows.Err()
}

// writeWakes stores the next wake day of each follow-up looked at: one statement per day, its
// follow-ups given as a JSON array, so that SQLite loops over them rather than Go.
func writeWakes(ctx context.Context, tx *Tx, wakes []wakeUpdate) error {
	byDay := map[string][]int64{}
	var days []string
	for _, w := range wakes {
		if _, ok := byDay[w.wakeOn]; !ok {
			days = append(days, w.wakeOn)
		}
		byDay[w.wakeOn] = append(byDay[w.wakeOn], w.followupID)
	}
	for _, day := range days {
		if _, err := tx.ExecContext(ctx, `INSERT INTO reminder_wake (followup_id, wake_on) SELECT value, ? FROM (`+tx.s.eng.IDSet()+`) ids WHERE true
			ON CONFLICT (followup_id) DO UPDATE SET wake_on = excluded.wake_on`, day, jsonIDs(byDay[day])); err != nil {
			return err
		}
	}
	return nil
}

// jsonIDs writes ids as a JSON array, for json_each.
func jsonIDs(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// sendReminders writes the day's digests to the outbox — each Party's items to its users, the
// escalations to the Secretariat — and moves the marks of the points someone received.
func (s *Store) sendReminders(ctx context.Context, tx *Tx, today followup.Date, r followup.Renderer,
	byParty map[string][]followup.MessageItem, escalations []followup.MessageItem, order map[followup.FollowUpKey]string,
	partyMarks, secMarks []markUpdate, counts *followup.ReminderCounts) error {
	if len(byParty) == 0 && len(escalations) == 0 {
		return nil
	}
	// Parties by code; each one's items, and the escalations, in report and recommendation order.
	parties := make([]string, 0, len(byParty))
	for p := range byParty {
		parties = append(parties, p)
	}
	sort.Strings(parties)
	byOrder := func(a, b followup.MessageItem) int {
		return cmp.Or(cmp.Compare(a.Party, b.Party), cmp.Compare(order[a.Key()], order[b.Key()]))
	}
	for _, items := range byParty {
		slices.SortFunc(items, byOrder)
	}
	slices.SortFunc(escalations, byOrder)
	users, err := activeRecipients(ctx, tx, string(followup.RoleParty), string(followup.RoleSecretariat))
	if err != nil {
		return err
	}
	usersOf := map[string][]recipient{}
	var secretariat []recipient
	for _, u := range users {
		if u.role == string(followup.RoleSecretariat) {
			secretariat = append(secretariat, u)
		} else {
			usersOf[u.party] = append(usersOf[u.party], u)
		}
	}
	// A point is marked as sent only when someone received it: a Party with no user yet
	// gets its current point when its first user is created.
	served := map[string]bool{}
	var messages []followup.Message
	for _, party := range parties {
		items := byParty[party]
		for _, u := range usersOf[party] {
			served[party] = true
			m := followup.Message{Kind: followup.KindReminder, Recipient: u.email, RecipientName: u.name, Lang: u.lang,
				Items: items, On: today}
			m.IdempotencyKey = followup.MessageKey(m.Kind, u.email, "", items)
			messages = append(messages, m)
		}
		if served[party] {
			counts.Items += len(items)
		}
	}
	if len(escalations) == 0 {
		secretariat = nil
	}
	for _, u := range secretariat {
		m := followup.Message{Kind: followup.KindEscalation, Recipient: u.email, RecipientName: u.name, Lang: u.lang,
			Items: escalations, On: today}
		m.IdempotencyKey = followup.MessageKey(m.Kind, u.email, "", escalations)
		messages = append(messages, m)
	}
	if err := renderAll(messages, r); err != nil {
		return err
	}
	for _, m := range messages {
		ok, err := s.insertOutbox(ctx, tx, m)
		if err != nil {
			return err
		}
		if ok {
			counts.Messages++
		}
	}
	var marks []markUpdate
	for _, m := range partyMarks {
		if served[m.partyCode] {
			marks = append(marks, m)
		}
	}
	if len(secretariat) > 0 {
		marks = append(marks, secMarks...)
		counts.Escalations = len(secMarks)
	}
	return writeMarks(ctx, tx, marks, s.stamp())
}

// writeMarks moves the marks of the points sent. The follow-ups of one recommendation reach the
// same point on the same day, so the marks go in one statement per audience, due date and point,
// their follow-ups given as a JSON array.
func writeMarks(ctx context.Context, tx *Tx, marks []markUpdate, stamp string) error {
	type group struct {
		audience string
		dueOn    followup.Date
		point    followup.ReminderPoint
	}
	byGroup := map[group][]int64{}
	var groups []group
	for _, m := range marks {
		g := group{m.audience, m.dueOn, m.point}
		if _, ok := byGroup[g]; !ok {
			groups = append(groups, g)
		}
		byGroup[g] = append(byGroup[g], m.followupID)
	}
	for _, g := range groups {
		if _, err := tx.ExecContext(ctx, `INSERT INTO reminder_marks (followup_id, audience, due_on, point, point_on, outbox_at)
			SELECT value, ?, ?, ?, ?, ? FROM (`+tx.s.eng.IDSet()+`) ids WHERE true
			ON CONFLICT (followup_id, audience) DO UPDATE SET due_on = excluded.due_on, point = excluded.point,
				point_on = excluded.point_on, outbox_at = excluded.outbox_at`,
			g.audience, g.dueOn.String(), g.point.Name, g.point.On.String(), stamp, jsonIDs(byGroup[g])); err != nil {
			return err
		}
	}
	return nil
}

// EnqueueRapporteurDigest writes to each active rapporteur one message listing the submissions
// awaiting assessment, oldest first; nothing when there are none. The key holds the day, so a
// rerun of the same day sends nothing new.
func (s *Store) EnqueueRapporteurDigest(ctx context.Context, today followup.Date, r followup.Renderer) (int, error) {
	messages := 0
	err := s.write(ctx, func(tx *Tx) error {
		messages = 0
		rows, err := tx.QueryContext(ctx, `SELECT r.slug, r.title, c.label, f.party_code, p.name_en, p.name_fr,
				coalesce(c.due_on, r.followup_due_on), coalesce(f.last_submitted_at, '')
			FROM followups f
			JOIN recommendations c ON c.id = f.recommendation_id
			JOIN reports r ON r.id = c.report_id
			JOIN parties p ON p.code = f.party_code
			WHERE f.state = 'submitted' AND f.active = TRUE AND r.archived = FALSE AND c.archived = FALSE
			ORDER BY f.last_submitted_at, f.id`)
		if err != nil {
			return err
		}
		var items []followup.MessageItem
		for rows.Next() {
			var it followup.MessageItem
			var due sql.NullString
			var at string
			if err := rows.Scan(&it.Report, &it.ReportTitle, &it.Label, &it.Party, &it.PartyNameEN, &it.PartyNameFR, &due, &at); err != nil {
				rows.Close()
				return err
			}
			it.DueOn = scanDate(due)
			it.SubmittedAt = parseStamp(at)
			items = append(items, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(items) == 0 {
			return nil
		}
		users, err := activeRecipients(ctx, tx, string(followup.RoleRapporteur))
		if err != nil {
			return err
		}
		for _, u := range users {
			m := followup.Message{Kind: followup.KindRapporteurDigest, Recipient: u.email, RecipientName: u.name, Lang: u.lang,
				Items: items, On: today}
			m.IdempotencyKey = followup.MessageKey(m.Kind, u.email, today.String(), nil)
			ok, err := s.enqueue(ctx, tx, m, r)
			if err != nil {
				return err
			}
			if ok {
				messages++
			}
		}
		return nil
	})
	return messages, err
}

// SnapshotCompliance stores, for every report that is not archived, its adopted compliance as
// of today overall and per Party. A snapshot already stored for the day is kept as it is.
func (s *Store) SnapshotCompliance(ctx context.Context, today followup.Date) (int, error) {
	sys := followup.WithActor(ctx, followup.SystemActor)
	reports, err := s.ListReports(sys, false)
	if err != nil {
		return 0, err
	}
	type row struct {
		reportID int64
		party    any
		tally    *followup.Tally
	}
	var todo []row
	for _, rep := range reports {
		c, err := s.ReportCompliance(sys, rep.Slug, followup.ComplianceQuery{AsOf: today, Basis: followup.BasisAdopted})
		if err != nil {
			return 0, fmt.Errorf("compliance of %s: %w", rep.Slug, err)
		}
		var id int64
		if err := s.reader.QueryRowContext(ctx, `SELECT id FROM reports WHERE slug = ?`, rep.Slug).Scan(&id); err != nil {
			return 0, err
		}
		todo = append(todo, row{id, nil, c.Overall})
		for _, p := range c.ByParty {
			todo = append(todo, row{id, p.Party, &p.Tally})
		}
	}
	stored := 0
	err = s.write(ctx, func(tx *Tx) error {
		stored = 0
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO compliance_snapshots (snapshot_on, report_id, party_code, counts, score, total, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		stamp := s.stamp()
		for _, r := range todo {
			counts, err := json.Marshal(r.tally.Counts)
			if err != nil {
				return err
			}
			var score any
			if r.tally.Score != nil {
				score = *r.tally.Score
			}
			res, err := stmt.ExecContext(ctx, today.String(), r.reportID, r.party, string(counts), score, r.tally.Total, stamp)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			stored += int(n)
		}
		return nil
	})
	return stored, err
}

// ComplianceSnapshots returns a report's stored snapshots, oldest first: overall when party is
// "", else that Party's. For the trend line of the report page.
func (s *Store) ComplianceSnapshots(ctx context.Context, slug, party string) ([]followup.ComplianceSnapshot, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT cs.snapshot_on, r.slug, coalesce(cs.party_code, ''), cs.counts, cs.score, cs.total
		FROM compliance_snapshots cs JOIN reports r ON r.id = cs.report_id
		WHERE r.slug = ? AND coalesce(cs.party_code, '') = ? ORDER BY cs.snapshot_on`, slug, strings.ToUpper(party))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []followup.ComplianceSnapshot{}
	for rows.Next() {
		var c followup.ComplianceSnapshot
		var on, counts string
		var score sql.NullFloat64
		if err := rows.Scan(&on, &c.Report, &c.Party, &counts, &score, &c.Total); err != nil {
			return nil, err
		}
		c.On = scanDate(sql.NullString{String: on, Valid: true})
		c.Counts = followup.NewCounts()
		_ = json.Unmarshal([]byte(counts), &c.Counts)
		if score.Valid {
			v := score.Float64
			c.Score = &v
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Backup writes a consistent copy of the database to path, which must not exist yet (SQLite:
// VACUUM INTO; PostgreSQL: pg_dump).
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return followup.Errorf(followup.EConflict, "%s already exists", path)
	}
	if err := s.eng.Backup(ctx, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// Optimize lets the engine refresh its query planner's statistics.
func (s *Store) Optimize(ctx context.Context) error { return s.eng.Optimize(ctx) }

// IntegrityCheck asks the engine whether the database is sound and stores its answer ("ok"
// when it is).
func (s *Store) IntegrityCheck(ctx context.Context, result *string) error {
	r, err := s.eng.IntegrityCheck(ctx)
	*result = r
	return err
}
