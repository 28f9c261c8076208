package importer

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
)

var today = followup.MustDate("2026-11-28")

// errorsOf renders errors one per line, "row/column: message", for comparisons.
func errorsOf(errs []followup.ImportError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// wantCodes fails unless every error has a code that pages can say in their language: one of
// the importer's, or a reason of the domain's rules, with the parameters it names.
func wantCodes(t *testing.T, errs []followup.ImportError) {
	t.Helper()
	for _, e := range errs {
		if !slices.Contains(Codes, e.Code) && !slices.Contains(followup.Reasons, e.Code) && e.Code != followup.ImportInvalid {
			t.Errorf("error without a known code: %+v", e)
		}
		for _, p := range e.Params {
			if p == "" {
				t.Errorf("an empty parameter: %+v", e)
			}
		}
	}
}

// wantError fails unless errs has an error on row and column whose message contains part, and
// unless every error has a code (wantCodes).
func wantError(t *testing.T, errs []followup.ImportError, row int, column, part string) {
	t.Helper()
	wantCodes(t, errs)
	for _, e := range errs {
		if e.Row == row && e.Column == column && strings.Contains(e.Message, part) {
			return
		}
	}
	t.Errorf("no error on row %d, column %q containing %q; errors:\n%s", row, column, part, errorsOf(errs))
}

func TestParseRecommendationsValidCSV(t *testing.T) {
	data := "\ufeffLabel,Category,Text,Articles,Addressed To,due_on\n" +
		"R1,urge,Criminalise online solicitation.,23; 24,,\n" +
		"\n" + // a blank line is a row in a spreadsheet
		"R2, Consider ,\"A text, with a comma\nand a line break.\",\"18,19\",fr;de,2027-01-31\n" +
		"R3,invite,Third.,,HU,\n"
	b := ParseRecommendations([]byte(data), CSV)
	if len(b.Errors) != 0 {
		t.Fatalf("errors:\n%s", errorsOf(b.Errors))
	}
	if got := strings.Join(b.Columns, ","); got != "label,category,text,articles,addressed_to,due_on" {
		t.Errorf("columns %s", got)
	}
	if len(b.Rows) != 3 {
		t.Fatalf("%d rows", len(b.Rows))
	}
	r1, r2, r3 := b.Rows[0], b.Rows[1], b.Rows[2]
	if r1.Row != 2 || r2.Row != 4 || r3.Row != 5 {
		t.Errorf("row numbers %d %d %d, want 2 4 5", r1.Row, r2.Row, r3.Row)
	}
	if strings.Join(r1.Input.Articles, "|") != "23|24" || len(r1.Input.AddressedTo) != 0 {
		t.Errorf("R1: %+v", r1.Input)
	}
	if r2.Input.Category != followup.Consider || strings.Join(r2.Input.AddressedTo, "|") != "FR|DE" ||
		r2.Input.DueOn.String() != "2027-01-31" || !strings.Contains(r2.Input.Text, "line break") ||
		strings.Join(r2.Input.Articles, "|") != "18|19" {
		t.Errorf("R2: %+v", r2.Input)
	}
	if strings.Join(r3.Input.AddressedTo, "|") != "HU" {
		t.Errorf("R3: %+v", r3.Input)
	}
}

func TestParseRecommendationsSemicolonCSV(t *testing.T) {
	b := ParseRecommendations([]byte("label;category;text\nR1;urge;Un texte, avec une virgule.\n"), CSV)
	if len(b.Errors) != 0 || len(b.Rows) != 1 || b.Rows[0].Input.Text != "Un texte, avec une virgule." {
		t.Fatalf("%+v", b)
	}
	if b.Has("articles") || !b.Has("text") {
		t.Errorf("columns %v", b.Columns)
	}
}

func TestParseRecommendationsBadRows(t *testing.T) {
	data := "label,category,text,articles,addressed_to,due_on\n" +
		"R1,urge,Fine.,,,\n" +
		"R2,demand,Unknown category.,,,\n" + // 3
		"R3,urge,Bad date.,,,31/12/2027\n" + // 4
		",urge,Missing label.,,,\n" + // 5
		"R1,consider,Same label again.,,,\n" + // 6
		"R4,urge,,,,\n" + // 7: missing text
		"R5,urge,Bad article.,abc,,\n" + // 8
		"R6,urge,Bad Party code.,,France,\n" + // 9
		"R1,urge,Fine.,,,\n" + // 10: repeats row 2
		"R7,,Two errors in one row.,,,2027-02-30\n" // 11
	b := ParseRecommendations([]byte(data), CSV)
	wantError(t, b.Errors, 3, "category", `"demand" is not a category`)
	wantError(t, b.Errors, 4, "due_on", "YYYY-MM-DD")
	wantError(t, b.Errors, 5, "label", "required")
	wantError(t, b.Errors, 6, "label", "also in row 2")
	wantError(t, b.Errors, 7, "text", "required")
	wantError(t, b.Errors, 8, "articles", "article")
	wantError(t, b.Errors, 9, "addressed_to", "two-letter")
	wantError(t, b.Errors, 10, "label", "repeats row 2")
	wantError(t, b.Errors, 11, "category", "required")
	wantError(t, b.Errors, 11, "due_on", "YYYY-MM-DD")
	if len(b.Errors) != 10 {
		t.Errorf("%d errors, want 10:\n%s", len(b.Errors), errorsOf(b.Errors))
	}
	if len(b.Rows) != 1 || b.Rows[0].Input.Label != "R1" {
		t.Errorf("good rows %+v", b.Rows)
	}
}

func TestParseHeaderErrors(t *testing.T) {
	b := ParseRecommendations([]byte("label,Category,colour,text\nR1,urge,blue,x\n"), CSV)
	wantError(t, b.Errors, 1, "colour", `unknown column "colour"`)
	if len(b.Rows) != 0 {
		t.Errorf("rows read despite a bad header: %+v", b.Rows)
	}
	b = ParseRecommendations([]byte("label,text\nR1,x\n"), CSV)
	wantError(t, b.Errors, 1, "category", "required column category is missing")
	b = ParseRecommendations([]byte("label,category,text,LABEL\nR1,urge,x,R1\n"), CSV)
	wantError(t, b.Errors, 1, "label", "appears twice")
	b = ParseRecommendations([]byte(""), CSV)
	wantError(t, b.Errors, 0, "", "empty")
	b = ParseRecommendations([]byte("label,category,text\nR1,urge,x,extra\n"), CSV)
	wantError(t, b.Errors, 2, "D", "cell D2: beyond the last column of the header (C)")
	b = ParseRecommendations([]byte("label,,category,text\nR1,x,urge,x\n"), CSV)
	wantError(t, b.Errors, 2, "B", "cell B2: has data, but its column has no name in the header")
	b = ParseRecommendations([]byte("label,category,text\n\"R1,urge,x\n"), CSV)
	wantError(t, b.Errors, 2, "", "not valid CSV")
	b = ParseRecommendations([]byte("label,category,text\nR1,urge,caf\xe9\n"), CSV)
	wantError(t, b.Errors, 2, "", "not UTF-8")
}

func TestParseAssessments(t *testing.T) {
	data := "LABEL,Party,Status,Comment,Assessed_On\n" +
		"R1,fr,Implemented,Done.,2026-01-10\n" + // 2
		"R1,DE,partly,,2026-01-10\n" + // 3: bad status
		"R1,XYZ,implemented,,2026-01-10\n" + // 4: bad Party code
		"R1,HU,implemented,,\n" + // 5: missing date
		"R1,HU,implemented,,2027-01-01\n" + // 6: in the future
		"R1,FR,not_implemented,Changed my mind.,2026-01-11\n" + // 7: same follow-up again
		"R1,fr,Implemented,Done.,2026-01-10\n" // 8: repeats row 2
	b := ParseAssessments([]byte(data), CSV, today)
	wantError(t, b.Errors, 3, "status", `"partly" is not on the compliance scale`)
	wantError(t, b.Errors, 4, "party", "two-letter")
	wantError(t, b.Errors, 5, "assessed_on", "required")
	wantError(t, b.Errors, 6, "assessed_on", "future")
	wantError(t, b.Errors, 7, "label", "also in row 2")
	wantError(t, b.Errors, 8, "label", "repeats row 2")
	wantError(t, b.Errors, 6, "label", "also in row 5") // R1/HU twice, both wrong anyway
	if len(b.Errors) != 7 {
		t.Errorf("%d errors:\n%s", len(b.Errors), errorsOf(b.Errors))
	}
	if len(b.Rows) != 1 || b.Rows[0].Party != "FR" || b.Rows[0].Input.Status != followup.Implemented || b.Rows[0].Row != 2 {
		t.Errorf("rows %+v", b.Rows)
	}
	// Without a day, the future is left to the store.
	b = ParseAssessments([]byte("label,party,status,assessed_on\nR1,HU,implemented,2027-01-01\n"), CSV, followup.Date{})
	if len(b.Errors) != 0 {
		t.Errorf("errors %s", errorsOf(b.Errors))
	}
}

// xlsxFile builds a workbook whose first sheet holds rows; cells that are time.Time or numbers
// are written as such.
func xlsxFile(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseXLSX(t *testing.T) {
	date, _ := excelize.ExcelDateToTime(46000, false) // a date cell, as a spreadsheet stores it
	data := xlsxFile(t, [][]any{
		{"Label", "Category", "Text", "Articles", "Addressed_to", "Due_on"},
		{"R1", "urge", "Criminalise.", 23, "FR", "2027-01-31"},
		{},
		{"R2", "invite", "Invite.", "18;19", "", date},
		{"R3", "bogus", "Bad.", "", "", ""},
	})
	if f, _ := FormatOf("", "", data); f != XLSX {
		t.Errorf("sniffed %q", f)
	}
	b := ParseRecommendations(data, XLSX)
	wantError(t, b.Errors, 5, "category", "bogus")
	if len(b.Errors) != 1 || len(b.Rows) != 2 {
		t.Fatalf("rows %+v errors:\n%s", b.Rows, errorsOf(b.Errors))
	}
	if b.Rows[0].Input.Articles[0] != "23" || b.Rows[0].Input.DueOn.String() != "2027-01-31" {
		t.Errorf("R1 %+v", b.Rows[0].Input)
	}
	if b.Rows[1].Row != 4 || b.Rows[1].Input.DueOn.String() != date.Format("2006-01-02") {
		t.Errorf("R2 row %d due %s, want 4 and %s", b.Rows[1].Row, b.Rows[1].Input.DueOn, date.Format("2006-01-02"))
	}
	b = ParseRecommendations([]byte("PK\x03\x04 not really a zip"), XLSX)
	wantError(t, b.Errors, 0, "", "not a readable XLSX")
}

// A template reads back with every column known and nothing under its header.
func TestTemplatesReadBack(t *testing.T) {
	for _, kind := range followup.ImportKinds {
		for _, f := range []Format{CSV, XLSX} {
			body, err := Template(kind, f)
			if err != nil {
				t.Fatal(err)
			}
			var sum Summary
			p := Parser{}
			switch kind {
			case followup.ImportRecommendations:
				sum, err = p.ParseRecommendationsStream(bytes.NewReader(body), f, func(followup.RecommendationRow) error { return nil })
			case followup.ImportAssessments:
				sum, err = p.ParseAssessmentsStream(bytes.NewReader(body), f, today, func(followup.AssessmentRow) error { return nil })
			case followup.ImportParties:
				sum, err = p.ParsePartiesStream(bytes.NewReader(body), f, func(followup.PartyRow) error { return nil })
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sum.Columns, Columns(kind)) {
				t.Errorf("%s %s: columns %v, want every column %v", kind, f, sum.Columns, Columns(kind))
			}
			if len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Message, "no rows under its header (row 1)") {
				t.Errorf("%s %s: the empty template has other errors than its lack of rows:\n%s", kind, f, errorsOf(sum.Errors))
			}
		}
	}
}

func TestFormatOf(t *testing.T) {
	for _, c := range []struct {
		name, ct string
		want     Format
		bad      bool
	}{
		{"recs.CSV", "", CSV, false},
		{"recs.xlsx", "", XLSX, false},
		{"", "text/csv; charset=utf-8", CSV, false},
		{"", XLSXContentType, XLSX, false},
		{"", "", CSV, false},
		{"", "application/pdf", "", true},
	} {
		got, err := FormatOf(c.name, c.ct, []byte("label"))
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("FormatOf(%q, %q) = %q, %v", c.name, c.ct, got, err)
		}
	}
}
