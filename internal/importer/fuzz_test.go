package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"followup/internal/followup"
)

// fuzzLimits are small enough for the fuzzer's inputs to reach every bound of the reader.
var fuzzLimits = Limits{MaxRows: 6, MaxCellChars: 12, MaxRowCells: 8, MaxCells: 60, MaxErrors: 5}

// FuzzParseRecommendationsCSV feeds arbitrary bytes to the CSV importer, with the default
// limits and with small ones: it must never panic, every error must name a row that exists,
// every row it accepts must be valid for the domain and within the limits, a row is either
// accepted or has an error, never both, and no more errors are kept than the limit. Where
// encoding/csv reads the file, the bounded reader must read the same records. The seed corpus
// is in testdata/fuzz/FuzzParseRecommendationsCSV and runs with the ordinary tests.
func FuzzParseRecommendationsCSV(f *testing.F) {
	f.Add([]byte("label,category,text,articles,addressed_to,due_on\nR1,urge,Text.,23;24,FR,2027-01-31\n"))
	f.Add([]byte("label;category;text\nR1;consider;\"multi\nline\"\n\nR1;consider;x\n"))
	f.Add([]byte("\ufeffLABEL,Category,Text,colour\n"))
	f.Add([]byte("label,category,text\n\"unterminated,urge,x\n"))
	f.Add([]byte("label,category,text\nR1,urge,\"a \"\"quoted\"\" word\"\r\nR2,urge,x,,,,,,,,,,y\nR3,invite,0123456789abcdef\n"))
	f.Add([]byte("label,category,text\nR1,urge,x\nR2,urge,x\nR3,urge,x\nR4,urge,x\nR5,urge,x\nR6,urge,x\nR7,urge,x\n"))
	f.Add([]byte("label,category,text\r\nR1,urge,\"x\"\r"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, p := range []Parser{{}, {Limits: fuzzLimits}} {
			lim := p.limits()
			b := p.ParseRecommendations(data, CSV)
			lines := strings.Count(string(data), "\n") + 2
			if len(b.Errors) > lim.MaxErrors || b.ErrorsTotal < len(b.Errors) {
				t.Fatalf("%d errors kept, %d counted, limit %d", len(b.Errors), b.ErrorsTotal, lim.MaxErrors)
			}
			bad := map[int]bool{}
			for _, e := range b.Errors {
				if e.Row < 0 || e.Row > lines {
					t.Fatalf("error on row %d of a file with at most %d rows: %s", e.Row, lines, e)
				}
				if e.Message == "" {
					t.Fatalf("error without a message on row %d", e.Row)
				}
				bad[e.Row] = true
			}
			if len(b.Rows) > lim.MaxRows {
				t.Fatalf("%d rows accepted, limit %d", len(b.Rows), lim.MaxRows)
			}
			last := 0
			labels := map[string]bool{}
			for _, r := range b.Rows {
				if r.Row <= last {
					t.Fatalf("rows out of order: %d after %d", r.Row, last)
				}
				last = r.Row
				if bad[r.Row] {
					t.Fatalf("row %d both accepted and in error", r.Row)
				}
				in := r.Input
				if err := in.Validate(); err != nil {
					t.Fatalf("row %d accepted but invalid: %v", r.Row, err)
				}
				if utf8.RuneCountInString(in.Text) > lim.MaxCellChars {
					t.Fatalf("row %d: a text of %d characters accepted, limit %d", r.Row, utf8.RuneCountInString(in.Text), lim.MaxCellChars)
				}
				if labels[in.Label] {
					t.Fatalf("label %q accepted twice", in.Label)
				}
				labels[in.Label] = true
				for _, c := range in.AddressedTo {
					if _, err := followup.NormalizePartyCode("addressed_to", c); err != nil {
						t.Fatalf("row %d: bad Party code %q accepted", r.Row, c)
					}
				}
			}
			if len(b.Rows) == 0 && len(b.Errors) == 0 {
				t.Fatal("no rows and no error: an empty plan would be answered")
			}
		}
		sameRecordsAsEncodingCSV(t, data)
	})
}

// sameRecordsAsEncodingCSV checks that the bounded reader reads what encoding/csv reads, for
// a file encoding/csv reads whole (blank records aside: encoding/csv skips blank lines, which
// the bounded reader returns as rows, so that row numbers are those of a spreadsheet).
func sameRecordsAsEncodingCSV(t *testing.T, file []byte) {
	// The bounded reader skips one byte-order mark; encoding/csv reads the rest of the file.
	data := bytes.TrimPrefix(file, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) || len(data) > 64<<10 {
		return
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.Comma = rune(delimiter(data))
	want, werr := r.ReadAll()
	src, err := newCSVSource(bytes.NewReader(file), DefaultLimits(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	var raw rawRow
	var gerr error
	for {
		if err := src.next(1<<30, &raw); err == io.EOF {
			break
		} else if err != nil {
			gerr = err
			break
		}
		got = append(got, slices.Clone(raw.cells))
	}
	var ie importErr
	if gerr != nil && !errors.As(gerr, &ie) {
		t.Fatalf("a read error: %v", gerr)
	}
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("encoding/csv: %v; the bounded reader: %v", werr, gerr)
	}
	if werr != nil {
		return
	}
	notBlank := func(recs [][]string) [][]string {
		var out [][]string
		for _, r := range recs {
			if len(r) != 1 || r[0] != "" {
				out = append(out, r)
			}
		}
		return out
	}
	if g, w := fmt.Sprintf("%q", notBlank(got)), fmt.Sprintf("%q", notBlank(want)); g != w {
		t.Fatalf("records differ:\nbounded      %s\nencoding/csv %s", g, w)
	}
}
