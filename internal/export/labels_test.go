package export

import (
	"strings"
	"testing"

	"followup/internal/i18n"
)

func TestSheetNames(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		seen := map[string]bool{}
		for k := range i18n.Builtin().Keys(lang) {
			if !strings.HasPrefix(k, "export.sheet.") {
				continue
			}
			n := tr(lang, k)
			if len([]rune(n)) > 31 || strings.ContainsAny(n, `:\/?*[]`) {
				t.Errorf("%s sheet name %q is not valid in a workbook", lang, n)
			}
			if seen[n] {
				t.Errorf("%s sheet name %q is used twice", lang, n)
			}
			seen[n] = true
		}
		if len(seen) < 5 {
			t.Errorf("%s: only %d sheet names in the catalogue", lang, len(seen))
		}
	}
}

func TestTr(t *testing.T) {
	if tr("fr", "status.implemented") != "Mise en œuvre" || tr("en", "status.implemented") != "Implemented" || tr("de", "status.implemented") != "Implemented" {
		t.Error("tr does not pick the language")
	}
	if tr("fr", "export.sheet.matrix") != "Matrice" {
		t.Error("tr does not read the exports' strings from the catalogue")
	}
	if tr("en", "no.such.key") != "no.such.key" {
		t.Error("a missing key should come back as itself")
	}
}
