// Package postgres runs the store (package sqlstore) on PostgreSQL, through database/sql with
// pgx's stdlib driver: the store's SQL is written once for database/sql, and the pool of
// database/sql is all the store needs (pgx's own pool would add a second API for no gain).
//
// Several server processes may share one database. What SQLite gives for free across them (one
// writer at a time) is taken explicitly here: every write transaction begins with a
// transaction-scoped advisory lock, so that write transactions run one after the other, as the
// store's rules (read, decide, write) expect; reads take no lock.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"followup/db"
	"followup/internal/followup"
	"followup/internal/sqlstore"
)

// IsURL reports whether a database setting names a PostgreSQL database rather than a file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// writeLock is the key of the advisory lock every write transaction takes ("fu" + "wr").
const writeLock = 0x66757772

// Open connects to the database at url, checks that it answers, and applies pending
// migrations. An unreachable server fails with a message naming its host and port.
func Open(ctx context.Context, url string, opts sqlstore.Options) (*sqlstore.Store, error) {
	eng, err := openEngine(ctx, url)
	if err != nil {
		return nil, err
	}
	return sqlstore.New(ctx, eng, opts)
}

type engine struct {
	db   *sql.DB
	cfg  *pgx.ConnConfig
	desc string
}

func openEngine(ctx context.Context, url string) (*engine, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		// pgx's message may quote the URL; say what is wrong without it.
		return nil, errors.New("postgres: the database URL cannot be read: use postgres://user:password@host:port/database?sslmode=...")
	}
	desc := net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))) + "/" + cfg.Database
	d := stdlib.OpenDB(*cfg)
	d.SetMaxOpenConns(20)
	d.SetMaxIdleConns(10)
	d.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.PingContext(pingCtx); err != nil {
		d.Close()
		return nil, fmt.Errorf("postgres: cannot reach the database at %s: %s", desc, connectError(err, cfg.Password))
	}
	return &engine{db: d, cfg: cfg, desc: desc}, nil
}

// connectError says why a connection failed, without the password.
func connectError(err error, password string) string {
	msg := err.Error()
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		msg = pgErr.Message
	} else if errors.Is(err, context.DeadlineExceeded) {
		msg = "no answer within 10 s"
	}
	if password != "" {
		msg = strings.ReplaceAll(msg, password, "***")
	}
	return msg
}

func (e *engine) Name() string      { return "postgres" }
func (e *engine) Writer() *sql.DB   { return e.db }
func (e *engine) Reader() *sql.DB   { return e.db }
func (e *engine) Describe() string  { return e.desc }
func (e *engine) Migrations() fs.FS { return db.Postgres() }
func (e *engine) Close() error      { return e.db.Close() }

// Rebind numbers the "?" placeholders $1, $2, ... in order, outside quoted text.
func (e *engine) Rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// IDSet reads the ids of a JSON array with jsonb_array_elements_text.
func (e *engine) IDSet() string {
	return `SELECT CAST(value AS bigint) AS value FROM jsonb_array_elements_text(CAST(? AS jsonb))`
}

// SkipLocked lets a claim pass over the rows another transaction holds.
func (e *engine) SkipLocked() string { return " FOR UPDATE SKIP LOCKED" }

// BeginWrite begins a transaction and takes the write lock, held until it commits or rolls
// back: write transactions of every process on the database run one at a time, as on SQLite.
// (READ COMMITTED without it lost updates: an adoption interleaved with a submission ended with
// the follow-up's "submitted since adoption" flag wrong.)
func (e *engine) BeginWrite(ctx context.Context) (*sql.Tx, error) {
	tx, err := e.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return tx, nil
}

// Translate turns constraint violations that slipped past validation into domain errors.
func (e *engine) Translate(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "23") {
		if pgErr.Code == "23505" { // unique_violation
			return followup.Errorf(followup.EConflict, "this already exists (%s)", pgErr.Message)
		}
		return followup.Errorf(followup.EInvalid, "the change breaks a rule of the database (%s)", pgErr.Message)
	}
	return err
}

// Backup writes a consistent copy with pg_dump in its custom format (restore it with
// pg_restore). The password goes to pg_dump in its environment, never on its command line.
func (e *engine) Backup(ctx context.Context, path string) error {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return errors.New("a PostgreSQL backup needs pg_dump (Debian: apt-get install postgresql-client), which is not on PATH")
	}
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--no-owner", "--file="+path)
	cmd.Env = append(os.Environ(), "PGHOST="+e.cfg.Host, "PGPORT="+strconv.Itoa(int(e.cfg.Port)),
		"PGDATABASE="+e.cfg.Database, "PGUSER="+e.cfg.User, "PGPASSWORD="+e.cfg.Password)
	if mode := sslMode(e.cfg); mode != "" {
		cmd.Env = append(cmd.Env, "PGSSLMODE="+mode)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("pg_dump: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// sslMode returns the sslmode the URL asked for, for pg_dump.
func sslMode(cfg *pgx.ConnConfig) string {
	if cfg.TLSConfig == nil {
		return "disable"
	}
	return ""
}

// Optimize runs ANALYZE, which refreshes the query planner's statistics.
func (e *engine) Optimize(ctx context.Context) error {
	_, err := e.db.ExecContext(ctx, `ANALYZE`)
	return err
}

// IntegrityCheck answers "ok" when the database answers and its schema holds the store's
// tables. PostgreSQL checks its pages itself (checksums, WAL); a deeper check is amcheck's,
// run by an operator.
func (e *engine) IntegrityCheck(ctx context.Context) (string, error) {
	var n int
	if err := e.db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_name IN ('followups', 'audit_log', 'data_version')`).Scan(&n); err != nil {
		return "", err
	}
	if n != 3 {
		return fmt.Sprintf("the schema lacks some of the store's tables (%d of 3 found)", n), nil
	}
	return "ok", nil
}

// Rebind numbers the "?" placeholders of a statement $1, $2, ... in order, outside quoted text:
// the store's statements are written once with "?" for both engines.
func Rebind(q string) string { return (&engine{}).Rebind(q) }

// FullText is PostgreSQL's text search over the generated vectors of migration 0013.
func (e *engine) FullText() sqlstore.FullText { return fullText{} }

// fullText matches the words with plainto_tsquery in both configurations: a recommendation is
// found when its English vector holds every word's English stem, or its French vector every
// word's French stem; ranked by ts_rank of both, labels weighing more (weight A).
type fullText struct{}

func (fullText) Match() string                                { return "stems" }
func (fullText) Ensure(ctx context.Context, tx *sql.Tx) error { return nil }

func (fullText) Matches(words []string) (string, []any) {
	q := strings.Join(words, " ")
	return `SELECT c.id AS id, -(ts_rank(c.fts_en, plainto_tsquery('followup_english', ?)) + ts_rank(c.fts_fr, plainto_tsquery('followup_french', ?))) AS rank
		FROM recommendations c
		WHERE c.fts_en @@ plainto_tsquery('followup_english', ?) OR c.fts_fr @@ plainto_tsquery('followup_french', ?)`, []any{q, q, q, q}
}

// Marked marks the matches with ts_headline over the whole texts (HighlightAll), with chr(2)
// and chr(3), which are followup.MarkOpen and MarkClose. The typographic apostrophe, which the
// vectors read as a space (migration 0013), is chr(1) for the parser and put back after.
func (fullText) Marked(words []string, idSet string) (string, []any) {
	q := strings.Join(words, " ")
	const opts = `'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', HighlightAll=true'`
	mark := func(config, column, query string) string {
		return `replace(ts_headline('` + config + `', replace(` + column + `, '’', chr(1)), ` + query + `, ` + opts + `), chr(1), '’')`
	}
	return `SELECT c.id, ` +
		mark("followup_english", "c.label", "plainto_tsquery('followup_english', ?) || plainto_tsquery('followup_french', ?)") + `, ` +
		mark("followup_english", "c.text", "plainto_tsquery('followup_english', ?)") + `, ` +
		mark("followup_french", "c.text_fr", "plainto_tsquery('followup_french', ?)") + `
		FROM recommendations c WHERE c.id IN (` + idSet + `)`, []any{q, q, q, q}
}
