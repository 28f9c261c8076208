package importer

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"

	"followup/internal/followup"
)

// csvSource reads a CSV file one record at a time, field by field, so that nothing it holds
// grows with the file: a field's bytes are kept up to MaxCellChars characters (the rest of a
// longer field is read and dropped), and a row's fields up to the number asked for (the others
// are counted). encoding/csv reads a whole line, however long, before it splits it; this reader
// follows its rules otherwise (RFC 4180 quotes, "" for a quote inside quotes, \r\n read as \n,
// no lazy quotes). The file is UTF-8 (a byte-order mark is skipped), comma- or
// semicolon-separated, as its first line shows. Row numbers count records, blank lines
// included, so that they are the rows a spreadsheet shows even when a quoted cell spans lines.
type csvSource struct {
	r        *bufio.Reader
	comma    byte
	maxChars int
	lines    int // the file's line count, when known
	line     int // the line being read, from 1
	row      int // the row being read
	field    []byte
	chars    int  // characters in the field so far
	long     bool // the field has more than maxChars characters
	// The bytes that end a run of plain bytes, outside quotes and inside.
	stopOut, stopIn [256]bool
}

// newCSVSource reads a CSV file from r; lines is its line count when known (0 otherwise).
func newCSVSource(r io.Reader, lim Limits, lines int) (*csvSource, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	first, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	c := &csvSource{r: br, comma: delimiter(first), maxChars: lim.MaxCellChars, lines: lines, line: 1}
	for _, b := range []byte{c.comma, '\n', '\r', '"'} {
		c.stopOut[b] = true
	}
	for _, b := range []byte{'\n', '\r', '"'} {
		c.stopIn[b] = true
	}
	return c, nil
}

// delimiter guesses the separator from the first line: a semicolon when it has more
// semicolons than commas (spreadsheets in French save CSV that way), else a comma.
func delimiter(data []byte) byte {
	line := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		line = data[:i]
	}
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		return ';'
	}
	return ','
}

func (c *csvSource) total() int                 { return c.lines }
func (c *csvSource) date(string) (string, bool) { return "", false }
func (c *csvSource) close() error               { return nil }

func (c *csvSource) next(keep int, row *rawRow) error {
	if _, err := c.r.Peek(1); err != nil {
		return err // io.EOF at the end
	}
	c.row++
	row.reset(c.row)
	for i := 0; ; i++ {
		end, err := c.readField()
		if err != nil {
			return err
		}
		row.count++
		if c.long {
			if i < keep {
				row.cells = append(row.cells, "")
				if row.long < 0 {
					row.long = i
				}
			} else if row.beyond++; row.firstBeyond < 0 {
				row.firstBeyond = i
			}
		} else {
			if !utf8.Valid(c.field) {
				return importErr{followup.NewImportError(c.row, "", CodeNotUTF8File, nil, "the file is not UTF-8 text: save it as \"CSV UTF-8\"")}
			}
			if i < keep {
				row.cells = append(row.cells, string(c.field))
			} else if len(bytes.TrimSpace(c.field)) > 0 {
				if row.beyond++; row.firstBeyond < 0 {
					row.firstBeyond = i
				}
			}
		}
		if end {
			return nil
		}
	}
}

// add appends a byte of the field, up to maxChars characters.
func (c *csvSource) add(b byte) {
	if c.long {
		return
	}
	if b&0xC0 != 0x80 { // not a continuation byte: a new character
		if c.chars++; c.chars > c.maxChars {
			c.long = true
			return
		}
	}
	c.field = append(c.field, b)
}

// addRun appends plain bytes of the field, up to maxChars characters.
func (c *csvSource) addRun(b []byte) {
	if c.long {
		return
	}
	for i, x := range b {
		if x&0xC0 != 0x80 {
			if c.chars++; c.chars > c.maxChars {
				c.long = true
				c.field = append(c.field, b[:i]...)
				return
			}
		}
	}
	c.field = append(c.field, b...)
}

// plain reads bytes up to the next one in stop (left unread) or the end of the file, straight
// from the reader's buffer: most of a file is plain bytes.
func (c *csvSource) plain(stop *[256]bool) error {
	for {
		n := c.r.Buffered()
		if n == 0 {
			if _, err := c.r.Peek(1); err != nil {
				if err == io.EOF {
					return nil
				}
				return err
			}
			n = c.r.Buffered()
		}
		buf, _ := c.r.Peek(n)
		i := 0
		for i < len(buf) && !stop[buf[i]] {
			i++
		}
		c.addRun(buf[:i])
		_, _ = c.r.Discard(i)
		if i < len(buf) {
			return nil
		}
	}
}

// invalid is the error of a file that is not CSV: code says why at line.
func (c *csvSource) invalid(line int, code, why string) error {
	return importErr{followup.NewImportError(c.row, "", code, []string{strconv.Itoa(line)}, "the file is not valid CSV at line %d: %s", line, why)}
}

// readByte reads a byte; at the end of the file it returns ok false and no error.
func (c *csvSource) readByte() (b byte, ok bool, err error) {
	b, err = c.r.ReadByte()
	if err == io.EOF {
		return 0, false, nil
	}
	return b, err == nil, err
}

// readField reads one field and reports whether it ends its record.
func (c *csvSource) readField() (end bool, err error) {
	c.field, c.chars, c.long = c.field[:0], 0, false
	b, ok, err := c.readByte()
	if !ok {
		return true, err
	}
	if b != '"' {
		for {
			switch b {
			case c.comma:
				return false, nil
			case '\n':
				c.line++
				return true, nil
			case '\r':
				nb, ok, err := c.readByte()
				if !ok {
					return true, err
				}
				if nb == '\n' {
					c.line++
					return true, nil
				}
				_ = c.r.UnreadByte()
				c.add('\r')
			case '"':
				return false, c.invalid(c.line, CodeCSVStrayQuote, `a " inside a cell that does not start with one: put the whole cell in quotes, and double each " inside it`)
			default:
				c.add(b)
				if err := c.plain(&c.stopOut); err != nil {
					return false, err
				}
			}
			if b, ok, err = c.readByte(); !ok {
				return true, err
			}
		}
	}
	opened := c.line
	for {
		if err := c.plain(&c.stopIn); err != nil {
			return false, err
		}
		b, ok, err := c.readByte()
		if err != nil {
			return false, err
		}
		if !ok {
			return false, c.invalid(opened, CodeCSVUnclosedQuote, `a cell opened with " is never closed`)
		}
		switch b {
		case '"':
			nb, ok, err := c.readByte()
			if !ok {
				return true, err
			}
			switch nb {
			case '"':
				c.add('"')
			case c.comma:
				return false, nil
			case '\n':
				c.line++
				return true, nil
			case '\r':
				nb2, ok, err := c.readByte()
				if !ok {
					return true, err
				}
				if nb2 == '\n' {
					c.line++
					return true, nil
				}
				return false, c.invalid(c.line, CodeCSVQuoteEnd, `a " ends a quoted cell but is not followed by a separator: double each " inside a quoted cell`)
			default:
				return false, c.invalid(c.line, CodeCSVQuoteEnd, `a " ends a quoted cell but is not followed by a separator: double each " inside a quoted cell`)
			}
		case '\r':
			nb, ok, err := c.readByte()
			if err != nil {
				return false, err
			}
			if ok && nb == '\n' {
				c.line++
				c.add('\n')
			} else {
				if ok {
					_ = c.r.UnreadByte()
				}
				c.add('\r')
			}
		case '\n':
			c.line++
			c.add('\n')
		default:
			c.add(b)
		}
	}
}

// countLines counts the lines of a file at hand (a spooled upload), for progress.
func countLines(r io.ReaderAt, size int64) int {
	buf := make([]byte, 64<<10)
	n, last := 0, byte('\n')
	for off := int64(0); off < size; {
		k, err := r.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		n += bytes.Count(buf[:k], []byte("\n"))
		if k > 0 {
			last = buf[k-1]
		}
		off += int64(k)
		if err != nil {
			break
		}
	}
	if last != '\n' {
		n++
	}
	return n
}
