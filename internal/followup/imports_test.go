package followup_test

import (
	"fmt"
	"strings"
	"testing"

	"followup/internal/followup"
)

func TestImportErrorAtNamesItsCell(t *testing.T) {
	for _, c := range []struct {
		name         string
		err          followup.ImportError
		letter       string
		cell, string string
	}{
		{"named column", followup.ImportError{Row: 5, Column: "category", Message: "bad"}, "C", "C5", "cell C5 (category): bad"},
		{"column known by its letter only", followup.ImportError{Row: 2, Column: "XFD", Message: "beyond"}, "XFD", "XFD2", "cell XFD2: beyond"},
		{"no letter: left as it is", followup.ImportError{Row: 3, Column: "label", Message: "bad"}, "", "", "row 3, column label: bad"},
		{"the file as a whole", followup.ImportError{Row: 0, Message: "empty"}, "A", "", "empty"},
		{"already named", followup.ImportError{Row: 4, Column: "text", Cell: "C4", Message: "cell C4 (text): long"}, "C", "C4", "cell C4 (text): long"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := c.err.At(c.letter)
			if got.Cell != c.cell || got.String() != c.string {
				t.Errorf("At(%q) = cell %q, %q; want cell %q, %q", c.letter, got.Cell, got.String(), c.cell, c.string)
			}
		})
	}
}

// LimitErrors keeps the first errors by row, names their cells and counts every error,
// those the parser dropped included; Failed then says how many there were in all.
func TestImportResultLimitErrors(t *testing.T) {
	letters := map[string]string{"label": "A", "category": "B"}
	errs := func(rows ...int) []followup.ImportError {
		var out []followup.ImportError
		for _, r := range rows {
			out = append(out, followup.ImportError{Row: r, Column: "category", Message: "bad"})
		}
		return out
	}
	many := make([]int, 150)
	for i := range many {
		many[i] = 151 - i // in reverse, as a store might add them
	}
	for _, c := range []struct {
		name      string
		errors    []followup.ImportError
		dropped   int
		kept      int
		total     int
		truncated bool
		failed    string
	}{
		{"a few", errs(3, 2), 0, 2, 2, false, "2 error(s) in 2 row(s): nothing was imported (first: cell B2 (category): bad)"},
		{"more than the cap", errs(many...), 0, 100, 150, true, "150 errors (the first 100 are listed): nothing was imported (first: cell B2 (category): bad)"},
		{"the parser dropped some", errs(2, 3), 4998, 2, 5000, true, "5000 errors (the first 2 are listed)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := followup.ImportResult{Errors: c.errors}
			res.LimitErrors(letters, c.dropped, followup.MaxImportErrors)
			if len(res.Errors) != c.kept || res.ErrorsTotal != c.total || res.ErrorsTruncated != c.truncated {
				t.Fatalf("kept %d of %d (truncated %v), want %d of %d (%v)", len(res.Errors), res.ErrorsTotal, res.ErrorsTruncated, c.kept, c.total, c.truncated)
			}
			for i, e := range res.Errors {
				if want := fmt.Sprintf("B%d", i+2); e.Cell != want || e.Row != i+2 {
					t.Fatalf("error %d is %+v, want row %d, cell %s: the first errors by row", i, e, i+2, want)
				}
			}
			if err := res.Failed(); err == nil || !strings.Contains(followup.ErrorMessage(err), c.failed) || followup.ErrorField(err) != "file" {
				t.Errorf("Failed() = %v, want the field file and %q", err, c.failed)
			}
		})
	}
}
