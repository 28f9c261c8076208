package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"followup/internal/followup"
)

// Leases are rows of the leases table (migration 0007), read and changed in write
// transactions: those are serialised with every other write of every process on the database,
// so that two processes never both find a lease free, and a fenced write (checkFence) sees any
// takeover committed before it, while no takeover can commit between its check and its commit.
//
// Expiries are reckoned on the store's clock: the processes sharing a lease must keep their
// clocks in step (NTP) to well within the difference between a lease's life and its renewal.

func checkLeaseArgs(name, holder string, ttl time.Duration) error {
	if strings.TrimSpace(name) == "" {
		return followup.Invalid("name", "a lease needs a name")
	}
	if strings.TrimSpace(holder) == "" {
		return followup.Invalid("holder", "a lease needs a holder")
	}
	if ttl <= 0 {
		return followup.Invalid("ttl", "a lease's life must be positive, not %s", ttl)
	}
	return nil
}

// AcquireLease takes the lease for holder when it is free or expired (next term), renews it
// when holder holds it (same term), and otherwise leaves it to its holder.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (followup.Lease, error) {
	if err := checkLeaseArgs(name, holder, ttl); err != nil {
		return followup.Lease{}, err
	}
	var out followup.Lease
	err := s.write(followup.WithoutFence(ctx), func(tx *Tx) error {
		now := s.now()
		expires := now.Add(ttl)
		cur, found, err := findLease(ctx, tx, name)
		if err != nil {
			return err
		}
		switch {
		case !found:
			out = followup.Lease{Name: name, Holder: holder, Term: 1, Expires: expires}
			_, err = tx.ExecContext(ctx, `INSERT INTO leases (name, holder, term, acquired_at, renewed_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
				name, holder, out.Term, fixedStamp(now), fixedStamp(now), fixedStamp(expires))
		case cur.HeldBy(holder, now):
			out = cur
			out.Expires = expires
			_, err = tx.ExecContext(ctx, `UPDATE leases SET renewed_at = ?, expires_at = ? WHERE name = ? AND holder = ? AND term = ?`,
				fixedStamp(now), fixedStamp(expires), name, holder, cur.Term)
		case !now.Before(cur.Expires):
			// Expired, or released: a new term begins, even for the holder it expired on, whose
			// writes under the old term are refused from now on.
			out = followup.Lease{Name: name, Holder: holder, Term: cur.Term + 1, Expires: expires}
			_, err = tx.ExecContext(ctx, `UPDATE leases SET holder = ?, term = ?, acquired_at = ?, renewed_at = ?, expires_at = ? WHERE name = ? AND term = ?`,
				holder, out.Term, fixedStamp(now), fixedStamp(now), fixedStamp(expires), name, cur.Term)
		default:
			out = cur
		}
		return err
	})
	return out, err
}

// ReleaseLease ends holder's term at once, so that the next process to ask takes the lease.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	if err := checkLeaseArgs(name, holder, time.Second); err != nil {
		return err
	}
	return s.write(followup.WithoutFence(ctx), func(tx *Tx) error {
		now := fixedStamp(s.now())
		_, err := tx.ExecContext(ctx, `UPDATE leases SET holder = '', expires_at = ? WHERE name = ? AND holder = ? AND expires_at > ?`,
			now, name, holder, now)
		return err
	})
}

// FindLease returns a lease as it stands.
func (s *Store) FindLease(ctx context.Context, name string) (followup.Lease, bool, error) {
	return findLease(ctx, s.reader, name)
}

func findLease(ctx context.Context, q queryer, name string) (followup.Lease, bool, error) {
	l := followup.Lease{Name: name}
	var expires string
	err := q.QueryRowContext(ctx, `SELECT holder, term, expires_at FROM leases WHERE name = ?`, name).Scan(&l.Holder, &l.Term, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return l, false, nil
	}
	if err != nil {
		return l, false, err
	}
	l.Expires = parseStamp(expires)
	return l, true, nil
}

// checkFence refuses to commit a write made under a fence whose holder no longer holds the
// lease under the fence's term. It only compares the holder and the term: the write
// transaction holds the write lock, so nobody can take the lease over before it commits, and a
// term that is still the lease's (even past its expiry, which a long write may outlast) means
// that no other process held the lease since the fenced work began.
func (s *Store) checkFence(ctx context.Context, tx *Tx) error {
	f, ok := followup.FenceFrom(ctx)
	if !ok {
		return nil
	}
	cur, _, err := findLease(ctx, tx, f.Lease)
	if err != nil {
		return err
	}
	if cur.Holder != f.Holder || cur.Term != f.Term {
		return &followup.LeaseLostError{Fence: f, Now: cur}
	}
	return nil
}
