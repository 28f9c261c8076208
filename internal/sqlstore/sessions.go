package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"time"

	"followup/internal/followup"
)

// sessionStore keeps web sessions in the sessions table (followup.SessionStore), keyed by the
// SHA-256 of their ids (hashToken, as API and calendar tokens). Expiry is reckoned on the wall
// clock, as the session library does, not on the injected clock.
type sessionStore struct{ s *Store }

var _ followup.SessionStore = sessionStore{}

// Sessions returns the store of web sessions.
func (s *Store) Sessions() followup.SessionStore { return sessionStore{s} }

// Find returns the data of an unexpired session that was not ended.
func (ss sessionStore) Find(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := ss.s.reader.QueryRowContext(ctx, `SELECT data FROM sessions WHERE token_hash = ? AND expiry > ? AND ended = FALSE`,
		hashToken(token), time.Now().UnixMilli()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return data, true, nil
}

// Commit saves a session with its user and, in the same transaction, removes the expired ones.
// An ended session stays ended: a request that loaded it before it was ended does not bring it
// back when it saves it at its end.
func (ss sessionStore) Commit(ctx context.Context, token string, userID int64, data []byte, expiry time.Time) error {
	if ss.onlyTouch(ctx, token, userID, data, expiry) {
		return nil
	}
	var user any
	if userID > 0 {
		user = userID
	}
	return ss.s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= ?`, time.Now().UnixMilli()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, data, expiry) VALUES (?, ?, ?, ?)
			ON CONFLICT (token_hash) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expiry = excluded.expiry
			WHERE sessions.ended = FALSE`, hashToken(token), user, data, expiry.UnixMilli())
		return err
	})
}

// sessionTouchMax is the longest a session's stored idle expiry may lag behind the one its
// page views ask for.
const sessionTouchMax = 5 * time.Minute

// onlyTouch reports whether a save would only push the idle expiry of a stored, unexpired
// session a little further, with the same data and user: then it is not written. Every page
// view saves its session to push the expiry on, and a write waits for the writer, which a long
// write (an import of 50,000 rows, in one transaction) holds for many seconds: the pages, the
// import's own progress page among them, would wait for it. The expiry is written once it has
// moved on by a tenth of what is left of it, at most sessionTouchMax, so that a session ends at
// most that much before its idle timeout. It reads without the writer; on any doubt it says no.
func (ss sessionStore) onlyTouch(ctx context.Context, token string, userID int64, data []byte, expiry time.Time) bool {
	var stored []byte
	var storedExpiry int64
	var storedUser sql.NullInt64
	err := ss.s.reader.QueryRowContext(ctx, `SELECT data, expiry, user_id FROM sessions WHERE token_hash = ? AND ended = FALSE`,
		hashToken(token)).Scan(&stored, &storedExpiry, &storedUser)
	if err != nil || !bytes.Equal(stored, data) || storedUser.Int64 != userID {
		return false
	}
	now, next := time.Now().UnixMilli(), expiry.UnixMilli()
	step := min(sessionTouchMax.Milliseconds(), (next-now)/10)
	return storedExpiry > now && next >= storedExpiry && next-storedExpiry < step
}

// Delete removes a session: after logout its id is worth nothing.
func (ss sessionStore) Delete(ctx context.Context, token string) error {
	return ss.s.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashToken(token))
		return err
	})
}

// endSessions ends every session of a user, in the transaction of the event that calls for it.
func endSessions(ctx context.Context, tx *Tx, userID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE sessions SET ended = TRUE WHERE user_id = ?`, userID)
	return err
}
