package web

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Both languages have every key, no text is empty, and the verbs of each text agree.
func TestCataloguesComplete(t *testing.T) {
	en, err := Catalogue("en")
	if err != nil {
		t.Fatal(err)
	}
	fr, err := Catalogue("fr")
	if err != nil {
		t.Fatal(err)
	}
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
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
		if a, b := verbs.FindAllString(v, -1), verbs.FindAllString(fr[k], -1); strings.Join(a, " ") != strings.Join(b, " ") {
			t.Errorf("key %s: verbs %v in English, %v in French", k, a, b)
		}
	}
}

// Every key written literally in a template is in the catalogue.
func TestTemplatesUseKnownKeys(t *testing.T) {
	en, err := Catalogue("en")
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	err = fs.WalkDir(FS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := FS.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range key.FindAllStringSubmatch(string(data), -1) {
			if _, ok := en[m[1]]; !ok {
				t.Errorf("%s uses the unknown key %q", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
