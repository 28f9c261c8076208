package main

import (
	"bytes"
	"followup/internal/storetest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestExportAndImportFromTheCommandLine(t *testing.T) {
	dir := writeConfig(t, "timezone: Europe/Paris\n")
	db := storetest.NewDatabase(t)
	if out, err := cli(t, dir, "", "seed", "--db", db); err != nil {
		t.Fatalf("seed: %v %s", err, out)
	}
	// A report's compliance as XLSX, in French, as of a past day: excelize reads it back.
	xlsx := filepath.Join(dir, "r.xlsx")
	out, err := cli(t, dir, "", "export", "report", "refugee-crisis-2017", "--db", db, "--format", "xlsx", "-o", xlsx, "--lang", "fr", "--as-of", "2019-06-06")
	if err != nil || !strings.Contains(out, "wrote "+xlsx) {
		t.Fatalf("export: %v %s", err, out)
	}
	wb, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, sheet := range wb.GetSheetList() {
		rows, _ := wb.GetRows(sheet)
		for _, r := range rows {
			all.WriteString(strings.Join(r, "|"))
			all.WriteByte('\n')
		}
	}
	wb.Close()
	if len(wb.GetSheetList()) < 4 || !strings.Contains(all.String(), "2019-06-06") || !strings.Contains(all.String(), "Türkiye") {
		t.Errorf("sheets %v:\n%.2000s", wb.GetSheetList(), all.String())
	}
	// A Party dossier, the format taken from the file name; the draft basis is marked.
	pdf := filepath.Join(dir, "hu.pdf")
	if out, err := cli(t, dir, "", "export", "party", "hu", "--db", db, "-o", pdf, "--basis", "draft"); err != nil {
		t.Fatalf("export party: %v %s", err, out)
	}
	if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Error("not a PDF")
	}
	out, err = cli(t, dir, "", "export", "report", "demo-fictional", "--db", db, "--format", "csv", "-o", "-", "--basis", "draft")
	if err != nil || !strings.Contains(out, ",DRAFT\n") {
		t.Errorf("draft CSV: %v %.500s", err, out)
	}
	for _, bad := range [][]string{
		{"export", "report", "nope", "--db", db, "-o", "-"},
		{"export", "report", "refugee-crisis-2017", "--db", db, "--format", "doc"},
		{"export", "report", "refugee-crisis-2017", "--db", db, "--lang", "de"},
		{"export", "party", "FR", "--db", db, "--as-of", "tomorrow"},
		{"export", "nothing"},
	} {
		if _, err := cli(t, dir, "", bad...); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}

	// Import: a template, a dry run, the real run, the re-run that changes nothing.
	tmpl := filepath.Join(dir, "template.csv")
	if out, err := cli(t, dir, "", "import", "template", "recommendations", "--db", db, "-o", tmpl); err != nil {
		t.Fatalf("template: %v %s", err, out)
	}
	recs := filepath.Join(dir, "recs.csv")
	body, _ := os.ReadFile(tmpl)
	body = append(body, "R99,urge,A new recommendation.,23,FR;DE,\nD3,consider,A changed text.,,,\n"...)
	if err := os.WriteFile(recs, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = cli(t, dir, "", "import", "recommendations", "--report", "demo-fictional", recs, "--db", db, "--dry-run")
	if err != nil || !strings.Contains(out, "1 to create, 1 to update") {
		t.Fatalf("dry run: %v %s", err, out)
	}
	out, err = cli(t, dir, "", "import", "recommendations", "--db", db, "--report", "demo-fictional", recs)
	if err != nil || !strings.Contains(out, "1 created, 1 updated, 0 unchanged") {
		t.Fatalf("import: %v %s", err, out)
	}
	out, err = cli(t, dir, "", "import", "recommendations", "--db", db, "--report", "demo-fictional", recs)
	if err != nil || !strings.Contains(out, "0 created, 0 updated, 2 unchanged") {
		t.Fatalf("re-import: %v %s", err, out)
	}
	// Assessments in the name of a rapporteur; a party user may not be named.
	as := filepath.Join(dir, "as.csv")
	os.WriteFile(as, []byte("label,party,status,comment,assessed_on\nR99,FR,implemented,Done.,2026-11-01\n"), 0o600)
	if _, err := cli(t, dir, "", "import", "assessments", "--db", db, "--report", "demo-fictional", as, "--as", "party-fr@example.org"); err == nil {
		t.Error("a party user wrote assessments")
	}
	out, err = cli(t, dir, "", "import", "assessments", "--db", db, "--report", "demo-fictional", as, "--as", "rapporteur@example.org")
	if err != nil || !strings.Contains(out, "1 created") {
		t.Fatalf("assessments: %v %s", err, out)
	}
	// A bad file: every error, nothing written, an error exit.
	os.WriteFile(as, []byte("label,party,status,assessed_on\nR99,ZZ,implemented,2026-11-01\nR404,FR,done,2026-11-01\n"), 0o600)
	out, err = cli(t, dir, "", "import", "assessments", "--db", db, "--report", "demo-fictional", as)
	if err == nil || !strings.Contains(out, "cell B2 (party): ZZ is not a known Party") || !strings.Contains(out, "cell C3 (status)") {
		t.Errorf("bad assessments: %v\n%s", err, out)
	}
}
