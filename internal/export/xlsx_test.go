package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
)

func openXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// find returns the cell name of the first cell of sheet whose value is v.
func find(t *testing.T, f *excelize.File, sheet, v string) (col, row int) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for r, cells := range rows {
		for c, s := range cells {
			if s == v {
				return c + 1, r + 1
			}
		}
	}
	t.Fatalf("%q not found in sheet %s", v, sheet)
	return 0, 0
}

func value(t *testing.T, f *excelize.File, sheet string, col, row int) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cellName(col, row))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func fillOf(t *testing.T, f *excelize.File, sheet string, col, row int) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cellName(col, row))
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Fill.Color) == 0 {
		return ""
	}
	c := strings.ToUpper(strings.TrimPrefix(st.Fill.Color[0], "#"))
	if len(c) == 8 { // ARGB
		c = c[2:]
	}
	return c
}

func TestReportXLSX(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error { return ReportXLSX(b, testReportData("en", followup.BasisAdopted)) })
	f := openXLSX(t, out)
	want := []string{"Summary", "Matrix", "By Party", "By recommendation", "Report"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	for _, s := range want {
		if a1 := value(t, f, s, 1, 1); !strings.Contains(a1, "as of 2019-06-06") && !strings.Contains(a1, "As of 2019-06-06") || strings.Contains(a1, "DRAFT") {
			t.Errorf("%s!A1 = %q, want the title and as-of date and no DRAFT mark", s, a1)
		}
	}

	// Matrix: Parties by name down, recommendations across, status text on the legend's fill.
	col, row := find(t, f, "Matrix", "R1")
	if col != 2 || row != 2 {
		t.Errorf("R1 header at %s, want B2", cellName(col, row))
	}
	_, trRow := find(t, f, "Matrix", "Türkiye")
	_, mkRow := find(t, f, "Matrix", "North Macedonia")
	if got := value(t, f, "Matrix", 2, trRow); got != "✓ Implemented" {
		t.Errorf("Türkiye × R1 = %q", got)
	}
	if got := fillOf(t, f, "Matrix", 2, trRow); got != "8FD18C" {
		t.Errorf("Türkiye × R1 fill %q, want green 8FD18C", got)
	}
	if got := value(t, f, "Matrix", 2, mkRow); got != "? No information" {
		t.Errorf("North Macedonia × R1 = %q", got)
	}
	if got := fillOf(t, f, "Matrix", 2, mkRow); got != "C8C8C8" {
		t.Errorf("North Macedonia × R1 fill %q, want grey", got)
	}
	_, huRow := find(t, f, "Matrix", "Hungary")
	if got := value(t, f, "Matrix", 3, huRow); got != "– Not applicable" {
		t.Errorf("Hungary × R2 = %q", got)
	}
	if got := fillOf(t, f, "Matrix", 3, huRow); got != "D6E6F5" {
		t.Errorf("Hungary × R2 fill %q, want light blue", got)
	}
	if got := value(t, f, "Matrix", 5, huRow); got != "✗ Not implemented" || fillOf(t, f, "Matrix", 5, huRow) != "F08080" {
		t.Errorf("Hungary × R4 = %q on %s", got, fillOf(t, f, "Matrix", 5, huRow))
	}
	if got := value(t, f, "Matrix", 5, trRow); got != "" {
		t.Errorf("Türkiye × R4 (not addressed) = %q, want empty", got)
	}
	panes, err := f.GetPanes("Matrix")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.XSplit != 1 || panes.YSplit != 2 || panes.TopLeftCell != "B3" {
		t.Errorf("Matrix panes %+v, want the header rows and the first column frozen", panes)
	}
	names := f.GetDefinedName()
	var filter string
	for _, n := range names {
		if n.Name == "_xlnm._FilterDatabase" && n.Scope == "Matrix" {
			filter = n.RefersTo
		}
	}
	if filter != "'Matrix'!$A$2:$E$7" {
		t.Errorf("Matrix autofilter %q, want 'Matrix'!$A$2:$E$7 (defined names %+v)", filter, names)
	}

	// Summary: overall score as a percentage and counts.
	_, overallRow := find(t, f, "Summary", "Overall") // the section title, then the header, then the line
	overallRow++
	if got := value(t, f, "Summary", 1, overallRow+1); got != "Overall" {
		t.Fatalf("Summary overall line: A%d = %q", overallRow+1, got)
	}
	// 16 follow-ups: 4 implemented, 4 partially, 3 not implemented, 2 no information,
	// 1 not applicable, 2 pending: (4 + 2) / 13 = 46%.
	if got := value(t, f, "Summary", 3, overallRow+1); got != "46%" {
		t.Errorf("overall score %q, want 46%%", got)
	}
	// The base of the score: 13 follow-ups with a status that counts.
	if got, head := value(t, f, "Summary", 4, overallRow+1), value(t, f, "Summary", 4, overallRow); got != "13" || head != "Based on" {
		t.Errorf("overall base %q under %q, want 13 under Based on", got, head)
	}
	if got := value(t, f, "Summary", 5, overallRow+1); got != "4" {
		t.Errorf("overall implemented %q, want 4", got)
	}
	if got := value(t, f, "Summary", 11, overallRow+1); got != "16" {
		t.Errorf("overall total %q, want 16", got)
	}
	for _, s := range []string{"By category", "By recommendation", "By Party", "Legend"} {
		find(t, f, "Summary", s)
	}
	_, tr := find(t, f, "Summary", "Türkiye")
	if got := value(t, f, "Summary", 2, tr); got != "TR" {
		t.Errorf("Summary Türkiye code %q", got)
	}

	// By Party: the follow-ups with dates and comments.
	_, r := find(t, f, "By Party", "Transit zone at Röszke: improvements noted.")
	if got := value(t, f, "By Party", 1, r); got != "Hungary" {
		t.Errorf("By Party row of the Röszke comment: %q", got)
	}
	if got := value(t, f, "By Party", 6, r); got != "2019-06-06" {
		t.Errorf("By Party adopted on %q", got)
	}
	// The deadline and the stage of the follow-up on the day.
	if due, state := value(t, f, "By Party", 8, r), value(t, f, "By Party", 9, r); due != "2018-03-03" || state != "Adopted" {
		t.Errorf("By Party deadline %q and stage %q, want 2018-03-03 and Adopted", due, state)
	}
	if head := value(t, f, "By recommendation", 9, 2); head != "State" {
		t.Errorf("By recommendation I2 = %q, want the State heading", head)
	}
	_, r4 := find(t, f, "By recommendation", "R4")
	if state := value(t, f, "By recommendation", 9, r4); state != "Submitted" {
		t.Errorf("By recommendation R4/HU stage %q, want Submitted", state)
	}
	// Spreadsheet cells are typed strings, never formulas.
	if _, r := find(t, f, "By recommendation", "=1+1"); r == 0 {
		t.Error("the =1+1 comment is missing")
	}
	if fs, _ := f.GetCellFormula("By recommendation", "G3"); fs != "" {
		t.Errorf("a formula in a comment cell: %q", fs)
	}

	// Report metadata.
	for _, v := range []string{testReport.Title, "T-ES(2017)11", "Special report", "2017-03-03", "Adopted assessments only", "2019-06-07 09:30 UTC"} {
		find(t, f, "Report", v)
	}
}

func TestReportXLSXFrenchDraft(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error { return ReportXLSX(b, testReportData("fr", followup.BasisDraft)) })
	f := openXLSX(t, out)
	want := []string{"Synthèse", "Matrice", "Par Partie", "Par recommandation", "Rapport"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	for _, s := range want {
		if a1 := value(t, f, s, 1, 1); !strings.HasPrefix(a1, "PROJET") {
			t.Errorf("%s!A1 = %q, want the DRAFT (PROJET) banner", s, a1)
		}
		if fill := fillOf(t, f, s, 1, 1); fill != "C00000" {
			t.Errorf("%s!A1 fill %q, want red", s, fill)
		}
	}
	_, r := find(t, f, "Matrice", "Macédoine du Nord")
	if got := value(t, f, "Matrice", 2, r); got != "? Aucune information" {
		t.Errorf("Macédoine du Nord × R1 = %q", got)
	}
	find(t, f, "Matrice", "République de Moldova")
	_, r = find(t, f, "Synthèse", "Ensemble")
	if got := value(t, f, "Synthèse", 1, r+2); got != "Ensemble" {
		t.Errorf("Synthèse: %q", got)
	}
}

func TestReportXLSXEnglishDraft(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error { return ReportXLSX(b, testReportData("en", followup.BasisDraft)) })
	f := openXLSX(t, out)
	for _, s := range f.GetSheetList() {
		if a1 := value(t, f, s, 1, 1); !strings.HasPrefix(a1, "DRAFT") {
			t.Errorf("%s!A1 = %q, want the DRAFT banner", s, a1)
		}
		panes, err := f.GetPanes(s)
		if err != nil || !panes.Freeze || panes.YSplit < 1 {
			t.Errorf("%s: the banner row is not frozen: %+v %v", s, panes, err)
		}
	}
}

func TestDossierXLSX(t *testing.T) {
	for _, c := range []struct {
		lang   string
		draft  bool
		sheets []string
	}{
		{"en", false, []string{"Summary", "Follow-ups", "Party"}},
		{"fr", true, []string{"Synthèse", "Suivis", "Partie"}},
	} {
		out := render(t, func(b *bytes.Buffer) error { return DossierXLSX(b, testDossierData(c.lang, c.draft)) })
		f := openXLSX(t, out)
		if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(c.sheets, "|") {
			t.Fatalf("sheets %q, want %q", got, c.sheets)
		}
		for _, s := range c.sheets {
			if a1 := value(t, f, s, 1, 1); strings.HasPrefix(a1, "PROJET") != c.draft {
				t.Errorf("%s!A1 = %q (draft %v)", s, a1, c.draft)
			}
		}
		fs := c.sheets[1]
		_, r := find(t, f, fs, "R4")
		wantStatus := map[bool]string{false: "✗ Not implemented", true: "◐ Partiellement mise en œuvre"}[c.draft]
		if got := value(t, f, fs, 7, r); got != wantStatus {
			t.Errorf("R4 status %q, want %q", got, wantStatus)
		}
		wantFill := map[bool]string{false: "F08080", true: "FFC766"}[c.draft]
		if got := fillOf(t, f, fs, 7, r); got != wantFill {
			t.Errorf("R4 fill %q, want %q", got, wantFill)
		}
		find(t, f, c.sheets[2], "Hongrie")
	}
}
