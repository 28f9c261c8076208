package followup

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// The seed corpora are in testdata/fuzz; `make test` runs them. Run a target for longer with
// go test -run '^$' -fuzz FuzzParseDate -fuzztime 2m ./internal/followup

// FuzzParseDate: ParseDate never panics, accepts only what it prints back unchanged, and a date
// it accepts survives a JSON round trip.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-03-01", "2024-02-29", "2023-02-29", "1899-12-31", "1900-01-01", "9999-12-31",
		"2024-3-1", " 2024-03-01", "2024-03-01T00:00:00Z", "", "0000-00-00", "+2024-03-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate("date", s)
		if err != nil {
			if ErrorCode(err) != EInvalid || ErrorField(err) != "date" {
				t.Fatalf("ParseDate(%q): error %v is not an invalid-date error", s, err)
			}
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) failed but returned %v", s, d)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) = %s: not printed back unchanged", s, d)
		}
		if d.Time().Year() < 1900 {
			t.Fatalf("ParseDate(%q) accepted a year before 1900", s)
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back Date
		if err := json.Unmarshal(b, &back); err != nil || back != d {
			t.Fatalf("JSON round trip of %s: %s -> %v, %v", s, b, back, err)
		}
		if o, err := ParseOptionalDate("date", s); err != nil || o != d {
			t.Fatalf("ParseOptionalDate(%q) = %v, %v", s, o, err)
		}
	})
}

// FuzzDateUnmarshalJSON: decoding any JSON value into a Date never panics and fails with a
// domain error or the JSON decoder's own.
func FuzzDateUnmarshalJSON(f *testing.F) {
	for _, s := range []string{`"2024-03-01"`, `null`, `""`, `"2024-13-01"`, `17`, `"\u0032024-03-01"`, `{"a":1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Date
		err := d.UnmarshalJSON([]byte(s))
		if err == nil && !d.IsZero() {
			if again, err := ParseDate("date", d.String()); err != nil || again != d {
				t.Fatalf("%s decoded to %v, which does not parse back: %v", s, d, err)
			}
		}
	})
}

// FuzzValidateLabel: ValidateLabel never panics, and a label it accepts is non-empty, at most
// 32 characters, on one line, without the characters that would break a URL path segment, and
// without surrounding spaces.
func FuzzValidateLabel(f *testing.F) {
	for _, s := range []string{"R7", "IV-3", "xv", "R 7", " R7", "R7 ", "a/b", "a?b", "a#b", "50%", "\x00", "é", "",
		strings.Repeat("x", 32), strings.Repeat("x", 33), strings.Repeat("é", 32), "\u2028", "\x7f", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateLabel("label", s)
		if err != nil {
			if ErrorCode(err) != EInvalid || ErrorField(err) != "label" {
				t.Fatalf("ValidateLabel(%q): error %v is not an invalid-label error", s, err)
			}
			return
		}
		if s == "" || utf8.RuneCountInString(s) > 32 || strings.TrimSpace(s) != s {
			t.Fatalf("ValidateLabel accepted %q", s)
		}
		if strings.ContainsAny(s, "/?#%\x7f") {
			t.Fatalf("ValidateLabel accepted %q, which breaks a URL path segment", s)
		}
		for _, r := range s {
			if r < ' ' {
				t.Fatalf("ValidateLabel accepted the control character %q in %q", r, s)
			}
		}
	})
}
