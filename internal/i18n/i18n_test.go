package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/importer"
	"followup/web"
)

// Both languages have every key, no text is empty, the verbs of each text agree, and a plural
// entry has both its forms.
func TestCataloguesComplete(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en, fr := c.Keys("en"), c.Keys("fr")
	verbs := regexp.MustCompile(`%(\[[0-9]+\])?[-+# 0-9.]*[a-zA-Z]`)
	for _, pair := range []struct {
		name      string
		have, ref map[string]string
	}{{"fr", fr, en}, {"en", en, fr}} {
		var missing []string
		for k := range pair.ref {
			if _, ok := pair.have[k]; !ok {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%s.json lacks %d keys: %s", pair.name, len(missing), strings.Join(missing, ", "))
		}
	}
	for k, v := range en {
		if strings.TrimSpace(v) == "" || strings.TrimSpace(fr[k]) == "" {
			t.Errorf("key %s has an empty text", k)
		}
		a, b := verbs.FindAllString(v, -1), verbs.FindAllString(fr[k], -1)
		sort.Strings(a)
		sort.Strings(b)
		if strings.Join(a, " ") != strings.Join(b, " ") {
			t.Errorf("key %s: verbs %v in English, %v in French", k, a, b)
		}
		if base, ok := strings.CutSuffix(k, ".one"); ok {
			if _, ok := en[base+".other"]; !ok {
				t.Errorf("plural %s has no .other form", base)
			}
		}
	}
}

// Every key the Go code of the pages, the exports and the e-mails asks for, and every key
// written in a template, is in the catalogue; so are the keys built from the domain's lists.
func TestEveryKeyUsedExists(t *testing.T) {
	c := Builtin()
	var keys []string
	for _, k := range followup.CountKeys {
		keys = append(keys, "status."+k, "export.short."+k)
	}
	for _, cat := range followup.Categories {
		keys = append(keys, "category."+string(cat))
	}
	for _, k := range followup.ReportKinds {
		keys = append(keys, "kind."+string(k))
	}
	for _, s := range followup.States {
		keys = append(keys, "state."+string(s))
	}
	for _, r := range followup.Roles {
		keys = append(keys, "role."+string(r))
	}
	for _, r := range followup.Reasons {
		keys = append(keys, "invalid."+r) // the message of a refused value, which names the field
	}
	for _, c := range append(append([]string{}, importer.Codes...), followup.ImportCodes...) {
		keys = append(keys, "import.error."+c) // the reason of an import error (the others are Reasons)
	}
	for m := 1; m <= 12; m++ {
		keys = append(keys, "date.month."+twoDigits(m))
	}
	// Go: the first string literal given to T, N, TOr, tr or flash (after at most one argument
	// such as the language), and the CSV header names given to headers.
	literal := regexp.MustCompile(`\b(?:T|TOr|tr|flash|flashN)\((?:[a-zA-Z.]+, )?"([a-z0-9_.]+)"`)
	csvKeys := regexp.MustCompile(`headers\(l, ([^)]*)\)`)
	word := regexp.MustCompile(`"([a-z_]+)"`)
	goFiles := 0
	for _, dir := range []string{"../server", "../export", "../notify", "../scheduler"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			goFiles++
			for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
				keys = append(keys, m[1])
			}
			for _, m := range csvKeys.FindAllStringSubmatch(string(src), -1) {
				for _, w := range word.FindAllStringSubmatch(m[1], -1) {
					keys = append(keys, "export.csv."+w[1])
				}
			}
		}
	}
	fromGo := len(keys)
	// Templates: .T "key" (and $.T "key").
	tmplKey := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	err := fs.WalkDir(web.FS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := web.FS.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range tmplKey.FindAllStringSubmatch(string(data), -1) {
			keys = append(keys, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if goFiles < 20 || fromGo < 250 || len(keys)-fromGo < 300 {
		t.Fatalf("found only %d keys in %d Go files and %d in templates: has the call form changed?", fromGo, goFiles, len(keys)-fromGo)
	}
	for _, k := range keys {
		if strings.HasSuffix(k, ".") || strings.HasSuffix(k, "_") {
			continue // the prefix of keys built at run time, checked above from the domain's lists
		}
		if !c.Has(k) {
			t.Errorf("the code uses the key %q, which the catalogue lacks", k)
		}
	}
}

func twoDigits(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

func TestPlurals(t *testing.T) {
	c := Builtin()
	cases := []struct {
		lang string
		n    any
		want string
	}{
		{"en", 1, "due in 1 day"},
		{"en", 0, "due in 0 days"},
		{"en", 2, "due in 2 days"},
		{"fr", 0, "échéance dans 0 jour"},
		{"fr", 1, "échéance dans 1 jour"},
		{"fr", 2, "échéance dans 2 jours"},
		{"fr", "2", "échéance dans 2 jours"}, // a count kept as text (a flash message)
	}
	for _, tc := range cases {
		if got := c.T(tc.lang, "mail.when.due_in", tc.n); got != tc.want {
			t.Errorf("T(%s, due_in, %v) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
	if got := c.T("en", "no.such.key", 1); got != "no.such.key" {
		t.Errorf("a missing plural key shows %q", got)
	}
}

func TestNumbers(t *testing.T) {
	c := Builtin()
	cases := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 7, "7"}, {"en", 999, "999"}, {"en", 1000, "1,000"}, {"en", 20001, "20,001"},
		{"en", 1234567, "1,234,567"}, {"en", -4500, "-4,500"},
		{"fr", 100000, "100\u00a0000"}, {"fr", 1234567, "1\u00a0234\u00a0567"}, {"fr", 32, "32"},
	}
	for _, tc := range cases {
		if got := c.Number(tc.lang, tc.n); got != tc.want {
			t.Errorf("Number(%s, %d) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}

// One bilingual date format for pages, exports and e-mails.
func TestDates(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		lang string
		d    followup.Date
		want string
	}{
		{"en", followup.MustDate("2019-06-06"), "6 June 2019"},
		{"fr", followup.MustDate("2019-06-06"), "6 juin 2019"},
		{"fr", followup.MustDate("2025-03-01"), "1er mars 2025"},
		{"en", followup.MustDate("2025-03-01"), "1 March 2025"},
		{"fr", followup.MustDate("2026-08-15"), "15 août 2026"},
		{"en", followup.Date{}, ""},
	}
	for _, c := range cases {
		if got := Date(c.lang, c.d); got != c.want {
			t.Errorf("Date(%s, %s) = %q, want %q", c.lang, c.d, got, c.want)
		}
	}
	at := time.Date(2026, 12, 2, 9, 5, 0, 0, time.UTC)
	if got := DateTime("en", at, paris); got != "2 December 2026 10:05 CET" {
		t.Errorf("DateTime en: %q", got)
	}
	if got := DateTime("fr", at, paris); got != "2 décembre 2026 10:05 CET" {
		t.Errorf("DateTime fr: %q", got)
	}
}

func TestNameOrder(t *testing.T) {
	cases := []struct {
		lang  string
		names []string
		want  string
	}{
		{"en", []string{"Andorra", "Albania", "Türkiye", "Turkmenistan", "Austria"}, "Albania Andorra Austria Türkiye Turkmenistan"},
		{"fr", []string{"Suisse", "Suède", "Espagne", "Émirats", "Estonie"}, "Émirats Espagne Estonie Suède Suisse"},
	}
	for _, c := range cases {
		names := append([]string(nil), c.names...)
		SortByName(c.lang, names, func(s string) string { return s })
		if got := strings.Join(names, " "); got != c.want {
			t.Errorf("%s: %s, want %s", c.lang, got, c.want)
		}
	}
}

func TestCompareLabels(t *testing.T) {
	labels := []string{"R37", "R7", "IV-12", "R11", "IV-3", "r2", "R1a", "R1", "xv", "R007", "IV-3b"}
	sort.SliceStable(labels, func(i, j int) bool { return CompareLabels(labels[i], labels[j]) < 0 })
	want := "IV-3 IV-3b IV-12 R1 R1a r2 R007 R7 R11 R37 xv"
	if got := strings.Join(labels, " "); got != want {
		t.Errorf("natural order: %s, want %s", got, want)
	}
}
