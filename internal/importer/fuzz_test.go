package importer

import (
	"strings"
	"testing"

	"followup/internal/followup"
)

// FuzzParseRecommendationsCSV feeds arbitrary bytes to the CSV importer: it must never panic,
// every error must name a row that exists, every row it accepts must be valid for the domain,
// and a row is either accepted or has an error, never both. The seed corpus is in
// testdata/fuzz/FuzzParseRecommendationsCSV and runs with the ordinary tests.
func FuzzParseRecommendationsCSV(f *testing.F) {
	f.Add([]byte("label,category,text,articles,addressed_to,due_on\nR1,urge,Text.,23;24,FR,2027-01-31\n"))
	f.Add([]byte("label;category;text\nR1;consider;\"multi\nline\"\n\nR1;consider;x\n"))
	f.Add([]byte("\ufeffLABEL,Category,Text,colour\n"))
	f.Add([]byte("label,category,text\n\"unterminated,urge,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := ParseRecommendations(data, CSV)
		lines := strings.Count(string(data), "\n") + 2
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
	})
}
