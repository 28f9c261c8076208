package postgres_test

import (
	"context"
	"database/sql"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"followup/internal/postgres"
	"followup/internal/sqlite"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT * FROM t WHERE a = ? AND b = ?`, `SELECT * FROM t WHERE a = $1 AND b = $2`},
		{`SELECT '?' FROM t WHERE a = ?`, `SELECT '?' FROM t WHERE a = $1`},
		{`SELECT 'it''s ?', ? FROM t`, `SELECT 'it''s ?', $1 FROM t`},
	} {
		if got := postgres.Rebind(c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// An unreachable server fails at once with a message naming its host and port, never the
// password of the URL.
func TestOpenUnreachableNamesHostNotPassword(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = postgres.Open(ctx, "postgres://tracker:s3cret-pass@"+addr+"/followup?sslmode=disable", sqlstore.Options{})
	if err == nil {
		t.Fatal("opened a database where nothing listens")
	}
	if !strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), "cannot reach") {
		t.Errorf("the message does not name %s: %v", addr, err)
	}
	if strings.Contains(err.Error(), "s3cret-pass") {
		t.Errorf("the message shows the password: %v", err)
	}
	if _, err := postgres.Open(ctx, "postgres://tracker:s3cret-pass@[::1", sqlstore.Options{}); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("a malformed URL: %v", err)
	}
}

// Both engines' migrations reach the same version with the same tables and columns. The
// full-text index is each engine's own and named fts_*: an FTS5 table with its shadow tables on
// SQLite, generated tsvector columns on PostgreSQL; it is left out.
func TestMigrationsAgree(t *testing.T) {
	admin := os.Getenv(storetest.PostgresVar)
	if admin == "" {
		t.Skipf("needs PostgreSQL: set %s (bash .ci/postgres start)", storetest.PostgresVar)
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	lite, err := sqlite.Open(ctx, path, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	t.Setenv(storetest.EngineVar, "postgres")
	url := storetest.NewDatabase(t)
	pg := storetest.OpenAt(t, url, sqlstore.Options{})

	lv, err := lite.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pv, err := pg.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if lv != pv || lv == 0 {
		t.Fatalf("schema versions: SQLite %d, PostgreSQL %d", lv, pv)
	}

	liteDB, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer liteDB.Close()
	liteCols := columns(t, liteDB, `SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'fts\_%' ESCAPE '\'`)
	pgCols := columns(t, storetest.Raw(t, url).DB, `SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name NOT LIKE 'fts\_%' ESCAPE '\'`)
	if !slices.Equal(liteCols, pgCols) {
		t.Errorf("the engines' tables and columns differ:\nonly SQLite:     %v\nonly PostgreSQL: %v", minus(liteCols, pgCols), minus(pgCols, liteCols))
	}
}

func columns(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
