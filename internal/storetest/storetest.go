// Package storetest opens stores for tests on the engine the test run asks for: SQLite (a file in
// the test's temporary folder) by default, PostgreSQL when FOLLOWUP_TEST_ENGINE=postgres, on the
// server FOLLOWUP_TEST_POSTGRES names (a URL such as
// postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable). Each test then gets a database
// of its own, copied from a migrated template database (CREATE DATABASE ... TEMPLATE, a few tens
// of milliseconds), and dropped when the test ends. The same tests thus run on both engines:
// `make test` runs every package on SQLite, and again on PostgreSQL when FOLLOWUP_TEST_POSTGRES is
// set (see the Makefile).
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver of the raw connections
	_ "github.com/mattn/go-sqlite3"

	"followup/db"
	"followup/internal/postgres"
	"followup/internal/sqlite"
	"followup/internal/sqlstore"
)

// Environment variables that choose the engine.
const (
	EngineVar   = "FOLLOWUP_TEST_ENGINE"   // "sqlite" (default) or "postgres"
	PostgresVar = "FOLLOWUP_TEST_POSTGRES" // the URL of a PostgreSQL server the tests may create databases on
)

// Engine returns the engine of this test run: "sqlite" or "postgres".
func Engine() string {
	if os.Getenv(EngineVar) == "postgres" {
		return "postgres"
	}
	return "sqlite"
}

// Postgres reports whether this test run is on PostgreSQL.
func Postgres() bool { return Engine() == "postgres" }

// NewDatabase returns a new, empty database for the test, removed when it ends: an SQLite file
// path, or a PostgreSQL URL. Open it with OpenAt (several times, to stand for several
// processes), or give it to the real binary as its --db.
func NewDatabase(t testing.TB) string {
	t.Helper()
	if !Postgres() {
		return filepath.Join(t.TempDir(), "test.db")
	}
	admin := os.Getenv(PostgresVar)
	if admin == "" {
		t.Fatalf("%s=postgres needs %s to hold the URL of a PostgreSQL server (see .ci/postgres)", EngineVar, PostgresVar)
	}
	return newPostgresDatabase(t, admin)
}

// Open opens a store on a new database for the test; it is closed when the test ends.
func Open(t testing.TB, opts sqlstore.Options) *sqlstore.Store {
	t.Helper()
	return OpenAt(t, NewDatabase(t), opts)
}

// OpenAt opens a store on a database of NewDatabase; it is closed when the test ends.
func OpenAt(t testing.TB, database string, opts sqlstore.Options) *sqlstore.Store {
	t.Helper()
	s, err := OpenDatabase(context.Background(), database, opts)
	if err != nil {
		t.Fatalf("open %s: %v", database, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// OpenDatabase opens a store on a path or a postgres:// URL, as the program does.
func OpenDatabase(ctx context.Context, database string, opts sqlstore.Options) (*sqlstore.Store, error) {
	if postgres.IsURL(database) {
		return postgres.Open(ctx, database, opts)
	}
	return sqlite.Open(ctx, database, opts)
}

// DB is a connection to a test database apart from the store, for tests that look at the
// tables themselves; its statements are written with "?" placeholders on both engines.
type DB struct {
	*sql.DB
	postgres bool
}

// Raw opens a connection to a database of NewDatabase apart from the store; closed at the end.
func Raw(t testing.TB, database string) *DB {
	t.Helper()
	var d *sql.DB
	var err error
	pg := postgres.IsURL(database)
	if pg {
		d, err = sql.Open("pgx", database)
	} else {
		d, err = sql.Open("sqlite3", "file:"+database+"?mode=ro&_busy_timeout=10000")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return &DB{DB: d, postgres: pg}
}

// Rebind writes a "?" statement for the engine.
func (d *DB) Rebind(q string) string {
	if !d.postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// QueryRow runs a "?" query of one row.
func (d *DB) QueryRow(q string, args ...any) *sql.Row { return d.DB.QueryRow(d.Rebind(q), args...) }

// Query runs a "?" query.
func (d *DB) Query(q string, args ...any) (*sql.Rows, error) { return d.DB.Query(d.Rebind(q), args...) }

// Exec runs a "?" statement.
func (d *DB) Exec(q string, args ...any) (sql.Result, error) { return d.DB.Exec(d.Rebind(q), args...) }

// The PostgreSQL side: one template database per set of migrations, made once by whichever test
// process gets there first (under an advisory lock, since `go test ./...` runs packages in
// parallel processes), then one copy per test.

var templates sync.Map // admin URL → template name, once per process

func newPostgresDatabase(t testing.TB, admin string) string {
	t.Helper()
	ctx := context.Background()
	adminDB, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer adminDB.Close()
	tmpl, err := template(ctx, adminDB, admin)
	if err != nil {
		t.Fatalf("postgres template: %v", err)
	}
	name := "followup_test_" + randomHex(6)
	for attempt := 0; ; attempt++ {
		_, err = adminDB.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+tmpl)
		var pgErr *pgconn.PgError
		// Another test copying the template at the same moment holds it briefly (55006).
		if err != nil && errors.As(err, &pgErr) && pgErr.Code == "55006" && attempt < 50 {
			time.Sleep(time.Duration(20+attempt*10) * time.Millisecond)
			continue
		}
		break
	}
	if err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		d, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer d.Close()
		_, _ = d.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	return withDatabase(admin, name)
}

// template returns the name of a migrated template database, making it when it is missing.
func template(ctx context.Context, adminDB *sql.DB, admin string) (string, error) {
	if v, ok := templates.Load(admin); ok {
		return v.(string), nil
	}
	name := "followup_tmpl_" + migrationsHash()
	conn, err := adminDB.Conn(ctx) // the session lock lives on this one connection
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7201)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(7201)`)
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		return "", err
	}
	if n == 0 {
		building := name + "_building"
		if _, err := conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`); err != nil {
			return "", err
		}
		if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+building); err != nil {
			return "", err
		}
		s, err := postgres.Open(ctx, withDatabase(admin, building), sqlstore.Options{})
		if err != nil {
			return "", fmt.Errorf("migrate the template: %w", err)
		}
		s.Close()
		if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+name); err != nil {
			return "", err
		}
	}
	templates.Store(admin, name)
	return name, nil
}

// migrationsHash names the template after the PostgreSQL migrations, so that a changed
// migration makes a new template rather than reusing a stale one.
func migrationsHash() string {
	h := sha256.New()
	_ = fs.WalkDir(db.Postgres(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(db.Postgres(), path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func withDatabase(admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
