// Package importer reads recommendations and assessments from CSV or XLSX files and checks
// each row on its own, returning a batch (followup.RecommendationBatch or
// followup.AssessmentBatch) with every error found: row number, column and reason. It is pure:
// it reads bytes and never touches the database. The store plans a batch against the database
// (followup.PlanRecommendations, followup.PlanAssessments) and applies it in one transaction.
//
// A file has a header row naming its columns (any case, in any order; spaces and hyphens count
// as underscores) and one row per recommendation or assessment. Row numbers are those a
// spreadsheet shows: the header is row 1. Empty rows are skipped.
package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
)

// Format is a file format: the domain's, so that a Parser satisfies followup.ImportParser.
type Format = followup.ImportFormat

// Formats.
const (
	CSV  = followup.ImportCSV
	XLSX = followup.ImportXLSX
)

// Limits.
const (
	MaxBytes = 10 << 20 // largest file read
	MaxRows  = 10000    // most data rows in a file
)

// XLSXContentType is the media type of an XLSX file.
const XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// FormatOf tells the format of a file from its name (extension), its media type, or else its
// first bytes (an XLSX file is a ZIP archive).
func FormatOf(name, contentType string, data []byte) (Format, error) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".csv"):
		return CSV, nil
	case strings.HasSuffix(lower, ".xlsx"):
		return XLSX, nil
	}
	ct := strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	switch ct {
	case "text/csv", "application/csv", "text/plain":
		return CSV, nil
	case XLSXContentType:
		return XLSX, nil
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return XLSX, nil
	}
	if ct == "" || ct == "application/octet-stream" {
		return CSV, nil
	}
	return "", followup.Errorf(followup.EInvalid, "cannot import a file of type %q: send CSV (text/csv) or XLSX (%s)", ct, XLSXContentType)
}

// ReadAll reads a file of at most MaxBytes.
func ReadAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBytes {
		return nil, followup.Errorf(followup.ETooLarge, "the file is larger than %d MiB", MaxBytes>>20)
	}
	return data, nil
}

// column describes one column of a file.
type column struct {
	name     string
	required bool
	date     bool
	help     string
}

// RecommendationColumns are the columns of a recommendations file.
var recommendationColumns = []column{
	{name: "label", required: true, help: "the recommendation's label, unique in the report (R7, IV-3, xv)"},
	{name: "category", required: true, help: "urge, consider or invite"},
	{name: "text", required: true, help: "the text of the recommendation"},
	{name: "articles", help: "Convention article numbers separated by ; or , (e.g. 23; 24)"},
	{name: "addressed_to", help: "Party codes separated by ; or , (e.g. FR; DE); empty: every Party the report covers"},
	{name: "due_on", date: true, help: "the deadline, YYYY-MM-DD; empty: the report's deadline"},
}

// AssessmentColumns are the columns of an assessments file.
var assessmentColumns = []column{
	{name: "label", required: true, help: "the label of one of the report's recommendations"},
	{name: "party", required: true, help: "the Party's ISO code (FR, DE, ...)"},
	{name: "status", required: true, help: "implemented, partially_implemented, not_implemented, no_information or not_applicable"},
	{name: "comment", help: "the rapporteur's comment"},
	{name: "assessed_on", required: true, date: true, help: "the date of the assessment, YYYY-MM-DD"},
}

// Columns returns the column names of a kind of file, in template order.
func Columns(kind followup.ImportKind) []string {
	var out []string
	for _, c := range columnsOf(kind) {
		out = append(out, c.name)
	}
	return out
}

func columnsOf(kind followup.ImportKind) []column {
	if kind == followup.ImportAssessments {
		return assessmentColumns
	}
	return recommendationColumns
}

// record is one data row: its row number and its cells by column name.
type record struct {
	row   int
	cells map[string]string
	raw   []string
	bad   bool // readTable found an error in the row already
}

// table is a file read: the columns it has and its non-empty data rows.
type table struct {
	columns []string
	records []record
}

// readTable reads a file and checks its header against the columns of kind. Errors in the
// header stop the reading: the rows are not looked at.
func readTable(data []byte, f Format, cols []column) (table, []followup.ImportError) {
	var grid [][]string
	var rowNums []int
	var err error
	switch f {
	case XLSX:
		grid, rowNums, err = readXLSX(data, cols)
	default:
		grid, rowNums, err = readCSV(data)
	}
	if err != nil {
		var ie importErr
		if errors.As(err, &ie) {
			return table{}, []followup.ImportError{ie.ImportError}
		}
		return table{}, []followup.ImportError{{Row: 0, Message: err.Error()}}
	}
	// The header is the first row that is not empty.
	h := 0
	for h < len(grid) && blank(grid[h]) {
		h++
	}
	if h == len(grid) {
		return table{}, []followup.ImportError{{Row: 0, Message: "the file is empty: it needs a header row (" + strings.Join(names(cols), ", ") + ") and data rows"}}
	}
	headerRow := rowNums[h]
	var errs []followup.ImportError
	byName := map[string]column{}
	for _, c := range cols {
		byName[c.name] = c
	}
	index := make([]string, len(grid[h])) // column name of each position, "" when ignored
	seen := map[string]int{}
	for i, cell := range grid[h] {
		name := normalizeHeader(cell)
		if name == "" {
			if columnUsed(grid[h+1:], i) {
				errs = append(errs, followup.ImportError{Row: headerRow, Column: columnLetter(i),
					Message: fmt.Sprintf("column %s has data but no name in the header", columnLetter(i))})
			}
			continue
		}
		if _, ok := byName[name]; !ok {
			errs = append(errs, followup.ImportError{Row: headerRow, Column: strings.TrimSpace(cell),
				Message: fmt.Sprintf("unknown column %q: the columns are %s", strings.TrimSpace(cell), strings.Join(names(cols), ", "))})
			continue
		}
		if j, dup := seen[name]; dup {
			errs = append(errs, followup.ImportError{Row: headerRow, Column: name,
				Message: fmt.Sprintf("column %s appears twice (columns %s and %s)", name, columnLetter(j), columnLetter(i))})
			continue
		}
		seen[name] = i
		index[i] = name
	}
	for _, c := range cols {
		if _, ok := seen[c.name]; c.required && !ok {
			errs = append(errs, followup.ImportError{Row: headerRow, Column: c.name, Message: fmt.Sprintf("the required column %s is missing", c.name)})
		}
	}
	if len(errs) > 0 {
		return table{}, errs
	}
	t := table{}
	for _, c := range cols {
		if _, ok := seen[c.name]; ok {
			t.columns = append(t.columns, c.name)
		}
	}
	for k := h + 1; k < len(grid); k++ {
		cells := grid[k]
		if blank(cells) {
			continue
		}
		if len(t.records) == MaxRows {
			return table{}, []followup.ImportError{{Row: 0, Message: fmt.Sprintf("the file has more than %d rows; split it", MaxRows)}}
		}
		r := record{row: rowNums[k], cells: map[string]string{}, raw: cells}
		for i, v := range cells {
			if i < len(index) && index[i] != "" {
				r.cells[index[i]] = v
			} else if strings.TrimSpace(v) != "" {
				r.bad = true
				errs = append(errs, followup.ImportError{Row: r.row, Column: columnLetter(i),
					Message: fmt.Sprintf("cell %s%d has data but its column has no name in the header", columnLetter(i), r.row)})
			}
		}
		t.records = append(t.records, r)
	}
	return t, errs
}

type importErr struct{ followup.ImportError }

func (e importErr) Error() string { return e.String() }

func names(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}

// normalizeHeader lower-cases a header cell and turns spaces and hyphens into underscores.
func normalizeHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '\t' }), "_")
	return s
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func columnUsed(rows [][]string, i int) bool {
	for _, r := range rows {
		if i < len(r) && strings.TrimSpace(r[i]) != "" {
			return true
		}
	}
	return false
}

// columnLetter returns the spreadsheet name of the column at index i: A, B, ..., Z, AA, ...
func columnLetter(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return strconv.Itoa(i + 1)
	}
	return name
}

// readCSV reads a CSV file: UTF-8 (a byte-order mark is skipped), comma- or
// semicolon-separated (as the header line shows). Row numbers count records, so that they are
// the rows a spreadsheet shows even when a quoted cell spans lines.
func readCSV(data []byte) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, nil, importErr{followup.ImportError{Row: 0, Message: "the file is not UTF-8 text: save it as \"CSV UTF-8\""}}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.Comma = delimiter(data)
	var grid [][]string
	var rows []int
	// csv skips blank lines, which a spreadsheet counts as rows: add them back.
	prevEnd, prevLine, prevRow := int64(0), 1, 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			msg := err.Error()
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				msg = fmt.Sprintf("the file is not valid CSV at line %d: %v", pe.Line, pe.Err)
			}
			return nil, nil, importErr{followup.ImportError{Row: len(grid) + 1, Message: msg}}
		}
		if len(grid) > MaxRows+1 {
			return nil, nil, importErr{followup.ImportError{Row: 0, Message: fmt.Sprintf("the file has more than %d rows; split it", MaxRows)}}
		}
		start, _ := r.FieldPos(0)
		end := r.InputOffset()
		row := prevRow + 1 + max(0, start-prevLine)
		prevLine += bytes.Count(data[prevEnd:end], []byte("\n"))
		prevEnd, prevRow = end, row
		grid = append(grid, rec)
		rows = append(rows, row)
	}
	return grid, rows, nil
}

// delimiter guesses the separator from the first line: a semicolon when it has more
// semicolons than commas (spreadsheets in French save CSV that way), else a comma.
func delimiter(data []byte) rune {
	line := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		line = data[:i]
	}
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		return ';'
	}
	return ','
}

// readXLSX reads the first sheet of an XLSX file. Cells of date columns that hold a date
// serial number (a cell formatted as a date) are read as YYYY-MM-DD.
func readXLSX(data []byte, cols []column) ([][]string, []int, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 32 << 20})
	if err != nil {
		return nil, nil, importErr{followup.ImportError{Row: 0, Message: "the file is not a readable XLSX workbook"}}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, importErr{followup.ImportError{Row: 0, Message: "the workbook has no sheet"}}
	}
	grid, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, nil, importErr{followup.ImportError{Row: 0, Message: "the first sheet cannot be read"}}
	}
	if len(grid) > MaxRows+1000 {
		return nil, nil, importErr{followup.ImportError{Row: 0, Message: fmt.Sprintf("the file has more than %d rows; split it", MaxRows)}}
	}
	raw, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		raw = nil
	}
	dateCols := map[string]bool{}
	for _, c := range cols {
		if c.date {
			dateCols[c.name] = true
		}
	}
	// Find the date columns by the header, then fix their serial numbers.
	h := 0
	for h < len(grid) && blank(grid[h]) {
		h++
	}
	if h < len(grid) {
		for i, cell := range grid[h] {
			if !dateCols[normalizeHeader(cell)] {
				continue
			}
			for k := h + 1; k < len(grid) && k < len(raw); k++ {
				if i >= len(grid[k]) || i >= len(raw[k]) {
					continue
				}
				if d, ok := serialDate(grid[k][i], raw[k][i]); ok {
					grid[k][i] = d
				}
			}
		}
	}
	rows := make([]int, len(grid))
	for i := range grid {
		rows[i] = i + 1
	}
	return grid, rows, nil
}

// serialDate turns a cell that is not written YYYY-MM-DD but holds a date serial number into
// YYYY-MM-DD.
func serialDate(shown, raw string) (string, bool) {
	if _, err := followup.ParseDate("date", strings.TrimSpace(shown)); err == nil {
		return "", false
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || n < 1 || n > 2958465 {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(n, false)
	if err != nil {
		return "", false
	}
	return t.Format("2006-01-02"), true
}
