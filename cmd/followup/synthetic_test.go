package main

import (
	"followup/internal/storetest"
	"path/filepath"
	"strings"
	"testing"
)

func TestSeedSynthetic(t *testing.T) {
	dir := writeConfig(t, "")
	db := storetest.NewDatabase(t)
	args := []string{"seed", "--synthetic", "--parties", "60", "--reports", "3", "--recommendations-per-report", "4", "--seed", "1", "--db", db}
	out, err := cli(t, dir, "", args...)
	if err != nil {
		t.Fatalf("seed --synthetic: %v\n%s", err, out)
	}
	if !strings.Contains(out, "60 Parties, 3 reports, 12 recommendations") {
		t.Errorf("output %q", out)
	}
	// Real Parties first, then invented codes, all two upper-case letters.
	out, err = cli(t, dir, "", "user", "create", "--email", "p@x.test", "--name", "P", "--role", "party", "--party", "AA", "--db", db)
	if err != nil {
		t.Errorf("synthetic Party AA should exist: %v %s", err, out)
	}
	// The load is for an empty database only.
	out, err = cli(t, dir, "", args...)
	if err == nil || !strings.Contains(err.Error(), "empty database") {
		t.Errorf("second load: %v %s", err, out)
	}
	out, err = cli(t, dir, "", "seed", "--synthetic", "--parties", "0", "--db", filepath.Join(dir, "other.db"))
	if err == nil || !strings.Contains(err.Error(), "Parties") {
		t.Errorf("--parties 0: %v %s", err, out)
	}
}
