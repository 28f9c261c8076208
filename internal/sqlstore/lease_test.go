package sqlstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// movingClock is a clock the test moves by hand, shared by the stores of several "processes".
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movingClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// processes opens n stores on one database with a shared clock: n processes of one host.
func processes(t *testing.T, database string, clock followup.Clock, n int) []*sqlstore.Store {
	t.Helper()
	var out []*sqlstore.Store
	for range n {
		out = append(out, storetest.OpenAt(t, database, sqlstore.Options{Clock: clock, Location: time.UTC, PasswordCost: bcrypt.MinCost}))
	}
	return out
}

func TestLeaseTakenRenewedExpiredTakenOver(t *testing.T) {
	t.Parallel()
	clock := &movingClock{t: today}
	ps := processes(t, storetest.NewDatabase(t), clock, 2)
	a, b := ps[0], ps[1]
	ctx := context.Background()
	const name, ttl = followup.LeaseScheduler, 30 * time.Second
	type step struct {
		what    string
		advance time.Duration // the clock moves first
		store   *sqlstore.Store
		holder  string
		release bool
		want    followup.Lease // the lease after the step
	}
	lease := func(holder string, term int64, expires time.Duration) followup.Lease {
		return followup.Lease{Name: name, Holder: holder, Term: term, Expires: today.Add(expires)}
	}
	steps := []step{
		{what: "the first to ask takes it, term 1", store: a, holder: "A", want: lease("A", 1, 30*time.Second)},
		{what: "another process is refused while it holds", advance: 5 * time.Second, store: b, holder: "B", want: lease("A", 1, 30*time.Second)},
		{what: "the holder renews it, same term", advance: 5 * time.Second, store: a, holder: "A", want: lease("A", 1, 40*time.Second)},
		{what: "still held a moment before it expires", advance: 29 * time.Second, store: b, holder: "B", want: lease("A", 1, 40*time.Second)},
		{what: "expired: the other takes it under the next term", advance: time.Second, store: b, holder: "B", want: lease("B", 2, 70*time.Second)},
		{what: "the stale holder is refused", advance: time.Second, store: a, holder: "A", want: lease("B", 2, 70*time.Second)},
		{what: "the stale holder cannot release it", store: a, holder: "A", release: true, want: lease("B", 2, 70*time.Second)},
		{what: "the holder releases it", advance: time.Second, store: b, holder: "B", release: true, want: lease("", 2, 42*time.Second)},
		{what: "released: the next to ask takes it at once", store: a, holder: "A", want: lease("A", 3, 72*time.Second)},
		{what: "a holder whose lease expired unrenewed starts a new term", advance: time.Minute, store: a, holder: "A", want: lease("A", 4, 132*time.Second)},
	}
	for _, s := range steps {
		clock.add(s.advance)
		var got followup.Lease
		var err error
		if s.release {
			err = s.store.ReleaseLease(ctx, name, s.holder)
		} else {
			got, err = s.store.AcquireLease(ctx, name, s.holder, ttl)
		}
		if err != nil {
			t.Fatalf("%s: %v", s.what, err)
		}
		stored, ok, err := b.FindLease(ctx, name)
		if err != nil || !ok {
			t.Fatalf("%s: FindLease %v %v", s.what, ok, err)
		}
		if !stored.Expires.Equal(s.want.Expires) || stored.Holder != s.want.Holder || stored.Term != s.want.Term {
			t.Fatalf("%s: the lease is %+v, want %+v", s.what, stored, s.want)
		}
		if !s.release && (got.Holder != stored.Holder || got.Term != stored.Term || !got.Expires.Equal(stored.Expires)) {
			t.Fatalf("%s: AcquireLease answered %+v, the database holds %+v", s.what, got, stored)
		}
	}
	if _, ok, err := a.FindLease(ctx, "never-taken"); ok || err != nil {
		t.Errorf("FindLease of a lease never taken: %v %v", ok, err)
	}
	for _, c := range []struct {
		name, holder string
		ttl          time.Duration
		field        string
	}{
		{"", "A", ttl, "name"},
		{name, " ", ttl, "holder"},
		{name, "A", 0, "ttl"},
	} {
		_, err := a.AcquireLease(ctx, c.name, c.holder, c.ttl)
		wantErr(t, err, followup.EInvalid, c.field)
	}
}

// Many processes asking at once: exactly one gets each term.
func TestLeaseHasOneHolderWhenAskedAtOnce(t *testing.T) {
	t.Parallel()
	clock := &movingClock{t: today}
	ps := processes(t, storetest.NewDatabase(t), clock, 4)
	for round := range 3 {
		var wg sync.WaitGroup
		got := make([]followup.Lease, 8)
		for i := range got {
			wg.Go(func() {
				l, err := ps[i%len(ps)].AcquireLease(context.Background(), "race", string(rune('a'+i)), time.Minute)
				if err != nil {
					t.Error(err)
				}
				got[i] = l
			})
		}
		wg.Wait()
		holders := map[string]bool{}
		for i, l := range got {
			if l.Term != int64(round+1) {
				t.Errorf("round %d: process %d sees term %d, want %d", round, i, l.Term, round+1)
			}
			holders[l.Holder] = true
		}
		if len(holders) != 1 {
			t.Errorf("round %d: the askers see holders %v, want one", round, holders)
		}
		clock.add(2 * time.Minute) // expired: the next round is a new term
	}
}

// A write made under a fence commits only while the fence's holder holds the lease under the
// fence's term: after a takeover, the old holder's job run is neither recorded nor does it
// write its messages, while the new holder's does; the end of a run is recorded either way.
func TestFencedWritesCommitOnlyUnderTheirTerm(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	clock := &movingClock{t: today}
	ps := processes(t, f.path, clock, 2)
	a, b := ps[0], ps[1]
	ctx := context.Background()
	const name, ttl = followup.LeaseScheduler, 30 * time.Second
	held, err := a.AcquireLease(ctx, name, "A", ttl)
	if err != nil || held.Term != 1 {
		t.Fatalf("AcquireLease = %+v, %v", held, err)
	}
	fenceA := followup.WithFence(ctx, followup.Fence{Lease: name, Holder: "A", Term: 1})
	runA, err := a.StartJobRun(fenceA, followup.JobRun{Job: "reminders", ScheduledFor: today, StartedAt: today, Holder: "A", Term: 1})
	if err != nil {
		t.Fatalf("a run under the holder's term: %v", err)
	}
	// Past its expiry, with nobody having taken it, the term still holds: a long run is not
	// refused for outlasting a renewal it could not make.
	clock.add(ttl + time.Second)
	if _, err := a.StartJobRun(fenceA, followup.JobRun{Job: "digest", ScheduledFor: today, StartedAt: today, Holder: "A", Term: 1}); err != nil {
		t.Fatalf("a run under an expired term nobody took over: %v", err)
	}
	// B takes over; A, paused meanwhile, goes on with its run.
	if l, err := b.AcquireLease(ctx, name, "B", ttl); err != nil || l.Holder != "B" || l.Term != 2 {
		t.Fatalf("takeover = %+v, %v", l, err)
	}
	runs := f.count(t, `SELECT count(*) FROM job_runs`)
	before := f.dump(t)
	_, err = a.StartJobRun(fenceA, followup.JobRun{Job: "reminders", ScheduledFor: today, StartedAt: today, Holder: "A", Term: 1})
	var lost *followup.LeaseLostError
	if !errors.As(err, &lost) || lost.Now.Holder != "B" || lost.Now.Term != 2 {
		t.Fatalf("a run started under the lost term: %v, want a LeaseLostError naming B's term 2", err)
	}
	_, err = a.EnqueueReminders(fenceA, f.store.Today(), followup.DefaultReminderRules(), itemsRenderer{})
	if !errors.As(err, &lost) {
		t.Fatalf("reminders under the lost term: %v, want a LeaseLostError", err)
	}
	f.unchanged(t, before)
	if n := f.count(t, `SELECT count(*) FROM job_runs`); n != runs {
		t.Errorf("%d job runs after the refused start, want %d", n, runs)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox`) + f.count(t, `SELECT count(*) FROM reminder_marks`); n != 0 {
		t.Errorf("%d outbox rows and marks written under the lost term, want none", n)
	}
	// The end of A's run is still recorded, with its error.
	if err := a.FinishJobRun(fenceA, runA, clock.Now(), nil, errors.New("lease lost")); err != nil {
		t.Fatalf("FinishJobRun under the lost term: %v", err)
	}
	// B's run goes through, recorded with B's name and term.
	fenceB := followup.WithFence(ctx, followup.Fence{Lease: name, Holder: "B", Term: 2})
	runB, err := b.StartJobRun(fenceB, followup.JobRun{Job: "reminders", ScheduledFor: today.Add(time.Minute), StartedAt: clock.Now(), Holder: "B", Term: 2})
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.EnqueueReminders(fenceB, f.store.Today(), followup.DefaultReminderRules(), itemsRenderer{})
	if err != nil || c.Messages == 0 {
		t.Fatalf("reminders under the holder's term: %+v, %v; want messages", c, err)
	}
	list, err := b.ListJobRuns(ctx, "reminders", 10)
	if err != nil || len(list) != 2 {
		t.Fatalf("ListJobRuns = %+v, %v", list, err)
	}
	if list[0].ID != runB || list[0].Holder != "B" || list[0].Term != 2 || !list[0].FinishedAt.IsZero() {
		t.Errorf("B's run %+v", list[0])
	}
	if list[1].ID != runA || list[1].Holder != "A" || list[1].Term != 1 || list[1].Error != "lease lost" || list[1].FinishedAt.IsZero() {
		t.Errorf("A's run %+v", list[1])
	}
	// The last run is B's, unfinished; the last finished one is A's.
	last, _, _ := b.LastJobRun(ctx, "reminders")
	finished, ok, err := b.LastFinishedJobRun(ctx, "reminders")
	if last.ID != runB || !ok || err != nil || finished.ID != runA {
		t.Errorf("LastJobRun = %d, LastFinishedJobRun = %d %v %v; want %d and %d", last.ID, finished.ID, ok, err, runB, runA)
	}
}

// Outbox claims: a claimed message is not claimed again while its claim holds; once the claim
// runs out it is claimed under the next claim number, and only that number marks it.
func TestOutboxClaimNumbers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	clock := &movingClock{t: today}
	ps := processes(t, f.path, clock, 2)
	a, b := ps[0], ps[1]
	ctx := f.as("system")
	if c, err := a.EnqueueReminders(ctx, f.store.Today(), followup.DefaultReminderRules(), itemsRenderer{}); err != nil || c.Messages != 2 {
		t.Fatalf("reminders %+v %v, want 2 messages (FR and HU users)", c, err)
	}
	first, err := a.ClaimOutbox(ctx, clock.Now(), time.Minute, 10)
	if err != nil || len(first) != 2 || first[0].ID > first[1].ID {
		t.Fatalf("claim = %d messages, %v; want both, oldest first", len(first), err)
	}
	for _, m := range first {
		if m.Claim != 1 || !m.ClaimedUntil.Equal(clock.Now().Add(time.Minute)) {
			t.Errorf("message %d: claim %d until %v", m.ID, m.Claim, m.ClaimedUntil)
		}
	}
	if again, err := b.ClaimOutbox(ctx, clock.Now().Add(59*time.Second), time.Minute, 10); err != nil || len(again) != 0 {
		t.Fatalf("a claim while the first holds took %d, %v", len(again), err)
	}
	clock.add(time.Minute)
	second, err := b.ClaimOutbox(ctx, clock.Now(), time.Minute, 1)
	if err != nil || len(second) != 1 || second[0].ID != first[0].ID || second[0].Claim != 2 {
		t.Fatalf("the claim after the first ran out = %+v, %v; want the oldest under claim 2", second, err)
	}
	stale, fresh := first[0], second[0]
	if err := a.MarkSent(ctx, stale.ID, stale.Claim, clock.Now()); !errors.Is(err, followup.ErrClaimLost) {
		t.Errorf("MarkSent under the claim taken over: %v, want ErrClaimLost", err)
	}
	if err := a.MarkFailedAttempt(ctx, stale.ID, stale.Claim, 1, clock.Now(), true, "550"); !errors.Is(err, followup.ErrClaimLost) {
		t.Errorf("MarkFailedAttempt under the claim taken over: %v, want ErrClaimLost", err)
	}
	if err := b.MarkSent(ctx, fresh.ID, fresh.Claim, clock.Now()); err != nil {
		t.Fatalf("MarkSent under the claim that holds: %v", err)
	}
	if err := b.MarkSent(ctx, fresh.ID, fresh.Claim, clock.Now()); !errors.Is(err, followup.ErrClaimLost) {
		t.Errorf("a second MarkSent: %v, want ErrClaimLost", err)
	}
	// The other message's first claim ran out unused, and nobody claimed it again: its
	// deliverer may still mark it (it sent it, and nobody else did).
	if err := a.MarkFailedAttempt(ctx, first[1].ID, first[1].Claim, 1, clock.Now().Add(time.Minute), false, "421 try later"); err != nil {
		t.Fatalf("MarkFailedAttempt under a lapsed claim nobody took: %v", err)
	}
	got, err := a.FindOutboxMessage(ctx, first[1].ID)
	if err != nil || got.Status != followup.OutboxPending || got.Attempts != 1 || !got.ClaimedUntil.IsZero() {
		t.Errorf("after the failed attempt: %+v %v; want pending, 1 attempt, no claim", got, err)
	}
	sent, _ := a.FindOutboxMessage(ctx, fresh.ID)
	if sent.Status != followup.OutboxSent || sent.Attempts != 1 {
		t.Errorf("the sent message: %s after %d attempts, want sent after 1", sent.Status, sent.Attempts)
	}
	// Due again at its next attempt, under a third claim.
	clock.add(time.Minute)
	third, err := a.ClaimOutbox(ctx, clock.Now(), time.Minute, 10)
	if err != nil || len(third) != 1 || third[0].ID != first[1].ID || third[0].Claim != 2 {
		t.Fatalf("the retry's claim = %+v, %v", third, err)
	}
}
