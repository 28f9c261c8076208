package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"followup/internal/followup"
)

// The reminders job reads, decides with followup.PlanReminders, and writes, in one transaction.
//
// It looks each day only at the follow-ups whose day has come in reminder_wake (migration 0005):
// the plan gives each follow-up looked at the next day on which one of its reminder points is
// reached, and triggers set it back to "" (at the next run) whenever its facts change. A run
// looks at every follow-up when reminder_state says so (the rules changed, a Secretariat user
// appeared, or the migration just created the schedule).

// wakeNow is the stored wake day of a follow-up to look at in the next run.
const wakeNow = ""

// reminderCandidates selects the follow-ups whose wake day has come, with what the rules need
// to know of them: whether they are active, open and not answered since their latest adoption
// (the recommendation's and report's part of it, due date and archived flags, comes from
// reminderRecommendations), the latest adoption, the follow-up's own deadline (which overrides
// the recommendation's), and the last points sent to each audience.
const reminderCandidates = `SELECT w.followup_id, w.wake_on, f.recommendation_id, f.party_code,
		f.active = TRUE AND (f.status IS NULL OR f.status NOT IN ('implemented', 'not_applicable')) AND f.submitted_since_adoption = FALSE,
		f.status_adopted_on, f.due_on, mp.due_on, mp.point, mp.point_on, ms.due_on, ms.point, ms.point_on
	FROM reminder_wake w
	JOIN followups f ON f.id = w.followup_id
	LEFT JOIN reminder_marks mp ON mp.followup_id = f.id AND mp.audience = 'party'
	LEFT JOIN reminder_marks ms ON ms.followup_id = f.id AND ms.audience = 'secretariat'
	WHERE w.wake_on <= ?`

// reminderCandidatesAll is reminderCandidates over every follow-up, for the runs that look at
// everything; a follow-up without a reminder_wake row (there should be none) gets one.
const reminderCandidatesAll = `SELECT f.id, w.wake_on, f.recommendation_id, f.party_code,
		f.active = TRUE AND (f.status IS NULL OR f.status NOT IN ('implemented', 'not_applicable')) AND f.submitted_since_adoption = FALSE,
		f.status_adopted_on, f.due_on, mp.due_on, mp.point, mp.point_on, ms.due_on, ms.point, ms.point_on
	FROM followups f
	LEFT JOIN reminder_wake w ON w.followup_id = f.id
	LEFT JOIN reminder_marks mp ON mp.followup_id = f.id AND mp.audience = 'party'
	LEFT JOIN reminder_marks ms ON ms.followup_id = f.id AND ms.audience = 'secretariat'`

// reminderRecommendations reads every recommendation once per run (a few thousand rows), with
// its report: the due date, whether either is archived or the report still a draft (no
// reminders for a report nobody outside the committee may see), and what a message item shows.
const reminderRecommendations = `SELECT c.id, r.slug, r.title, r.adopted_on, c.position, c.label,
		coalesce(c.due_on, r.followup_due_on), r.archived = TRUE OR c.archived = TRUE OR r.published_on IS NULL
	FROM recommendations c JOIN reports r ON r.id = c.report_id`

// EnqueueReminders decides, for today, which follow-ups reached a new reminder point and writes
// one digest per recipient to the outbox, all in one transaction: the Party's users get their
// Party's items, the Secretariat the escalations. The last point sent for each follow-up and
// audience is kept in reminder_marks, so a point is sent once, whatever the number of runs.
func (s *Store) EnqueueReminders(ctx context.Context, today followup.Date, rules followup.ReminderRules, r followup.Renderer) (followup.ReminderCounts, error) {
	var counts followup.ReminderCounts
	if err := rules.Validate(); err != nil {
		return counts, err
	}
	fingerprint := rules.Fingerprint()
	err := s.write(ctx, func(tx *Tx) error {
		var stateRules string
		var wakeAll bool
		switch err := tx.QueryRowContext(ctx, `SELECT rules, wake_all FROM reminder_state WHERE id = 1`).Scan(&stateRules, &wakeAll); {
		case errors.Is(err, sql.ErrNoRows):
			wakeAll = true
		case err != nil:
			return err
		}
		all := wakeAll || stateRules != fingerprint
		recs, err := reminderRecs(ctx, tx)
		if err != nil {
			return err
		}
		parties, err := partiesByCode(ctx, tx)
		if err != nil {
			return err
		}
		candidates, err := reminderCandidateRows(ctx, tx, today, all)
		if err != nil {
			return err
		}
		recipients, err := reminderRecipients(ctx, tx)
		if err != nil {
			return err
		}
		requests, err := reminderRequestRows(ctx, tx)
		if err != nil {
			return err
		}
		plan := followup.PlanReminders(today, rules, recs, candidates, recipients, parties, requests)
		counts = plan.Counts
		if err := renderAll(plan.Messages, r); err != nil {
			return err
		}
		counts.Messages = 0
		for _, m := range plan.Messages {
			ok, err := s.insertOutbox(ctx, tx, m)
			if err != nil {
				return err
			}
			if ok {
				counts.Messages++
			}
		}
		if err := writeMarks(ctx, tx, plan.Marks, s.stamp()); err != nil {
			return err
		}
		if err := writeWakes(ctx, tx, plan.Wakes); err != nil {
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

// reminderRequestRows reads every open request for clarification, with the last points sent of
// it. Requests are few (the Committee asks a few dozen at a time), so every run reads them all.
func reminderRequestRows(ctx context.Context, tx *Tx) ([]followup.ReminderRequest, error) {
	rows, err := tx.QueryContext(ctx, `SELECT q.id, f.recommendation_id, f.party_code, q.due_on, q.requested_on, f.active,
			mp.due_on, mp.point, mp.point_on, ms.due_on, ms.point, ms.point_on
		FROM clarification_requests q
		JOIN followups f ON f.id = q.followup_id
		LEFT JOIN clarification_reminder_marks mp ON mp.request_id = q.id AND mp.audience = 'party'
		LEFT JOIN clarification_reminder_marks ms ON ms.request_id = q.id AND ms.audience = 'secretariat'
		WHERE q.answered_by IS NULL ORDER BY q.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	mark := func(due, point, on sql.NullString) followup.ReminderMark {
		if !due.Valid {
			return followup.ReminderMark{}
		}
		return followup.ReminderMark{DueOn: scanDate(due), Point: followup.ReminderPoint{Name: point.String, On: scanDate(on)}}
	}
	var out []followup.ReminderRequest
	for rows.Next() {
		var q followup.ReminderRequest
		var due, requested string
		var pDue, pPoint, pOn, sDue, sPoint, sOn sql.NullString
		if err := rows.Scan(&q.ID, &q.RecommendationID, &q.Party, &due, &requested, &q.Eligible,
			&pDue, &pPoint, &pOn, &sDue, &sPoint, &sOn); err != nil {
			return nil, err
		}
		q.DueOn = scanDate(sql.NullString{String: due, Valid: true})
		q.RequestedOn = scanDate(sql.NullString{String: requested, Valid: true})
		q.PartyMark, q.SecretariatMark = mark(pDue, pPoint, pOn), mark(sDue, sPoint, sOn)
		out = append(out, q)
	}
	return out, rows.Err()
}

// reminderRecs reads every recommendation with its due date, by id.
func reminderRecs(ctx context.Context, tx *Tx) (map[int64]followup.ReminderRecommendation, error) {
	rows, err := tx.QueryContext(ctx, reminderRecommendations)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	recs := map[int64]followup.ReminderRecommendation{}
	for rows.Next() {
		var id int64
		var pos int
		var reportOn string
		var due sql.NullString
		var rec followup.ReminderRecommendation
		if err := rows.Scan(&id, &rec.Report, &rec.ReportTitle, &reportOn, &pos, &rec.Label, &due, &rec.Archived); err != nil {
			return nil, err
		}
		rec.Order = reportOn + "\x00" + rec.Report + "\x00" + fmt.Sprintf("%08d", pos)
		rec.DueOn = scanDate(due)
		recs[id] = rec
	}
	return recs, rows.Err()
}

// reminderCandidateRows reads the follow-ups to look at: those whose wake day has come, or all.
func reminderCandidateRows(ctx context.Context, tx *Tx, today followup.Date, all bool) ([]followup.ReminderCandidate, error) {
	var rows *sql.Rows
	var err error
	if all {
		rows, err = tx.QueryContext(ctx, reminderCandidatesAll)
	} else {
		rows, err = tx.QueryContext(ctx, reminderCandidates, today.String())
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// Most marks share a few due dates and points: parse each distinct text once.
	dates := map[string]followup.Date{}
	date := func(v sql.NullString) followup.Date {
		if !v.Valid {
			return followup.Date{}
		}
		d, ok := dates[v.String]
		if !ok {
			d = scanDate(v)
			dates[v.String] = d
		}
		return d
	}
	mark := func(due, point, on sql.NullString) followup.ReminderMark {
		if !due.Valid {
			return followup.ReminderMark{}
		}
		return followup.ReminderMark{DueOn: date(due), Point: followup.ReminderPoint{Name: point.String, On: date(on)}}
	}
	var out []followup.ReminderCandidate
	for rows.Next() {
		var c followup.ReminderCandidate
		var wake, adopted, due, pDue, pPoint, pOn, sDue, sPoint, sOn sql.NullString
		if err := rows.Scan(&c.FollowUpID, &wake, &c.RecommendationID, &c.Party, &c.Eligible, &adopted, &due,
			&pDue, &pPoint, &pOn, &sDue, &sPoint, &sOn); err != nil {
			return nil, err
		}
		// A stored wake of "" (look at it now) is a wake day no plan gives, so the plan writes
		// the follow-up's next day; a missing row likewise.
		c.HasWake = wake.Valid && wake.String != wakeNow
		if c.HasWake {
			c.WakeOn = date(wake)
		}
		c.AdoptedOn = date(adopted)
		c.DueOn = date(due)
		c.PartyMark, c.SecretariatMark = mark(pDue, pPoint, pOn), mark(sDue, sPoint, sOn)
		out = append(out, c)
	}
	return out, rows.Err()
}

// reminderRecipients reads the active users who receive reminders and escalations.
func reminderRecipients(ctx context.Context, tx *Tx) ([]followup.ReminderRecipient, error) {
	users, err := activeRecipients(ctx, tx, string(followup.RoleParty), string(followup.RoleSecretariat))
	if err != nil {
		return nil, err
	}
	out := make([]followup.ReminderRecipient, len(users))
	for i, u := range users {
		out[i] = followup.ReminderRecipient{Email: u.email, Name: u.name, Lang: u.lang, Role: followup.Role(u.role), Party: u.party}
	}
	return out, nil
}

// partiesByCode reads every Party, by code.
func partiesByCode(ctx context.Context, q queryer) (map[string]followup.Party, error) {
	list, err := queryAll(ctx, q, scanParty, `SELECT `+partyColumns+` FROM parties`)
	if err != nil {
		return nil, err
	}
	out := make(map[string]followup.Party, len(list))
	for _, p := range list {
		out[p.Code] = p
	}
	return out, nil
}

// writeWakes stores the next wake day of each follow-up looked at: one statement per day, its
// follow-ups given as a JSON array, so that the database loops over them rather than Go.
func writeWakes(ctx context.Context, tx *Tx, wakes []followup.ReminderWake) error {
	byDay := map[string][]int64{}
	var days []string
	for _, w := range wakes {
		day := w.WakeOn.String()
		if _, ok := byDay[day]; !ok {
			days = append(days, day)
		}
		byDay[day] = append(byDay[day], w.FollowUpID)
	}
	for _, day := range days {
		if _, err := tx.ExecContext(ctx, `INSERT INTO reminder_wake (followup_id, wake_on) SELECT value, ? FROM (`+tx.s.eng.IDSet()+`) ids WHERE true
			ON CONFLICT (followup_id) DO UPDATE SET wake_on = excluded.wake_on`, day, jsonIDs(byDay[day])); err != nil {
			return err
		}
	}
	return nil
}

// jsonIDs writes ids as a JSON array, for Engine.IDSet.
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

// writeMarks moves the marks of the points sent. The follow-ups of one recommendation reach the
// same point on the same day, so the marks go in one statement per audience, due date and point,
// their follow-ups given as a JSON array.
func writeMarks(ctx context.Context, tx *Tx, marks []followup.ReminderMarkUpdate, stamp string) error {
	type group struct {
		audience string
		dueOn    followup.Date
		point    followup.ReminderPoint
	}
	byGroup := map[group][]int64{}
	var groups []group
	for _, m := range marks {
		if m.RequestID != 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO clarification_reminder_marks (request_id, audience, due_on, point, point_on, outbox_at)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (request_id, audience) DO UPDATE SET due_on = excluded.due_on, point = excluded.point,
					point_on = excluded.point_on, outbox_at = excluded.outbox_at`,
				m.RequestID, m.Audience, m.DueOn.String(), m.Point.Name, m.Point.On.String(), stamp); err != nil {
				return err
			}
			continue
		}
		g := group{m.Audience, m.DueOn, m.Point}
		if _, ok := byGroup[g]; !ok {
			groups = append(groups, g)
		}
		byGroup[g] = append(byGroup[g], m.FollowUpID)
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
