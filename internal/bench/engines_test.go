package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver of the raw connections

	"followup/internal/followup"
	"followup/internal/postgres"
	"followup/internal/sqlstore"
)

// The engine benchmarks run once per engine in the same process: engine=sqlite always, and
// engine=postgres when FOLLOWUP_BENCH_POSTGRES holds the URL of a PostgreSQL server (for example
// postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable; a superuser, since the copy
// below turns triggers off while it loads). The PostgreSQL data set is the SQLite one, copied
// table by table with COPY into a database of its own (benchPGName) made by the PostgreSQL
// migrations, once, and kept for later runs as the SQLite file is. Loading it again through the
// write path would take the best part of an hour; the copy takes a few minutes.

// benchPGVar names the PostgreSQL server of the engine benchmarks.
const benchPGVar = "FOLLOWUP_BENCH_POSTGRES"

// benchPGName is the kept PostgreSQL copy of the synthetic data set.
const benchPGName = "followup_bench_synthetic"

// benchEngine is one engine of the engine benchmarks: a store on the synthetic data set and a
// read-only pool for the ceilings' raw SQL (written with ? placeholders; q rebinds them).
type benchEngine struct {
	name  string
	store *sqlstore.Store
	raw   *sql.DB
	url   string // PostgreSQL: the database's URL
}

// q returns a raw query of the ceilings in the engine's placeholder style.
func (e benchEngine) q(query string) string {
	if e.name != "postgres" {
		return query
	}
	return rebindDollar(query)
}

// rebindDollar numbers the ? placeholders $1, $2, ... (the ceilings quote no "?").
func rebindDollar(q string) string {
	var out strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			out.WriteString("$" + strconv.Itoa(n))
			continue
		}
		out.WriteRune(r)
	}
	return out.String()
}

// forEachEngine runs f as the sub-benchmark engine=sqlite, and engine=postgres when
// FOLLOWUP_BENCH_POSTGRES is set.
func forEachEngine(b *testing.B, f func(b *testing.B, e benchEngine)) {
	b.Helper()
	b.Run("engine=sqlite", func(b *testing.B) {
		f(b, benchEngine{name: "sqlite", store: benchStore(b), raw: openRaw(b)})
	})
	if os.Getenv(benchPGVar) == "" {
		return
	}
	b.Run("engine=postgres", func(b *testing.B) {
		s, u := benchPGStore(b)
		f(b, benchEngine{name: "postgres", store: s, raw: openRawPG(b, u), url: u})
	})
}

func openRawPG(b testing.TB, u string) *sql.DB {
	b.Helper()
	db, err := sql.Open("pgx", u)
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(4)
	b.Cleanup(func() { db.Close() })
	return db
}

// pgDatabaseURL returns the server URL with its database replaced by name.
func pgDatabaseURL(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

var pgShared struct {
	mu      sync.Mutex
	store   *sqlstore.Store
	url     string
	checked bool
}

// benchPGStore returns a store on the PostgreSQL copy of the synthetic data set, making the
// copy the first time, and checking once per process that it answers as the SQLite file does.
func benchPGStore(b testing.TB) (*sqlstore.Store, string) {
	b.Helper()
	pgShared.mu.Lock()
	defer pgShared.mu.Unlock()
	if pgShared.store != nil {
		return pgShared.store, pgShared.url
	}
	lite := benchStore(b) // applies SQLite's pending migrations: both engines copy the same schema
	server := os.Getenv(benchPGVar)
	u := pgDatabaseURL(server, benchPGName)
	ctx := context.Background()
	if err := ensurePGCopy(ctx, b, server, lite); err != nil {
		b.Fatalf("PostgreSQL copy of the synthetic data set: %v", err)
	}
	s, err := postgres.Open(ctx, u, sqlstore.Options{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	if !pgShared.checked {
		if err := sameSummaries(ctx, lite, s); err != nil {
			s.Close()
			b.Fatalf("the PostgreSQL copy differs from the SQLite data set (drop database %s to copy it again): %v", benchPGName, err)
		}
		pgShared.checked = true
	}
	pgShared.store, pgShared.url = s, u
	return s, u
}

// closePGShared closes the shared PostgreSQL store (it is opened again when next asked for):
// CREATE DATABASE ... TEMPLATE needs the template to have no connections.
func closePGShared() {
	pgShared.mu.Lock()
	defer pgShared.mu.Unlock()
	if pgShared.store != nil {
		pgShared.store.Close()
		pgShared.store = nil
	}
}

// sameSummaries compares the compliance summaries of a report on both engines, today and as of
// a past date (they must be equal, value for value).
func sameSummaries(ctx context.Context, a, b *sqlstore.Store) error {
	for _, asOf := range []followup.Date{a.Today(), benchPast} {
		ca, err := a.ReportCompliance(ctx, benchSlug, followup.ComplianceQuery{AsOf: asOf})
		if err != nil {
			return err
		}
		cb, err := b.ReportCompliance(ctx, benchSlug, followup.ComplianceQuery{AsOf: asOf})
		if err != nil {
			return err
		}
		ja, _ := json.Marshal(ca)
		jb, _ := json.Marshal(cb)
		if string(ja) != string(jb) {
			return fmt.Errorf("compliance of %s as of %s: SQLite %d bytes of JSON, PostgreSQL %d, not equal", benchSlug, asOf, len(ja), len(jb))
		}
	}
	return nil
}

// ensurePGCopy makes the database benchPGName when the server has none: a new database made
// by the PostgreSQL migrations under a temporary name, filled from the SQLite file table by
// table, checked (row counts), analysed, then renamed, so that an interrupted copy is never
// taken for a finished one.
func ensurePGCopy(ctx context.Context, b testing.TB, server string, lite *sqlstore.Store) error {
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return err
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRowContext(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, benchPGName).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	start := time.Now()
	building := benchPGName + "_building"
	if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+building+` TEMPLATE template0 ENCODING 'UTF8'`); err != nil {
		return err
	}
	bu := pgDatabaseURL(server, building)
	s, err := postgres.Open(ctx, bu, sqlstore.Options{}) // the migrations
	if err != nil {
		return err
	}
	lv, err := lite.SchemaVersion(ctx)
	if err == nil {
		var pv int
		if pv, err = s.SchemaVersion(ctx); err == nil && pv != lv {
			err = fmt.Errorf("schema versions differ: SQLite %d, PostgreSQL %d", lv, pv)
		}
	}
	s.Close()
	if err != nil {
		return err
	}
	src, err := sql.Open("sqlite3", "file:"+benchDBPath(b)+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer src.Close()
	conn, err := pgx.Connect(ctx, bu)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	rows, err := copySQLiteToPG(ctx, src, conn)
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		return err
	}
	conn.Close(ctx)
	if _, err := admin.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+benchPGName); err != nil {
		return err
	}
	b.Logf("copied the synthetic data set into PostgreSQL database %s (%d rows) in %s", benchPGName, rows, time.Since(start).Round(time.Second))
	return nil
}

type pgColumn struct {
	name, dataType string
	identity       bool
}

// copySQLiteToPG copies every table of the PostgreSQL schema (but its migrations table and its
// generated columns) from the SQLite database, with triggers and foreign-key checks off
// (session_replication_role = replica: the rows are copied as they are, the derived tables
// included), resets the identity sequences, and compares the row counts of every table.
func copySQLiteToPG(ctx context.Context, src *sql.DB, conn *pgx.Conn) (int64, error) {
	cols := map[string][]pgColumn{}
	var tables []string
	rows, err := conn.Query(ctx, `SELECT table_name, column_name, data_type, is_identity = 'YES'
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_generated = 'NEVER' AND table_name <> 'schema_migrations'
		ORDER BY table_name, ordinal_position`)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var t string
		var c pgColumn
		if err := rows.Scan(&t, &c.name, &c.dataType, &c.identity); err != nil {
			return 0, err
		}
		if _, ok := cols[t]; !ok {
			tables = append(tables, t)
		}
		cols[t] = append(cols[t], c)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if _, err := conn.Exec(ctx, `SET session_replication_role = replica`); err != nil {
		return 0, fmt.Errorf("turn triggers off for the copy (needs a superuser): %w", err)
	}
	var total int64
	for _, t := range tables {
		// The migrations may have written rows of their own (a counter, a state row): the copy
		// replaces them.
		if _, err := conn.Exec(ctx, `DELETE FROM `+pgx.Identifier{t}.Sanitize()); err != nil {
			return 0, err
		}
		n, err := copyTable(ctx, src, conn, t, cols[t])
		if err != nil {
			return 0, fmt.Errorf("table %s: %w", t, err)
		}
		var want int64
		if err := src.QueryRowContext(ctx, `SELECT count(*) FROM "`+t+`"`).Scan(&want); err != nil {
			return 0, err
		}
		var got int64
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{t}.Sanitize()).Scan(&got); err != nil {
			return 0, err
		}
		if got != want || n != want {
			return 0, fmt.Errorf("table %s: %d rows in SQLite, %d copied, %d in PostgreSQL", t, want, n, got)
		}
		for _, c := range cols[t] {
			if c.identity {
				if _, err := conn.Exec(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), coalesce(max(%s), 0) + 1, false) FROM %s`,
					t, c.name, pgx.Identifier{c.name}.Sanitize(), pgx.Identifier{t}.Sanitize())); err != nil {
					return 0, err
				}
			}
		}
		total += n
	}
	if _, err := conn.Exec(ctx, `SET session_replication_role = DEFAULT`); err != nil {
		return 0, err
	}
	return total, nil
}

// copyTable streams one table from SQLite into PostgreSQL with COPY (pgx's binary CopyFrom),
// converting SQLite's values to the PostgreSQL column types: 0/1 to boolean, text to bytea
// where the column is bytea, integers to double precision where it is.
func copyTable(ctx context.Context, src *sql.DB, conn *pgx.Conn, table string, cols []pgColumn) (int64, error) {
	names := make([]string, len(cols))
	quoted := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
		quoted[i] = `"` + c.name + `"`
	}
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM "`+table+`"`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var convErr error
	n, err := conn.CopyFrom(ctx, pgx.Identifier{table}, names, pgx.CopyFromFunc(func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out := make([]any, len(cols))
		for i, c := range cols {
			v, err := pgValue(vals[i], c.dataType)
			if err != nil {
				convErr = fmt.Errorf("column %s: %w", c.name, err)
				return nil, convErr
			}
			out[i] = v
		}
		return out, nil
	}))
	if convErr != nil {
		return 0, convErr
	}
	return n, err
}

func pgValue(v any, dataType string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch dataType {
	case "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case bool:
			return x, nil
		}
	case "bigint", "integer", "smallint":
		if x, ok := v.(int64); ok {
			return x, nil
		}
	case "double precision", "real", "numeric":
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	case "text", "jsonb", "json", "character varying":
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case int64: // an integer kept in a text column
			return strconv.FormatInt(x, 10), nil
		}
	}
	return nil, fmt.Errorf("no conversion of %T to %s", v, dataType)
}
