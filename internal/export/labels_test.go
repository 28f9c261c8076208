package export

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"followup/internal/followup"
)

func TestLabelsHaveBothLanguages(t *testing.T) {
	for k, l := range labels {
		if strings.TrimSpace(l.en) == "" {
			t.Errorf("label %q has no English", k)
		}
		if strings.TrimSpace(l.fr) == "" {
			t.Errorf("label %q has no French", k)
		}
	}
}

// Every key the code asks for is in the table: the literal keys in tr(...) calls and the keys
// built from the domain's lists.
func TestLabelsCoverEveryKey(t *testing.T) {
	keys := []string{}
	for _, k := range followup.CountKeys {
		keys = append(keys, "status."+k, "short."+k)
	}
	for _, c := range followup.Categories {
		keys = append(keys, "category."+string(c))
	}
	for _, k := range followup.ReportKinds {
		keys = append(keys, "kind."+string(k))
	}
	for _, s := range followup.States {
		keys = append(keys, "state."+string(s))
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`\btr\([a-zA-Z.]+, "([^"]+)"\)`)
	csvKeys := regexp.MustCompile(`headers\(l, ([^)]*)\)`)
	word := regexp.MustCompile(`"([a-z_]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			keys = append(keys, m[1])
		}
		for _, m := range csvKeys.FindAllStringSubmatch(string(src), -1) {
			for _, w := range word.FindAllStringSubmatch(m[1], -1) {
				keys = append(keys, "csv."+w[1])
			}
		}
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys in the code: has the tr() call form changed?", len(keys))
	}
	for _, k := range keys {
		if _, ok := labels[k]; !ok {
			t.Errorf("the code uses the label %q, which labels.go lacks", k)
		}
	}
}

func TestSheetNames(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		seen := map[string]bool{}
		for k := range labels {
			if !strings.HasPrefix(k, "sheet.") {
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
	}
}

func TestTr(t *testing.T) {
	if tr("fr", "status.implemented") != "Mise en œuvre" || tr("en", "status.implemented") != "Implemented" || tr("de", "status.implemented") != "Implemented" {
		t.Error("tr does not pick the language")
	}
	if tr("en", "no.such.key") != "no.such.key" {
		t.Error("a missing key should come back as itself")
	}
}
