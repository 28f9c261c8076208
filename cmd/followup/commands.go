package main

import (
	"bufio"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"followup/internal/config"
	"followup/internal/export"
	"followup/internal/followup"
	"followup/internal/seed"
	"followup/internal/server"
	"followup/internal/sniff"
	"followup/internal/sqlstore"
)

func runMigrate(ctx context.Context, args []string, env environment) error {
	_, store, err := newFlags("migrate", env, false).open(ctx, args, env)
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(env.stdout, "database %s is up to date\n", store.Describe())
	return nil
}

func seedServices(store *sqlstore.Store, cfg config.Config, env environment) seed.Services {
	return seed.Services{Parties: store, Reports: store, FollowUps: store, Users: store, Clock: env.clock, Location: cfg.Location}
}

func runSeed(ctx context.Context, args []string, env environment) error {
	f := newFlags("seed", env, false)
	synthetic := f.fs.Bool("synthetic", false, "load a synthetic data set for benchmarks into an empty database instead")
	var so seed.SyntheticOptions
	f.fs.IntVar(&so.Parties, "parties", 200, "with --synthetic: number of Parties")
	f.fs.IntVar(&so.Reports, "reports", 50, "with --synthetic: number of reports")
	f.fs.IntVar(&so.RecommendationsPerReport, "recommendations-per-report", 40, "with --synthetic: recommendations per report")
	f.fs.Uint64Var(&so.Seed, "seed", 1, "with --synthetic: seed of the pseudo-random choices (same flags, same data)")
	cfg, store, err := f.open(ctx, args, env)
	if err != nil {
		return err
	}
	defer store.Close()
	if *synthetic {
		return seedSynthetic(ctx, store, so, env)
	}
	res, err := seed.Load(ctx, seedServices(store, cfg, env))
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if res.Empty() {
		fmt.Fprintln(env.stdout, "seed data already loaded: nothing changed")
		return nil
	}
	fmt.Fprintf(env.stdout, "seed data loaded: %s\n", res)
	return nil
}

func runServe(ctx context.Context, args []string, env environment) error {
	f := newFlags("serve", env, true)
	demo := f.fs.Bool("demo", false, "load the demo data when the database is empty and print the demo logins")
	cfg, store, err := f.open(ctx, args, env)
	if err != nil {
		return err
	}
	defer store.Close()
	log := cfg.NewLogger(env.stderr)
	stopJobs, sched, err := startJobs(cfg, store, env, log) // scheduler and e-mail delivery: jobs.go
	if err != nil {
		return err
	}
	defer stopJobs()
	if *demo {
		if err := loadDemo(ctx, store, cfg, env); err != nil {
			return err
		}
	}
	svc := store.Services()
	svc.Jobs, svc.Exporter, svc.Parser, svc.Detector = sched, export.Encoder{}, newParser(cfg), sniff.Detector{}
	srv, err := server.New(server.Options{Logger: log, Services: svc,
		Web: server.WebOptions{IdleTimeout: cfg.Session.IdleTimeout,
			Lifetime: cfg.Session.Lifetime, BaseURL: cfg.BaseURL, TrustedProxies: cfg.HTTP.ProxyList()},
		Clock: env.clock, Location: cfg.Location, Engine: store.Engine(), Replica: sched.Holder(),
		NextDueAfter: cfg.FollowUp.NextDueAfter,
		Exports:      server.ExportLimits{PerClient: cfg.Export.MaxPerClient, Total: cfg.Export.MaxConcurrent}})
	if err != nil {
		return err
	}
	httpServer := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	fmt.Fprintf(env.stdout, "Follow-up Tracker serving on http://%s (public URL %s, database %s, time zone %s)\n",
		ln.Addr(), cfg.BaseURL, store.Describe(), cfg.Timezone)
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadDemo loads the seed data into an empty database and prints the demo logins.
func loadDemo(ctx context.Context, store *sqlstore.Store, cfg config.Config, env environment) error {
	parties, err := store.ListParties(ctx)
	if err != nil {
		return err
	}
	if len(parties) == 0 {
		res, err := seed.Load(ctx, seedServices(store, cfg, env))
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		fmt.Fprintf(env.stdout, "Demo data loaded into the empty database: %s\n", res)
	}
	fmt.Fprintln(env.stdout, "Demo logins (demo data only; change them before real use):")
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  ROLE\tPARTY\tE-MAIL\tPASSWORD\tAPI TOKEN")
	for _, l := range seed.Logins() {
		party := l.Party
		if party == "" {
			party = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", l.Role, party, l.Email, l.Password, l.Token)
	}
	return tw.Flush()
}

func runUserCreate(ctx context.Context, args []string, env environment) error {
	f := newFlags("user create", env, false)
	email := f.fs.String("email", "", "e-mail address (the login)")
	name := f.fs.String("name", "", "full name")
	role := f.fs.String("role", "", "admin, secretariat, rapporteur, party or stakeholder")
	party := f.fs.String("party", "", "the Party a party user speaks for (ISO code)")
	organisation := f.fs.String("organisation", "", "the organisation a stakeholder speaks for")
	fromStdin := f.fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	_, store, err := f.open(ctx, args, env)
	if err != nil {
		return err
	}
	defer store.Close()
	password, generated := "", false
	if *fromStdin {
		line, err := bufio.NewReader(env.stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("--password-stdin: no password on standard input")
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		b := make([]byte, 15)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		password, generated = base64.RawURLEncoding.EncodeToString(b), true
	}
	u, err := store.CreateUser(system(ctx), followup.UserInput{Email: *email, Name: *name, Role: followup.Role(*role), Party: *party,
		Organisation: *organisation, Password: password})
	if followup.ErrorField(err) == "password" {
		return fmt.Errorf("--password-stdin: %s", followup.ErrorMessage(err))
	}
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.stdout, "created %s user %s (%s)", u.Role, u.Email, u.Name)
	if u.Party != "" {
		fmt.Fprintf(env.stdout, " for %s", u.Party)
	}
	if u.Organisation != "" {
		fmt.Fprintf(env.stdout, " for %s", u.Organisation)
	}
	fmt.Fprintln(env.stdout)
	if generated {
		fmt.Fprintf(env.stdout, "password: %s\n(shown once: pass it on safely)\n", password)
	}
	return nil
}

func runUserList(ctx context.Context, args []string, env environment) error {
	_, store, err := newFlags("user list", env, false).open(ctx, args, env)
	if err != nil {
		return err
	}
	defer store.Close()
	users, err := store.ListUsers(system(ctx))
	if err != nil {
		return describe(err)
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "E-MAIL\tNAME\tROLE\tPARTY OR ORGANISATION\tACTIVE")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%t\n", u.Email, u.Name, u.Role, cmp.Or(u.Party, u.Organisation), u.Active)
	}
	return tw.Flush()
}

func runTokenCreate(ctx context.Context, args []string, env environment) error {
	f := newFlags("token create", env, false)
	email := f.fs.String("email", "", "the user the token acts for")
	name := f.fs.String("name", "cli", "a name to recognise the token by")
	_, store, err := f.open(ctx, args, env)
	if err != nil {
		return err
	}
	defer store.Close()
	token, err := store.CreateToken(system(ctx), *email, *name, "")
	if err != nil {
		return describe(err)
	}
	fmt.Fprintln(env.stdout, token)
	return nil
}

// describe turns a domain error into a message that names the flag at fault.
func describe(err error) error {
	if field := followup.ErrorField(err); field != "" {
		return fmt.Errorf("--%s: %s", field, followup.ErrorMessage(err))
	}
	return err
}
