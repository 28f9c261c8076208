package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
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

// StartJobRun records that a run began, with the process and the lease term it runs under.
// Under a fence, it is refused (followup.LeaseLostError) when the term no longer holds.
func (s *Store) StartJobRun(ctx context.Context, run followup.JobRun) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO job_runs (job, scheduled_for, started_at, holder, term) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			run.Job, fixedStamp(run.ScheduledFor), fixedStamp(run.StartedAt), run.Holder, run.Term).Scan(&id)
	})
	return id, err
}

// FinishJobRun records the end of a run, its counts and its error; it is recorded even when
// the run lost its lease (its context's fence is not checked).
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
	return s.write(followup.WithoutFence(ctx), func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE job_runs SET finished_at = ?, counts = ?, error = ? WHERE id = ?`,
			fixedStamp(finishedAt), string(b), msg, id)
		return err
	})
}

const jobRunColumns = `id, job, scheduled_for, started_at, finished_at, counts, error, holder, term`

func scanJobRun(row interface{ Scan(...any) error }) (followup.JobRun, error) {
	var r followup.JobRun
	var sched, started, counts string
	var finished sql.NullString
	if err := row.Scan(&r.ID, &r.Job, &sched, &started, &finished, &counts, &r.Error, &r.Holder, &r.Term); err != nil {
		return r, err
	}
	r.ScheduledFor, r.StartedAt, r.FinishedAt = parseStamp(sched), parseStamp(started), scanNullStamp(finished)
	r.Counts = followup.JobCounts{}
	_ = json.Unmarshal([]byte(counts), &r.Counts)
	return r, nil
}

// LastJobRun returns the run of job with the latest scheduled time, finished or not.
func (s *Store) LastJobRun(ctx context.Context, job string) (followup.JobRun, bool, error) {
	return s.lastJobRun(ctx, job, "")
}

// LastFinishedJobRun returns the finished run of job with the latest scheduled time.
func (s *Store) LastFinishedJobRun(ctx context.Context, job string) (followup.JobRun, bool, error) {
	return s.lastJobRun(ctx, job, " AND finished_at IS NOT NULL")
}

func (s *Store) lastJobRun(ctx context.Context, job, cond string) (followup.JobRun, bool, error) {
	r, err := scanJobRun(s.reader.QueryRowContext(ctx, `SELECT `+jobRunColumns+` FROM job_runs WHERE job = ?`+cond+`
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

// EnqueueRapporteurDigest writes to each active rapporteur one message listing the submissions
// awaiting assessment, oldest first by the date the Party gave each; nothing when there are none. The key holds the day, so a
// rerun of the same day sends nothing new.
func (s *Store) EnqueueRapporteurDigest(ctx context.Context, today followup.Date, r followup.Renderer) (int, error) {
	messages := 0
	err := s.write(ctx, func(tx *Tx) error {
		messages = 0
		rows, err := tx.QueryContext(ctx, `SELECT r.slug, r.title, c.label, f.party_code, p.name_en, p.name_fr,
				coalesce(f.due_on, c.due_on, r.followup_due_on), f.last_submitted_on, coalesce(f.last_submitted_at, '')
			FROM followups f
			JOIN recommendations c ON c.id = f.recommendation_id
			JOIN reports r ON r.id = c.report_id
			JOIN parties p ON p.code = f.party_code
			WHERE f.state = 'submitted' AND f.active = TRUE AND r.archived = FALSE AND c.archived = FALSE
			ORDER BY coalesce(f.last_submitted_on, ''), f.last_submitted_at, f.id`)
		if err != nil {
			return err
		}
		var items []followup.MessageItem
		for rows.Next() {
			var it followup.MessageItem
			var due, on sql.NullString
			var at string
			if err := rows.Scan(&it.Report, &it.ReportTitle, &it.Label, &it.Party, &it.PartyNameEN, &it.PartyNameFR, &due, &on, &at); err != nil {
				rows.Close()
				return err
			}
			it.DueOn = scanDate(due)
			it.SubmittedOn = scanDate(on)
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
		if !rep.Published() {
			continue // a draft's picture is nobody's trend yet
		}
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
	if _, err := findVisibleReport(ctx, s.reader, slug); err != nil {
		return nil, err
	}
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
