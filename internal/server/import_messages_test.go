package server_test

import (
	"strings"
	"testing"
)

// The import page tells each bad row's reason in the page's language, from the catalogue: the
// errors found reading the file, those of the domain's rules on a cell, and those found against
// the database. The API keeps its English message and adds the code.
func TestImportErrorsInThePageLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	recs := []byte("label,category,text,articles,addressed_to,due_on,url\n" +
		"R1,bogus,Text.,,,,\n" +
		"R2,urge,,,,,\n" +
		"R3,urge,Text.,art. 5,,,\n" +
		"R4,urge,Text.,,ZZZ,,\n" +
		"R5,urge,Text.,,,31/12/2020,\n" +
		"R6,urge,Text.,,,,ftp://example.org\n" +
		"R7,urge,a\vb,,,,\n" +
		"R1,urge,Other.,,,,\n" +
		"R9,urge,Text.,,XX,,\n")
	assessments := []byte("label,party,status,assessed_on\n" +
		"R99,FR,implemented,2026-11-01\n" +
		"R2,FR,implemented,2026-11-01\n" +
		"R1,FR,done,2026-11-01\n" +
		"R1,DE,implemented,2099-01-01\n" +
		"R1,HU,implemented,2000-01-01\n")
	header := []byte("label,category,txet\nR1,urge,Text.\n")
	type want struct{ en, fr string }
	cases := []struct {
		name, who, path, file string
		data                  []byte
		want                  []want
		english               []string // the English messages, which a French page must not show
	}{
		{"recommendations", "secretariat", "/manage/reports/rep/import/recommendations", "recs.csv", recs, []want{
			{`<code>category</code> (B2)</td><td>“bogus” is not a category: use urge, consider or invite.</td>`,
				`<code>category</code> (B2)</td><td>« bogus » n’est pas une catégorie : utilisez urge, consider ou invite.</td>`},
			{`<td>Enter the text.</td>`, `<td>Saisissez le texte.</td>`},
			{"“art. 5” is not a Convention article number, such as 23 or 12.2.", "« art. 5 » n’est pas un numéro d’article de la Convention, comme 23 ou 12.2."},
			{"“ZZZ” is not a two-letter country code (ISO 3166-1), such as FR.", "« ZZZ » n’est pas un code de pays à deux lettres (ISO 3166-1), comme FR."},
			{"Enter the deadline in the form YYYY-MM-DD.", "Saisissez l’échéance au format AAAA-MM-JJ."},
			{"The link is not a web address: give a full link that starts with http:// or https://.",
				"Le lien n’est pas une adresse web : donnez un lien complet qui commence par http:// ou https://."},
			{"The text contains a control character at position 2: remove it (line breaks and tabs are allowed).",
				"Le texte contient un caractère de contrôle à la position 2 : supprimez ce caractère (retours à la ligne et tabulations sont admis)."},
			{"The label R1 is also in row 2: a label may appear once in a file.",
				"Le libellé R1 figure aussi à la ligne 2 : un libellé ne peut figurer qu’une fois dans un fichier."},
			{`<code>addressed_to</code> (E10)</td><td>XX is not a known Party.</td>`, `<code>addressed_to</code> (E10)</td><td>XX n’est pas une Partie connue.</td>`},
		}, []string{"is not a category (", "the text is required", "is not a Convention article number<", "ISO 3166-1 country code",
			"is not a date in the form", "is not a web address: give an absolute", "U+000B", "a label may appear once in a file", "is not a known Party", "cell B2"}},
		{"assessments", "rapporteur", "/manage/reports/rep/import/assessments", "assessments.csv", assessments, []want{
			{"The report has no recommendation R99.", "Le rapport n’a pas de recommandation R99."},
			{"Recommendation R2 is not addressed to FR.", "La recommandation R2 n’est pas adressée à FR."},
			{"“done” is not on the compliance scale", "« done » ne figure pas sur l’échelle de conformité"},
			{"The date of the assessment, 1 January 2099, is in the future", "La date de l’évaluation, le 1er janvier 2099, est dans le futur"},
			{"The date of the assessment, 1 January 2000, is before 3 March 2017, the day the report was adopted",
				"La date de l’évaluation, le 1er janvier 2000, précède le 3 mars 2017, jour de l’adoption du rapport"},
		}, []string{"has no recommendation \"R99\"", "is not addressed to FR", "is not on the compliance scale (", "the date 2099-01-01", "the day report rep was adopted"}},
		{"a bad header", "secretariat", "/manage/reports/rep/import/recommendations", "header.csv", header, []want{
			{"Unknown column “txet”: the columns are label, category, text,", "Colonne inconnue « txet » : les colonnes sont label, category, text,"},
			{"The required column text is missing.", "La colonne obligatoire text manque."},
		}, []string{"unknown column", "the required column text is missing"}},
	}
	for _, c := range cases {
		for _, lang := range []string{"en", "fr"} {
			b := e.browser()
			b.login(c.who)
			b.get("/lang?l="+lang+"&next=/").expect(t, 303, "language")
			p := b.upload(c.path, c.file, c.data)
			if p.status != 422 {
				t.Errorf("%s (%s): status %d: %.500s", c.name, lang, p.status, between(p.body, "<main", "</main>"))
				continue
			}
			table := between(p.body, `<table class="compact import-errors">`, "</table>")
			for _, w := range c.want {
				msg := w.en
				if lang == "fr" {
					msg = w.fr
				}
				if !strings.Contains(table, msg) {
					t.Errorf("%s (%s): no %q in\n%s", c.name, lang, msg, table)
				}
			}
			if strings.Contains(table, "%!") || strings.Contains(table, "import.error.") || strings.Contains(table, "invalid.") {
				t.Errorf("%s (%s): a message is not written out:\n%s", c.name, lang, table)
			}
			if lang == "fr" {
				for _, s := range c.english {
					if strings.Contains(table, s) {
						t.Errorf("%s (fr): the French page shows the English message (%q)", c.name, s)
					}
				}
			}
		}
	}
	// The API answers the English message with the code and its parameters.
	r := e.upload("/api/v1/reports/rep/import/recommendations?dry_run=true", "secretariat", "text/csv", "", recs)
	if r.status != 422 {
		t.Fatalf("API: %d %s", r.status, r.body)
	}
	for _, s := range []string{`"message":"cell B2 (category): \"bogus\" is not a category (urge, consider, invite)"`,
		`"code":"not_category","params":["bogus"]`, `"code":"duplicate_label","params":["R1","2"]`,
		`"message":"cell E10 (addressed_to): XX is not a known Party","code":"unknown_party","params":["XX"]`} {
		if !strings.Contains(string(r.body), s) {
			t.Errorf("the API's answer lacks %s:\n%s", s, r.body)
		}
	}
}
