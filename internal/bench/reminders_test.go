package bench

import (
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/notify"
	"followup/internal/postgres"
	"followup/internal/sqlite"
	"followup/internal/sqlstore"
)

// remindersDay0 is the day of the first, big run of BenchmarkRemindersJob: every follow-up of
// the data set is due by then (the latest due date is a year earlier), so that run marks the
// whole backlog; the benchmark then times the following days.
var remindersDay0 = followup.MustDate("2026-11-28")

// rawReminderCandidates is the ceiling of a reminders run: the candidate query of the brute-force
// rule (every open follow-up that has not answered since its latest adoption and is due by
// today + the rules' lead, with the last points sent to each audience), read to its end with
// nothing decided, rendered or written.
const rawReminderCandidates = `SELECT f.id, f.recommendation_id, f.party_code, coalesce(c.due_on, r.followup_due_on), f.status_adopted_on,
		mp.due_on, mp.point_on, ms.due_on, ms.point_on
	FROM followups f
	JOIN recommendations c ON c.id = f.recommendation_id
	JOIN reports r ON r.id = c.report_id
	LEFT JOIN reminder_marks mp ON mp.followup_id = f.id AND mp.audience = 'party'
	LEFT JOIN reminder_marks ms ON ms.followup_id = f.id AND ms.audience = 'secretariat'
	WHERE f.active = TRUE AND r.archived = FALSE AND c.archived = FALSE
		AND (f.status IS NULL OR f.status NOT IN ('implemented', 'not_applicable'))
		AND f.submitted_since_adoption = FALSE
		AND coalesce(c.due_on, r.followup_due_on) <= ?`

// BenchmarkRemindersJob: the reminders job (the store's EnqueueReminders with the real e-mail
// renderer and the default rules) over the whole data set, on a private copy of it with one user
// per Party and one Secretariat user, so that every point reached is sent and marked. The first
// run, on remindersDay0, marks the backlog and is reported once as backlog-ms (with its
// backlog-items); each timed op is then the run of the next day — a steady day, when about a
// seventh of the overdue follow-ups reach their next weekly point — against the ceiling: the
// brute-force candidate query alone (rawReminderCandidates), which the job before the
// reminder_wake schedule (migration 0005) ran every day in full.
//
// Once per engine (see forEachEngine); on PostgreSQL the private copy is a database made from
// the kept copy of the data set as its template, dropped at the end.
func BenchmarkRemindersJob(b *testing.B) {
	forEachEngine(b, benchRemindersJob)
}

func benchRemindersJob(b *testing.B, e benchEngine) {
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	opts := sqlstore.Options{Location: time.UTC, PasswordCost: bcrypt.MinCost,
		Clock: followup.FixedClock(remindersDay0.Time().Add(8 * time.Hour))}
	var s *sqlstore.Store
	var raw *sql.DB
	var err error
	if e.name == "postgres" {
		s, raw = remindersPGCopy(b, ctx, opts)
	} else {
		src := benchDBPath(b)
		dir := b.TempDir()
		path := filepath.Join(dir, "reminders.db")
		for _, suffix := range []string{"", "-wal"} {
			if err := copyFile(src+suffix, path+suffix); err != nil && !(suffix != "" && os.IsNotExist(err)) {
				b.Fatal(err)
			}
		}
		s, err = sqlite.Open(ctx, path, opts)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		raw, err = sql.Open("sqlite3", "file:"+path+"?_query_only=true&_busy_timeout=10000")
		if err != nil {
			b.Fatal(err)
		}
		defer raw.Close()
	}
	if err := addReminderRecipients(ctx, s); err != nil {
		b.Fatal(err)
	}
	r, err := notify.NewRenderer(os.DirFS(filepath.Join("..", "..", "web")), "templates/email", "https://tracker.example.org")
	if err != nil {
		b.Fatal(err)
	}
	rules := followup.DefaultReminderRules()

	start := time.Now()
	backlog, err := s.EnqueueReminders(ctx, remindersDay0, rules, r)
	if err != nil {
		b.Fatal(err)
	}
	backlogTime := time.Since(start)
	if e.name == "postgres" {
		// The backlog run rewrote every row of reminder_wake and filled reminder_marks; the
		// statistics of the copy still describe the data set before it (every wake day due), and
		// the planner then joins every follow-up. Autovacuum analyses the tables within a minute
		// of such a change, long before the next day's run: the steady days are measured so.
		if _, err := raw.ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}

	day := remindersDay0
	items, runs := 0, 0
	measure(b, func() error {
		day = day.AddDays(1)
		c, err := s.EnqueueReminders(ctx, day, rules, r)
		items += c.Items
		runs++
		return err
	}, func() error {
		return rawReminderRows(ctx, raw, e.q(rawReminderCandidates), day.AddDays(rules.Lead()))
	})
	b.ReportMetric(float64(backlogTime.Milliseconds()), "backlog-ms")
	b.ReportMetric(float64(backlog.Items), "backlog-items")
	b.ReportMetric(float64(items)/float64(max(runs, 1)), "items/op")
}

// addReminderRecipients gives every Party one user and adds a Secretariat user, unless the data
// set has users already (the synthetic one has none).
func addReminderRecipients(ctx context.Context, s *sqlstore.Store) error {
	users, err := s.ListUsers(ctx)
	if err != nil || len(users) > 0 {
		return err
	}
	parties, err := s.ListParties(ctx)
	if err != nil {
		return err
	}
	in := []followup.UserInput{{Email: "secretariat@bench.example", Name: "Secretariat", Role: followup.RoleSecretariat}}
	for _, p := range parties {
		in = append(in, followup.UserInput{Email: "desk-" + p.Code + "@bench.example", Name: "Desk " + p.Code, Role: followup.RoleParty, Party: p.Code})
	}
	for _, u := range in {
		u.Password = "a long enough password"
		if _, err := s.CreateUser(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// rawReminderRows reads every row of rawReminderCandidates, each column as raw bytes.
func rawReminderRows(ctx context.Context, db *sql.DB, query string, dueBy followup.Date) error {
	rows, err := db.QueryContext(ctx, query, dueBy.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	cols := make([]sql.RawBytes, 9)
	dest := make([]any, len(cols))
	for i := range cols {
		dest[i] = &cols[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
	}
	return rows.Err()
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// remindersPGCopy makes a private PostgreSQL copy of the data set for the reminders job (the
// job writes), opens a store and a raw pool on it, and drops it when the benchmark ends.
func remindersPGCopy(b *testing.B, ctx context.Context, opts sqlstore.Options) (*sqlstore.Store, *sql.DB) {
	benchPGStore(b) // the kept copy exists
	closePGShared() // CREATE DATABASE ... TEMPLATE wants no connection on the template
	server := os.Getenv(benchPGVar)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		b.Fatal(err)
	}
	name := benchPGName + "_reminders"
	if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+benchPGName); err != nil {
		b.Fatal(err)
	}
	b.Logf("copied %s to %s in %s", benchPGName, name, time.Since(start).Round(time.Millisecond))
	u := pgDatabaseURL(server, name)
	s, err := postgres.Open(ctx, u, opts)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := sql.Open("pgx", u)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		raw.Close()
		s.Close()
		_, _ = admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		admin.Close()
	})
	return s, raw
}
