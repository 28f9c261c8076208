package importer

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
)

// farRightXLSX is a recommendations workbook whose data rows each hold one cell in the last
// column a sheet may have (XFD): a few bytes per row in the file, 16,384 columns to a reader
// that fills each row up to its last cell.
func farRightXLSX(t testing.TB, rows int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"label", "category", "text", "articles", "addressed_to", "due_on"}); err != nil {
		t.Fatal(err)
	}
	for r := 2; r <= rows+1; r++ {
		if err := sw.SetRow(fmt.Sprintf("XFD%d", r), []any{"x"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A cell far to the right of the header is an error naming the cell, reported once for its
// row; the errors kept are the first 100 and the rest are counted.
func TestXLSXCellBeyondTheHeader(t *testing.T) {
	data := farRightXLSX(t, 1000)
	b := ParseRecommendations(data, XLSX)
	wantError(t, b.Errors, 2, "XFD", "cell XFD2: beyond the last column of the header (F)")
	if len(b.Errors) != 100 {
		t.Errorf("%d errors kept, want the first 100", len(b.Errors))
	}
	for _, e := range b.Errors {
		if !strings.Contains(e.Message, "beyond the last column") {
			t.Errorf("a row whose only cell is beyond the header has another error: %s", e)
		}
	}
	if len(b.Rows) != 0 {
		t.Errorf("%d rows accepted", len(b.Rows))
	}

	// A good row with a stray cell far to the right is refused for the stray cell alone.
	data = xlsxFile(t, [][]any{
		{"label", "category", "text"},
		{"R1", "urge", "Fine."},
	})
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	_ = f.SetCellStr("Sheet1", "XFD3", "stray")
	_ = f.SetSheetRow("Sheet1", "A3", &[]any{"R2", "invite", "Also fine."})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b = ParseRecommendations(buf.Bytes(), XLSX)
	wantError(t, b.Errors, 3, "XFD", "cell XFD3: beyond the last column of the header (C)")
	if len(b.Errors) != 1 || len(b.Rows) != 1 || b.Rows[0].Input.Label != "R1" {
		t.Errorf("rows %+v errors:\n%s", b.Rows, errorsOf(b.Errors))
	}
}

// A cell longer than 100,000 characters is refused while it is read, naming its cell.
func TestCSVCellTooLong(t *testing.T) {
	long := strings.Repeat("x", 100001)
	for _, c := range []struct {
		name, data string
		row        int
		column     string
		cell       string
	}{
		{"data cell", "label,category,text\nR1,urge," + long + "\n", 2, "text", "C2"},
		{"quoted data cell", "label,category,text\nR1,urge,\"" + long + "\"\n", 2, "text", "C2"},
		{"header cell", "label,category,\"" + long + "\"\n", 1, "", "C1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := ParseRecommendations([]byte(c.data), CSV)
			found := false
			for _, e := range b.Errors {
				if e.Row == c.row && strings.Contains(e.Message, "cell "+c.cell) && strings.Contains(e.Message, "longer than 100,000 characters") {
					found = true
				}
			}
			if !found {
				t.Errorf("no error naming cell %s as longer than 100,000 characters:\n%.500s", c.cell, errorsOf(b.Errors))
			}
			if len(b.Rows) != 0 {
				t.Errorf("rows accepted: %d", len(b.Rows))
			}
		})
	}
	// Exactly the limit is a cell like another (the domain then says the text is too long).
	b := ParseRecommendations([]byte("label,category,text\nR1,urge,"+long[1:]+"\n"), CSV)
	wantError(t, b.Errors, 2, "text", "the text has 100000 characters; at most 20000 are allowed")
}

// A row with far more cells than the header has columns is refused as a whole, with the
// count; a one-line file of separators is not an empty file.
func TestCSVTooManyCells(t *testing.T) {
	b := ParseRecommendations([]byte("label,category,text\nR1,urge,x"+strings.Repeat(",", 4999)+"\n"), CSV)
	wantError(t, b.Errors, 2, "", "5,002 cells; the file has 3 columns")
	if len(b.Errors) != 1 {
		t.Errorf("%d errors:\n%s", len(b.Errors), errorsOf(b.Errors))
	}
	// A header followed by ten million separators (10 MiB on one line).
	line := "label,category,text" + strings.Repeat(",", 10<<20-len("label,category,text")-1) + "\n"
	b = ParseRecommendations([]byte(line), CSV)
	wantError(t, b.Errors, 1, "", "10,485,743 cells; a row may have at most 1,000")
	// A few empty cells after the last column are what spreadsheets write: no error.
	b = ParseRecommendations([]byte("label,category,text,,\nR1,urge,x,,\n"), CSV)
	if len(b.Errors) != 0 || len(b.Rows) != 1 {
		t.Errorf("trailing empty cells: rows %+v errors:\n%s", b.Rows, errorsOf(b.Errors))
	}
	// A cell with data after the last column names its cell.
	b = ParseRecommendations([]byte("label,category,text\nR1,urge,x,,extra\n"), CSV)
	wantError(t, b.Errors, 2, "E", "cell E2: beyond the last column of the header (C)")
}

// A file with a header and nothing under it imports nothing: it is an error, not an empty
// plan.
func TestNoDataRows(t *testing.T) {
	for name, data := range map[string][]byte{
		"header only":       []byte("label,category,text\n"),
		"header and blanks": []byte("label,category,text\n\n,,\n  \n"),
		"xlsx header only":  xlsxFile(t, [][]any{{"label", "category", "text"}}),
	} {
		f := CSV
		if strings.HasPrefix(name, "xlsx") {
			f = XLSX
		}
		b := ParseRecommendations(data, f)
		wantError(t, b.Errors, 0, "", "no rows under its header")
	}
}

// Errors are capped: the first 100 are kept, all are counted.
func TestErrorsCapped(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("label,category,text\n")
	for i := range 2000 {
		fmt.Fprintf(&sb, "R%d,demand,\n", i) // two errors a row
	}
	b := ParseRecommendations([]byte(sb.String()), CSV)
	if len(b.Errors) != 100 {
		t.Fatalf("%d errors kept, want 100", len(b.Errors))
	}
	wantError(t, b.Errors, 2, "category", `cell B2 (category): "demand" is not a category`)
	wantError(t, b.Errors, 2, "text", "cell C2 (text): the text is required")
	if last := b.Errors[99]; last.Row != 51 {
		t.Errorf("the 100th error is on row %d, want 51 (two a row from row 2)", last.Row)
	}
	if b.ErrorsTotal != 4000 {
		t.Errorf("%d errors counted, want 4000", b.ErrorsTotal)
	}
	b2 := ParseAssessments([]byte(strings.ReplaceAll(sb.String(), "label,category,text", "label,party,status,assessed_on")), CSV, today)
	if len(b2.Errors) != 100 || b2.ErrorsTotal != 6000 {
		t.Errorf("assessments: %d errors kept of %d, want 100 of 6000 (three a row)", len(b2.Errors), b2.ErrorsTotal)
	}
	// A parser with other limits keeps other numbers.
	b = Parser{Limits: Limits{MaxErrors: 3}}.ParseRecommendations([]byte(sb.String()), CSV)
	if len(b.Errors) != 3 || b.ErrorsTotal != 4000 {
		t.Errorf("%d errors kept of %d, want 3 of 4000", len(b.Errors), b.ErrorsTotal)
	}
	if got := followup.ImportError(b.Errors[0]).String(); got != `cell B2 (category): "demand" is not a category (urge, consider, invite)` {
		t.Errorf("error %q", got)
	}
}
