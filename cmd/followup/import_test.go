package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if err == nil || !strings.Contains(err.Error(), "4000 error(s)") {
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
