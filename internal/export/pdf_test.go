package export

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"followup/internal/followup"
)

// pdfText extracts the text of a PDF, page by page, with pdftotext (Debian's poppler-utils).
// Without it the test fails: the PDF checks are part of the suite, not optional.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		// make test needs nothing but Go and gcc; CI installs poppler-utils and must not skip.
		if os.Getenv("CI") == "" {
			t.Skipf("pdftotext is not on PATH (Debian: apt-get install -y poppler-utils); the PDF's text is not checked: %v", err)
		}
		t.Fatalf("pdftotext is not on PATH: install Debian's poppler-utils (apt-get install -y poppler-utils) to run the PDF tests: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
	}
	path := filepath.Join(t.TempDir(), "export.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f\n"), "\f")
	return pages
}

func TestReportPDF(t *testing.T) {
	d := testReportData("en", followup.BasisAdopted)
	pages := pdfText(t, render(t, func(b *bytes.Buffer) error { return ReportPDF(b, d) }))
	text := strings.Join(pages, "\n")
	for _, want := range []string{
		"Compliance summary",
		"Protecting children affected by the refugee crisis",
		"T-ES(2017)11",
		"As of 2019-06-06",
		"Türkiye", "North Macedonia", "Republic of Moldova", "Röszke",
		"Overall", "By recommendation", "By Party", "Score by Party",
		"Matrix: Parties × recommendations",
		"46%",
		"75% base 2/3", // Austria: the base of its score, beside its bar
		"Based",
		"✓ Impl.",
		"Page 1 / " + itoa(len(pages)),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF has no %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "DRAFT") {
		t.Error("an adopted-basis PDF is marked DRAFT")
	}
}

func TestReportPDFFrenchDraft(t *testing.T) {
	d := testReportData("fr", followup.BasisDraft)
	pages := pdfText(t, render(t, func(b *bytes.Buffer) error { return ReportPDF(b, d) }))
	text := strings.Join(pages, "\n")
	for _, want := range []string{"Synthèse de la conformité", "Türkiye", "Macédoine du Nord", "République de Moldova", "Röszke", "Situation au 2019-06-06", "Mise en œuvre"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF has no %q:\n%s", want, text)
		}
	}
	for i, p := range pages {
		if !strings.Contains(p, "PROJET") {
			t.Errorf("page %d is not marked PROJET (DRAFT):\n%s", i+1, p)
		}
	}
}

func TestReportPDFDraftEveryPage(t *testing.T) {
	d := testReportData("en", followup.BasisDraft)
	pdf := render(t, func(b *bytes.Buffer) error { return ReportPDF(b, d) })
	pages := pdfText(t, pdf)
	if len(pages) < 3 {
		t.Fatalf("%d pages, want the summary, the matrix and the details", len(pages))
	}
	for i, p := range pages {
		if !strings.Contains(p, "DRAFT") {
			t.Errorf("page %d is not marked DRAFT:\n%s", i+1, p)
		}
	}
	if dir := os.Getenv("EXPORT_SAMPLE_DIR"); dir != "" { // to look at a sample
		os.WriteFile(filepath.Join(dir, "report-draft.pdf"), pdf, 0o644)
	}
}

// A report with many recommendations and Parties: the matrix is split across pages both ways,
// with the header row and the Party column repeated.
func TestReportPDFLargeMatrix(t *testing.T) {
	var recs []followup.Recommendation
	var labels []followup.RecommendationTally
	var cells []followup.ComplianceCell
	parties := map[string]followup.Party{}
	for i := 0; i < 40; i++ {
		code := string(rune('A'+i/26)) + string(rune('A'+i%26))
		parties[code] = followup.Party{Code: code, NameEN: "Party " + code, NameFR: "Partie " + code}
	}
	parties["TR"] = testParties["TR"]
	parties["MK"] = testParties["MK"]
	for r := 1; r <= 30; r++ {
		label := "IV-" + itoa(r)
		recs = append(recs, followup.Recommendation{Label: label, Category: followup.Categories[r%3], Text: "Recommendation " + label})
		labels = append(labels, followup.RecommendationTally{Label: label, Category: followup.Categories[r%3]})
		i := 0
		for code := range parties {
			s := followup.Statuses[(r+i)%len(followup.Statuses)]
			cells = append(cells, followup.ComplianceCell{Label: label, Category: followup.Categories[r%3], Party: code, Status: &s, AdoptedOn: adopted})
			i++
		}
	}
	d := followup.ReportExport{Report: testReport, Recommendations: recs, Parties: parties, Lang: "en", GeneratedAt: generatedAt,
		Compliance: followup.Summarize(testReport.Slug, adopted, followup.BasisAdopted, labels, cells)}
	pdf := render(t, func(b *bytes.Buffer) error { return ReportPDF(b, d) })
	pages := pdfText(t, pdf)
	var matrixPages []string
	for _, p := range pages {
		if strings.Contains(p, "Matrix: Parties × recommendations") {
			matrixPages = append(matrixPages, p)
		}
	}
	if len(matrixPages) < 4 {
		t.Fatalf("%d matrix pages, want the 30 columns and 42 rows split both ways", len(matrixPages))
	}
	for i, p := range matrixPages {
		if !strings.Contains(p, "Party") || !strings.Contains(p, "Implemented") {
			t.Errorf("matrix page %d has no header row or legend:\n%s", i+1, p)
		}
	}
	if !strings.Contains(strings.Join(matrixPages, "\n"), "IV-30") || !strings.Contains(strings.Join(matrixPages, "\n"), "(continued)") {
		t.Error("the matrix does not reach IV-30 or does not continue across pages")
	}
	if dir := os.Getenv("EXPORT_SAMPLE_DIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, "report-large.pdf"), pdf, 0o644)
	}
}

func TestDossierPDF(t *testing.T) {
	for _, c := range []struct {
		lang  string
		draft bool
		want  []string
	}{
		{"en", false, []string{"Party dossier", "Hungary (HU)", "Röszke", "Criminalise the solicitation", "As of 2019-06-06", "Not implemented", "no longer addressed"}},
		{"fr", true, []string{"Dossier de la Partie", "Hongrie (HU)", "Röszke", "Partiellement mise en œuvre", "Situation au 2019-06-06"}},
	} {
		pdf := render(t, func(b *bytes.Buffer) error { return DossierPDF(b, testDossierData(c.lang, c.draft)) })
		pages := pdfText(t, pdf)
		text := strings.Join(pages, "\n")
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the dossier PDF has no %q:\n%s", c.lang, w, text)
			}
		}
		for i, p := range pages {
			if strings.Contains(p, "PROJET") != c.draft {
				t.Errorf("%s page %d: PROJET mark %v, want %v", c.lang, i+1, !c.draft, c.draft)
			}
		}
		if dir := os.Getenv("EXPORT_SAMPLE_DIR"); dir != "" {
			os.WriteFile(filepath.Join(dir, "dossier-"+c.lang+".pdf"), pdf, 0o644)
		}
	}
}

func TestClean(t *testing.T) {
	if got := clean("a\tb\rc\x00d\U0001F600e\nf"); got != "a b cd\uFFFDe\nf" {
		t.Errorf("clean = %q", got)
	}
	// Text the font tables cannot index must not crash the PDF.
	d := testReportData("en", followup.BasisAdopted)
	d.Compliance.Cells[0].Comment = "emoji 😀 and \x07 bell"
	d.Report.Title += " 😀"
	render(t, func(b *bytes.Buffer) error { return ReportPDF(b, d) })
}
