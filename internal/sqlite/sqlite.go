// Package sqlite runs the store (package sqlstore) on an SQLite file with mattn/go-sqlite3. It
// keeps one writer connection, so that writes queue in Go rather than fail with "database is
// locked", and a small pool of read-only connections that, thanks to WAL, never wait for the
// writer. The pragmas are in the DSN, so that every pooled connection has them.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/mattn/go-sqlite3"

	"followup/db"
	"followup/internal/followup"
	"followup/internal/sqlstore"
)

// Open opens (creating if needed) the database file at path and applies pending migrations.
func Open(ctx context.Context, path string, opts sqlstore.Options) (*sqlstore.Store, error) {
	eng, err := openEngine(path, 4)
	if err != nil {
		return nil, err
	}
	return sqlstore.New(ctx, eng, opts)
}

// engine is SQLite under the store.
type engine struct {
	path   string
	writer *sql.DB
	reader *sql.DB
	fts    fullText
}

func dsn(path string, write bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "NORMAL")
	if write {
		// 64 MiB of page cache for the one writer (the default is 2 MiB): the indexes a large
		// transaction (an import, the synthetic data set) touches stay in memory. Readers keep
		// the default and rely on the operating system's cache, so that memory stays bounded.
		q.Set("_cache_size", "-65536")
		// Take the write lock at BEGIN, not at the first write, so that a transaction that
		// reads then writes cannot fail half-way with SQLITE_BUSY, and so that write
		// transactions of other processes on the file wait for this one (BeginWrite).
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_query_only", "true")
	}
	return "file:" + path + "?" + q.Encode()
}

func openEngine(path string, readers int) (*engine, error) {
	if path == "" {
		return nil, errors.New("sqlite: no database path")
	}
	if readers <= 0 {
		readers = 4
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create database folder: %w", err)
		}
	}
	w, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	return &engine{path: path, writer: w, reader: r}, nil
}

func (e *engine) Name() string           { return "sqlite" }
func (e *engine) Writer() *sql.DB        { return e.writer }
func (e *engine) Reader() *sql.DB        { return e.reader }
func (e *engine) Describe() string       { return e.path }
func (e *engine) Migrations() fs.FS      { return db.SQLite() }
func (e *engine) Rebind(q string) string { return q }

// IDSet reads the ids of a JSON array with json_each, so that SQLite loops over them rather
// than Go.
func (e *engine) IDSet() string { return `SELECT value FROM json_each(?)` }

// SkipLocked is empty: SQLite has no row locks, and its write transactions run one at a time.
func (e *engine) SkipLocked() string { return "" }

// BeginWrite begins on the single writer connection with BEGIN IMMEDIATE (the DSN's _txlock),
// which takes SQLite's write lock at once: other processes' write transactions wait for it.
func (e *engine) BeginWrite(ctx context.Context) (*sql.Tx, error) { return e.writer.BeginTx(ctx, nil) }

// Translate turns constraint violations that slipped past validation into domain errors.
func (e *engine) Translate(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		if se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey {
			return followup.Errorf(followup.EConflict, "this already exists (%s)", se.Error())
		}
		return followup.Errorf(followup.EInvalid, "the change breaks a rule of the database (%s)", se.Error())
	}
	return err
}

// Backup writes a consistent copy with VACUUM INTO, which reads one snapshot of the database
// while writes wait.
func (e *engine) Backup(ctx context.Context, path string) error {
	_, err := e.writer.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// Optimize runs PRAGMA optimize, which refreshes the query planner's statistics where needed.
func (e *engine) Optimize(ctx context.Context) error {
	_, err := e.writer.ExecContext(ctx, `PRAGMA optimize`)
	return err
}

// IntegrityCheck runs PRAGMA integrity_check and returns its first line ("ok" when sound).
func (e *engine) IntegrityCheck(ctx context.Context) (string, error) {
	var result string
	err := e.reader.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result)
	return result, err
}

func (e *engine) Close() error { return errors.Join(e.reader.Close(), e.writer.Close()) }
