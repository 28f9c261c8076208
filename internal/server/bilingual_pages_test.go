package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The Secretariat's report and recommendation forms and the rapporteur's assessment form take
// the French texts; French pages then show them, and the English text marked "(en anglais)"
// where there is none; English pages show the English texts only.
func TestFormsTakeFrenchAndPagesShowTheirLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sec := e.browser()
	sec.login("secretariat")
	sec.post("/manage/reports/rep/edit", url.Values{"title": {"Test report"}, "title_fr": {"Rapport d’essai"}, "kind": {"special_report"},
		"round": {"First round"}, "round_fr": {"Premier cycle"}, "adopted_on": {"2017-03-03"}, "followup_due_on": {"2018-09-30"},
		"parties": {"FR", "DE", "HU"}}).expect(t, http.StatusSeeOther, "report form")
	sec.post("/manage/reports/rep/recommendations/R1/edit", url.Values{"category": {"urge"}, "text": {"Do the first thing."},
		"text_fr": {"Faire la première chose."}, "addressees_mode": {"all"}}).expect(t, http.StatusSeeOther, "recommendation form")
	// A French text that breaks a rule is told next to its field, in the page's language.
	bad := sec.do("POST", "/manage/reports/rep/recommendations/R2/edit", url.Values{"category": {"consider"}, "text": {"Do the second thing."},
		"text_fr": {"bad \x01 text"}, "addressees_mode": {"some"}, "addressed_to": {"HU"}}, map[string]string{"Accept-Language": "fr"})
	bad.expect(t, http.StatusUnprocessableEntity, "bad French text")
	if !strings.Contains(bad.body, `id="text_fr-err"`) || !strings.Contains(bad.body, "Le texte en français contient un caractère de contrôle à la position 5") {
		t.Errorf("the French text's error is not next to it:\n%s", bad.body)
	}
	rap := e.browser()
	rap.login("rapporteur")
	rap.post("/followups/rep/R1/FR/assessments", url.Values{"status": {"not_implemented"}, "comment": {"No law yet."},
		"comment_fr": {"Pas encore de loi."}, "assessed_on": {"2026-11-01"}}).expect(t, http.StatusSeeOther, "assessment form")
	rap.post("/followups/rep/R1/DE/assessments", url.Values{"status": {"implemented"}, "comment": {"Done in 2020."},
		"assessed_on": {"2026-11-01"}}).expect(t, http.StatusSeeOther, "assessment form")
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-20"})

	fr := e.browser()
	en := e.browser()
	get := func(b *browser, lang, path string) string {
		return b.do("GET", path, nil, map[string]string{"Accept-Language": lang}).expect(t, 200, lang+" "+path).body
	}
	marked := func(text string) string {
		return `<span lang="en">` + text + `</span> <span class="in-english">(en anglais)</span>`
	}
	for _, c := range []struct {
		path       string
		fr, notFR  []string
		en, notEN  []string
		commentsFR bool
	}{
		{path: "/", fr: []string{"Rapport d’essai"}, en: []string{"Test report"}, notEN: []string{"Rapport d’essai"}},
		{path: "/reports/rep", fr: []string{"<h1>Rapport d’essai</h1>", "Premier cycle", "Faire la première chose.", marked("Do the second thing.")},
			notFR: []string{"Do the first thing."},
			en:    []string{"<h1>Test report</h1>", "First round", "Do the first thing.", "Do the second thing."}, notEN: []string{"Premier cycle", "Faire la", "(en anglais)"}},
		{path: "/reports/rep/recommendations/R1", fr: []string{"Faire la première chose.", "Pas encore de loi.", marked("Done in 2020.")},
			notFR: []string{"No law yet."}, en: []string{"Do the first thing.", "No law yet.", "Done in 2020."}, notEN: []string{"Pas encore", "(en anglais)"}},
		{path: "/followups/rep/R1/FR", fr: []string{"Faire la première chose.", "Pas encore de loi."}, en: []string{"Do the first thing.", "No law yet."},
			notEN: []string{"Pas encore"}},
		{path: "/parties/FR", fr: []string{"Rapport d’essai"}, en: []string{"Test report"}, notEN: []string{"Rapport d’essai"}},
	} {
		pf, pe := get(fr, "fr", c.path), get(en, "en", c.path)
		for _, w := range c.fr {
			if !strings.Contains(pf, w) {
				t.Errorf("French %s lacks %q", c.path, w)
			}
		}
		for _, w := range c.notFR {
			if strings.Contains(pf, w) {
				t.Errorf("French %s shows %q", c.path, w)
			}
		}
		for _, w := range c.en {
			if !strings.Contains(pe, w) {
				t.Errorf("English %s lacks %q", c.path, w)
			}
		}
		for _, w := range c.notEN {
			if strings.Contains(pe, w) {
				t.Errorf("English %s shows %q", c.path, w)
			}
		}
	}
	// The forms show the French texts again for editing.
	form := sec.get("/manage/reports/rep/edit").expect(t, 200, "report form").body
	if !strings.Contains(form, `value="Rapport d’essai"`) || !strings.Contains(form, `value="Premier cycle"`) {
		t.Errorf("the report form does not show the French fields")
	}
	if form := sec.get("/manage/reports/rep/recommendations/R1/edit").expect(t, 200, "rec form").body; !strings.Contains(form, "Faire la première chose.</textarea>") {
		t.Errorf("the recommendation form does not show the French text")
	}
}

// Imports take the French texts and the sources (text_fr, url, source; comment_fr, source):
// they round-trip to the API, a French page and the search; a re-import changes nothing.
func TestImportsTakeFrenchTexts(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	recs := "label,category,text,text_fr,source\nR9,invite,Open a helpline.,Ouvrir une ligne d’assistance.,§ 9 of the report\n"
	a := decodeImport(t, e.upload("/api/v1/reports/rep/import/recommendations", "secretariat", "text/csv", "", []byte(recs)), 200)
	if !a.Applied || a.Created != 1 {
		t.Fatalf("import %+v", a)
	}
	rec := e.expect(200, "GET", "/api/v1/reports/rep/recommendations/R9", "", nil).json(t)
	if rec["text_fr"] != "Ouvrir une ligne d’assistance." || rec["source"] != "§ 9 of the report" {
		t.Errorf("R9: %v", rec)
	}
	if hits := e.search("", "q=assistance"); hitLabels(hits) != "rep/R9" {
		t.Errorf("the imported French text is not found: %s", hitLabels(hits))
	}
	ass := "label,party,status,comment,comment_fr,source,assessed_on\nR9,FR,not_implemented,No line yet.,Pas encore de ligne.,compliance report,2026-11-01\n"
	path := "/api/v1/reports/rep/import/assessments"
	if a := decodeImport(t, e.upload(path, "rapporteur", "text/csv", "", []byte(ass)), 200); a.Created != 1 {
		t.Fatalf("assessments %+v", a)
	}
	if a := decodeImport(t, e.upload(path, "rapporteur", "text/csv", "", []byte(ass)), 200); a.Unchanged != 1 {
		t.Errorf("the same file again: %+v", a)
	}
	fu := e.expect(200, "GET", "/api/v1/followups/rep/R9/FR", "rapporteur", nil).json(t)
	as, _ := fu["assessments"].([]any)
	if len(as) != 1 || as[0].(map[string]any)["comment_fr"] != "Pas encore de ligne." || as[0].(map[string]any)["source"] != "compliance report" {
		t.Errorf("the imported assessment: %v", fu["assessments"])
	}
}
