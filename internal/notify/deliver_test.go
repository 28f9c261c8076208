package notify_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/notify"
	"followup/internal/postgres"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// sendLog counts the sends of each outbox message, by id, across every mailer that shares it.
type sendLog struct {
	mu    sync.Mutex
	sends map[int64]int
}

func newSendLog() *sendLog { return &sendLog{sends: map[int64]int{}} }

func (l *sendLog) count(id int64) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sends[id]
}

// countingMailer is a mailer that accepts every message and counts it in its log.
type countingMailer struct {
	log *sendLog
	// during, if set, is called inside Send, to make things happen while a message is on its way.
	during func(m followup.Message)
}

func (c *countingMailer) Send(_ context.Context, m followup.Message) error {
	if c.during != nil {
		c.during(m)
	}
	c.log.mu.Lock()
	defer c.log.mu.Unlock()
	c.log.sends[m.ID]++
	return nil
}

// fillOutbox writes n pending messages, due since 2000, straight into the outbox table.
func fillOutbox(t *testing.T, database string, n int) {
	t.Helper()
	var db *sql.DB
	var err error
	if postgres.IsURL(database) {
		db, err = sql.Open("pgx", database)
	} else {
		db, err = sql.Open("sqlite3", "file:"+database+"?_busy_timeout=10000")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const due = "2000-01-01T00:00:00.000000000Z"
	for start := 0; start < n; start += 500 {
		var rows []string
		for i := start; i < min(n, start+500); i++ {
			rows = append(rows, fmt.Sprintf("('test:%d', 'reminder', 'user%d@example.org', 'User %d', 'en', 'Subject %d', 'Body %d', '[]', 'pending', 0, '%s', '%s')",
				i, i, i, i, i, due, due))
		}
		if _, err := db.Exec(`INSERT INTO outbox (idempotency_key, kind, recipient, recipient_name, lang, subject, body_text, items,
			status, attempts, next_attempt_at, created_at) VALUES ` + strings.Join(rows, ", ")); err != nil {
			t.Fatal(err)
		}
	}
}

func openStores(t *testing.T, database string, n int, clock followup.Clock) []*sqlstore.Store {
	t.Helper()
	var out []*sqlstore.Store
	for range n {
		out = append(out, storetest.OpenAt(t, database, sqlstore.Options{Clock: clock, PasswordCost: bcrypt.MinCost}))
	}
	return out
}

func sys() context.Context { return followup.WithActor(context.Background(), followup.SystemActor) }

// Three delivery loops, each on a store of its own (three processes) on one database, deliver
// 3,000 pending messages at the same time: each message is sent exactly once and marked sent.
func TestConcurrentDeliverersSendEachMessageOnce(t *testing.T) {
	const messages, loops = 3000, 3
	database := storetest.NewDatabase(t)
	stores := openStores(t, database, loops, followup.SystemClock{})
	fillOutbox(t, database, messages)
	sent := newSendLog()
	mailer := &countingMailer{log: sent}
	var wg sync.WaitGroup
	errs := make([]error, loops)
	for i, s := range stores {
		wg.Go(func() {
			d := &notify.Deliverer{Outbox: s, Mailer: mailer, Batch: 20}
			for {
				c, err := d.Pass(context.Background())
				if err != nil {
					errs[i] = err
					return
				}
				if c.Sent == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("loop %d: %v", i, err)
		}
	}
	twice, never := 0, 0
	for id := int64(1); id <= messages; id++ {
		switch n := sent.count(id); {
		case n == 0:
			never++
		case n > 1:
			twice++
		}
	}
	if twice > 0 || never > 0 {
		t.Fatalf("of %d messages, %d were sent more than once and %d never", messages, twice, never)
	}
	pending, err := stores[0].ListOutbox(sys(), followup.OutboxFilter{Status: followup.OutboxPending, Limit: 1000})
	if err != nil || len(pending) != 0 {
		t.Fatalf("%d messages still pending, %v", len(pending), err)
	}
}

// simClock is a clock the test moves by hand.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *simClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// A deliverer whose claim ran out while it was sending (a slow server, a paused process) and
// was taken over by another one neither marks the message the other one sent nor sends the
// rest of its batch, which the other one has sent already.
func TestDelivererWhoseClaimWasTakenOverStops(t *testing.T) {
	database := storetest.NewDatabase(t)
	start := time.Date(2025, 6, 30, 8, 0, 0, 0, time.UTC)
	clock := &simClock{t: start}
	stores := openStores(t, database, 2, clock)
	fillOutbox(t, database, 2)
	sent := newSendLog()
	other := &notify.Deliverer{Outbox: stores[1], Mailer: &countingMailer{log: sent}, Clock: clock, Lease: time.Minute}
	var otherCounts notify.DeliveryCounts
	slow := &countingMailer{log: sent}
	slow.during = func(followup.Message) {
		slow.during = nil
		// The first send takes two minutes: the claim of one minute runs out, and the other
		// deliverer claims both messages, sends them and marks them.
		clock.Set(start.Add(2 * time.Minute))
		c, err := other.Pass(context.Background())
		if err != nil {
			t.Errorf("the other deliverer: %v", err)
		}
		otherCounts = c
	}
	first := &notify.Deliverer{Outbox: stores[0], Mailer: slow, Clock: clock, Lease: time.Minute}
	if _, err := first.Pass(context.Background()); err != nil {
		t.Fatalf("the first deliverer: %v", err)
	}
	if otherCounts.Sent != 2 {
		t.Fatalf("the other deliverer sent %d, want both", otherCounts.Sent)
	}
	// The first message was on its way when the claim ran out: it went twice, which only a
	// claim longer than the slowest send avoids. The second one must go once.
	if n := sent.count(2); n != 1 {
		t.Errorf("the second message was sent %d times, want once", n)
	}
	ms, err := stores[0].ListOutbox(sys(), followup.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Status != followup.OutboxSent || m.Attempts != 1 {
			t.Errorf("message %d: %s after %d attempts, want sent after 1 (marked once, by the claim that holds)", m.ID, m.Status, m.Attempts)
		}
	}
}
