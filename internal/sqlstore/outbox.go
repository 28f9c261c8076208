package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"followup/internal/followup"
)

const outboxColumns = `id, idempotency_key, kind, recipient, recipient_name, lang, subject, body_text, coalesce(body_html, ''),
	items, status, attempts, next_attempt_at, last_error, created_at, sent_at, claim, claimed_until`

func scanMessage(row scanner) (followup.Message, error) {
	var m followup.Message
	var items, next, created string
	var sent, claimedUntil sql.NullString
	if err := row.Scan(&m.ID, &m.IdempotencyKey, &m.Kind, &m.Recipient, &m.RecipientName, &m.Lang, &m.Subject, &m.BodyText, &m.BodyHTML,
		&items, &m.Status, &m.Attempts, &next, &m.LastError, &created, &sent, &m.Claim, &claimedUntil); err != nil {
		return m, err
	}
	m.Items = []followup.MessageItem{}
	_ = json.Unmarshal([]byte(items), &m.Items)
	m.NextAttemptAt, m.CreatedAt, m.SentAt = parseStamp(next), parseStamp(created), scanNullStamp(sent)
	m.ClaimedUntil = scanNullStamp(claimedUntil)
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

// ClaimOutbox takes up to limit pending messages due at now whose claim, if any, has run out,
// oldest first, and holds them until now + lease under a new claim number each.
//
// The claim is one UPDATE whose WHERE repeats the test it selects by, so that it is right
// whatever runs alongside it: on PostgreSQL, under READ COMMITTED, a row that a concurrent
// claimer changed is re-read and its test re-evaluated before it is updated (and the selection
// skips the rows such a claimer holds locked, SKIP LOCKED); on SQLite the write lock serialises
// every claim. Marks then check the claim number (MarkSent), so that a deliverer whose claim
// ran out and was taken over cannot record an outcome: it is the new claimer's to record.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]followup.Message, error) {
	if limit <= 0 {
		limit = 50
	}
	lease = max(lease, 0)
	var out []followup.Message
	err := s.write(ctx, func(tx *Tx) error {
		at, until := fixedStamp(now), fixedStamp(now.Add(lease))
		var err error
		// The selection is a materialised CTE, run once: as a subquery of the UPDATE, PostgreSQL
		// may run it again for each row, and its LIMIT then no longer bounds the claim.
		out, err = queryAll(ctx, tx, scanMessage, `WITH picked AS MATERIALIZED (
				SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
				ORDER BY next_attempt_at, id LIMIT ?`+s.eng.SkipLocked()+`)
			UPDATE outbox SET claim = claim + 1, claimed_until = ?
			WHERE id IN (SELECT id FROM picked)
				AND status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
			RETURNING `+outboxColumns, at, at, limit, until, at, at)
		return err
	})
	if err != nil {
		return nil, err
	}
	// RETURNING gives the rows in no particular order.
	slices.SortFunc(out, func(a, b followup.Message) int {
		return cmp.Or(a.NextAttemptAt.Compare(b.NextAttemptAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// MarkSent records a delivered message, under the claim the deliverer holds it by.
func (s *Store) MarkSent(ctx context.Context, id, claim int64, at time.Time) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = '', claimed_until = NULL
			WHERE id = ? AND claim = ? AND status = 'pending'`, fixedStamp(at), id, claim)
		return claimHeld(res, err, id, claim)
	})
}

// MarkFailedAttempt records a failed delivery, under the claim the deliverer holds it by:
// retried at next, or failed for good.
func (s *Store) MarkFailedAttempt(ctx context.Context, id, claim int64, attempts int, next time.Time, permanent bool, reason string) error {
	status := followup.OutboxPending
	if permanent {
		status = followup.OutboxFailed
	}
	if len(reason) > 2000 {
		reason = reason[:2000]
	}
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, claimed_until = NULL
			WHERE id = ? AND claim = ? AND status = 'pending'`, status, attempts, fixedStamp(next), reason, id, claim)
		return claimHeld(res, err, id, claim)
	})
}

// claimHeld turns a mark that changed no row into followup.ErrClaimLost.
func claimHeld(res sql.Result, err error, id, claim int64) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("outbox message %d, claim %d: %w", id, claim, followup.ErrClaimLost)
	}
	return nil
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
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, claimed_until = NULL
			WHERE id = ? AND status = 'failed'`,
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
