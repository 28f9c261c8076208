// Package db holds the numbered SQL migrations, embedded in the binary.
package db

import "embed"

// Migrations holds migrations/NNNN_name.sql, applied in the order of their numbers.
//
//go:embed migrations/*.sql
var Migrations embed.FS
