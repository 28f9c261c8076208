// Package scheduler runs the tracker's scheduled jobs with robfig/cron/v3: in the configured
// time zone, with panics recovered and a job never started while its previous run goes on. Every
// run is recorded in the database, and runs missed while no process ran them are caught up once.
// Each job is a plain Run(ctx, now) that tests and `followup jobs run` call directly.
//
// Several processes (replicas) may share one database: the jobs then run on their schedules
// only in the process that holds the scheduler's lease (followup.LeaseService), which it renews
// every RenewEvery. When it stops renewing (it died), another process takes the lease once it
// has expired, under the next term, and catches up what was missed. Each scheduled run records
// its holder and term, and its writes are fenced: committed only while that term holds.
package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"followup/internal/followup"
)

// Job is one scheduled job.
type Job interface {
	Name() string
	// Run does the job as of now and says what it did.
	Run(ctx context.Context, now time.Time) (followup.JobCounts, error)
}

// Entry is a job with its schedule (a standard five-field cron spec or a descriptor such as
// @daily or @every 10m) and whether it runs.
type Entry struct {
	Job     Job
	Spec    string
	Enabled bool
}

// The lease's defaults: renewed every 10 s, it lasts 30 s, so that a holder survives two failed
// renewals and another process takes over within 40 s of the holder's death.
const (
	DefaultLeaseTTL   = 30 * time.Second
	DefaultRenewEvery = 10 * time.Second
)

// Options configure a scheduler.
type Options struct {
	Entries []Entry
	Runs    followup.JobRunStore
	// Leases keeps the scheduler's lease in the database (required).
	Leases followup.LeaseService
	// Holder names this process in the lease and in the runs it records; when empty, the host
	// name, the process id and a random suffix.
	Holder string
	// LeaseTTL is how long the lease lasts unless renewed, RenewEvery how often its holder
	// renews it and the other processes ask for it (DefaultLeaseTTL, DefaultRenewEvery when
	// zero). RenewEvery must be shorter than LeaseTTL.
	LeaseTTL, RenewEvery time.Duration
	Location             *time.Location
	Clock                followup.Clock
	Logger               *slog.Logger
}

// Scheduler runs the jobs on their schedules.
type Scheduler struct {
	runs    followup.JobRunStore
	leases  followup.LeaseService
	holder  string
	ttl     time.Duration
	renew   time.Duration
	loc     *time.Location
	clock   followup.Clock
	log     *slog.Logger
	cron    *cron.Cron
	entries []*entry
	ctx     context.Context
	cancel  context.CancelFunc
	bg      sync.WaitGroup // the lease loop and the catch-ups it starts

	mu    sync.Mutex
	term  int64     // the term of the lease this process holds; 0 when it holds none
	until time.Time // when the lease runs out unless renewed, on this process's reckoning
}

type entry struct {
	Entry
	schedule cron.Schedule
	id       cron.EntryID
	// catchUp, when set, is the missed activation the next run stands for.
	catchUp atomic.Pointer[time.Time]
}

// Parse parses a cron spec the way the scheduler does: five fields, or a descriptor.
func Parse(spec string) (cron.Schedule, error) {
	return cron.ParseStandard(spec)
}

// New checks every entry's spec and builds the scheduler; Start starts it.
func New(opts Options) (*Scheduler, error) {
	if opts.Runs == nil || opts.Leases == nil {
		return nil, errors.New("scheduler: the run records and the lease service are required")
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Clock == nil {
		opts.Clock = followup.SystemClock{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Holder == "" {
		opts.Holder = processName()
	}
	if opts.LeaseTTL <= 0 {
		opts.LeaseTTL = DefaultLeaseTTL
	}
	if opts.RenewEvery <= 0 {
		opts.RenewEvery = DefaultRenewEvery
	}
	if opts.RenewEvery >= opts.LeaseTTL {
		return nil, fmt.Errorf("scheduler: the lease must be renewed (every %s) more often than it lasts (%s)", opts.RenewEvery, opts.LeaseTTL)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Scheduler{runs: opts.Runs, leases: opts.Leases, holder: opts.Holder, ttl: opts.LeaseTTL, renew: opts.RenewEvery,
		loc: opts.Location, clock: opts.Clock, log: opts.Logger, ctx: ctx, cancel: cancel}
	logger := cronLogger{opts.Logger}
	// SkipIfStillRunning goes outside Recover: in cron v3.0.1 it releases its slot only when the
	// job returns, so a panic passing through it would block the job for good (see
	// TestPanicIsRecoveredAndRecorded, which runs it twice).
	s.cron = cron.New(cron.WithLocation(opts.Location), cron.WithLogger(logger),
		cron.WithChain(cron.SkipIfStillRunning(logger), cron.Recover(logger)))
	seen := map[string]bool{}
	for _, e := range opts.Entries {
		name := e.Job.Name()
		if seen[name] {
			return nil, fmt.Errorf("scheduler: two jobs named %q", name)
		}
		seen[name] = true
		sched, err := Parse(e.Spec)
		if err != nil {
			return nil, fmt.Errorf("jobs.%s.schedule: %q: %w", name, e.Spec, err)
		}
		en := &entry{Entry: e, schedule: sched}
		s.entries = append(s.entries, en)
		if !e.Enabled {
			continue
		}
		en.id = s.cron.Schedule(sched, cron.FuncJob(func() { s.fire(en) }))
	}
	return s, nil
}

// processName names this process: host, process id and a random suffix (a process id is
// reused, and containers often share one).
func processName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "host"
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Holder returns this process's name in the lease and in the runs it records.
func (s *Scheduler) Holder() string { return s.holder }

// Leadership tells whether this process holds the scheduler's lease, as its last renewal
// found; the lease counts as lost once its life has passed since the renewal was asked for,
// even when no answer came.
func (s *Scheduler) Leadership() followup.Leadership {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := followup.Leadership{Holder: s.holder}
	if s.term > 0 && s.clock.Now().Before(s.until) {
		l.Leader, l.Term = true, s.term
	}
	return l
}

// campaign renews the lease when this process holds it, or takes it when it is free or has
// expired.
func (s *Scheduler) campaign(ctx context.Context) {
	asked := s.clock.Now()
	l, err := s.leases.AcquireLease(ctx, followup.LeaseScheduler, s.holder, s.ttl)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("scheduler lease: cannot renew or take it (a holder leads until its lease runs out)", "leading", s.Leadership().Leader, "err", err)
		}
		return
	}
	s.mu.Lock()
	before := s.term
	if l.Holder == s.holder {
		s.term, s.until = l.Term, asked.Add(s.ttl)
	} else {
		s.term, s.until = 0, time.Time{}
	}
	s.mu.Unlock()
	switch {
	case l.Holder == s.holder && l.Term != before:
		s.log.Info("this process now runs the scheduled jobs", "holder", s.holder, "term", l.Term)
	case l.Holder != s.holder && before != 0:
		s.log.Warn("the scheduled jobs passed to another process", "holder", l.Holder, "term", l.Term)
	}
}

// leadLoop keeps campaigning until the scheduler stops, and catches up missed runs whenever
// it finds this process leading under a term it had not led under yet: at start, and at each
// takeover (the previous holder may have died mid-way).
func (s *Scheduler) leadLoop() {
	t := time.NewTicker(s.renew)
	defer t.Stop()
	var caughtUp int64 // the term the last catch-up ran under
	for {
		s.campaign(s.ctx)
		if lead := s.Leadership(); !lead.Leader {
			caughtUp = 0
		} else if lead.Term != caughtUp {
			caughtUp = lead.Term
			s.bg.Go(func() {
				if _, err := s.CatchUp(s.ctx, s.clock.Now()); err != nil && s.ctx.Err() == nil {
					s.log.Error("catch up missed job runs", "err", err)
				}
			})
		}
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// fire is what cron calls, through Recover and SkipIfStillRunning. Only the lease's holder
// runs the job, fenced by its term.
func (s *Scheduler) fire(en *entry) {
	now := s.clock.Now()
	// Activations fall on whole seconds (whole minutes for five-field specs).
	scheduled := now.Truncate(time.Second)
	if p := en.catchUp.Swap(nil); p != nil {
		scheduled = *p
	}
	lead := s.Leadership()
	if !lead.Leader {
		s.log.Debug("job left to the process that holds the scheduler lease", "job", en.Job.Name(), "scheduled_for", scheduled)
		return
	}
	ctx := followup.WithFence(s.ctx, followup.Fence{Lease: followup.LeaseScheduler, Holder: s.holder, Term: lead.Term})
	run, err := s.run(ctx, en.Job, now, scheduled, lead.Term)
	if perr, ok := errors.AsType[*panicError](err); ok {
		panic(perr.value) // recorded; cron.Recover logs it and the scheduler goes on
	}
	if lost, ok := errors.AsType[*followup.LeaseLostError](err); ok {
		s.log.Warn("job run abandoned: the scheduler lease passed to another process", "job", run.Job, "scheduled_for", scheduled,
			"term", lead.Term, "holder_now", lost.Now.Holder, "term_now", lost.Now.Term)
		return
	}
	if err != nil {
		s.log.Error("job failed", "job", run.Job, "scheduled_for", scheduled, "err", err)
	}
}

// panicError is a panic turned into an error so that the run is recorded.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// run runs a job once as of now and records the run under term (0 for a run by hand); a panic
// is recorded as the run's error.
func (s *Scheduler) run(ctx context.Context, job Job, now, scheduled time.Time, term int64) (run followup.JobRun, err error) {
	run = followup.JobRun{Job: job.Name(), ScheduledFor: scheduled, StartedAt: s.clock.Now(), Holder: s.holder, Term: term}
	id, err := s.runs.StartJobRun(ctx, run)
	if err != nil {
		if _, ok := errors.AsType[*followup.LeaseLostError](err); ok {
			return run, err
		}
		return run, fmt.Errorf("record the start of %s: %w", run.Job, err)
	}
	run.ID = id
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{value: v, stack: debug.Stack()}
			s.log.Error("job panicked", "job", run.Job, "panic", v, "stack", string(err.(*panicError).stack))
		}
		if _, lost := errors.AsType[*followup.LeaseLostError](err); lost {
			run.Counts = nil // rolled back: nothing of what the job counted was written
		}
		run.FinishedAt = s.clock.Now()
		run.Error = ""
		if err != nil {
			run.Error = err.Error()
		}
		// Record the end even when ctx was cancelled by a shutdown, or the lease was lost.
		if ferr := s.runs.FinishJobRun(context.WithoutCancel(ctx), id, run.FinishedAt, run.Counts, err); ferr != nil {
			s.log.Error("record the end of a job run", "job", run.Job, "err", ferr)
		}
		s.log.Info("job run", "job", run.Job, "scheduled_for", scheduled, "duration", run.FinishedAt.Sub(run.StartedAt),
			"counts", run.Counts.String(), "term", term, "err", run.Error)
	}()
	run.Counts, err = job.Run(ctx, now)
	return run, err
}

// RunNow runs the named job as of now, whether enabled or not, and whether this process leads
// or not, and records the run with now as its scheduled time and term 0. It is what `followup
// jobs run`, "Run now" and tests call: the jobs' own idempotency (reminder marks, idempotency
// keys, one snapshot a day) keeps such a run from repeating what a scheduled one did.
func (s *Scheduler) RunNow(ctx context.Context, name string, now time.Time) (followup.JobRun, error) {
	en := s.entry(name)
	if en == nil {
		return followup.JobRun{}, followup.Errorf(followup.ENotFound, "no job named %q (jobs: %s)", name, s.names())
	}
	return s.run(followup.WithoutFence(ctx), en.Job, now, now, 0)
}

func (s *Scheduler) entry(name string) *entry {
	for _, en := range s.entries {
		if en.Job.Name() == name {
			return en
		}
	}
	return nil
}

func (s *Scheduler) names() string {
	var out string
	for i, en := range s.entries {
		if i > 0 {
			out += ", "
		}
		out += en.Job.Name()
	}
	return out
}

// Missed returns the latest activation of an enabled job's schedule after its last finished
// run and at or before now; ok is false when nothing was missed or the job never ran (a first
// start has nothing to catch up). A run that started and never finished (its process died)
// did not do its activation, which is therefore missed.
func (s *Scheduler) Missed(ctx context.Context, name string, now time.Time) (time.Time, bool, error) {
	en := s.entry(name)
	if en == nil || !en.Enabled {
		return time.Time{}, false, nil
	}
	last, ok, err := s.runs.LastFinishedJobRun(ctx, name)
	if err != nil || !ok {
		return time.Time{}, false, err
	}
	var missed time.Time
	t := last.ScheduledFor.In(s.loc)
	for i := 0; i < 100000; i++ {
		t = en.schedule.Next(t)
		if t.IsZero() || t.After(now) {
			break
		}
		missed = t
	}
	return missed, !missed.IsZero(), nil
}

// CatchUp runs once each enabled job whose schedule passed an activation since its last
// finished run, as of now, through the same chain as scheduled runs: only while this process
// holds the scheduler's lease (campaign calls it when it takes the lease). It returns the
// names of the jobs it asked to run.
func (s *Scheduler) CatchUp(ctx context.Context, now time.Time) ([]string, error) {
	var ran []string
	for _, en := range s.entries {
		if !s.Leadership().Leader {
			break
		}
		missed, ok, err := s.Missed(ctx, en.Job.Name(), now)
		if err != nil {
			return ran, err
		}
		if !ok {
			continue
		}
		s.log.Info("catching up a missed run", "job", en.Job.Name(), "missed", missed)
		en.catchUp.Store(&missed)
		s.cron.Entry(en.id).WrappedJob.Run()
		ran = append(ran, en.Job.Name())
	}
	return ran, nil
}

// Start starts the schedules and the lease loop: the jobs run in this process while it holds
// the scheduler's lease, and missed runs are caught up each time it takes the lease.
func (s *Scheduler) Start() {
	s.bg.Go(s.leadLoop)
	s.cron.Start()
}

// Stop stops the schedules, cancels the jobs' context, waits, at most until ctx ends, for
// running jobs to finish, and then releases the lease, so that another process takes over at
// once rather than when the lease would have expired.
func (s *Scheduler) Stop(ctx context.Context) error {
	stopped := s.cron.Stop()
	s.cancel()
	waited := make(chan struct{})
	go func() { s.bg.Wait(); close(waited) }()
	for _, done := range []<-chan struct{}{waited, stopped.Done()} {
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if lead := s.Leadership(); lead.Leader {
		if err := s.leases.ReleaseLease(context.WithoutCancel(ctx), followup.LeaseScheduler, s.holder); err != nil {
			s.log.Warn("release the scheduler lease", "err", err)
		}
		s.mu.Lock()
		s.term, s.until = 0, time.Time{}
		s.mu.Unlock()
	}
	return nil
}

// Status is a job's schedule and state, for `followup jobs list` and the admin pages.
type Status struct {
	Name    string
	Spec    string
	Enabled bool
	Next    time.Time // zero when disabled
	Last    *followup.JobRun
}

// Statuses lists the jobs with their next activation after now and their last run.
func (s *Scheduler) Statuses(ctx context.Context, now time.Time) ([]Status, error) {
	var out []Status
	for _, en := range s.entries {
		st := Status{Name: en.Job.Name(), Spec: en.Spec, Enabled: en.Enabled}
		if en.Enabled {
			st.Next = en.schedule.Next(now.In(s.loc))
		}
		last, ok, err := s.runs.LastJobRun(ctx, st.Name)
		if err != nil {
			return nil, err
		}
		if ok {
			st.Last = &last
		}
		out = append(out, st)
	}
	return out, nil
}

// cronLogger passes cron's messages to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}
