package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"followup/internal/storetest"
)

// The three limits, on the store: per account and address, per account, per address.
func TestLoginAttemptLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t, storetest.NewDatabase(t))
	attempt := func(email, ip string, at time.Time) time.Duration {
		t.Helper()
		wait, err := s.LoginAttempt(ctx, email, ip, at)
		if err != nil {
			t.Fatal(err)
		}
		return wait
	}
	now := today
	for i := range 5 {
		if w := attempt("desk@example.org", "203.0.113.7", now.Add(time.Duration(i)*time.Minute)); w != 0 {
			t.Fatalf("attempt %d refused: %v", i, w)
		}
	}
	if w := attempt("Desk@Example.org ", "203.0.113.7", now.Add(5*time.Minute)); w != 10*time.Minute {
		t.Errorf("the sixth attempt from the address: wait %v, want 10m (the first is 5 minutes old)", w)
	}
	if w := attempt("desk@example.org", "198.51.100.20", now.Add(5*time.Minute)); w != 0 {
		t.Errorf("the account from another address: wait %v", w)
	}
	// The right password from the first address forgets its failures there.
	if err := s.ClearLoginFailures(ctx, "desk@example.org", "203.0.113.7"); err != nil {
		t.Fatal(err)
	}
	if w := attempt("desk@example.org", "203.0.113.7", now.Add(5*time.Minute)); w != 0 {
		t.Errorf("after the right password: wait %v", w)
	}
	// One address trying many accounts: 20 in 15 minutes.
	for i := range 19 {
		if w := attempt(fmt.Sprintf("user%d@example.org", i), "192.0.2.1", now); w != 0 {
			t.Fatalf("account %d from one address refused: %v", i, w)
		}
	}
	if w := attempt("desk@example.org", "192.0.2.1", now); w != 0 {
		t.Errorf("the 20th attempt from the address: wait %v", w)
	}
	if w := attempt("other@example.org", "192.0.2.1", now); w != 15*time.Minute {
		t.Errorf("the 21st attempt from the address: wait %v, want 15m", w)
	}
	// An IPv6 network counts as one address.
	for i := range 5 {
		attempt("v6@example.org", fmt.Sprintf("2001:db8:1:2::%x", i+1), now)
	}
	if w := attempt("v6@example.org", "2001:db8:1:2:ffff::1", now); w != 15*time.Minute {
		t.Errorf("the sixth attempt from one /64: wait %v", w)
	}
}

// Failures older than the longest window are deleted: the table stays small.
func TestLoginFailuresPruned(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := storetest.NewDatabase(t)
	s := openStore(t, path)
	for i := range 30 {
		if _, err := s.LoginAttempt(ctx, fmt.Sprintf("u%d@example.org", i), fmt.Sprintf("203.0.113.%d", i), today); err != nil {
			t.Fatal(err)
		}
	}
	raw := storetest.Raw(t, path)
	count := func() int {
		var n int
		if err := raw.QueryRow(`SELECT count(*) FROM login_failures`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 30 {
		t.Fatalf("%d rows after 30 failures", n)
	}
	if _, err := s.LoginAttempt(ctx, "late@example.org", "198.51.100.1", today.Add(59*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 31 {
		t.Errorf("%d rows 59 minutes later, want 31 (nothing old enough to go)", n)
	}
	if _, err := s.LoginAttempt(ctx, "later@example.org", "198.51.100.1", today.Add(61*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 2 {
		t.Errorf("%d rows after the hour, want 2", n)
	}
}

// Parallel guesses on two stores of one database (two replicas): exactly the limit passes.
func TestLoginAttemptsParallelOnTwoStores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := storetest.NewDatabase(t)
	stores := []interface {
		LoginAttempt(context.Context, string, string, time.Time) (time.Duration, error)
	}{openStore(t, path), openStore(t, path)}
	var mu sync.Mutex
	passed := 0
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wait, err := stores[i%2].LoginAttempt(ctx, "desk@example.org", "203.0.113.7", today)
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				mu.Lock()
				passed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if passed != 5 {
		t.Errorf("%d of 24 parallel attempts were let through, want 5", passed)
	}
}
