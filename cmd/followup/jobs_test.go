package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"followup/internal/storetest"
)

// The job, backup, outbox and calendar commands on a seeded database, on the engine of the run.
func TestJobAndMaintenanceCommands(t *testing.T) {
	dir := writeConfig(t, "")
	db := storetest.NewDatabase(t)
	if out, err := cli(t, dir, "", "seed", "--db", db); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	out, err := cli(t, dir, "", "jobs", "list", "--db", db)
	if err != nil || !strings.Contains(out, "reminders") || !strings.Contains(out, "maintenance") {
		t.Fatalf("jobs list: %v\n%s", err, out)
	}
	at := "2026-11-28T08:00:00+01:00"
	first, err := cli(t, dir, "", "jobs", "run", "reminders", "--db", db, "--at", at)
	if err != nil || !strings.Contains(first, "reminders as of") {
		t.Fatalf("jobs run reminders: %v\n%s", err, first)
	}
	second, err := cli(t, dir, "", "jobs", "run", "reminders", "--db", db, "--at", at)
	if err != nil || !strings.Contains(second, "messages=0") {
		t.Fatalf("the same run again must send nothing: %v\n%s", err, second)
	}
	if out, err := cli(t, dir, "", "jobs", "run", "snapshot", "--db", db, "--at", at); err != nil || !strings.Contains(out, "snapshots=") {
		t.Fatalf("jobs run snapshot: %v\n%s", err, out)
	}
	if out, err := cli(t, dir, "", "jobs", "run", "nightly", "--db", db); err == nil {
		t.Fatalf("an unknown job ran: %s", out)
	}

	backup := filepath.Join(t.TempDir(), "backup.db")
	if out, err := cli(t, dir, "", "backup", backup, "--db", db); err != nil || !strings.Contains(out, "backed up to") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if st, err := os.Stat(backup); err != nil || st.Size() == 0 {
		t.Fatalf("no backup written: %v", err)
	}
	if out, err := cli(t, dir, "", "backup", backup, "--db", db); err == nil || !strings.Contains(out+err.Error(), "already exists") {
		t.Fatalf("a backup over an existing file: %v %s", err, out)
	}
	if strings.HasPrefix(db, "postgres") && strings.Contains(out, "@") {
		t.Errorf("the backup message shows the URL: %s", out)
	}

	if _, err := cli(t, dir, "", "outbox", "deliver", "--db", db); err == nil || !strings.Contains(err.Error(), "SMTP is off") {
		t.Fatalf("outbox deliver without SMTP: %v", err)
	}
	out, err = cli(t, dir, "", "calendar-token", "create", "--db", db, "--email", "party-fr@example.org")
	if err != nil || !strings.HasPrefix(out, "fuc_") {
		t.Fatalf("calendar-token create: %v\n%s", err, out)
	}
	if out, err := cli(t, dir, "", "calendar-token", "revoke", "--db", db, "--email", "party-fr@example.org"); err != nil || !strings.Contains(out, "revoked 1") {
		t.Fatalf("calendar-token revoke: %v\n%s", err, out)
	}
}
