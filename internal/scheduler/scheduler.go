// Package scheduler runs the tracker's scheduled jobs with robfig/cron/v3: in the configured
// time zone, with panics recovered and a job never started while its previous run goes on. Every
// run is recorded in the database, and runs missed while the server was down are caught up once
// at start. Each job is a plain Run(ctx, now) that tests and `followup jobs run` call directly.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
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
// @daily) and whether it runs.
type Entry struct {
	Job     Job
	Spec    string
	Enabled bool
}

// Options configure a scheduler.
type Options struct {
	Entries  []Entry
	Runs     followup.JobRunStore
	Location *time.Location
	Clock    followup.Clock
	Logger   *slog.Logger
}

// Scheduler runs the jobs on their schedules.
type Scheduler struct {
	runs    followup.JobRunStore
	loc     *time.Location
	clock   followup.Clock
	log     *slog.Logger
	cron    *cron.Cron
	entries []*entry
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}
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
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Clock == nil {
		opts.Clock = followup.SystemClock{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Scheduler{runs: opts.Runs, loc: opts.Location, clock: opts.Clock, log: opts.Logger, ctx: ctx, cancel: cancel}
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

// fire is what cron calls, through Recover and SkipIfStillRunning.
func (s *Scheduler) fire(en *entry) {
	now := s.clock.Now()
	scheduled := now.Truncate(time.Minute)
	if p := en.catchUp.Swap(nil); p != nil {
		scheduled = *p
	}
	run, err := s.run(s.ctx, en.Job, now, scheduled)
	if perr, ok := errors.AsType[*panicError](err); ok {
		panic(perr.value) // recorded; cron.Recover logs it and the scheduler goes on
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

// run runs a job once as of now and records the run; a panic is recorded as the run's error.
func (s *Scheduler) run(ctx context.Context, job Job, now, scheduled time.Time) (run followup.JobRun, err error) {
	run = followup.JobRun{Job: job.Name(), ScheduledFor: scheduled, StartedAt: s.clock.Now()}
	id, err := s.runs.StartJobRun(ctx, run.Job, scheduled, run.StartedAt)
	if err != nil {
		return run, fmt.Errorf("record the start of %s: %w", run.Job, err)
	}
	run.ID = id
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{value: v, stack: debug.Stack()}
			s.log.Error("job panicked", "job", run.Job, "panic", v, "stack", string(err.(*panicError).stack))
		}
		run.FinishedAt = s.clock.Now()
		run.Error = ""
		if err != nil {
			run.Error = err.Error()
		}
		// Record the end even when ctx was cancelled by a shutdown.
		if ferr := s.runs.FinishJobRun(context.WithoutCancel(ctx), id, run.FinishedAt, run.Counts, err); ferr != nil {
			s.log.Error("record the end of a job run", "job", run.Job, "err", ferr)
		}
		s.log.Info("job run", "job", run.Job, "scheduled_for", scheduled, "duration", run.FinishedAt.Sub(run.StartedAt),
			"counts", run.Counts.String(), "err", run.Error)
	}()
	run.Counts, err = job.Run(ctx, now)
	return run, err
}

// RunNow runs the named job as of now, whether enabled or not, and records the run with now as
// its scheduled time. It is what `followup jobs run` and tests call.
func (s *Scheduler) RunNow(ctx context.Context, name string, now time.Time) (followup.JobRun, error) {
	en := s.entry(name)
	if en == nil {
		return followup.JobRun{}, followup.Errorf(followup.ENotFound, "no job named %q (jobs: %s)", name, s.names())
	}
	return s.run(ctx, en.Job, now, now)
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

// Missed returns the latest activation of an enabled job's schedule after its last recorded
// run and at or before now; ok is false when nothing was missed or the job never ran (a first
// start has nothing to catch up).
func (s *Scheduler) Missed(ctx context.Context, name string, now time.Time) (time.Time, bool, error) {
	en := s.entry(name)
	if en == nil || !en.Enabled {
		return time.Time{}, false, nil
	}
	last, ok, err := s.runs.LastJobRun(ctx, name)
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
// recorded run (the server was down), as of now, through the same chain as scheduled runs. It
// returns the names of the jobs it ran.
func (s *Scheduler) CatchUp(ctx context.Context, now time.Time) ([]string, error) {
	var ran []string
	for _, en := range s.entries {
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

// Start catches up missed runs in the background and starts the schedules.
func (s *Scheduler) Start() {
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		if _, err := s.CatchUp(s.ctx, s.clock.Now()); err != nil && s.ctx.Err() == nil {
			s.log.Error("catch up missed job runs", "err", err)
		}
	}()
	s.cron.Start()
}

// Stop stops the schedules, cancels the jobs' context and waits, at most until ctx ends, for
// running jobs to finish.
func (s *Scheduler) Stop(ctx context.Context) error {
	stopped := s.cron.Stop()
	s.cancel()
	if s.done != nil {
		select {
		case <-s.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	select {
	case <-stopped.Done():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
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
