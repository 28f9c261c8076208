package followup

import (
	"context"
	"fmt"
	"time"
)

// Leases let several processes on one database agree on which of them does a thing: the
// scheduled jobs run only in the process holding the scheduler's lease. A lease is a row in the
// database with its holder, an expiry and a term, a number that grows with each new holder: the
// holder renews it well before it expires; when it is not renewed (the process died, or hangs),
// another process takes it once it has expired, under the next term. A write that must only be
// made by the holder carries a Fence: the store checks, in the write's own transaction, that
// the lease still has that holder and term, and rolls the write back otherwise, so that a holder
// that lost its lease while paused cannot commit what it decided before.

// LeaseScheduler is the lease of the scheduled jobs.
const LeaseScheduler = "scheduler"

// Lease is the state of a lease.
type Lease struct {
	Name    string    `json:"name"`
	Holder  string    `json:"holder"` // "" when released
	Term    int64     `json:"term"`   // 1 for the first holder, then one more for each new holder
	Expires time.Time `json:"expires"`
}

// HeldBy reports whether holder holds the lease at now.
func (l Lease) HeldBy(holder string, now time.Time) bool {
	return holder != "" && l.Holder == holder && now.Before(l.Expires)
}

// LeaseService keeps leases in the database, shared by every process on it.
type LeaseService interface {
	// AcquireLease takes the lease for holder for ttl when it is free or has expired (under
	// the next term), or renews it (same term) when holder holds it; when another holder
	// holds it, it changes nothing. It returns the lease as it then stands: holder holds it
	// when Lease.Holder is holder.
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (Lease, error)
	// ReleaseLease gives the lease up at once when holder holds it (a clean stop), so that
	// another process takes it without waiting for it to expire; otherwise it does nothing.
	ReleaseLease(ctx context.Context, name, holder string) error
	// FindLease returns a lease's state; ok is false when nobody ever took it.
	FindLease(ctx context.Context, name string) (lease Lease, ok bool, err error)
}

// Fence names the holder and term of a lease under which writes are made.
type Fence struct {
	Lease  string
	Holder string
	Term   int64
}

type fenceKey struct{}

// WithFence returns a context whose writes the store commits only while the fence's holder
// still holds the lease under the fence's term.
func WithFence(ctx context.Context, f Fence) context.Context {
	return context.WithValue(ctx, fenceKey{}, f)
}

// WithoutFence returns a context whose writes carry no fence (the record of how a fenced run
// ended is kept even when the run lost its lease).
func WithoutFence(ctx context.Context) context.Context {
	return context.WithValue(ctx, fenceKey{}, Fence{})
}

// FenceFrom returns the fence of a context; ok is false when it has none.
func FenceFrom(ctx context.Context) (Fence, bool) {
	f, ok := ctx.Value(fenceKey{}).(Fence)
	return f, ok && f.Lease != ""
}

// LeaseLostError is the error of a fenced write whose holder no longer holds the lease under
// its term: the write was rolled back.
type LeaseLostError struct {
	Fence
	Now Lease // the lease as it stands
}

func (e *LeaseLostError) Error() string {
	return fmt.Sprintf("the %s lease is no longer held by %s under term %d (now: %q, term %d): nothing was written",
		e.Lease, e.Holder, e.Term, e.Now.Holder, e.Now.Term)
}

// Leadership is whether a process leads the scheduled jobs, as it last found out.
type Leadership struct {
	Leader bool   `json:"leader"`
	Term   int64  `json:"term,omitempty"`
	Holder string `json:"-"` // this process's name in the lease
}
