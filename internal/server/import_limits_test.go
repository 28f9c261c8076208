package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"followup/internal/server"
)

// farRightXLSX is a recommendations workbook whose data rows each hold one cell in the last
// column a sheet may have (XFD).
func farRightXLSX(t *testing.T, rows int) []byte {
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

// A hostile or broken file is refused with 422 and a clear message, never an empty 200; the
// answer carries the first 100 errors and the count of all.
func TestImportRefusesHostileFiles(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	path := "/api/v1/reports/rep/import/recommendations?dry_run=true"
	manyErrors := strings.Builder{}
	manyErrors.WriteString("label,category,text\n")
	for i := range 2000 {
		fmt.Fprintf(&manyErrors, "R%d,demand,\n", i)
	}
	for _, c := range []struct {
		name, contentType string
		data              []byte
		message           string // in the error object
		first             string // in the first error
		total             int
	}{
		{"cells far to the right", server.ContentType("xlsx"), farRightXLSX(t, 1000),
			"1000 errors", "cell XFD2: beyond the last column of the header (F)", 1000},
		{"a 10 MiB line of separators", "text/csv", []byte("label,category,text" + strings.Repeat(",", 10<<20-20) + "\n"),
			"10,485,743 cells; a row may have at most 1,000", "10,485,743 cells", 1},
		{"500,000 extra cells in one row", "text/csv", []byte("label,category,text\nR1,urge,x" + strings.Repeat(",y", 500000) + "\n"),
			"500,003 cells; the file has 3 columns", "500,003 cells", 1},
		{"a header and no rows", "text/csv", []byte("label,category,text\n\n"),
			"no rows under its header", "no rows under its header", 1},
		{"2,000 bad rows", "text/csv", []byte(manyErrors.String()),
			"4000 errors", `cell B2 (category): "demand" is not a category`, 4000},
		{"an unknown Party, found against the database", "text/csv", []byte("label,category,text,articles,addressed_to\nR9,urge,x,,XX\n"),
			"1 error in 1 row", "cell E2 (addressed_to): XX is not a known Party", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.upload(path, "secretariat", c.contentType, "", c.data)
			if r.status != 422 {
				t.Fatalf("status %d, want 422: %.300s", r.status, r.body)
			}
			if len(r.body) > 64<<10 {
				t.Errorf("a %d-byte answer", len(r.body))
			}
			var a struct {
				Error  struct{ Code, Message string }
				Errors []struct {
					Row     int
					Message string
				}
				ErrorsTotal     int  `json:"errors_total"`
				ErrorsTruncated bool `json:"errors_truncated"`
			}
			if err := json.Unmarshal(r.body, &a); err != nil {
				t.Fatalf("%v: %.300s", err, r.body)
			}
			if a.Error.Code != "invalid" || !strings.Contains(a.Error.Message, c.message) {
				t.Errorf("error %+v, want a message with %q", a.Error, c.message)
			}
			if len(a.Errors) == 0 || !strings.Contains(a.Errors[0].Message, c.first) {
				t.Fatalf("first error %+v, want %q", a.Errors, c.first)
			}
			if a.ErrorsTotal != c.total || len(a.Errors) != min(c.total, 100) || a.ErrorsTruncated != (c.total > 100) {
				t.Errorf("%d errors shown of %d (truncated %v), want %d of %d", len(a.Errors), a.ErrorsTotal, a.ErrorsTruncated, min(c.total, 100), c.total)
			}
		})
	}
}

// The upload page shows the first 100 errors and says how many there are.
func TestImportPageShowsTheFirstErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sec := e.browser()
	sec.login("secretariat")
	p := sec.upload("/manage/reports/rep/import/recommendations", "far.xlsx", farRightXLSX(t, 1000)).expect(t, 422, "far-right cells")
	for _, want := range []string{"100 of 1000 errors shown", "<code>XFD</code> (XFD2)</td><td>This cell is beyond the last column of the header (F).</td>",
		"1000 errors in the file"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the page lacks %q: %.3000s", want, between(p.body, "<main", "</section>"))
		}
	}
	if n := strings.Count(p.body, "beyond the last column"); n != 100 {
		t.Errorf("%d errors on the page, want 100", n)
	}
}
