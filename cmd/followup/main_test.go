package main

import (
	"golang.org/x/crypto/bcrypt"

	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/storetest"
)

// cli runs the command as a user would, in a folder of its own, and returns what it printed.
func cli(t *testing.T, dir, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := environment{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut,
		environ:      []string{"FOLLOWUP_CONFIG=" + filepath.Join(dir, "config.yaml")},
		clock:        followup.FixedClock(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)),
		passwordCost: bcrypt.MinCost}
	err := run(context.Background(), args, env)
	return out.String() + errOut.String(), err
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestConfigurationErrorsNameTheKey(t *testing.T) {
	cases := []struct{ config, want string }{
		{"timezone: Mars/Olympus\n", "timezone"},
		{"listen: nowhere\n", "listen"},
		{"colour: blue\n", `"colour"`},
		{"log:\n  level: loud\n", "log.level"},
	}
	for _, c := range cases {
		dir := writeConfig(t, c.config+"database: "+filepath.Join(t.TempDir(), "x.db")+"\n")
		out, err := cli(t, dir, "", "migrate")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("config %q: error %v (output %q), want one naming %s", c.config, err, out, c.want)
		}
	}
}

func TestUsersTokensAndSeedFromTheCommandLine(t *testing.T) {
	dir := writeConfig(t, "timezone: Europe/Paris\n")
	db := storetest.NewDatabase(t)
	if out, err := cli(t, dir, "", "migrate", "--db", db); err != nil || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %v %s", err, out)
	}
	if out, err := cli(t, dir, "", "seed", "--db", db); err != nil || !strings.Contains(out, "48 Parties") {
		t.Fatalf("seed: %v %s", err, out)
	}
	if out, err := cli(t, dir, "", "seed", "--db", db); err != nil || !strings.Contains(out, "nothing changed") {
		t.Fatalf("seed twice: %v %s", err, out)
	}
	out, err := cli(t, dir, "correct horse battery staple\n", "user", "create", "--db", db,
		"--email", "Desk@Example.org", "--name", "Italy desk", "--role", "party", "--party", "it", "--password-stdin")
	if err != nil || !strings.Contains(out, "created party user desk@example.org") || !strings.Contains(out, "for IT") {
		t.Fatalf("user create: %v %s", err, out)
	}
	if strings.Contains(out, "correct horse") {
		t.Error("the password given on standard input was printed")
	}
	out, err = cli(t, dir, "", "user", "create", "--db", db, "--email", "r2@example.org", "--name", "R2", "--role", "rapporteur")
	if err != nil || !strings.Contains(out, "password: ") {
		t.Fatalf("user create with a generated password: %v %s", err, out)
	}
	out, err = cli(t, dir, "", "user", "create", "--db", db, "--email", "ngo@example.org", "--name", "NGO desk", "--role", "stakeholder", "--organisation", "ECPAT")
	if err != nil || !strings.Contains(out, "created stakeholder user ngo@example.org (NGO desk) for ECPAT") {
		t.Fatalf("user create --role stakeholder: %v %s", err, out)
	}
	if _, err := cli(t, dir, "", "user", "create", "--db", db, "--email", "ngo2@example.org", "--name", "N", "--role", "stakeholder"); err == nil ||
		!strings.Contains(err.Error(), "--organisation") {
		t.Errorf("a stakeholder without organisation: %v", err)
	}
	if _, err := cli(t, dir, "", "user", "create", "--db", db, "--email", "x@example.org", "--name", "X", "--role", "king"); err == nil ||
		!strings.Contains(err.Error(), "--role") {
		t.Errorf("a bad role: %v", err)
	}
	if out, err = cli(t, dir, "", "user", "list", "--db", db); err != nil || !strings.Contains(out, "desk@example.org") || !strings.Contains(out, "IT") {
		t.Fatalf("user list: %v %s", err, out)
	}
	out, err = cli(t, dir, "", "token", "create", "--db", db, "--email", "desk@example.org")
	if err != nil || !strings.HasPrefix(out, "fut_") {
		t.Fatalf("token create: %v %s", err, out)
	}
	if _, err := cli(t, dir, "", "token", "create", "--db", db, "--email", "nobody@example.org"); err == nil {
		t.Error("a token for an unknown user was made")
	}
	if _, err := cli(t, dir, "", "frobnicate"); err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Errorf("an unknown command: %v", err)
	}
}

// The command line refuses the passwords the pages refuse, and says which flag brought it.
func TestUserCreateRefusesWeakPasswords(t *testing.T) {
	dir := writeConfig(t, "timezone: Europe/Paris\n")
	db := filepath.Join(dir, "data", "t.db")
	for _, weak := range []string{"            \n", "password1234\n", "Qwerty123456\n"} {
		out, err := cli(t, dir, weak, "user", "create", "--db", db, "--email", "desk@example.org", "--name", "Desk", "--role", "rapporteur", "--password-stdin")
		if err == nil || !strings.HasPrefix(err.Error(), "--password-stdin: ") || strings.Contains(out, "created") {
			t.Errorf("user create with %q: %v %s", weak, err, out)
		}
	}
	if out, err := cli(t, dir, "", "user", "list", "--db", db); err != nil || strings.Contains(out, "desk@example.org") {
		t.Errorf("a refused user was created: %v %s", err, out)
	}
}

// The overview of "followup help" names every kind of file the import command takes, so that
// the Parties import is found without reading the README.
func TestHelpNamesEveryImport(t *testing.T) {
	dir := writeConfig(t, "")
	out, err := cli(t, dir, "", "help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"recommendations", "assessments", "parties", "template"} {
		var line string
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "import ") {
				line = l
			}
		}
		if !strings.Contains(line, want) {
			t.Errorf("the import line of the overview does not name %q: %q", want, line)
		}
	}
}
