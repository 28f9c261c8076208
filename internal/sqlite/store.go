// Package sqlite implements the domain's services on SQLite (mattn/go-sqlite3). It keeps one
// writer connection, so that writes queue in Go rather than fail with "database is locked", and
// a small pool of readers that, thanks to WAL, never wait for the writer.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"followup/db"
	"followup/internal/followup"
)

// Options configure a store.
type Options struct {
	Path     string
	Clock    followup.Clock
	Location *time.Location // the zone in which "today" is reckoned
	Logger   *slog.Logger
	Readers  int // size of the reader pool; 4 when zero
	// PasswordCost is the bcrypt cost of password hashes; bcrypt's default when zero. Tests
	// lower it, since each hash at the default cost takes tens of milliseconds by design.
	PasswordCost int
}

// Store is the SQLite implementation of the domain services.
type Store struct {
	writer *sql.DB
	reader *sql.DB
	clock  followup.Clock
	loc    *time.Location
	log    *slog.Logger
	path   string
	cost   int

	dummyOnce sync.Once // see dummyHash
	dummy     []byte
	// compliance caches compliance summaries until the next write (compliance_cache.go).
	compliance complianceCache
}

// Compile-time checks that the store implements every service.
var (
	_ followup.PartyService      = (*Store)(nil)
	_ followup.ReportService     = (*Store)(nil)
	_ followup.FollowUpService   = (*Store)(nil)
	_ followup.ComplianceService = (*Store)(nil)
	_ followup.UserService       = (*Store)(nil)
	_ followup.AuditService      = (*Store)(nil)
)

func dsn(path string, write bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "NORMAL")
	if write {
		// Take the write lock at BEGIN, not at the first write, so that a transaction that
		// reads then writes cannot fail half-way with SQLITE_BUSY.
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_query_only", "true")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the database at opts.Path and applies pending migrations.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.Path == "" {
		return nil, errors.New("sqlite: no database path")
	}
	if opts.Clock == nil {
		opts.Clock = followup.SystemClock{}
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Readers <= 0 {
		opts.Readers = 4
	}
	if dir := filepath.Dir(opts.Path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create database folder: %w", err)
		}
	}
	w, err := sql.Open("sqlite3", dsn(opts.Path, true))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	s := &Store{writer: w, clock: opts.Clock, loc: opts.Location, log: opts.Logger, path: opts.Path, cost: opts.PasswordCost}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite3", dsn(opts.Path, false))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(opts.Readers)
	r.SetMaxIdleConns(opts.Readers)
	s.reader = r
	return s, nil
}

// Close closes both pools.
func (s *Store) Close() error {
	return errors.Join(s.reader.Close(), s.writer.Close())
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Migrate applies pending migrations; Open does it too, so this is for `followup migrate`.
// It returns the versions applied.
func (s *Store) Migrate(ctx context.Context) ([]int, error) { return s.applyMigrations(ctx) }

func (s *Store) migrate(ctx context.Context) error {
	applied, err := s.applyMigrations(ctx)
	for _, v := range applied {
		s.log.Info("migration applied", "version", v)
	}
	return err
}

func (s *Store) applyMigrations(ctx context.Context) ([]int, error) {
	if _, err := s.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("sqlite: create schema_migrations: %w", err)
	}
	entries, err := fs.ReadDir(db.Migrations, "migrations")
	if err != nil {
		return nil, err
	}
	type migration struct {
		version int
		name    string
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("sqlite: migration file %q is not named NNNN_name.sql", e.Name())
		}
		ms = append(ms, migration{v, e.Name()})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	var done []int
	for _, m := range ms {
		body, err := fs.ReadFile(db.Migrations, "migrations/"+m.name)
		if err != nil {
			return done, err
		}
		err = s.write(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return errSkip
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
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

// errSkip rolls a transaction back without it being a failure.
var errSkip = errors.New("skip")

// write runs fn in one write transaction: committed when fn returns nil, rolled back otherwise.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return translate(err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// translate turns constraint violations that slipped past validation into domain errors.
func translate(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		if se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey {
			return followup.Errorf(followup.EConflict, "this already exists (%s)", se.Error())
		}
		return followup.Errorf(followup.EInvalid, "the change breaks a rule of the database (%s)", se.Error())
	}
	return err
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

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// audit records one write in the same transaction as the write itself.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, action, entity, key string, followupID int64, before, after any) error {
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
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_email, action, entity, entity_key, followup_id, before_json, after_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.stamp(), actorID, email, action, entity, key, fid, b, a)
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
