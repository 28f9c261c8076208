package importer

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"followup/internal/followup"
)

// rowSource reads a file one row at a time (csvSource, xlsxSource).
type rowSource interface {
	// next reads the next row into row, keeping the values of its first keep cells (the
	// others are only counted). It returns io.EOF after the last row, an importErr when the
	// file cannot be read further, or the error of the underlying reader.
	next(keep int, row *rawRow) error
	// total is how many rows the file says it has, or 0 when that is unknown.
	total() int
	// date turns the value of a date cell written the spreadsheet's way (an XLSX date serial
	// number) into YYYY-MM-DD.
	date(v string) (string, bool)
	close() error
}

// rawRow is one row as a rowSource read it.
type rawRow struct {
	num         int      // the row number a spreadsheet shows
	cells       []string // the values of the first cells kept, by column index
	count       int      // the cells of the row: every CSV field; XLSX cells with a value
	beyond      int      // cells with data at or after the keep limit
	firstBeyond int      // the column index of the first of them, -1 when none
	long        int      // the column index of the first kept cell longer than the limit, -1 when none
}

func (r *rawRow) reset(num int) {
	r.num, r.cells, r.count, r.beyond, r.firstBeyond, r.long = num, r.cells[:0], 0, 0, -1, -1
}

// blank reports whether the row has nothing in it.
func (r *rawRow) blank() bool {
	if r.beyond > 0 || r.long >= 0 {
		return false
	}
	for _, c := range r.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// importErr is a problem of the file that stops the reading, as an error.
type importErr struct{ followup.ImportError }

func (e importErr) Error() string { return e.String() }

// errorList keeps the first errors and counts them all.
type errorList struct {
	max   int
	kept  []followup.ImportError
	total int
}

func (l *errorList) add(e followup.ImportError) {
	l.total++
	if len(l.kept) < l.max {
		l.kept = append(l.kept, e)
	}
}

// record is one data row: its row number and its cells by column (in the order of the
// kind's columns; "" for a column the file does not have).
type record struct {
	row   int
	cols  []column
	cells []string
	bad   bool // the reading found an error in the row already
	skip  bool // the row is not worth checking: its columns are empty, or it could not be read whole
}

// get returns the cell of the named column.
func (r *record) get(name string) string {
	for i, c := range r.cols {
		if c.name == name {
			return r.cells[i]
		}
	}
	return ""
}

// scanner reads a table from a rowSource: the header, then each data row.
type scanner struct {
	src      rowSource
	cols     []column
	lim      Limits
	errs     errorList
	progress func(Progress)
	start    func(columns []string) error // told the columns once the header is read, when set

	headerRow int
	width     int               // the header's cells, up to its last one with a name
	index     []int             // by column index below width: the index in cols, or -1
	letters   map[string]string // column name -> letter in the file
	rows      int               // data rows read
	accepted  int               // rows without errors
}

func newScanner(src rowSource, cols []column, lim Limits, progress func(Progress)) *scanner {
	return &scanner{src: src, cols: cols, lim: lim, errs: errorList{max: lim.MaxErrors}, progress: progress, letters: map[string]string{}}
}

// columns lists the columns the file has, in the kind's order.
func (s *scanner) columns() []string {
	var out []string
	for _, c := range s.cols {
		if _, ok := s.letters[c.name]; ok {
			out = append(out, c.name)
		}
	}
	return out
}

// cellError records an error on a cell of the file, with its code and parameters.
func (s *scanner) cellError(row int, column string, index int, code string, params []string, format string, args ...any) {
	s.errs.add(followup.NewImportError(row, column, code, params, format, args...).At(columnLetter(index)))
}

// fileError records an error of the file, or of a row when row is not 0, with its code and
// parameters.
func (s *scanner) fileError(row int, code string, params []string, format string, args ...any) {
	s.errs.add(followup.NewImportError(row, "", code, params, format, args...))
}

// stop turns what ended the reading into an error kept (the file's problem) or returned (the
// reader's or the caller's).
func (s *scanner) stop(err error) error {
	var ie importErr
	if errors.As(err, &ie) {
		s.errs.add(ie.ImportError)
		return nil
	}
	return err
}

// run reads the file and calls visit with each data row that is not blank. Errors of the
// header stop the reading: the rows are not looked at.
func (s *scanner) run(visit func(*record) error) error {
	var raw rawRow
	for {
		err := s.src.next(s.lim.MaxRowCells, &raw)
		if err == io.EOF {
			cols := strings.Join(names(s.cols), ", ")
			s.fileError(0, CodeFileEmpty, []string{cols}, "the file is empty: it needs a header row (%s) and data rows", cols)
			return nil
		}
		if err != nil {
			return s.stop(err)
		}
		if !raw.blank() {
			break
		}
	}
	if !s.header(&raw) {
		return nil
	}
	if s.start != nil {
		if err := s.start(s.columns()); err != nil {
			return err
		}
	}
	rec := record{cols: s.cols, cells: make([]string, len(s.cols))}
	for {
		err := s.src.next(s.width, &raw)
		if err == io.EOF {
			break
		}
		if err != nil {
			return s.stop(err)
		}
		if raw.blank() {
			continue
		}
		s.rows++
		if s.rows > s.lim.MaxRows {
			s.fileError(0, CodeTooManyRows, []string{strconv.Itoa(s.lim.MaxRows)}, "the file has more than %s rows; split it", thousands(s.lim.MaxRows))
			return nil
		}
		s.record(&raw, &rec)
		if err := visit(&rec); err != nil {
			return err
		}
		if s.progress != nil && s.rows%progressEvery == 0 {
			s.progress(Progress{Rows: s.rows, Total: s.total()})
		}
	}
	if s.rows == 0 {
		s.fileError(0, CodeNoRows, []string{strconv.Itoa(s.headerRow)}, "the file has no rows under its header (row %d): nothing to import", s.headerRow)
	}
	if s.progress != nil {
		s.progress(Progress{Rows: s.rows, Total: s.rows, Done: true})
	}
	return nil
}

// total is the number of data rows the file says it has, or 0.
func (s *scanner) total() int {
	if n := s.src.total() - s.headerRow; n > 0 {
		return n
	}
	return 0
}

// header reads the header row and reports whether it is good.
func (s *scanner) header(raw *rawRow) bool {
	s.headerRow = raw.num
	before := s.errs.total
	switch {
	case raw.count > s.lim.MaxRowCells:
		s.fileError(raw.num, CodeHeaderCells, []string{strconv.Itoa(raw.count), strconv.Itoa(s.lim.MaxRowCells)},
			"%s cells; a row may have at most %s", thousands(raw.count), thousands(s.lim.MaxRowCells))
		return false
	case raw.beyond > 0:
		last := columnLetter(s.lim.MaxRowCells - 1)
		s.cellError(raw.num, "", raw.firstBeyond, CodeBeyondLimit, []string{last}, "beyond the last column a file may have (%s)", last)
		return false
	case raw.long >= 0:
		s.cellError(raw.num, "", raw.long, CodeCellTooLong, []string{strconv.Itoa(s.lim.MaxCellChars)}, "longer than %s characters", thousands(s.lim.MaxCellChars))
		return false
	}
	byName := map[string]int{}
	for i, c := range s.cols {
		byName[c.name] = i
	}
	for i, cell := range raw.cells {
		if strings.TrimSpace(cell) != "" {
			s.width = i + 1
		}
	}
	s.index = make([]int, s.width)
	seen := map[string]int{}
	for i := range s.width {
		s.index[i] = -1
		cell := raw.cells[i]
		name := normalizeHeader(cell)
		if name == "" {
			continue
		}
		j, ok := byName[name]
		if !ok {
			shown := strings.TrimSpace(cell)
			if len([]rune(shown)) > 40 {
				shown = string([]rune(shown)[:40]) + "…"
			}
			cols := strings.Join(names(s.cols), ", ")
			s.cellError(raw.num, shown, i, CodeUnknownColumn, []string{shown, cols}, "unknown column %q: the columns are %s", shown, cols)
			continue
		}
		if k, dup := seen[name]; dup {
			s.cellError(raw.num, name, i, CodeDuplicateColumn, []string{name, columnLetter(k), columnLetter(i)},
				"column %s appears twice (columns %s and %s)", name, columnLetter(k), columnLetter(i))
			continue
		}
		seen[name] = i
		s.index[i] = j
		s.letters[name] = columnLetter(i)
	}
	for _, c := range s.cols {
		if _, ok := seen[c.name]; c.required && !ok {
			s.errs.add(followup.NewImportError(raw.num, c.name, CodeMissingColumn, []string{c.name}, "the required column %s is missing", c.name))
		}
	}
	return s.errs.total == before
}

// record fills rec from a data row, recording what is wrong with the row as read: too many
// cells, a cell too long, data under no column.
func (s *scanner) record(raw *rawRow, rec *record) {
	rec.row, rec.bad, rec.skip = raw.num, false, false
	clear(rec.cells)
	if raw.count > max(s.lim.MaxRowCells, s.width) {
		s.fileError(raw.num, CodeRowCells, []string{strconv.Itoa(raw.count), strconv.Itoa(s.width)},
			"%s cells; the file has %s columns", thousands(raw.count), thousands(s.width))
		rec.bad, rec.skip = true, true
		return
	}
	if raw.long >= 0 {
		column := columnLetter(raw.long)
		if j := s.index[raw.long]; j >= 0 {
			column = s.cols[j].name
		}
		s.cellError(raw.num, column, raw.long, CodeCellTooLong, []string{strconv.Itoa(s.lim.MaxCellChars)}, "longer than %s characters", thousands(s.lim.MaxCellChars))
		rec.bad, rec.skip = true, true
	}
	for i, v := range raw.cells {
		if i == raw.long {
			continue
		}
		j := s.index[i]
		if j < 0 {
			if strings.TrimSpace(v) != "" {
				s.cellError(raw.num, columnLetter(i), i, CodeUnnamedColumn, nil, "has data, but its column has no name in the header")
				rec.bad = true
			}
			continue
		}
		if s.cols[j].date {
			if d, ok := s.src.date(v); ok {
				v = d
			}
		}
		rec.cells[j] = v
	}
	if raw.beyond > 0 {
		last, at := columnLetter(s.width-1), columnLetter(raw.firstBeyond)
		if more := raw.beyond - 1; more > 0 {
			s.cellError(raw.num, at, raw.firstBeyond, CodeBeyondHeaderMore, []string{strconv.Itoa(more), last},
				"beyond the last column of the header (%s), and %s of the row", last, followup.Counted(more, "more cell", "more cells"))
		} else {
			s.cellError(raw.num, at, raw.firstBeyond, CodeBeyondHeader, []string{last}, "beyond the last column of the header (%s)", last)
		}
		rec.bad = true
	}
	if rec.bad && !rec.skip {
		rec.skip = true
		for _, v := range rec.cells {
			if strings.TrimSpace(v) != "" {
				rec.skip = false
				break
			}
		}
	}
}
