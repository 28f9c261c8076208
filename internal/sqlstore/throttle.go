package sqlstore

import (
	"context"
	"time"

	"followup/internal/followup"
)

var _ followup.LoginThrottle = (*Store)(nil)

// failureStamp writes the instant of a failure with a fixed number of digits, so that the text
// order of the column is the order of time on both engines.
const failureStamp = "2006-01-02T15:04:05.000000Z"

// LoginAttempt checks the limits and, when none is reached, counts the attempt as a failure, in
// one write transaction: writes are serialised across every process on the database, so two
// attempts never both see the count below a limit.
func (s *Store) LoginAttempt(ctx context.Context, email, ip string, now time.Time) (time.Duration, error) {
	account, address := followup.ThrottleAccount(email), followup.ThrottleAddress(ip)
	now = now.UTC()
	var wait time.Duration
	err := s.write(ctx, func(tx *Tx) error {
		// Bounded: a failure older than every window counts for nothing.
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at <= ?`,
			now.Add(-followup.LoginFailuresKept()).Format(failureStamp)); err != nil {
			return err
		}
		for _, l := range followup.LoginLimits {
			newest, err := recentFailures(ctx, tx, l, account, address, now)
			if err != nil {
				return err
			}
			wait = max(wait, l.Wait(now, newest))
		}
		if wait > 0 {
			// Refused attempts are not counted: the lockout ends with its window, however
			// long an attacker goes on.
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO login_failures (at, account, address) VALUES (?, ?, ?)`,
			now.Format(failureStamp), account, address)
		return err
	})
	return wait, err
}

// recentFailures returns the instants of the newest failures of a limit's scope within its
// window, newest first, at most the limit's Max.
func recentFailures(ctx context.Context, q queryer, l followup.LoginLimit, account, address string, now time.Time) ([]time.Time, error) {
	where, args := "account = ? AND address = ?", []any{account, address}
	switch l.Scope {
	case followup.ScopeAccount:
		where, args = "account = ?", []any{account}
	case followup.ScopeAddress:
		where, args = "address = ?", []any{address}
	}
	args = append(args, now.Add(-l.Window).Format(failureStamp), l.Max)
	stamps, err := queryAll(ctx, q, scanString, `SELECT at FROM login_failures WHERE `+where+` AND at > ? ORDER BY at DESC LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	out := make([]time.Time, 0, len(stamps))
	for _, st := range stamps {
		t, err := time.Parse(failureStamp, st)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// ClearLoginFailures forgets the failures of the account from the address.
func (s *Store) ClearLoginFailures(ctx context.Context, email, ip string) error {
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE account = ? AND address = ?`,
			followup.ThrottleAccount(email), followup.ThrottleAddress(ip))
		return err
	})
}
