package export

import (
	"bytes"
	"strings"
	"testing"

	"followup/internal/followup"
)

// A report invented for demonstration is marked FICTIONAL on every page of its PDF and every
// sheet of its workbook (the PDF checked last: without pdftotext it is skipped), even when its title is long enough for the running head to be cut;
// a real report never is.
func TestFictionalReportMarked(t *testing.T) {
	for _, tc := range []struct {
		name   string
		report followup.Report
		lang   string
		mark   string
		want   bool
	}{
		{"real", testReport, "en", "FICTIONAL", false},
		{"fictional, long title", followup.Report{Slug: "demo-fictional", Kind: followup.OtherReport,
			Title:  "A report with a title long enough for any running head to be cut before its end: " + strings.Repeat("words ", 30) + "(fictional)",
			DocRef: "DEMO", AdoptedOn: testReport.AdoptedOn, Parties: testReport.Parties}, "en", "FICTIONAL", true},
		{"fictional, French", followup.Report{Slug: "demo-fictional", Kind: followup.OtherReport, Title: "Demonstration report (fictional)",
			AdoptedOn: testReport.AdoptedOn, Parties: testReport.Parties}, "fr", "FICTIF", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := testReportData(tc.lang, followup.BasisAdopted)
			d.Report = tc.report
			f := openXLSX(t, render(t, func(b *bytes.Buffer) error { return ReportXLSX(b, d) }))
			for _, sheet := range f.GetSheetList() {
				first, err := f.GetCellValue(sheet, "A1")
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.HasPrefix(first, tc.mark); got != tc.want {
					t.Errorf("sheet %s opens with %q: marked %s = %v, want %v", sheet, first, tc.mark, got, tc.want)
				}
			}
			pages := pdfText(t, render(t, func(b *bytes.Buffer) error { return ReportPDF(b, d) }))
			for i, p := range pages {
				if got := strings.Contains(p, tc.mark); got != tc.want {
					t.Errorf("PDF page %d: marked %s = %v, want %v:\n%s", i+1, tc.mark, got, tc.want, p)
				}
			}
		})
	}
}
