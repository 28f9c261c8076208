package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
)

// recsFile is a good recommendations file of n rows, as CSV text and as a workbook.
func recsFile(t testing.TB, n int) (string, []byte) {
	t.Helper()
	rows := [][]any{{"label", "category", "text", "articles", "addressed_to", "due_on"}}
	var sb strings.Builder
	sb.WriteString("label,category,text,articles,addressed_to,due_on\n")
	for i := 1; i <= n; i++ {
		r := []any{fmt.Sprintf("R%d", i), "urge", fmt.Sprintf("Text of recommendation %d.", i), "23; 24", "FR; DE", "2027-01-31"}
		rows = append(rows, r)
		fmt.Fprintf(&sb, "%s,%s,%s,%s,%s,%s\n", r...)
	}
	return sb.String(), xlsxFile(t, rows)
}

// The streaming form reads from any reader, hands over each good row in order, and says how
// far it has gone; the []byte form gives the same rows.
func TestParseRecommendationsStream(t *testing.T) {
	text, book := recsFile(t, 600)
	// excelize writes the dimension of a sheet as A1; a spreadsheet application writes the
	// range it uses, which gives the progress its total.
	noDimension := book
	book = rewriteXLSX(t, book, map[string]func(io.Writer){"xl/worksheets/sheet1.xml": func(w io.Writer) {
		w.Write(bytes.Replace(part(t, noDimension, "xl/worksheets/sheet1.xml"), []byte(`<dimension ref="A1">`), []byte(`<dimension ref="A1:F601">`), 1))
	}})
	for _, c := range []struct {
		name  string
		f     Format
		r     func() io.Reader
		total int // what the progress says before the end
	}{
		{"csv at hand", CSV, func() io.Reader { return strings.NewReader(text) }, 600},
		{"csv from a stream", CSV, func() io.Reader { return iotest.HalfReader(strings.NewReader(text)) }, 0},
		{"xlsx at hand", XLSX, func() io.Reader { return bytes.NewReader(book) }, 600},
		{"xlsx from a stream, spooled", XLSX, func() io.Reader { return iotest.OneByteReader(bytes.NewReader(book)) }, 600},
		{"xlsx without its dimension", XLSX, func() io.Reader { return bytes.NewReader(noDimension) }, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []followup.RecommendationRow
			var progress []Progress
			p := Parser{Progress: func(pr Progress) { progress = append(progress, pr) }}
			s, err := p.ParseRecommendationsStream(c.r(), c.f, func(r followup.RecommendationRow) error {
				got = append(got, r)
				return nil
			})
			if err != nil || len(s.Errors) != 0 || s.ErrorsTotal != 0 {
				t.Fatalf("%v %s", err, errorsOf(s.Errors))
			}
			if len(got) != 600 || s.Rows != 600 || got[599].Row != 601 || got[599].Input.Label != "R600" ||
				strings.Join(got[0].Input.AddressedTo, ",") != "FR,DE" || got[0].Input.DueOn.String() != "2027-01-31" {
				t.Fatalf("%d rows (%d), last %+v", len(got), s.Rows, got[len(got)-1])
			}
			if strings.Join(s.Columns, ",") != "label,category,text,articles,addressed_to,due_on" || s.Letters["due_on"] != "F" {
				t.Errorf("columns %v letters %v", s.Columns, s.Letters)
			}
			want := []Progress{{Rows: 256, Total: c.total}, {Rows: 512, Total: c.total}, {Rows: 600, Total: 600, Done: true}}
			if fmt.Sprint(progress) != fmt.Sprint(want) {
				t.Errorf("progress %v, want %v", progress, want)
			}
			b := ParseRecommendations([]byte(text), CSV)
			if fmt.Sprint(b.Rows) != fmt.Sprint(got) {
				t.Error("the []byte form reads other rows")
			}
		})
	}
}

// The caps are the parser's parameters; the function's error stops the reading; a file over
// MaxBytes is a too_large error.
func TestParserLimits(t *testing.T) {
	text, book := recsFile(t, 20)
	for _, f := range []Format{CSV, XLSX} {
		data := []byte(text)
		if f == XLSX {
			data = book
		}
		b := Parser{Limits: Limits{MaxRows: 5}}.ParseRecommendations(data, f)
		wantError(t, b.Errors, 0, "", "more than 5 rows")
		if len(b.Rows) != 5 {
			t.Errorf("%s: %d rows before the cap", f, len(b.Rows))
		}
		b = Parser{Limits: Limits{MaxCellChars: 20}}.ParseRecommendations(data, f)
		wantError(t, b.Errors, 2, "text", "cell C2 (text): longer than 20 characters")
		b = Parser{Limits: Limits{MaxErrors: 2, MaxCellChars: 20}}.ParseRecommendations(data, f)
		if len(b.Errors) != 2 || b.ErrorsTotal != 20 {
			t.Errorf("%s: %d errors kept of %d", f, len(b.Errors), b.ErrorsTotal)
		}
		b = Parser{Limits: Limits{MaxRowCells: 4}}.ParseRecommendations(data, f)
		wantError(t, b.Errors, 1, "", "6 cells; a row may have at most 4")

		stop := errors.New("enough")
		n := 0
		_, err := Parser{}.ParseRecommendationsStream(bytes.NewReader(data), f, func(followup.RecommendationRow) error {
			if n++; n == 3 {
				return stop
			}
			return nil
		})
		if err != stop || n != 3 {
			t.Errorf("%s: %v after %d rows", f, err, n)
		}
		for _, r := range []io.Reader{bytes.NewReader(data), iotest.HalfReader(bytes.NewReader(data))} {
			_, err = Parser{Limits: Limits{MaxBytes: 100}}.ParseRecommendationsStream(r, f, func(followup.RecommendationRow) error { return nil })
			if followup.ErrorCode(err) != followup.ETooLarge {
				t.Errorf("%s: a file over MaxBytes: %v", f, err)
			}
		}
		b = Parser{Limits: Limits{MaxBytes: 100}}.ParseRecommendations(data, f)
		wantError(t, b.Errors, 0, "", "larger than 100 bytes")
	}
	if got := DefaultLimits(); got.MaxBytes != 10<<20 || got.MaxRows != 10000 || got.MaxCells != 1000100 || got.MaxErrors != 100 {
		t.Errorf("defaults %+v", got)
	}
	if (Parser{}).MaxBytes() != 10<<20 || (Parser{Limits: Limits{MaxBytes: 50 << 20}}).MaxBytes() != 50<<20 {
		t.Error("MaxBytes")
	}
}

// A file on disk is read in place.
func TestParseFromAFile(t *testing.T) {
	_, book := recsFile(t, 3)
	path := filepath.Join(t.TempDir(), "recs.xlsx")
	if err := os.WriteFile(path, book, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := Parser{}.RecommendationsFrom(f, XLSX)
	if err != nil || len(b.Rows) != 3 || len(b.Errors) != 0 {
		t.Fatalf("%v %+v", err, b)
	}
}

// The XLSX reader shows cells as excelize does: text, numbers in general format, booleans,
// rich text, escaped characters, formulas' values.
func TestXLSXValuesAsExcelizeShowsThem(t *testing.T) {
	f := excelize.NewFile()
	values := []any{"plain", "accentué — 中文", 23, 0.1 + 0.2, 1234567.891, int64(123456789012345678), true, false, "x_x000D_y", " spaced ", -4.5, "=not a formula"}
	for i, v := range values {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	_ = f.SetCellRichText("Sheet1", "A3", []excelize.RichTextRun{{Text: "rich "}, {Text: "text", Font: &excelize.Font{Bold: true}}})
	_ = f.SetCellFormula("Sheet1", "B3", "1+1")
	_ = f.SetCellValue("Sheet1", "C3", "after a formula")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	want, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	src, err := newXLSXSource(bytes.NewReader(buf.Bytes()), int64(buf.Len()), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer src.close()
	var raw rawRow
	var got [][]string
	for {
		if err := src.next(100, &raw); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		for len(got) < raw.num-1 {
			got = append(got, nil)
		}
		got = append(got, append([]string(nil), raw.cells...))
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("read\n%q\nexcelize\n%q", got, want)
	}
}

// rewriteXLSX replaces parts of a workbook (nil content: drops the part; a missing part is
// added).
func rewriteXLSX(t testing.TB, data []byte, parts map[string]func(io.Writer)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	done := map[string]bool{}
	write := func(name string, fill func(io.Writer)) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		fill(w)
	}
	for _, f := range zr.File {
		if fill, ok := parts[f.Name]; ok {
			done[f.Name] = true
			if fill != nil {
				write(f.Name, fill)
			}
			continue
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	for name, fill := range parts {
		if !done[name] && fill != nil {
			write(name, fill)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// part returns a part of a workbook.
func part(t testing.TB, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`<dimension ref="A1">`)) && strings.HasSuffix(name, "sheet1.xml") {
		t.Fatalf("no dimension A1 in %s", b[:200])
	}
	return b
}

// sheetXML writes a worksheet whose sheetData is body.
func sheetXML(body string) func(io.Writer) {
	return func(w io.Writer) {
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
			`<row r="1"><c r="A1" t="inlineStr"><is><t>label</t></is></c><c r="B1" t="inlineStr"><is><t>category</t></is></c><c r="C1" t="inlineStr"><is><t>text</t></is></c></row>`+
			body+`</sheetData></worksheet>`)
	}
}

// Workbooks built to make a reader allocate or work without end are refused with a message.
func TestHostileWorkbooks(t *testing.T) {
	base := xlsxFile(t, [][]any{{"label", "category", "text"}, {"R1", "urge", "x"}})
	sheet := "xl/worksheets/sheet1.xml"
	bomb := func(w io.Writer, filler []byte, mib int) { // MiB of filler in the sheet: a few KiB zipped
		var head bytes.Buffer
		sheetXML("")(&head)
		doc := head.String()
		end := strings.Index(doc, "</sheetData>")
		io.WriteString(w, doc[:end])
		filler = bytes.Repeat(filler, (1<<20)/len(filler))
		for range mib {
			w.Write(filler)
		}
		io.WriteString(w, doc[end:])
	}
	deep := strings.Repeat("<x>", 100) + strings.Repeat("</x>", 100)
	small := Limits{MaxCellChars: 1000}
	manyParts := func() []byte {
		var out bytes.Buffer
		zw := zip.NewWriter(&out)
		for i := range maxZipEntries + 1 {
			zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("p%d", i), Method: zip.Store})
		}
		zw.Close()
		return out.Bytes()
	}()
	for _, c := range []struct {
		name string
		data []byte
		lim  Limits
		row  int
		want string
	}{
		// Small limits, for speed: the XML tokens may be 12 × 1,000 + 64 KiB = 77,536 bytes.
		{"zip bomb", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: func(w io.Writer) { bomb(w, []byte("<x/>"), 2) }}), Limits{MaxUnzippedBytes: 1 << 20}, 0, "unzips to more than 1 MiB"},
		{"zip bomb of blanks", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: func(w io.Writer) { bomb(w, []byte(" "), 1) }}), small, 0, "longer than 77,536 bytes"},
		{"a long text", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: sheetXML(`<row r="2"><c r="A2" t="inlineStr"><is><t>` + strings.Repeat("y", 100<<10) + `</t></is></c></row>`)}), small, 0, "longer than 77,536 bytes"},
		{"a long attribute", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: sheetXML(`<row r="2" x="` + strings.Repeat("y", 100<<10) + `"></row>`)}), small, 0, "longer than 77,536 bytes"},
		{"a long comment", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: sheetXML(`<!--` + strings.Repeat("<y>", 40<<10) + `-->`)}), small, 0, "longer than 77,536 bytes"},
		{"a long CDATA section", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: sheetXML(`<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[` + strings.Repeat("<y>", 40<<10) + `]]></t></is></c></row>`)}), small, 0, "longer than 77,536 bytes"},
		{"a document type", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet/>`)
		}}), Limits{}, 0, "document type declaration"},
		{"deep nesting", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: sheetXML(`<row r="2">` + deep + `</row>`)}), Limits{}, 0, "nested too deep"},
		{"too many cells", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: sheetXML(strings.Repeat(`<row><c/><c/><c/><c/></row>`, 50))}), Limits{MaxCells: 100}, 0, "more than 100 cells"},
		{"rows out of order", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: sheetXML(`<row r="5"></row><row r="3"></row>`)}), Limits{}, 0, "row 3 after row 5"},
		{"a bad cell reference", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: sheetXML(`<row r="2"><c r="XFE2" t="inlineStr"><is><t>x</t></is></c></row>`)}), Limits{}, 2, `"XFE2" is not a cell reference`},
		{"a missing shared string", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: sheetXML(`<row r="2"><c r="B2" t="s"><v>99</v></c></row>`)}), Limits{}, 2, "cell B2 refers to shared string 99"},
		{"no worksheet", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: nil}), Limits{}, 0, "its part is missing"},
		{"not XML", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: func(w io.Writer) { io.WriteString(w, "<worksheet><sheetData><row>") }}), Limits{}, 0, "not a readable XLSX workbook"},
		{"an .xls file", append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 600)...), Limits{}, 0, "an .xls file or a password-protected workbook"},
		{"10,001 parts", manyParts, Limits{}, 0, "it holds 10,001 parts"},
		{"a cell far right in the header", rewriteXLSX(t, base, map[string]func(io.Writer){sheet: func(w io.Writer) {
			io.WriteString(w, `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>label</t></is></c><c r="XFD1" t="inlineStr"><is><t>text</t></is></c></row></sheetData></worksheet>`)
		}}), Limits{}, 1, "cell XFD1: beyond the last column a file may have (ALL)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := Parser{Limits: c.lim}.ParseRecommendations(c.data, XLSX)
			wantCodes(t, b.Errors)
			found := false
			for _, e := range b.Errors {
				if e.Row == c.row && strings.Contains(e.Message, c.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("no error on row %d with %q:\n%.500s", c.row, c.want, errorsOf(b.Errors))
			}
		})
	}
}

// Dates: a date cell in a date column is read as YYYY-MM-DD, in either of the spreadsheet's
// date systems.
func TestXLSXDates(t *testing.T) {
	day := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	data := xlsxFile(t, [][]any{{"label", "category", "text", "due_on"}, {"R1", "urge", "x", day}, {"R2", "urge", "x", 46418}})
	b := ParseRecommendations(data, XLSX)
	if len(b.Errors) != 0 || b.Rows[0].Input.DueOn.String() != "2027-01-31" || b.Rows[1].Input.DueOn.String() != "2027-01-31" {
		t.Fatalf("rows %+v errors %s", b.Rows, errorsOf(b.Errors))
	}
	// The same serial number in a workbook of the 1904 date system is four years and a day later.
	book1904 := rewriteXLSX(t, data, map[string]func(io.Writer){"xl/workbook.xml": func(w io.Writer) {
		io.WriteString(w, `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+
			`<workbookPr date1904="1"/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	}})
	b = ParseRecommendations(book1904, XLSX)
	if len(b.Errors) != 0 || b.Rows[1].Input.DueOn.String() != "2031-02-01" {
		t.Fatalf("1904: rows %+v errors %s", b.Rows, errorsOf(b.Errors))
	}
}

// Shared strings beyond what is kept in memory go to a temp file and read back the same.
func TestXLSXManySharedStrings(t *testing.T) {
	rows := [][]any{{"label", "category", "text"}}
	for i := 1; i <= 2200; i++ {
		rows = append(rows, []any{fmt.Sprintf("R%d", i), "urge", fmt.Sprintf("%04d %s", i, strings.Repeat("é", 1000))})
	}
	data := xlsxFile(t, rows)
	src, err := newXLSXSource(bytes.NewReader(data), int64(len(data)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	spilled := src.sst.file != nil
	src.close()
	if !spilled {
		t.Fatal("4.4 MB of shared strings stayed in memory")
	}
	b := ParseRecommendations(data, XLSX)
	if len(b.Errors) != 0 || len(b.Rows) != 2200 || b.Rows[2199].Input.Text != "2200 "+strings.Repeat("é", 1000) {
		t.Fatalf("%d rows, errors %s", len(b.Rows), errorsOf(b.Errors))
	}
}
