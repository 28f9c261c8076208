// Package db holds the numbered SQL migrations of each engine, embedded in the binary. Both
// engines have the same migrations, numbered alike, each in the engine's own SQL; a test checks
// that both reach the same version with the same tables and columns.
package db

import (
	"embed"
	"io/fs"
)

//go:embed sqlite/*.sql postgres/*.sql
var migrations embed.FS

// SQLite holds the SQLite migrations, NNNN_name.sql, applied in the order of their numbers.
func SQLite() fs.FS { return sub("sqlite") }

// Postgres holds the PostgreSQL migrations, numbered as SQLite's.
func Postgres() fs.FS { return sub("postgres") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(migrations, dir)
	if err != nil {
		panic(err) // the folder is embedded above
	}
	return f
}
