// Package i18n is the one translation source of the tracker: the message catalogues of
// web/i18n (English and French) used by the pages, the exports and the e-mails, their plural
// forms, the bilingual date formats, and the orders in which people expect names and labels
// (Party names by the collation of the language, recommendation labels naturally: R7 before
// R11).
package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"followup/internal/followup"
	"followup/web"
)

// Languages lists the languages of the tracker; the first is the fallback.
var Languages = web.Languages

// Lang returns "fr" for French and "en" for anything else.
func Lang(lang string) string {
	if strings.EqualFold(strings.TrimSpace(lang), "fr") {
		return "fr"
	}
	return "en"
}

// Catalogue holds the messages of every language, by key. Texts may hold fmt verbs. A plural
// entry is two keys, KEY.one and KEY.other; T picks the form by its first argument, the count.
type Catalogue struct {
	msgs map[string]map[string]string // lang → key → text
}

// Load reads the catalogues embedded in the web package.
func Load() (*Catalogue, error) {
	c := &Catalogue{msgs: map[string]map[string]string{}}
	for _, lang := range Languages {
		m, err := web.Catalogue(lang)
		if err != nil {
			return nil, err
		}
		c.msgs[lang] = m
	}
	return c, nil
}

// builtin is the embedded catalogue, read once: it is data of the binary, like a template.
var builtin = sync.OnceValues(Load)

// Builtin returns the embedded catalogue. It panics if the embedded files are broken, which the
// package's tests rule out.
func Builtin() *Catalogue {
	c, err := builtin()
	if err != nil {
		panic(err)
	}
	return c
}

// T translates key in lang with the embedded catalogue (see Catalogue.T).
func T(lang, key string, args ...any) string { return Builtin().T(lang, key, args...) }

// Keys returns the keys of a language's catalogue.
func (c *Catalogue) Keys(lang string) map[string]string { return c.msgs[Lang(lang)] }

// Lookup returns the text of key in lang, if the catalogue has it.
func (c *Catalogue) Lookup(lang, key string) (string, bool) {
	s, ok := c.msgs[Lang(lang)][key]
	return s, ok
}

// Has reports whether key can be translated: a plain entry or a plural one.
func (c *Catalogue) Has(key string) bool {
	m := c.msgs[Languages[0]]
	if _, ok := m[key]; ok {
		return true
	}
	_, one := m[key+".one"]
	_, other := m[key+".other"]
	return one && other
}

// T translates key in lang; arguments fill its verbs. For a plural entry the first argument
// is the count (an integer, or a string of digits) and picks KEY.one or KEY.other by the rule
// of the language. A missing key shows itself, so that it is noticed (and the catalogue tests
// fail first).
func (c *Catalogue) T(lang, key string, args ...any) string {
	lang = Lang(lang)
	m := c.msgs[lang]
	text, ok := m[key]
	if !ok && len(args) > 0 {
		if n, isCount := count(args[0]); isCount {
			if text, ok = m[key+"."+PluralForm(lang, n)]; ok {
				args = append([]any{n}, args[1:]...)
			}
		}
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}

func count(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case string:
		i, err := strconv.Atoi(n)
		return i, err == nil
	}
	return 0, false
}

// PluralForm returns "one" or "other": in English one is 1 only, in French 0 and 1.
func PluralForm(lang string, n int) string {
	if n == 1 || (n == 0 && Lang(lang) == "fr") {
		return "one"
	}
	return "other"
}

// Date writes a day in lang: "6 June 2019", "6 juin 2019", "1er juin 2019"; "" for no date.
func (c *Catalogue) Date(lang string, d followup.Date) string {
	if d.IsZero() {
		return ""
	}
	t := d.Time()
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = c.T(lang, "date.first_day")
	}
	return c.T(lang, "date.format", day, c.T(lang, fmt.Sprintf("date.month.%02d", int(t.Month()))), t.Year())
}

// groupSeparators are the separators of groups of three digits, by language: a comma in
// English, a no-break space in French. Like the plural forms, a rule of the language.
var groupSeparators = map[string]string{"en": ",", "fr": "\u00a0"}

// Number writes an integer with the digit grouping of lang: 20,000 in English, 20 000 in French.
func (c *Catalogue) Number(lang string, n int) string {
	return followup.GroupDigits(n, groupSeparators[Lang(lang)])
}

// DateTime writes an instant in a time zone, day and minute, with the zone's abbreviation:
// "28 November 2026 09:25 CET"; "" for the zero time.
func (c *Catalogue) DateTime(lang string, t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	return c.Date(lang, followup.DateOf(t, loc)) + " " + t.Format("15:04 MST")
}

// Date writes a day in lang with the embedded catalogue.
func Date(lang string, d followup.Date) string { return Builtin().Date(lang, d) }

// DateTime writes an instant in lang with the embedded catalogue.
func DateTime(lang string, t time.Time, loc *time.Location) string {
	return Builtin().DateTime(lang, t, loc)
}

// Selection describes the part of a report a summary covers, for a reader: "Category: Urge ·
// Parties: France, Hungary" (names in the collation order of lang); "" for the whole report.
// partyName gives a Party's name in lang.
func (c *Catalogue) Selection(lang string, sel *followup.Selection, partyName func(code string) string) string {
	if sel == nil {
		return ""
	}
	var parts []string
	if sel.Category != "" {
		parts = append(parts, c.T(lang, "selection.category", c.T(lang, "category."+string(sel.Category))))
	}
	if len(sel.Parties) > 0 {
		names := make([]string, len(sel.Parties))
		for i, p := range sel.Parties {
			names[i] = partyName(p)
		}
		SortByName(lang, names, func(s string) string { return s })
		parts = append(parts, c.T(lang, "selection.parties", len(names), strings.Join(names, ", ")))
	}
	return strings.Join(parts, " · ")
}
