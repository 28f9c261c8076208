// Package web holds the templates, static files and message catalogues of the web interface,
// embedded in the binary (go:embed cannot reach parent folders, so they live here).
package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
)

// FS holds templates/, static/ and i18n/.
//
//go:embed templates static i18n
var FS embed.FS

// Languages lists the languages of the interface; the first is the default.
var Languages = []string{"en", "fr"}

// Static returns the static files (CSS, icons, the small optional script).
func Static() fs.FS {
	sub, err := fs.Sub(FS, "static")
	if err != nil {
		panic(err)
	}
	return sub
}

// Catalogue returns the messages of a language, key → text. Texts may hold fmt verbs.
func Catalogue(lang string) (map[string]string, error) {
	data, err := FS.ReadFile("i18n/" + lang + ".json")
	if err != nil {
		return nil, fmt.Errorf("web: no catalogue for language %q: %w", lang, err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("web: catalogue %s: %w", lang, err)
	}
	return m, nil
}
