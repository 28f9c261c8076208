package scheduler

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"followup/internal/followup"
)

// process is one of several schedulers on the world's database, each a process of its own.
func process(t *testing.T, w *world, holder string, entries ...Entry) *Scheduler {
	t.Helper()
	s, err := New(Options{Entries: entries, Runs: w.store, Leases: w.store, Holder: holder, Location: paris, Clock: w.clock})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fire runs a job as cron does at its activation.
func (s *Scheduler) fireNow(name string) { s.cron.Entry(s.entry(name).id).WrappedJob.Run() }

// Two processes schedule the reminders: only the holder of the lease runs them, under its term.
// When the holder stops renewing (it hangs) the other takes the lease over under the next term;
// the old holder, resuming mid-run, has its run refused by the fence (nothing written, the run
// recorded with the error), and the new holder's run sends the reminders once.
func TestOnlyTheLeaseHolderRunsTheJobs(t *testing.T) {
	w := newWorld(t)
	w.clock.Set(at("2025-06-30"))
	var a, b *Scheduler
	resumed := false
	hanging := funcJob{JobReminders, func(ctx context.Context, now time.Time) (followup.JobCounts, error) {
		if !resumed {
			// The process hangs past the lease's life; meanwhile the other one takes over.
			resumed = true
			w.clock.Set(w.clock.Now().Add(DefaultLeaseTTL + time.Second))
			b.campaign(context.Background())
		}
		return remindersJob(t, w).Run(ctx, now)
	}}
	a = process(t, w, "A", Entry{Job: hanging, Spec: "0 8 * * *", Enabled: true})
	b = process(t, w, "B", Entry{Job: remindersJob(t, w), Spec: "0 8 * * *", Enabled: true})
	a.campaign(context.Background())
	b.campaign(context.Background())
	if la, lb := a.Leadership(), b.Leadership(); !la.Leader || la.Term != 1 || lb.Leader {
		t.Fatalf("leadership A %+v, B %+v; want A leading under term 1", la, lb)
	}
	// B's activation does nothing: it does not hold the lease.
	b.fireNow(JobReminders)
	if runs, _ := w.store.ListJobRuns(context.Background(), JobReminders, 10); len(runs) != 0 {
		t.Fatalf("the process without the lease ran the job: %+v", runs)
	}
	a.fireNow(JobReminders)
	if la, lb := a.Leadership(), b.Leadership(); la.Leader || !lb.Leader || lb.Term != 2 {
		t.Fatalf("after the takeover: A %+v, B %+v; want B leading under term 2", la, lb)
	}
	if ms := outbox(t, w.store); len(ms) != 0 {
		t.Fatalf("the run of the lost term wrote %d messages", len(ms))
	}
	runs, _ := w.store.ListJobRuns(context.Background(), JobReminders, 10)
	if len(runs) != 1 || runs[0].Holder != "A" || runs[0].Term != 1 || runs[0].FinishedAt.IsZero() ||
		!strings.Contains(runs[0].Error, "no longer held by A under term 1") || len(runs[0].Counts) != 0 {
		t.Fatalf("A's run %+v; want it recorded, finished, with the lost lease as its error", runs)
	}
	// A's next activation does nothing; B's runs and sends the reminders.
	a.fireNow(JobReminders)
	b.fireNow(JobReminders)
	runs, _ = w.store.ListJobRuns(context.Background(), JobReminders, 10)
	if len(runs) != 2 || runs[0].Holder != "B" || runs[0].Term != 2 || runs[0].Error != "" || runs[0].Counts["messages"] != 2 {
		t.Fatalf("runs %+v; want B's run under term 2 with 2 messages", runs)
	}
	if ms := outbox(t, w.store); len(ms) != 2 {
		t.Errorf("%d messages, want 2 (France's and Germany's due-0)", len(ms))
	}
	// "Run now" runs in whichever process is asked, lease or not, recorded under term 0, and
	// sends nothing twice.
	run, err := a.RunNow(context.Background(), JobReminders, w.clock.Now())
	if err != nil || run.Holder != "A" || run.Term != 0 || run.Counts["messages"] != 0 {
		t.Errorf("run now in the process without the lease: %+v %v", run, err)
	}
}

// The lease loop: a started scheduler takes a free lease, the other waits; a clean stop releases
// it, and the other takes it at its next attempt and catches up what was missed.
func TestStopReleasesTheLeaseToTheOther(t *testing.T) {
	w := newWorld(t)
	var mu sync.Mutex
	var ran []string
	job := func(who string) Job {
		return funcJob{"daily", func(context.Context, time.Time) (followup.JobCounts, error) {
			mu.Lock()
			defer mu.Unlock()
			ran = append(ran, who)
			return nil, nil
		}}
	}
	entry := func(who string) Entry { return Entry{Job: job(who), Spec: "0 8 * * *", Enabled: true} }
	a := process(t, w, "A", entry("A"))
	if _, err := a.RunNow(context.Background(), "daily", at("2025-01-14")); err != nil {
		t.Fatal(err)
	}
	a.renew = 10 * time.Millisecond
	b := process(t, w, "B", entry("B"))
	b.renew = 10 * time.Millisecond
	a.Start()
	waitFor(t, "A to lead", func() bool { return a.Leadership().Leader })
	// A's start caught up the activation of 15 January 08:00 (the clock is at 08:00).
	waitFor(t, "A's catch-up", func() bool {
		last, _, _ := w.store.LastFinishedJobRun(context.Background(), "daily")
		return last.Holder == "A" && last.Term == 1
	})
	b.Start()
	defer b.Stop(context.Background())
	time.Sleep(50 * time.Millisecond)
	if b.Leadership().Leader {
		t.Fatal("B leads while A holds the lease")
	}
	if err := a.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "B to lead", func() bool { return b.Leadership().Leader })
	if l := b.Leadership(); l.Term != 2 {
		t.Errorf("B leads under term %d, want 2", l.Term)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(ran) != 2 || ran[0] != "A" || ran[1] != "A" {
		t.Errorf("runs %v, want A's by hand and A's catch-up only (nothing was missed when B took over)", ran)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
