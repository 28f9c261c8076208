package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"followup/internal/config"
	"followup/internal/followup"
	"followup/internal/notify"
	"followup/internal/scheduler"
	"followup/internal/sqlstore"
	"followup/web"
)

// newRenderer parses the e-mail templates embedded in the binary.
func newRenderer(cfg config.Config) (*notify.Renderer, error) {
	return notify.NewRenderer(web.EmailFS, "templates/email", cfg.BaseURL)
}

// newScheduler builds the four jobs from the configuration. wake, if not nil, is called when a
// job has put messages in the outbox.
func newScheduler(cfg config.Config, store *sqlstore.Store, clock followup.Clock, log *slog.Logger, wake func()) (*scheduler.Scheduler, error) {
	r, err := newRenderer(cfg)
	if err != nil {
		return nil, err
	}
	jc := cfg.Jobs
	rules := followup.ReminderRules{DaysBefore: jc.Reminders.Days(), OverdueEvery: jc.Reminders.OverdueEveryDays,
		EscalateAfter: jc.Reminders.EscalateAfterDays}
	if err := rules.Validate(); err != nil {
		return nil, fmt.Errorf("jobs.reminders: %w", err)
	}
	loc := cfg.Location
	return scheduler.New(scheduler.Options{Runs: store, Leases: store, LeaseTTL: cfg.Scheduler.LeaseTTL, RenewEvery: cfg.Scheduler.LeaseRenew,
		Location: loc, Clock: clock, Logger: log, Entries: []scheduler.Entry{
			{Job: scheduler.Reminders{Store: store, Renderer: r, Rules: rules, Location: loc, Wake: wake}, Spec: jc.Reminders.Schedule, Enabled: jc.Reminders.Enabled},
			{Job: scheduler.Digest{Store: store, Renderer: r, Location: loc, Wake: wake}, Spec: jc.Digest.Schedule, Enabled: jc.Digest.Enabled},
			{Job: scheduler.Snapshot{Store: store, Location: loc}, Spec: jc.Snapshot.Schedule, Enabled: jc.Snapshot.Enabled},
			{Job: scheduler.Maintenance{Store: store, Dir: cfg.Backup.Dir, Keep: cfg.Backup.Keep, Location: loc, Suffix: scheduler.BackupSuffix(store.Engine())},
				Spec: jc.Maintenance.Schedule, Enabled: jc.Maintenance.Enabled},
		}})
}

// newDeliverer returns the outbox delivery, or nil when SMTP is off (smtp.host empty).
func newDeliverer(cfg config.Config, store *sqlstore.Store, clock followup.Clock, log *slog.Logger) (*notify.Deliverer, error) {
	if cfg.SMTP.Host == "" {
		return nil, nil
	}
	m, err := notify.NewSMTPMailer(notify.SMTPConfig{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, TLS: cfg.SMTP.TLS,
		User: cfg.SMTP.User, Password: cfg.SMTP.Password, From: cfg.SMTP.From})
	if err != nil {
		return nil, err
	}
	return &notify.Deliverer{Outbox: store, Mailer: m, Clock: clock, Logger: log}, nil
}

// startJobs starts the scheduler (with its catch-up of missed runs) and, when SMTP is on, the
// delivery loop; the returned function stops both, waiting for running jobs. The scheduler is
// returned too, for the administrators' jobs page.
func startJobs(cfg config.Config, store *sqlstore.Store, env environment, log *slog.Logger) (func(), *scheduler.Scheduler, error) {
	wake := make(chan struct{}, 1)
	poke := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	sched, err := newScheduler(cfg, store, env.clock, log, poke)
	if err != nil {
		return nil, nil, err
	}
	d, err := newDeliverer(cfg, store, env.clock, log)
	if err != nil {
		return nil, nil, err
	}
	sched.Start()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	if d != nil {
		log.Info("e-mail delivery on", "smtp", cfg.SMTP)
		go func() { defer close(done); d.Run(ctx, time.Minute, wake) }()
	} else {
		log.Info("e-mail delivery off (smtp.host is empty): messages stay in the outbox")
		close(done)
	}
	return func() {
		stopCtx, stop := context.WithTimeout(context.Background(), 30*time.Second)
		defer stop()
		if err := sched.Stop(stopCtx); err != nil {
			log.Warn("jobs still running at shutdown", "err", err)
		}
		cancel()
		<-done
	}, sched, nil
}

func runJobsList(ctx context.Context, args []string, env environment) error {
	cfg, store, err := newFlags("jobs list", env, false).open(ctx, args, env)
	if err != nil {
		return err
	}
	defer store.Close()
	sched, err := newScheduler(cfg, store, env.clock, cfg.NewLogger(env.stderr), nil)
	if err != nil {
		return err
	}
	sts, err := sched.Statuses(ctx, env.clock.Now())
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tSCHEDULE\tENABLED\tNEXT RUN\tLAST RUN\tDURATION\tCOUNTS\tERROR")
	for _, st := range sts {
		next, last, dur, counts, errText := "-", "never", "-", "-", ""
		if !st.Next.IsZero() {
			next = st.Next.In(cfg.Location).Format("2006-01-02 15:04 MST")
		}
		if st.Last != nil {
			last = st.Last.StartedAt.In(cfg.Location).Format("2006-01-02 15:04 MST")
			if !st.Last.FinishedAt.IsZero() {
				dur = st.Last.Duration().Round(time.Millisecond).String()
			} else {
				dur = "running"
			}
			counts = st.Last.Counts.String()
			errText = st.Last.Error
		}
		fmt.Fprintf(tw, "%s\t%s\t%t\t%s\t%s\t%s\t%s\t%s\n", st.Name, st.Spec, st.Enabled, next, last, dur, counts, errText)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// Which process runs the jobs on their schedules (several may serve the database).
	lease, ok, err := store.FindLease(ctx, followup.LeaseScheduler)
	switch now := env.clock.Now(); {
	case err != nil:
		return err
	case !ok:
		fmt.Fprintln(env.stdout, "scheduler lease: never taken (no followup serve has run on this database yet)")
	case lease.HeldBy(lease.Holder, now):
		fmt.Fprintf(env.stdout, "scheduler lease: held by %s, term %d, until %s unless renewed\n", lease.Holder, lease.Term,
			lease.Expires.In(cfg.Location).Format("2006-01-02 15:04:05 MST"))
	default:
		fmt.Fprintf(env.stdout, "scheduler lease: free (term %d ended; the next followup serve to ask takes it)\n", lease.Term)
	}
	return nil
}

func runJobsRun(ctx context.Context, args []string, env environment) error {
	f := newFlags("jobs run", env, false)
	at := f.fs.String("at", "", "run as of this instant (RFC 3339, e.g. 2025-06-30T08:00:00+02:00) instead of now")
	// The job's name comes first: "jobs run reminders --at ...".
	name := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	cfg, err := f.load(args, env)
	if err != nil {
		return err
	}
	if name == "" {
		return errors.New("jobs run: name the job: reminders, digest, snapshot or maintenance")
	}
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return fmt.Errorf("--at: %q is not an RFC 3339 instant such as 2025-06-30T08:00:00+02:00", *at)
		}
		env.clock = followup.FixedClock(t)
	}
	log := cfg.NewLogger(env.stderr)
	store, err := openStore(ctx, cfg, env) // after --at: the store's clock is env.clock
	if err != nil {
		return err
	}
	defer store.Close()
	sched, err := newScheduler(cfg, store, env.clock, log, nil)
	if err != nil {
		return err
	}
	run, err := sched.RunNow(ctx, name, env.clock.Now())
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.stdout, "%s as of %s: %s (%s)\n", run.Job, env.clock.Now().In(cfg.Location).Format(time.RFC3339),
		run.Counts, run.FinishedAt.Sub(run.StartedAt).Round(time.Millisecond))
	return nil
}

func runBackup(ctx context.Context, args []string, env environment) error {
	f := newFlags("backup", env, false)
	// The path may come first ("backup PATH --db ...") or after the flags.
	path := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		path, args = args[0], args[1:]
	}
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	if path == "" && f.fs.NArg() == 1 {
		path = f.fs.Arg(0)
	} else if f.fs.NArg() > 0 {
		return fmt.Errorf("backup: unexpected argument %q", f.fs.Arg(0))
	}
	if path == "" {
		return errors.New("backup: give the path of the backup file to write, e.g. followup backup data/backup.db")
	}
	cfg, err := f.load(nil, env)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, path); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "database %s backed up to %s\n", store.Describe(), path)
	return nil
}

func runOutboxDeliver(ctx context.Context, args []string, env environment) error {
	cfg, store, err := newFlags("outbox deliver", env, false).open(ctx, args, env)
	if err != nil {
		return err
	}
	defer store.Close()
	log := cfg.NewLogger(env.stderr)
	d, err := newDeliverer(cfg, store, env.clock, log)
	if err != nil {
		return err
	}
	if d == nil {
		return errors.New("outbox deliver: SMTP is off (smtp.host is empty): the messages stay in the outbox")
	}
	c, err := d.Pass(ctx)
	fmt.Fprintf(env.stdout, "sent %d, to retry %d, failed %d\n", c.Sent, c.Retried, c.Failed)
	return err
}

func runCalendarToken(ctx context.Context, args []string, env environment, revoke bool) error {
	name := "calendar-token create"
	if revoke {
		name = "calendar-token revoke"
	}
	f := newFlags(name, env, false)
	email := f.fs.String("email", "", "the user whose calendar feed it is")
	cfg, store, err := f.open(ctx, args, env)
	if err != nil {
		return err
	}
	defer store.Close()
	if revoke {
		n, err := store.RevokeCalendarTokens(system(ctx), *email)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(env.stdout, "revoked %d calendar token(s) of %s\n", n, *email)
		return nil
	}
	token, err := store.CreateCalendarToken(system(ctx), *email)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.stdout, "%s\nfeed: %s/api/v1/parties/{CODE}/deadlines.ics?token=%s\n", token, cfg.BaseURL, token)
	return nil
}
