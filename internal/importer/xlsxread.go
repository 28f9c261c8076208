package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"

	"followup/internal/followup"
)

// The XLSX reader reads the first sheet of a workbook as a stream of XML tokens, straight from
// the zip archive: the cells of a row are kept up to the columns asked for and the others only
// counted, so that a row with one cell in column XFD costs what its bytes cost. excelize's
// row iterator (Rows().Columns()) fills every row up to its last cell, 16,384 strings for a
// cell in XFD, and excelize.OpenReader reads the whole file into memory first; excelize stays
// the library that writes workbooks (the templates) and converts date serial numbers.
//
// What is kept besides one row: the shared strings (in memory up to sstMemory, then in a temp
// file), and the zip directory (at most maxZipEntries parts). Every part read is unzipped
// through an xmlLimiter: at most MaxUnzippedBytes in all, and no XML tag or text longer than
// maxXMLToken bytes (so that the XML decoder's buffer stays small), no document type
// declaration.

// sstMemory is how many bytes of shared strings are kept in memory before they go to a
// temp file.
const sstMemory = 4 << 20

// maxXMLDepth is the deepest nesting of XML elements read; a worksheet needs about ten.
const maxXMLDepth = 64

// notXLSX is the error of a file that cannot be read as a workbook; why, when not empty, says
// what is wrong with it.
func notXLSX(why string) error { return notXLSXFor(CodeXLSXUnreadable, nil, why) }

// notXLSXFor is notXLSX with the code and parameters of a reason that a reader can act on.
func notXLSXFor(code string, params []string, why string) error {
	msg := "the file is not a readable XLSX workbook"
	if why != "" {
		msg += ": " + why
	}
	return importErr{followup.NewImportError(0, "", code, params, "%s", msg)}
}

// sizedReaderAt is a file at hand: a bytes.Reader, a strings.Reader, an io.SectionReader.
type sizedReaderAt interface {
	io.ReaderAt
	Size() int64
}

type xlsxSource struct {
	zr       *zip.Reader
	lim      Limits
	budget   int64 // bytes left to unzip
	sst      *stringTable
	date1904 bool
	sheet    io.Closer
	dec      *xml.Decoder
	depth    int
	dimRows  int // the last row of the sheet's declared dimension
	inData   bool
	done     bool
	lastRow  int
	cells    int // cells read, empty ones included
	text     []byte
	long     bool
	chars    int
}

// newXLSXSource opens the first sheet of a workbook of size bytes.
func newXLSXSource(ra io.ReaderAt, size int64, lim Limits) (*xlsxSource, error) {
	head := make([]byte, 8)
	if _, err := ra.ReadAt(head, 0); err == nil && bytes.Equal(head, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) {
		return nil, notXLSXFor(CodeXLSOrPassword, nil, "it is an .xls file or a password-protected workbook; save it as .xlsx, without a password")
	}
	if n, ok := zipEntries(ra, size); ok && n > maxZipEntries {
		return nil, notXLSXFor(CodeXLSXParts, []string{strconv.Itoa(n)}, fmt.Sprintf("it holds %s parts", thousands(n)))
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, notXLSX("")
	}
	if len(zr.File) > maxZipEntries {
		return nil, notXLSXFor(CodeXLSXParts, []string{strconv.Itoa(len(zr.File))}, fmt.Sprintf("it holds %s parts", thousands(len(zr.File))))
	}
	x := &xlsxSource{zr: zr, lim: lim, budget: lim.MaxUnzippedBytes}
	ok := false
	defer func() {
		if !ok {
			x.close()
		}
	}()
	book := "xl/workbook.xml"
	if target, _, err := x.relationship("_rels/.rels", "", "/officeDocument", ""); err != nil {
		return nil, err
	} else if target != "" {
		book = target
	}
	sheetID, err := x.readWorkbook(book)
	if err != nil {
		return nil, err
	}
	if sheetID == "" {
		return nil, notXLSXFor(CodeXLSXNoSheet, nil, "the workbook has no sheet")
	}
	dir := path.Dir(book)
	rels := path.Join(dir, "_rels", path.Base(book)+".rels")
	sstPath, sheetPath, err := x.relationship(rels, dir, "/sharedStrings", sheetID)
	if err != nil {
		return nil, err
	}
	if sheetPath == "" {
		return nil, notXLSXFor(CodeXLSXFirstSheet, nil, "the first sheet cannot be read (it is not a worksheet)")
	}
	if sstPath == "" && x.file(path.Join(dir, "sharedStrings.xml")) != nil {
		sstPath = path.Join(dir, "sharedStrings.xml")
	}
	if x.sst, err = x.readSharedStrings(sstPath); err != nil {
		return nil, err
	}
	f := x.file(sheetPath)
	if f == nil {
		return nil, notXLSXFor(CodeXLSXFirstSheet, nil, "the first sheet cannot be read (its part is missing)")
	}
	rc, dec, err := x.open(f)
	if err != nil {
		return nil, err
	}
	x.sheet, x.dec, x.depth = rc, dec, 0
	ok = true
	return x, nil
}

// zipEntries reads the number of parts an archive declares in its end record, before
// archive/zip reads the directory (a directory of a million parts is memory too).
func zipEntries(ra io.ReaderAt, size int64) (int, bool) {
	n := min(size, 22+65535)
	buf := make([]byte, n)
	if _, err := ra.ReadAt(buf, size-n); err != nil && err != io.EOF {
		return 0, false
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || i+22 > len(buf) {
		return 0, false
	}
	entries := int(binary.LittleEndian.Uint16(buf[i+10:]))
	if entries == 0xffff { // a zip64 archive, which a workbook of this size never needs
		return 1 << 30, true
	}
	return entries, true
}

// file returns the part named name (exactly, else in another case), or nil.
func (x *xlsxSource) file(name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	var other *zip.File
	for _, f := range x.zr.File {
		if f.Name == name {
			return f
		}
		if other == nil && strings.EqualFold(f.Name, name) {
			other = f
		}
	}
	return other
}

// open unzips a part through an xmlLimiter and returns an XML decoder reading it.
func (x *xlsxSource) open(f *zip.File) (io.Closer, *xml.Decoder, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, nil, notXLSX("")
	}
	lr := &xmlLimiter{r: rc, budget: &x.budget, maxUnzipped: x.lim.MaxUnzippedBytes, maxRun: x.lim.maxXMLToken()}
	dec := xml.NewDecoder(bufio.NewReaderSize(lr, 32<<10))
	return rc, dec, nil
}

// token returns the next XML token of dec, keeping count of the depth.
func (x *xlsxSource) token(dec *xml.Decoder) (xml.Token, error) {
	tok, err := dec.RawToken()
	if err != nil {
		var le limitErr
		if errors.As(err, &le) {
			return nil, notXLSXFor(le.code, le.params, le.msg)
		}
		if err == io.EOF {
			return nil, io.EOF
		}
		if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrAlgorithm) {
			return nil, notXLSX("it is damaged")
		}
		return nil, notXLSX("its XML is not well-formed")
	}
	switch tok.(type) {
	case xml.StartElement:
		if x.depth++; x.depth > maxXMLDepth {
			return nil, notXLSX("its XML is nested too deep")
		}
	case xml.EndElement:
		x.depth--
	}
	return tok, nil
}

// relationship reads a relationships part: the target of the first relationship whose type
// ends with typ, and the target of the one with the given id (targets are resolved against
// dir). A missing part has no relationships.
func (x *xlsxSource) relationship(name, dir, typ, id string) (byType, byID string, err error) {
	f := x.file(name)
	if f == nil {
		return "", "", nil
	}
	rc, dec, err := x.open(f)
	if err != nil {
		return "", "", err
	}
	defer rc.Close()
	x.depth = 0
	for {
		tok, err := x.token(dec)
		if err == io.EOF {
			return byType, byID, nil
		}
		if err != nil {
			return "", "", err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		target := attr(se, "Target")
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(target, "/")
		} else if dir != "" {
			target = path.Join(dir, target)
		}
		t := attr(se, "Type")
		if byType == "" && strings.HasSuffix(t, typ) {
			byType = target
		}
		if id != "" && byID == "" && attr(se, "Id") == id {
			if !strings.HasSuffix(t, "/worksheet") {
				return "", "", notXLSXFor(CodeXLSXFirstSheet, nil, "the first sheet cannot be read (it is not a worksheet)")
			}
			byID = target
		}
	}
}

// readWorkbook reads the workbook part: its date system and the relationship id of its first
// sheet.
func (x *xlsxSource) readWorkbook(name string) (string, error) {
	f := x.file(name)
	if f == nil {
		return "", notXLSX("it has no workbook part")
	}
	rc, dec, err := x.open(f)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	x.depth = 0
	for {
		tok, err := x.token(dec)
		if err == io.EOF {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "workbookPr":
			v := attr(se, "date1904")
			x.date1904 = v == "1" || v == "true"
		case "sheet":
			return attr(se, "id"), nil
		}
	}
}

// attr returns the value of an attribute by its local name.
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// readSharedStrings reads the shared strings part (none when name is "").
func (x *xlsxSource) readSharedStrings(name string) (*stringTable, error) {
	st := &stringTable{}
	if name == "" {
		return st, nil
	}
	f := x.file(name)
	if f == nil {
		return st, nil
	}
	rc, dec, err := x.open(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	x.depth = 0
	inSI, inT, phonetic := false, false, 0
	for {
		tok, err := x.token(dec)
		if err == io.EOF {
			break
		}
		if err != nil {
			st.close()
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI, x.text, x.chars, x.long = true, x.text[:0], 0, false
			case "t":
				inT = inSI && phonetic == 0
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if inSI {
					if len(st.ends) >= x.lim.MaxCells {
						st.close()
						return nil, notXLSXFor(CodeXLSXStrings, []string{strconv.Itoa(x.lim.MaxCells)},
							fmt.Sprintf("it holds more than %s shared strings", thousands(x.lim.MaxCells)))
					}
					if err := st.add(unescapeBSTR(x.text), x.long); err != nil {
						st.close()
						return nil, err
					}
				}
				inSI, inT = false, false
			case "t":
				inT = false
			case "rPh":
				phonetic = max(0, phonetic-1)
			}
		case xml.CharData:
			if inT {
				x.addText(t)
			}
		}
	}
	if err := st.finish(); err != nil {
		st.close()
		return nil, err
	}
	return st, nil
}

// addText appends to the cell's text, up to MaxCellChars characters.
func (x *xlsxSource) addText(b []byte) {
	if x.long {
		return
	}
	n := 0
	for _, c := range b {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	if x.chars+n > x.lim.MaxCellChars {
		x.long = true
		return
	}
	x.chars += n
	x.text = append(x.text, b...)
}

func (x *xlsxSource) total() int { return x.dimRows }

func (x *xlsxSource) date(v string) (string, bool) { return serialDate(v, x.date1904) }

func (x *xlsxSource) close() error {
	if x.sheet != nil {
		x.sheet.Close()
	}
	if x.sst != nil {
		x.sst.close()
	}
	return nil
}

// next reads the next <row> of the sheet data.
func (x *xlsxSource) next(keep int, row *rawRow) error {
	if x.done {
		return io.EOF
	}
	for {
		tok, err := x.token(x.dec)
		if err == io.EOF {
			x.done = true
			return io.EOF
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case !x.inData && t.Name.Local == "dimension":
				x.dimRows = lastRowOf(attr(t, "ref"))
			case !x.inData && t.Name.Local == "sheetData":
				x.inData = true
			case x.inData && t.Name.Local == "row":
				return x.readRow(t, keep, row)
			}
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				x.done = true
				return io.EOF
			}
		}
	}
}

// lastRowOf returns the last row of a range such as A1:F20001.
func lastRowOf(ref string) int {
	if i := strings.LastIndexByte(ref, ':'); i >= 0 {
		ref = ref[i+1:]
	}
	_, r, ok := cellCoordinates(ref)
	if !ok {
		return 0
	}
	return r
}

// cellCoordinates parses a cell reference such as XFD2: the column index (from 0) and the
// row (0 when the reference has no row).
func cellCoordinates(ref string) (col, row int, ok bool) {
	i := 0
	for ; i < len(ref) && i < 3; i++ {
		c := ref[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			break
		}
		col = col*26 + int(c-'A'+1)
	}
	if i == 0 || col > 16384 {
		return 0, 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' || row > 1048576 {
			return 0, 0, false
		}
		row = row*10 + int(c-'0')
	}
	return col - 1, row, true
}

// rowError is the error of a row that cannot be read.
func (x *xlsxSource) rowError(num int, format string, args ...any) error {
	return importErr{followup.NewImportError(num, "", CodeXLSXRow, nil, format, args...)}
}

// readRow reads the cells of a <row> element.
func (x *xlsxSource) readRow(start xml.StartElement, keep int, row *rawRow) error {
	num := x.lastRow + 1
	if v := attr(start, "r"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1048576 {
			return notXLSX(fmt.Sprintf("the sheet has a row numbered %q", v))
		}
		if n <= x.lastRow {
			return notXLSX(fmt.Sprintf("the sheet has row %d after row %d", n, x.lastRow))
		}
		num = n
	}
	x.lastRow = num
	row.reset(num)
	col := 0
	for {
		tok, err := x.token(x.dec)
		if err == io.EOF {
			return notXLSX("the sheet ends in the middle of a row")
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "c" {
				if err := x.skip(); err != nil {
					return err
				}
				continue
			}
			if x.cells++; x.cells > x.lim.MaxCells {
				return importErr{followup.NewImportError(0, "", CodeXLSXCells, []string{strconv.Itoa(x.lim.MaxCells)},
					"the sheet has more than %s cells", thousands(x.lim.MaxCells))}
			}
			idx := col
			if ref := attr(t, "r"); ref != "" {
				c, _, ok := cellCoordinates(ref)
				if !ok {
					return x.rowError(num, "%q is not a cell reference", ref)
				}
				idx = c
			}
			col = idx + 1
			v, err := x.readCell(t, num, idx)
			if err != nil {
				return err
			}
			if v == "" && !x.long {
				continue
			}
			row.count++
			switch {
			case idx >= keep:
				if x.long || strings.TrimSpace(v) != "" {
					if row.beyond++; row.firstBeyond < 0 {
						row.firstBeyond = idx
					}
				}
			default:
				for len(row.cells) <= idx {
					row.cells = append(row.cells, "")
				}
				row.cells[idx] = v
				if x.long && (row.long < 0 || idx < row.long) {
					row.cells[idx] = ""
					row.long = idx
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "row":
				return nil
			case "sheetData":
				return notXLSX("the sheet ends in the middle of a row")
			}
		}
	}
}

// skip reads to the end of the element just started.
func (x *xlsxSource) skip() error {
	depth := x.depth
	for x.depth >= depth {
		if _, err := x.token(x.dec); err != nil {
			if err == io.EOF {
				return notXLSX("the sheet ends in the middle of an element")
			}
			return err
		}
	}
	return nil
}

// readCell reads a <c> element and returns its value as a spreadsheet shows it, for the
// cells this importer reads: text as it is, numbers in general format, booleans as TRUE or
// FALSE. A value longer than MaxCellChars leaves x.long set.
func (x *xlsxSource) readCell(start xml.StartElement, num, idx int) (string, error) {
	typ := attr(start, "t")
	x.text, x.chars, x.long = x.text[:0], 0, false
	depth := x.depth
	inV, inT, inIS, phonetic := false, false, false, 0
	for x.depth >= depth {
		tok, err := x.token(x.dec)
		if err == io.EOF {
			return "", notXLSX("the sheet ends in the middle of a cell")
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "v":
				inV = true
			case "is":
				inIS = true
			case "t":
				inT = inIS && phonetic == 0
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "is":
				inIS = false
			case "t":
				inT = false
			case "rPh":
				phonetic = max(0, phonetic-1)
			}
		case xml.CharData:
			if inV || inT {
				x.addText(t)
			}
		}
	}
	if x.long {
		return "", nil
	}
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(string(x.text)))
		if err != nil {
			return "", x.rowError(num, "cell %s%d refers to a shared string %q that is not a number", columnLetter(idx), num, x.text)
		}
		v, long, ok := x.sst.get(i)
		if !ok {
			return "", x.rowError(num, "cell %s%d refers to shared string %d, which the workbook does not have", columnLetter(idx), num, i)
		}
		x.long = long
		return v, nil
	case "inlineStr":
		return unescapeBSTR(x.text), nil
	case "b":
		switch string(x.text) {
		case "1":
			return "TRUE", nil
		case "0":
			return "FALSE", nil
		}
		return string(x.text), nil
	case "str", "e", "d":
		return string(x.text), nil
	}
	return generalNumber(string(x.text)), nil
}

// generalNumber writes a number cell as the General format shows it: 23, 0.5, and at most 15
// significant digits (what a spreadsheet stored as 0.30000000000000004 shows as 0.3).
func generalNumber(v string) string {
	v = strings.TrimSpace(v)
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	mantissa, _, _ := strings.Cut(strings.ToLower(v), "e")
	digits := strings.TrimLeft(strings.NewReplacer("-", "", "+", "", ".", "").Replace(mantissa), "0")
	if len(digits) > 15 && (strings.ContainsAny(v, ".eE") || len(strings.TrimRight(digits, "0")) > 15) {
		return strconv.FormatFloat(f, 'G', 15, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// unescapeBSTR decodes the _xHHHH_ escapes spreadsheets write for characters XML cannot hold
// (a carriage return is _x000D_; _x005F_ is the underscore itself).
func unescapeBSTR(b []byte) string {
	if !bytes.Contains(b, []byte("_x")) {
		return string(b)
	}
	var out strings.Builder
	for i := 0; i < len(b); {
		if b[i] == '_' && i+7 <= len(b) && b[i+1] == 'x' && b[i+6] == '_' {
			if n, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16); err == nil {
				out.WriteRune(rune(n))
				i += 7
				continue
			}
		}
		out.WriteByte(b[i])
		i++
	}
	return out.String()
}

// limitErr is a limit an xmlLimiter met: what it says, with the code and parameters of the
// import error.
type limitErr struct {
	msg    string
	code   string
	params []string
}

func (e limitErr) Error() string { return e.msg }

// xmlLimiter passes the bytes of an unzipped part to the XML decoder within bounds: the
// workbook's budget of unzipped bytes, and no tag, text, comment or CDATA section longer
// than maxRun bytes (counted from its '<', or from the last '<' for text). A document type
// declaration is refused (a worksheet has none, and its internal subset would be one long
// token).
type xmlLimiter struct {
	r           io.Reader
	budget      *int64
	maxUnzipped int64
	maxRun      int
	run         int
	state       int // what the bytes read last are inside of
	prev1       byte
	prev2       byte
}

const (
	inText    = iota
	afterLT   // just after '<'
	afterBang // just after "<!"
	inComment // until "-->"
	inCDATA   // until "]]>"
)

func (l *xmlLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if *l.budget -= int64(n); *l.budget < 0 {
		mib := l.maxUnzipped >> 20
		return 0, limitErr{fmt.Sprintf("it unzips to more than %d MiB", mib), CodeXLSXUnzipped, []string{strconv.FormatInt(mib, 10)}}
	}
	for _, b := range p[:n] {
		switch l.state {
		case inText:
			if b == '<' {
				l.run, l.state = 0, afterLT
			}
		case afterLT:
			switch b {
			case '!':
				l.state = afterBang
			case '<':
				l.run = 0
			default:
				l.state = inText
			}
		case afterBang:
			switch b {
			case '-':
				l.state = inComment
			case '[':
				l.state = inCDATA
			default:
				return 0, limitErr{"it holds a document type declaration", CodeXLSXUnreadable, nil}
			}
		case inComment:
			if b == '>' && l.prev1 == '-' && l.prev2 == '-' {
				l.state = inText
			}
		case inCDATA:
			if b == '>' && l.prev1 == ']' && l.prev2 == ']' {
				l.state = inText
			}
		}
		l.prev2, l.prev1 = l.prev1, b
		if l.run++; l.run > l.maxRun {
			return 0, limitErr{fmt.Sprintf("it holds an XML element or text longer than %s bytes", thousands(l.maxRun)), CodeXLSXLongToken,
				[]string{strconv.Itoa(l.maxRun)}}
		}
	}
	return n, err
}

// stringTable holds the shared strings of a workbook: their bytes in memory up to
// sstMemory, then in a temp file (deleted at once: it lives while it is open), and the end
// offset of each.
type stringTable struct {
	mem  []byte
	file *os.File
	w    *bufio.Writer
	size int64
	ends []int64
	long map[int]bool // strings longer than MaxCellChars, not kept
	buf  []byte
}

func (st *stringTable) add(s string, long bool) error {
	if long {
		if st.long == nil {
			st.long = map[int]bool{}
		}
		st.long[len(st.ends)] = true
		s = ""
	}
	if st.file == nil && int64(len(st.mem))+int64(len(s)) > sstMemory {
		f, err := os.CreateTemp("", "followup-import-*")
		if err != nil {
			return err
		}
		_ = os.Remove(f.Name())
		st.file, st.w = f, bufio.NewWriterSize(f, 64<<10)
		if _, err := st.w.Write(st.mem); err != nil {
			return err
		}
		st.mem = nil
	}
	if st.file != nil {
		if _, err := st.w.WriteString(s); err != nil {
			return err
		}
	} else {
		st.mem = append(st.mem, s...)
	}
	st.size += int64(len(s))
	st.ends = append(st.ends, st.size)
	return nil
}

// finish makes the strings readable.
func (st *stringTable) finish() error {
	if st.w != nil {
		return st.w.Flush()
	}
	return nil
}

// get returns string i, and whether it was too long to keep.
func (st *stringTable) get(i int) (string, bool, bool) {
	if i < 0 || i >= len(st.ends) {
		return "", false, false
	}
	if st.long[i] {
		return "", true, true
	}
	from := int64(0)
	if i > 0 {
		from = st.ends[i-1]
	}
	to := st.ends[i]
	if st.file == nil {
		return string(st.mem[from:to]), false, true
	}
	if int64(cap(st.buf)) < to-from {
		st.buf = make([]byte, to-from)
	}
	b := st.buf[:to-from]
	if _, err := st.file.ReadAt(b, from); err != nil {
		return "", false, false
	}
	return string(b), false, true
}

func (st *stringTable) close() {
	if st.file != nil {
		st.file.Close()
		st.file = nil
	}
}
