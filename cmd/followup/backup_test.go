package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"followup/internal/storetest"
)

// `followup backup PATH` on the engine of the test run: a database file on SQLite, a pg_dump
// archive on PostgreSQL, which says plainly when pg_dump is missing. Not parallel: it changes
// PATH.
func TestBackupCommand(t *testing.T) {
	dir := writeConfig(t, "timezone: Europe/Paris\n")
	db := storetest.NewDatabase(t)
	if out, err := cli(t, dir, "", "seed", "--db", db); err != nil {
		t.Fatalf("seed: %v %s", err, out)
	}
	path := filepath.Join(t.TempDir(), "before-upgrade.backup")
	out, err := cli(t, dir, "", "backup", "--db", db, path)
	if err != nil || !strings.Contains(out, "backed up to "+path) {
		t.Fatalf("backup: %v %s", err, out)
	}
	if storetest.Postgres() {
		list, err := exec.Command("pg_restore", "--list", path).CombinedOutput()
		if err != nil || !strings.Contains(string(list), "TABLE DATA public parties") {
			t.Fatalf("pg_restore --list: %v\n%s", err, list)
		}
	} else if out, err := cli(t, dir, "", "user", "list", "--db", path); err != nil || !strings.Contains(out, "admin@example.org") {
		t.Fatalf("the backup does not open as a database: %v %s", err, out)
	}
	if _, err := cli(t, dir, "", "backup", "--db", db, path); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a backup over an existing file: %v", err)
	}
	if !storetest.Postgres() {
		return
	}
	t.Setenv("PATH", t.TempDir()) // no pg_dump there
	missing := filepath.Join(t.TempDir(), "no-pg-dump.dump")
	_, err = cli(t, dir, "", "backup", "--db", db, missing)
	if err == nil || !strings.Contains(err.Error(), "needs pg_dump") || !strings.Contains(err.Error(), "not on PATH") {
		t.Fatalf("backup without pg_dump: %v, want a message saying pg_dump is missing", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a backup file was left behind")
	}
}

// `followup jobs list` tells who holds the scheduler's lease; `jobs run` runs in the process
// asked and records the run under term 0 (by hand).
func TestJobsListTellsTheLease(t *testing.T) {
	dir := writeConfig(t, "timezone: Europe/Paris\n")
	db := storetest.NewDatabase(t)
	out, err := cli(t, dir, "", "jobs", "list", "--db", db)
	if err != nil || !strings.Contains(out, "scheduler lease: never taken") {
		t.Fatalf("jobs list: %v %s", err, out)
	}
	if out, err := cli(t, dir, "", "jobs", "run", "snapshot", "--db", db); err != nil || !strings.Contains(out, "snapshot as of") {
		t.Fatalf("jobs run: %v %s", err, out)
	}
	if out, err := cli(t, dir, "", "jobs", "list", "--db", db); err != nil || !strings.Contains(out, "snapshots=0") {
		t.Fatalf("jobs list after a run: %v %s", err, out)
	}
}
