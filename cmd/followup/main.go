// Command followup is the Follow-up Tracker: one binary that serves the web application and
// API and runs the maintenance commands. It only wires the packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the configured time zone must load even on a machine without zoneinfo

	"followup/internal/config"
	"followup/internal/followup"
	"followup/internal/postgres"
	"followup/internal/sqlite"
	"followup/internal/sqlstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, environ: os.Environ(), clock: followup.SystemClock{}}
	if err := run(ctx, os.Args[1:], env); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "followup:", err)
		os.Exit(1)
	}
}

// environment is what a command may touch of the outside world; tests give their own.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	environ        []string
	clock          followup.Clock
	passwordCost   int // bcrypt cost; zero for bcrypt's default (tests lower it)
}

const usage = `Follow-up Tracker: recommendations of a monitoring committee and each Party's follow-up.

Usage: followup COMMAND [flags]

Commands:
  serve            serve the web application and the JSON API (flags: --listen, --demo)
  migrate          apply pending database migrations
  seed             load the Parties, the reports and the demo users (idempotent)
  user create      create a user: --email --name --role [--party CODE] [--organisation NAME] [--password-stdin]
  user list        list users
  token create     create an API token for a user: --email [--name]
  jobs list        list the scheduled jobs: schedule, next run, last run
  jobs run NAME    run a job now (reminders, digest, snapshot, maintenance); --at RFC3339 stands for now
  backup PATH      write a consistent copy of the database to PATH
  outbox deliver   send the pending e-mails once (needs smtp.host)
  calendar-token create|revoke --email E   the secret token of a user's deadlines.ics feed
  export           export a report's compliance or a Party's dossier: report SLUG | party CODE --format csv|xlsx|pdf|json -o FILE
  import           import recommendations or assessments (--report SLUG FILE) or parties (FILE) from CSV/XLSX [--dry-run], or write a template

Every command takes --config PATH (default ./config.yaml when present) and --db PATH.
Run "followup COMMAND --help" for a command's flags.
`

func run(ctx context.Context, args []string, env environment) error {
	if len(args) == 0 {
		fmt.Fprint(env.stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	if (cmd == "user" || cmd == "token" || cmd == "jobs" || cmd == "outbox" || cmd == "calendar-token") && len(rest) > 0 {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, rest, env)
	case "migrate":
		return runMigrate(ctx, rest, env)
	case "seed":
		return runSeed(ctx, rest, env)
	case "user create":
		return runUserCreate(ctx, rest, env)
	case "user list":
		return runUserList(ctx, rest, env)
	case "token create":
		return runTokenCreate(ctx, rest, env)
	case "export":
		return runExport(ctx, rest, env)
	case "import":
		return runImport(ctx, rest, env)
	case "jobs list":
		return runJobsList(ctx, rest, env)
	case "jobs run":
		return runJobsRun(ctx, rest, env)
	case "backup":
		return runBackup(ctx, rest, env)
	case "outbox deliver":
		return runOutboxDeliver(ctx, rest, env)
	case "calendar-token create":
		return runCalendarToken(ctx, rest, env, false)
	case "calendar-token revoke":
		return runCalendarToken(ctx, rest, env, true)
	case "help", "-h", "--help":
		fmt.Fprint(env.stdout, usage)
		return nil
	}
	fmt.Fprint(env.stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// commonFlags are the flags every command takes.
type commonFlags struct {
	fs         *flag.FlagSet
	configPath string
	db         string
	listen     string
}

func newFlags(name string, env environment, withListen bool) *commonFlags {
	f := &commonFlags{fs: flag.NewFlagSet("followup "+name, flag.ContinueOnError)}
	f.fs.SetOutput(env.stderr)
	f.fs.StringVar(&f.configPath, "config", "", "configuration file (default ./config.yaml when present)")
	f.fs.StringVar(&f.db, "db", "", "SQLite database file (overrides database in the configuration)")
	if withListen {
		f.fs.StringVar(&f.listen, "listen", "", "address to listen on, host:port (overrides listen)")
	}
	return f
}

// load parses the flags and loads the configuration: file, then FOLLOWUP_* variables, then flags.
func (f *commonFlags) load(args []string, env environment) (config.Config, error) {
	if err := f.fs.Parse(args); err != nil {
		return config.Config{}, err
	}
	if f.fs.NArg() > 0 {
		return config.Config{}, fmt.Errorf("unexpected argument %q", f.fs.Arg(0))
	}
	overrides := map[string]string{}
	f.fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "db":
			overrides["database"] = f.db
		case "listen":
			overrides["listen"] = f.listen
		}
	})
	cfg, err := config.Load(f.configPath, env.environ, overrides)
	if err != nil {
		return cfg, fmt.Errorf("configuration: %w", err)
	}
	return cfg, nil
}

// open loads the configuration and opens its database; the caller closes the store.
func (f *commonFlags) open(ctx context.Context, args []string, env environment) (config.Config, *sqlstore.Store, error) {
	cfg, err := f.load(args, env)
	if err != nil {
		return cfg, nil, err
	}
	store, err := openStore(ctx, cfg, env)
	return cfg, store, err
}

// openStore opens the database named by the configuration, applying pending migrations: a
// postgres:// or postgresql:// URL is a PostgreSQL database, anything else an SQLite file.
func openStore(ctx context.Context, cfg config.Config, env environment) (*sqlstore.Store, error) {
	opts := sqlstore.Options{Clock: env.clock, Location: cfg.Location, Logger: cfg.NewLogger(env.stderr),
		PasswordCost: env.passwordCost, NextDueAfter: cfg.FollowUp.NextDueAfter}
	if postgres.IsURL(cfg.Database) {
		return postgres.Open(ctx, cfg.Database, opts)
	}
	return sqlite.Open(ctx, cfg.Database, opts)
}

// system returns a context in which the program acts as itself (console commands).
func system(ctx context.Context) context.Context {
	return followup.WithActor(ctx, followup.SystemActor)
}
