package export

import (
	"bytes"
	"strings"
	"testing"

	"followup/internal/followup"
)

// A report export narrowed to a category and some Parties carries the figures of that part
// only, and says so in every format.
func TestReportExportsOfASelection(t *testing.T) {
	d := testReportData("en", followup.BasisAdopted)
	d.Compliance = d.Compliance.Select(followup.Urge, []string{"TR", "HU"})
	const sel = "Category: Urge · Parties: Hungary, Türkiye"

	recs := readCSV(t, render(t, func(b *bytes.Buffer) error { return ReportCSV(b, d) }))
	col := indexOfString(recs[0], "selection")
	if col < 0 {
		t.Fatalf("no selection column in %v", recs[0])
	}
	// Urge × {HU, TR}: R1 HU, R1 TR, R4 HU.
	if len(recs) != 4 {
		t.Fatalf("%d rows, want a header and 3 follow-ups: %v", len(recs), recs)
	}
	party := indexOfString(recs[0], "party_code")
	for _, r := range recs[1:] {
		if r[col] != sel || (r[party] != "HU" && r[party] != "TR") || r[2] != "Urge" {
			t.Errorf("row %v", r)
		}
	}

	f := openXLSX(t, render(t, func(b *bytes.Buffer) error { return ReportXLSX(b, d) }))
	for _, sheet := range f.GetSheetList() {
		if v := value(t, f, sheet, 1, 1); !strings.Contains(v, sel) {
			t.Errorf("sheet %s: banner %q does not name the selection", sheet, v)
		}
	}
	if v := value(t, f, "Summary", 1, 2); v != "These figures cover only this selection: "+sel+"." {
		t.Errorf("summary note %q", v)
	}
	// Overall: R1 HU partially, R1 TR implemented, R4 HU not implemented → 50 %.
	c, r := find(t, f, "Summary", "Overall")
	if v := value(t, f, "Summary", c+2, r+2); v != "50%" {
		t.Errorf("overall score %q, want 50%%", v)
	}
	if _, err := f.GetCellValue("Matrix", "C2"); err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue("Matrix", "C2"); v != "R4" {
		t.Errorf("matrix columns: C2 is %q, want R4 (R2 and R3 are not urged)", v)
	}

	text := strings.Join(pdfText(t, render(t, func(b *bytes.Buffer) error { return ReportPDF(b, d) })), "\n")
	for _, want := range []string{"These figures cover only this selection:", "Category: Urge", "Hungary, Türkiye"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF has no %q", want)
		}
	}

	var js bytes.Buffer
	if err := ReportJSON(&js, d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"selection": {`) || !strings.Contains(js.String(), `"category": "urge"`) {
		t.Errorf("the JSON does not name the selection:\n%.600s", js.String())
	}
}

func indexOfString(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
