package server

import (
	"html/template"

	"followup/internal/followup"
)

// Bilingual content on the pages: a French page shows the French text of a report, a
// recommendation or an assessment; where there is none, the English text marked as such
// ("(en anglais)") and tagged lang="en" for screen readers, never a blank. English pages show
// the English text only.

// L writes a bilingual text in the page's language, as HTML.
func (v *view) L(en, fr string) template.HTML {
	text, fallback := followup.Localized(v.Lang, en, fr)
	if !fallback {
		return template.HTML(template.HTMLEscapeString(text))
	}
	return v.inEnglish(template.HTMLEscapeString(text))
}

// LText is L as plain text, for titles and attributes.
func (v *view) LText(en, fr string) string {
	text, fallback := followup.Localized(v.Lang, en, fr)
	if fallback {
		return text + " " + v.T("content.in_english")
	}
	return text
}

// inEnglish marks HTML that stands in English on a French page.
func (v *view) inEnglish(html string) template.HTML {
	return template.HTML(`<span lang="en">` + html + `</span> <span class="in-english">` +
		template.HTMLEscapeString(v.T("content.in_english")) + `</span>`)
}

// HitText writes a search result's text in the page's language with the matching words
// marked (<mark>), everything else escaped; the English text marked as such where the French
// one is missing.
func (v *view) HitText(h followup.RecommendationHit) template.HTML {
	if h.Highlight == nil {
		return v.L(h.Text, h.TextFR)
	}
	if v.Lang == "fr" && h.TextFR != "" {
		return template.HTML(h.Highlight.TextFR.HTML())
	}
	if v.Lang == "fr" {
		return v.inEnglish(h.Highlight.Text.HTML())
	}
	return template.HTML(h.Highlight.Text.HTML())
}

// HitLabel writes a search result's label with the matching words marked.
func (v *view) HitLabel(h followup.RecommendationHit) template.HTML {
	if h.Highlight == nil {
		return template.HTML(template.HTMLEscapeString(h.Label))
	}
	return template.HTML(h.Highlight.Label.HTML())
}
