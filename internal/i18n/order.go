package i18n

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// NameOrder returns a comparison of names in the collation order of lang: "Albania" before
// "Andorra", "Suède" before "Suisse", "Émirats" among the E's. It keeps a collator, which is
// not safe for concurrent use: take one per sort.
func NameOrder(lang string) func(a, b string) int {
	tag := language.English
	if Lang(lang) == "fr" {
		tag = language.French
	}
	col := collate.New(tag, collate.IgnoreCase)
	return col.CompareString
}

// SortByName sorts items by their names in the collation order of lang; ties keep their order.
func SortByName[T any](lang string, items []T, name func(T) string) {
	cmp := NameOrder(lang)
	sort.SliceStable(items, func(i, j int) bool { return cmp(name(items[i]), name(items[j])) < 0 })
}

// CompareLabels compares recommendation labels naturally: runs of digits by their value, the
// rest as text without regard to case, so that R7 < R11 < R37 and IV-3 < IV-12.
func CompareLabels(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	i, j := 0, 0
	for i < len(ra) && j < len(rb) {
		if unicode.IsDigit(ra[i]) && unicode.IsDigit(rb[j]) {
			si, sj := i, j
			for i < len(ra) && unicode.IsDigit(ra[i]) {
				i++
			}
			for j < len(rb) && unicode.IsDigit(rb[j]) {
				j++
			}
			na := strings.TrimLeft(string(ra[si:i]), "0")
			nb := strings.TrimLeft(string(rb[sj:j]), "0")
			if len(na) != len(nb) {
				return sign(len(na) - len(nb))
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			continue
		}
		ca, cb := unicode.ToLower(ra[i]), unicode.ToLower(rb[j])
		if ca != cb {
			return sign(int(ca) - int(cb))
		}
		i++
		j++
	}
	if c := sign((len(ra) - i) - (len(rb) - j)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
