package importer

import "followup/internal/followup"

// Default limits.
const (
	MaxBytes         = 10 << 20 // largest file read
	MaxRows          = 10000    // most data rows in a file
	MaxCellChars     = 100000   // longest cell, in characters
	MaxRowCells      = 1000     // most cells in a row
	MaxErrors        = 100      // errors kept; the others are only counted
	MaxUnzippedBytes = 64 << 20 // most bytes unzipped from the parts of a workbook that are read
	maxZipEntries    = 10000    // most parts in a workbook
	cellsPerRow      = 100      // the default MaxCells is this many cells for each row allowed
)

// Limits bound what the importer reads of a file, so that a file built to make a reader work
// or allocate far beyond its size is refused early, with a message naming the row or cell: a
// reader keeps one row at a time, never more cells than the header has columns, never a cell
// longer than MaxCellChars. A zero field takes its default.
type Limits struct {
	MaxBytes     int64 // largest file (10 MiB)
	MaxRows      int   // most data rows (10,000); blank rows do not count
	MaxCellChars int   // longest cell, in characters (100,000)
	MaxRowCells  int   // most cells in a row, and columns in the header (1,000); CSV counts empty cells too
	// MaxCells bounds the cells of a file, empty ones included (100 for each row allowed:
	// 1,000,100), so that a sheet of empty cells is not read for ever.
	MaxCells         int
	MaxErrors        int   // errors kept (100); the rest are counted
	MaxUnzippedBytes int64 // XLSX: most bytes unzipped from the parts read (64 MiB)
}

// DefaultLimits returns the limits a zero Limits stands for.
func DefaultLimits() Limits { return Limits{}.withDefaults() }

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = MaxBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = MaxRows
	}
	if l.MaxCellChars <= 0 {
		l.MaxCellChars = MaxCellChars
	}
	if l.MaxRowCells <= 0 {
		l.MaxRowCells = MaxRowCells
	}
	if l.MaxCells <= 0 {
		l.MaxCells = cellsPerRow * (l.MaxRows + 1)
	}
	if l.MaxErrors <= 0 {
		l.MaxErrors = MaxErrors
	}
	if l.MaxUnzippedBytes <= 0 {
		l.MaxUnzippedBytes = MaxUnzippedBytes
	}
	return l
}

// maxXMLToken bounds the bytes of one XML tag or text of a workbook: room for a cell of
// MaxCellChars characters, each written as a character reference at worst.
func (l Limits) maxXMLToken() int { return 12*l.MaxCellChars + 64<<10 }

// thousands writes n with a comma between groups of three digits, as the API's messages do:
// 10,485,760.
func thousands(n int) string { return followup.GroupDigits(n, ",") }

// LimitsFor returns the limits of files of at most maxRows data rows and maxBytes bytes (zero:
// the default), the other limits following from them: the cells of the file (100 a row, as by
// default) and, for a workbook, the bytes unzipped from the parts read, eight times the file's
// size and never less than the default, since a sheet's XML is several times the size of its
// compressed form.
func LimitsFor(maxRows int, maxBytes int64) Limits {
	l := Limits{MaxRows: maxRows, MaxBytes: maxBytes}.withDefaults()
	l.MaxUnzippedBytes = max(MaxUnzippedBytes, 8*l.MaxBytes)
	return l
}
