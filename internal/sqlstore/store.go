// Package sqlstore implements the domain's services over database/sql, once for both engines:
// SQLite (package sqlite) and PostgreSQL (package postgres). The SQL here is written once, with
// "?" placeholders that an engine rewrites for its driver; whatever differs between the engines
// (connections, the serialisation of writes, migrations, backups, a few statements) is behind
// the Engine interface, which those packages implement.
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"followup/internal/followup"
)

// Engine is what differs between the database engines under the store.
type Engine interface {
	// Name is "sqlite" or "postgres".
	Name() string
	// Writer is the pool write transactions run on; Reader the pool reads run on (the same pool
	// where the engine needs no split).
	Writer() *sql.DB
	Reader() *sql.DB
	// Rebind rewrites a statement written with "?" placeholders for the engine's driver.
	Rebind(query string) string
	// BeginWrite starts a write transaction that no other write transaction, of this process or
	// another one on the same database, runs alongside: the store's rules read, decide and write
	// in one transaction and rely on seeing every write committed before it began.
	BeginWrite(ctx context.Context) (*sql.Tx, error)
	// Translate turns the driver's constraint violations into domain errors.
	Translate(err error) error
	// Migrations holds the engine's numbered migrations, NNNN_name.sql, at its root.
	Migrations() fs.FS
	// IDSet is a subquery yielding the ids of a JSON array of integers given as its one
	// parameter, with the column name "value".
	IDSet() string
	// SkipLocked ends a SELECT that picks rows to update so that it passes over the rows other
	// transactions hold locked (" FOR UPDATE SKIP LOCKED"), or is "" where writes never run
	// side by side.
	SkipLocked() string
	// Backup writes a consistent copy of the database to path, which must not exist.
	Backup(ctx context.Context, path string) error
	// Optimize refreshes the query planner's statistics.
	Optimize(ctx context.Context) error
	// IntegrityCheck returns "ok" when the database is sound, else what is wrong.
	IntegrityCheck(ctx context.Context) (string, error)
	// Describe names the database for messages (a path, or host:port/name), never a password.
	Describe() string
	// FullText is the engine's full-text index of the recommendations (search.go).
	FullText() FullText
	Close() error
}

// Options configure a store.
type Options struct {
	Clock    followup.Clock
	Location *time.Location // the zone in which "today" is reckoned
	Logger   *slog.Logger
	// PasswordCost is the bcrypt cost of password hashes; bcrypt's default when zero. Tests
	// lower it, since each hash at the default cost takes tens of milliseconds by design.
	PasswordCost int
	// NextDueAfter is how long after an adoption that leaves a follow-up open, and gives no
	// date, the follow-up is due again; followup.DefaultNextDueAfter (12 months) when zero.
	NextDueAfter followup.Period
}

// Store implements the domain services on an engine.
type Store struct {
	eng    Engine
	writer *sql.DB
	reader pool
	clock  followup.Clock
	loc    *time.Location
	log    *slog.Logger
	cost   int
	// nextDueAfter: see Options.NextDueAfter.
	nextDueAfter followup.Period

	facts     factsCache // the follow-ups' facts of the search's facets (search_facts.go)
	dummyOnce sync.Once  // see dummyHash
	dummy     []byte
	rebound   sync.Map // query → the engine's form of it
}

// Compile-time checks that the store implements every service.
var (
	_ followup.PartyService      = (*Store)(nil)
	_ followup.ReportService     = (*Store)(nil)
	_ followup.FollowUpService   = (*Store)(nil)
	_ followup.ComplianceService = (*Store)(nil)
	_ followup.UserService       = (*Store)(nil)
	_ followup.AuditService      = (*Store)(nil)
	_ followup.LeaseService      = (*Store)(nil)
)

// New opens a store on an engine and applies pending migrations. The store owns the engine
// from then on: Close closes it, and so does a failed New.
func New(ctx context.Context, eng Engine, opts Options) (*Store, error) {
	if opts.Clock == nil {
		opts.Clock = followup.SystemClock{}
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.NextDueAfter.IsZero() {
		opts.NextDueAfter = followup.DefaultNextDueAfter
	}
	s := &Store{eng: eng, writer: eng.Writer(), clock: opts.Clock, loc: opts.Location, log: opts.Logger, cost: opts.PasswordCost,
		nextDueAfter: opts.NextDueAfter}
	s.reader = pool{eng.Reader(), s}
	if err := s.migrate(ctx); err != nil {
		eng.Close()
		return nil, err
	}
	if err := s.write(ctx, func(tx *Tx) error { return eng.FullText().Ensure(ctx, tx.Tx) }); err != nil {
		eng.Close()
		return nil, fmt.Errorf("%s: full-text index: %w", eng.Name(), err)
	}
	return s, nil
}

// Services returns the services the store implements; Jobs, Exporter, Parser and Detector are
// left to the caller.
func (s *Store) Services() followup.Services {
	return followup.Services{Parties: s, Reports: s, FollowUps: s, Compliance: s, Versions: s, Users: s, Audit: s,
		Auth: s, Queue: s, Dossiers: s, Imports: s, Outbox: s, Calendar: s, Sessions: s.Sessions(), Throttle: s, Evidence: s, Uploads: s}
}

var _ followup.Store = (*Store)(nil)

// Close closes the engine's pools.
func (s *Store) Close() error { return s.eng.Close() }

// Engine returns the name of the store's engine ("sqlite", "postgres").
func (s *Store) Engine() string { return s.eng.Name() }

// Describe names the database (a path, or host:port/name; never a password).
func (s *Store) Describe() string { return s.eng.Describe() }

// Migrate applies pending migrations; New does it too, so this is for `followup migrate`.
// It returns the versions applied.
func (s *Store) Migrate(ctx context.Context) ([]int, error) { return s.applyMigrations(ctx) }

func (s *Store) migrate(ctx context.Context) error {
	applied, err := s.applyMigrations(ctx)
	for _, v := range applied {
		s.log.Info("migration applied", "version", v)
	}
	return err
}

// migration is one numbered migration file.
type migration struct {
	version int
	name    string
}

// migrations lists the engine's migrations in order.
func migrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration file %q is not named NNNN_name.sql", e.Name())
		}
		ms = append(ms, migration{v, e.Name()})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// applyMigrations applies each pending migration in a write transaction of its own, which
// serialises it with every other write, so that several processes starting at once on one
// database apply each migration once: the others find it recorded.
func (s *Store) applyMigrations(ctx context.Context) ([]int, error) {
	err := s.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: create schema_migrations: %w", s.eng.Name(), err)
	}
	ms, err := migrations(s.eng.Migrations())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.eng.Name(), err)
	}
	var done []int
	for _, m := range ms {
		body, err := fs.ReadFile(s.eng.Migrations(), m.name)
		if err != nil {
			return done, err
		}
		err = s.write(ctx, func(tx *Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return errSkip
			}
			// The body goes to the driver as it is: it holds several statements and no parameters.
			if _, err := tx.Tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("%s: migration %s: %w", s.eng.Name(), m.name, err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, s.stamp())
			return err
		})
		if errors.Is(err, errSkip) {
			continue
		}
		if err != nil {
			return done, err
		}
		done = append(done, m.version)
	}
	return done, nil
}

// SchemaVersion returns the highest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.reader.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// errSkip rolls a transaction back without it being a failure.
var errSkip = errors.New("skip")

// Tx is a write transaction of the store: statements are written with "?" placeholders and
// rebound for the engine.
type Tx struct {
	*sql.Tx
	s *Store
	// changed is set when the transaction changed the data the domain reads (it wrote an audit
	// entry): the data version is bumped at commit, which invalidates cached summaries.
	changed bool
	stmts   map[string]*sql.Stmt // prepared statements, when cached (cacheStatements)
}

// ExecContext runs a statement in the transaction.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.cached(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, t.s.q(query), args...)
}

// QueryContext runs a query in the transaction.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.cached(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, t.s.q(query), args...)
}

// QueryRowContext runs a query of one row in the transaction.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.cached(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, t.s.q(query), args...)
}

// cacheStatements makes the transaction prepare each statement once and keep it until it
// ends, for transactions that run the same few statements thousands of times (an import): an
// SQLite statement is otherwise compiled again at each call, which costs more than running it.
func (t *Tx) cacheStatements() { t.stmts = map[string]*sql.Stmt{} }

// cached returns the prepared form of a statement when the transaction caches them, else nil
// (a statement that fails to prepare runs unprepared, to report its error the usual way).
func (t *Tx) cached(ctx context.Context, query string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	if st, ok := t.stmts[query]; ok {
		return st
	}
	st, err := t.Tx.PrepareContext(ctx, t.s.q(query))
	if err != nil {
		return nil
	}
	t.stmts[query] = st // closed with the transaction
	return st
}

// PrepareContext prepares a statement in the transaction.
func (t *Tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.Tx.PrepareContext(ctx, t.s.q(query))
}

// pool is the reader pool with the store's placeholders.
type pool struct {
	*sql.DB
	s *Store
}

func (p pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.DB.QueryContext(ctx, p.s.q(query), args...)
}

func (p pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.DB.QueryRowContext(ctx, p.s.q(query), args...)
}

// q returns the engine's form of a statement, rewritten once.
func (s *Store) q(query string) string {
	if v, ok := s.rebound.Load(query); ok {
		return v.(string)
	}
	r := s.eng.Rebind(query)
	s.rebound.Store(query, r)
	return r
}

type txKey struct{}

// InTransaction runs fn in one write transaction: every write of the store's services that fn
// makes with the context it is given joins that transaction, so that all of them are committed
// together when fn returns nil, or none when it fails. For loads of many rows (the synthetic
// data set), which then cost one commit instead of one per row, through the same write code.
func (s *Store) InTransaction(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.write(ctx, func(tx *Tx) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// write runs fn in one write transaction: committed when fn returns nil, rolled back otherwise.
// Within InTransaction it joins the enclosing transaction instead. When ctx carries a fence
// (followup.WithFence), the transaction commits only while the fence's lease and term hold.
func (s *Store) write(ctx context.Context, fn func(tx *Tx) error) error {
	if outer, ok := ctx.Value(txKey{}).(*Tx); ok && outer.s == s {
		return fn(outer)
	}
	raw, err := s.eng.BeginWrite(ctx)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", s.eng.Name(), err)
	}
	tx := &Tx{Tx: raw, s: s}
	if err := fn(tx); err != nil {
		_ = raw.Rollback()
		return s.eng.Translate(err)
	}
	// Last, so that nothing the transaction does can come after the check (lease.go).
	if err := s.checkFence(ctx, tx); err != nil {
		_ = raw.Rollback()
		return err
	}
	if tx.changed {
		if _, err := tx.ExecContext(ctx, `UPDATE data_version SET version = version + 1 WHERE id = 1`); err != nil {
			_ = raw.Rollback()
			return fmt.Errorf("%s: data version: %w", s.eng.Name(), err)
		}
	}
	if err := raw.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", s.eng.Name(), err)
	}
	return nil
}

// DataVersion returns a number that every committed change of the data (every write with an
// audit entry) increases, by any process on the database: a summary computed at one version is
// still right as long as the version is the same.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.reader.QueryRowContext(ctx, `SELECT version FROM data_version WHERE id = 1`).Scan(&v)
	return v, err
}

// queryer is what reads need: the reader pool, or a write transaction when a write reads back.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanner is one row: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// queryAll runs a query and scans every row with scan; an empty result is an empty slice, so
// that it is written as [] rather than null.
func queryAll[T any](ctx context.Context, q queryer, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func scanString(r scanner) (string, error) {
	var s string
	err := r.Scan(&s)
	return s, err
}

// now returns the current instant from the injected clock.
func (s *Store) now() time.Time { return s.clock.Now().UTC() }

// stamp formats the current instant for storage.
func (s *Store) stamp() string { return s.now().Format(time.RFC3339Nano) }

// dayStart returns the instant a day begins in the configured zone, in UTC.
func (s *Store) dayStart(d followup.Date) time.Time {
	y, m, day := d.Time().Date()
	return time.Date(y, m, day, 0, 0, 0, 0, s.loc).UTC()
}

// Today returns the current day in the configured zone.
func (s *Store) Today() followup.Date { return followup.DateOf(s.clock.Now(), s.loc) }

func parseStamp(v string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, v)
	return t
}

// nullDate converts a Date to a nullable column value.
func nullDate(d followup.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// scanDate reads a nullable date column.
func scanDate(v sql.NullString) followup.Date {
	if !v.Valid || v.String == "" {
		return followup.Date{}
	}
	d, err := followup.ParseDate("date", v.String)
	if err != nil {
		return followup.Date{}
	}
	return d
}

// audit records one write in the same transaction as the write itself.
func (s *Store) audit(ctx context.Context, tx *Tx, action, entity, key string, followupID int64, before, after any) error {
	tx.changed = true
	actor := followup.ActorFrom(ctx)
	email := actor.Email
	if actor.Anonymous() {
		email = "anonymous"
	}
	var actorID any
	if actor.UserID > 0 {
		actorID = actor.UserID
	}
	var fid any
	if followupID > 0 {
		fid = followupID
	}
	b, err := jsonOrNull(before)
	if err != nil {
		return err
	}
	a, err := jsonOrNull(after)
	if err != nil {
		return err
	}
	// The report the entry is under: its follow-up's, or the report of a report's or a
	// recommendation's entry (the key's first part); the log shows an entry to those who may
	// see that report (followup.AuditScope).
	slug := ""
	if entity == "report" || entity == "recommendation" {
		slug, _, _ = strings.Cut(key, "/")
	}
	// The name and role are kept as they are now, for those who may be told who did it but not
	// the address (a Party's users reading its history).
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_email, actor_name, actor_role, action, entity, entity_key, followup_id, before_json, after_json,
			report_id, party_code)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
			coalesce((SELECT c.report_id FROM followups f JOIN recommendations c ON c.id = f.recommendation_id WHERE f.id = ?), (SELECT id FROM reports WHERE slug = ?)),
			(SELECT party_code FROM followups WHERE id = ?))`,
		s.stamp(), actorID, email, actor.Name, string(actor.Role), action, entity, key, fid, b, a, fid, slug, fid)
	return err
}

func jsonOrNull(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func notFound(format string, args ...any) error {
	return followup.Errorf(followup.ENotFound, format, args...)
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	if n == 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}
