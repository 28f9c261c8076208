package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"followup/internal/followup"
)

const outboxColumns = `id, idempotency_key, kind, recipient, recipient_name, lang, subject, body_text, coalesce(body_html, ''),
	items, status, attempts, next_attempt_at, last_error, created_at, sent_at`

func scanMessage(row interface{ Scan(...any) error }) (followup.Message, error) {
	var m followup.Message
	var items, next, created string
	var sent sql.NullString
	if err := row.Scan(&m.ID, &m.IdempotencyKey, &m.Kind, &m.Recipient, &m.RecipientName, &m.Lang, &m.Subject, &m.BodyText, &m.BodyHTML,
		&items, &m.Status, &m.Attempts, &next, &m.LastError, &created, &sent); err != nil {
		return m, err
	}
	m.Items = []followup.MessageItem{}
	_ = json.Unmarshal([]byte(items), &m.Items)
	m.NextAttemptAt, m.CreatedAt, m.SentAt = parseStamp(next), parseStamp(created), scanNullStamp(sent)
	return m, nil
}

// ListOutbox lists outbox messages, newest first (admin).
func (s *Store) ListOutbox(ctx context.Context, f followup.OutboxFilter) ([]followup.Message, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin, "read the outbox"); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	where := []string{"1 = 1"}
	var args []any
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	if f.Recipient != "" {
		where = append(where, "recipient = ?")
		args = append(args, f.Recipient)
	}
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, f.Kind)
	}
	args = append(args, f.Limit)
	rows, err := s.reader.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE `+strings.Join(where, " AND ")+
		` ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []followup.Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ClaimOutbox takes up to limit pending messages whose next attempt is due at now, oldest
// first, and pushes their next attempt lease into the future in the same transaction: a second
// delivery loop will not pick them while this one sends them, and if this one dies they are
// due again when the lease ends, so no message is lost.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]followup.Message, error) {
	if limit <= 0 {
		limit = 50
	}
	var out []followup.Message
	err := s.write(ctx, func(tx *Tx) error {
		out = nil
		rows, err := tx.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?`, fixedStamp(now), limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			m, err := scanMessage(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		until := fixedStamp(now.Add(lease))
		for _, m := range out {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ? WHERE id = ?`, until, m.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// MarkSent records a delivered message.
func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time) error {
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?`,
			fixedStamp(at), id)
		return err
	})
}

// MarkFailedAttempt records a failed delivery: retried at next, or failed for good.
func (s *Store) MarkFailedAttempt(ctx context.Context, id int64, attempts int, next time.Time, permanent bool, reason string) error {
	status := followup.OutboxPending
	if permanent {
		status = followup.OutboxFailed
	}
	if len(reason) > 2000 {
		reason = reason[:2000]
	}
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`,
			status, attempts, fixedStamp(next), reason, id)
		return err
	})
}

// FindOutboxMessage returns one outbox message with its bodies (admin).
func (s *Store) FindOutboxMessage(ctx context.Context, id int64) (followup.Message, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin, "read the outbox"); err != nil {
		return followup.Message{}, err
	}
	m, err := scanMessage(s.reader.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, followup.Errorf(followup.ENotFound, "no outbox message %d", id)
	}
	return m, err
}

// RetryOutbox puts a failed message back in the queue, due at once (admin).
func (s *Store) RetryOutbox(ctx context.Context, id int64) error {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin, "retry outbox messages"); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ? AND status = 'failed'`,
			fixedStamp(s.now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return followup.Errorf(followup.ENotFound, "no failed outbox message %d", id)
		}
		return s.audit(ctx, tx, "outbox.retry", "outbox", "", 0, nil, map[string]int64{"id": id})
	})
}
