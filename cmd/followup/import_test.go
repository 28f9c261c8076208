package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"followup/internal/importtest"
	"followup/internal/storetest"
)

// The import command lists the first 100 errors of a bad file, naming their cells, and says
// how many there are; a file with a header and no rows is an error.
func TestImportCommandListsTheFirstErrors(t *testing.T) {
	dir := writeConfig(t, "timezone: Europe/Paris\n")
	db := filepath.Join(dir, "t.db")
	if out, err := cli(t, dir, "", "seed", "--db", db); err != nil {
		t.Fatalf("seed: %v %s", err, out)
	}
	var sb strings.Builder
	sb.WriteString("label,category,text\n")
	for i := range 2000 {
		fmt.Fprintf(&sb, "R%d,demand,\n", i) // two errors a row
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := cli(t, dir, "", "import", "recommendations", "--db", db, "--report", "refugee-crisis-2017", bad, "--dry-run")
	if err == nil || !strings.Contains(err.Error(), "4000 errors") {
		t.Errorf("error %v, want one counting 4000 errors", err)
	}
	if n := strings.Count(out, "error: "); n != 100 {
		t.Errorf("%d errors listed, want 100:\n%.500s", n, out)
	}
	if !strings.Contains(out, `error: cell B2 (category): "demand" is not a category`) || !strings.Contains(out, "100 of 4000 errors listed: nothing was imported") {
		t.Errorf("output:\n%.500s\n...\n%s", out, out[max(0, len(out)-300):])
	}
	empty := filepath.Join(dir, "empty.xlsx")
	if out, err := cli(t, dir, "", "import", "template", "recommendations", "--db", db, "-o", empty); err != nil {
		t.Fatalf("template: %v %s", err, out)
	}
	out, err = cli(t, dir, "", "import", "recommendations", "--db", db, "--report", "refugee-crisis-2017", empty)
	if err == nil || !strings.Contains(out, "no rows under its header") {
		t.Errorf("the empty template: %v\n%s", err, out)
	}
}

// Parties in bulk from the command line, and a large recommendations file: the rows read are
// told on standard error as the file is read, the first 1000 rows listed with the counts of all.
func TestImportPartiesAndALargeFile(t *testing.T) {
	dir := writeConfig(t, "timezone: Europe/Paris\nimport:\n  max_rows: 3000\n")
	db := storetest.NewDatabase(t)
	if out, err := cli(t, dir, "", "seed", "--db", db); err != nil {
		t.Fatalf("seed: %v %s", err, out)
	}
	parties := filepath.Join(dir, "parties.csv")
	os.WriteFile(parties, []byte("code,name_en,name_fr,joined_on\nZA,South Africa,Afrique du Sud,1996-06-16\nFR,France,France,\nDE,Federal Republic of Germany,Allemagne,\n"), 0o600)
	out, err := cli(t, dir, "", "import", "parties", parties, "--db", db, "--dry-run")
	if err != nil || !strings.Contains(out, "dry run: 1 to create, 1 to update, 1 unchanged") || !strings.Contains(out, "ROW  CODE  ACTION") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	out, err = cli(t, dir, "", "import", "parties", "--db", db, parties, "--as", "secretariat@example.org")
	if err != nil || !strings.Contains(out, "imported into the Parties: 1 created, 1 updated, 1 unchanged") || !strings.Contains(out, "import: 3 of 3 rows read") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if out, err := cli(t, dir, "", "import", "parties", "--db", db, parties); err != nil || !strings.Contains(out, "0 created, 0 updated, 3 unchanged") {
		t.Errorf("again: %v\n%s", err, out)
	}
	if _, err := cli(t, dir, "", "import", "parties", "--db", db, parties, "--as", "rapporteur@example.org"); err == nil {
		t.Error("a rapporteur imported Parties")
	}

	recs := filepath.Join(dir, "recs.xlsx")
	f, err := os.Create(recs)
	if err != nil {
		t.Fatal(err)
	}
	if err := importtest.WriteXLSX(f, 2500, []string{"FR", "DE", "HU"}, 4); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, err = cli(t, dir, "", "import", "recommendations", "--db", db, "--report", "demo-fictional", recs)
	if err != nil || !strings.Contains(out, "imported into demo-fictional: 2500 created, 0 updated, 0 unchanged") ||
		!strings.Contains(out, "import: 256 rows read") || !strings.Contains(out, "import: 2500 of 2500 rows read") ||
		!strings.Contains(out, "(the first 1000 of 2500 rows are listed)") {
		t.Fatalf("import: %v\n%.600s\n...\n%s", err, out, out[max(0, len(out)-400):])
	}
	// Over the configured import.max_rows: refused, nothing written.
	big := filepath.Join(dir, "big.csv")
	os.WriteFile(big, importtest.CSV(3001, []string{"FR"}, 5), 0o600)
	out, err = cli(t, dir, "", "import", "recommendations", "--db", db, "--report", "demo-fictional", big)
	if err == nil || !strings.Contains(out, "the file has more than 3,000 rows") {
		t.Errorf("a file over import.max_rows: %v\n%s", err, out[max(0, len(out)-400):])
	}
}
