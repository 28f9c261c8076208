package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// A date or a text refused on the submission, assessment, adoption, report and recommendation
// forms is told next to its field by a catalogue message in the page's language that names the
// field, never by the domain's English message (which the API keeps).
func TestDateAndTextMessagesOnForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// Germany's R1 has an adoption on 21 November 2026 and an assessment of that day waiting.
	e.expect(201, "POST", "/api/v1/followups/rep/R1/DE/assessments", "rapporteur",
		map[string]any{"status": "partially_implemented", "assessed_on": "2026-11-20"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-21", "labels": []string{"R1"}})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/DE/assessments", "rapporteur",
		map[string]any{"status": "implemented", "assessed_on": "2026-11-21"})
	draftOf := func(party string) string {
		r := e.expect(201, "POST", "/api/v1/followups/rep/R1/"+party+"/submissions", "party-"+strings.ToLower(party),
			map[string]any{"text": "A draft.", "draft": true})
		return fmt.Sprint(r.json(t)["id"])
	}
	frDraft, deDraft := draftOf("FR"), draftOf("DE")

	party := e.browser()
	party.login("party-fr")
	partyDE := e.browser()
	partyDE.login("party-de")
	rap := e.browser()
	rap.login("rapporteur")
	sec := e.browser()
	sec.login("secretariat")

	submit := func(text, on string) url.Values {
		return url.Values{"text": {text}, "submitted_on": {on}, "action": {"submit"}}
	}
	assess := func(on string, more ...string) url.Values {
		v := url.Values{"status": {"implemented"}, "comment": {"x"}, "assessed_on": {on}}
		for i := 0; i+1 < len(more); i += 2 {
			v.Set(more[i], more[i+1])
		}
		return v
	}
	report := func(more ...string) url.Values {
		v := url.Values{"slug": {"r9"}, "title": {"A report"}, "kind": {"other"}, "adopted_on": {"2020-01-01"}, "parties_mode": {"all"}}
		for i := 0; i+1 < len(more); i += 2 {
			v.Set(more[i], more[i+1])
		}
		return v
	}
	rec := func(more ...string) url.Values {
		v := url.Values{"label": {"R9"}, "category": {"urge"}, "text": {"Do it."}, "addressees_mode": {"all"}}
		for i := 0; i+1 < len(more); i += 2 {
			v.Set(more[i], more[i+1])
		}
		return v
	}
	adopt := func(on string) url.Values {
		return url.Values{"adopted_on": {on}, "labels": {"R1"}, "action": {"confirm"}}
	}
	edit := url.Values{"title": {"Test report"}, "kind": {"special_report"}, "adopted_on": {"2026-11-25"}, "followup_due_on": {""},
		"parties": {"FR", "DE", "HU"}}
	long := func(n int) string { return strings.Repeat("a", n) }

	const submissions, assessments = "/followups/rep/R1/FR/submissions", "/followups/rep/R1/FR/assessments"
	cases := []struct {
		name    string
		b       *browser
		path    string
		form    url.Values
		field   string // the id of the field's message
		en, fr  string
		notWant []string // words of the domain's message
	}{
		// Submissions: the editor checks the date and the text; the confirmation, the history.
		{"submission date that does not parse", party, submissions, submit("x", "1/2/2020"), "editor-on-err",
			"Enter the date of the submission in the form YYYY-MM-DD.", "Saisissez la date de la contribution au format AAAA-MM-JJ.",
			[]string{"is not a date"}},
		{"submission date before 1900", party, submissions, submit("x", "1899-12-31"), "editor-on-err",
			"The date of the submission must be 1 January 1900 or later.", "La date de la contribution doit être le 1er janvier 1900 ou une date postérieure.",
			[]string{"is before 1900"}},
		{"submission date in the future", party, submissions, submit("x", "2099-01-01"), "editor-on-err",
			"The date of the submission, 1 January 2099, is in the future: enter today’s date or an earlier one.",
			"La date de la contribution, le 1er janvier 2099, est dans le futur : saisissez la date du jour ou une date antérieure.",
			[]string{"the date 2099-01-01"}},
		{"submission text too long", party, submissions, submit(long(100001), ""), "editor-text-err",
			"The text has 100,001 characters; at most 100,000 are allowed: shorten it.",
			"Le texte compte 100\u00a0001 caractères ; 100\u00a0000 au plus sont admis : raccourcissez ce texte.",
			[]string{"the text of the submission has"}},
		{"submission text with a control character", party, submissions, submit("Measures\x0btaken", ""), "editor-text-err",
			"The text contains a control character at position 9: remove it (line breaks and tabs are allowed).",
			"Le texte contient un caractère de contrôle à la position 9 : supprimez ce caractère (retours à la ligne et tabulations sont admis).",
			[]string{"U+000B", "vertical tab"}},
		{"empty submission text", party, submissions, submit("   ", ""), "editor-text-err",
			"Enter the text.", "Saisissez le texte.", []string{"is required"}},
		{"submission before the report's adoption", party, submissions + "/" + frDraft, submit("x", "2000-01-01"), "editor-on-err",
			"The date of the submission, 1 January 2000, is before 3 March 2017, the day the report was adopted: enter that day or a later one.",
			"La date de la contribution, le 1er janvier 2000, précède le 3 mars 2017, jour de l’adoption du rapport : saisissez ce jour ou une date postérieure.",
			[]string{"report rep was adopted"}},
		{"submission before the latest adoption", partyDE, "/followups/rep/R1/DE/submissions/" + deDraft, submit("x", "2026-11-01"), "editor-on-err",
			"The date of the submission, 1 November 2026, is before 21 November 2026, the latest adoption of an assessment of this follow-up: enter that day or a later one.",
			"La date de la contribution, le 1er novembre 2026, précède le 21 novembre 2026, dernière adoption d’une évaluation de ce suivi : saisissez ce jour ou une date postérieure.",
			[]string{"a submission cannot be dated"}},
		// Assessments.
		{"assessment date that does not parse", rap, assessments, assess("2026-02-30"), "assess-on-err",
			"Enter the date of the assessment in the form YYYY-MM-DD.", "Saisissez la date de l’évaluation au format AAAA-MM-JJ.",
			[]string{"is not a date"}},
		{"assessment in the future", rap, assessments, assess("2026-11-29"), "assess-on-err",
			"The date of the assessment, 29 November 2026, is in the future: enter today’s date or an earlier one.",
			"La date de l’évaluation, le 29 novembre 2026, est dans le futur : saisissez la date du jour ou une date antérieure.",
			[]string{"the date 2026-11-29"}},
		{"assessment before the report's adoption", rap, assessments, assess("2000-01-01"), "assess-on-err",
			"The date of the assessment, 1 January 2000, is before 3 March 2017, the day the report was adopted: enter that day or a later one.",
			"La date de l’évaluation, le 1er janvier 2000, précède le 3 mars 2017, jour de l’adoption du rapport : saisissez ce jour ou une date postérieure.",
			[]string{"report rep was adopted"}},
		{"assessment before the latest adoption", rap, "/followups/rep/R1/DE/assessments", assess("2026-11-01"), "assess-on-err",
			"The date of the assessment, 1 November 2026, is before 21 November 2026, the latest adoption of an assessment of this follow-up: enter that day or a later one.",
			"La date de l’évaluation, le 1er novembre 2026, précède le 21 novembre 2026, dernière adoption d’une évaluation de ce suivi : saisissez ce jour ou une date postérieure.",
			[]string{"a new assessment cannot be dated"}},
		{"comment too long", rap, assessments, assess("", "comment", long(20001)), "",
			"The comment has 20,001 characters; at most 20,000 are allowed: shorten it.",
			"Le commentaire compte 20\u00a0001 caractères ; 20\u00a0000 au plus sont admis : raccourcissez ce texte.",
			[]string{"at most 20000"}},
		{"French comment with a control character", rap, assessments, assess("", "comment_fr", "\x00"), "",
			"The comment in French contains a control character at position 1: remove it (line breaks and tabs are allowed).",
			"Le commentaire en français contient un caractère de contrôle à la position 1 : supprimez ce caractère (retours à la ligne et tabulations sont admis).",
			[]string{"NUL"}},
		// Adoptions.
		{"adoption date that does not parse", sec, "/manage/reports/rep/adopt", adopt("21/11/2026"), "on-err",
			"Enter the date of adoption in the form YYYY-MM-DD.", "Saisissez la date d’adoption au format AAAA-MM-JJ.",
			[]string{"is not a date"}},
		{"adoption in the future", sec, "/manage/reports/rep/adopt", adopt("2027-01-01"), "on-err",
			"The date of adoption, 1 January 2027, is in the future: enter today’s date or an earlier one.",
			"La date d’adoption, le 1er janvier 2027, est dans le futur : saisissez la date du jour ou une date antérieure.",
			[]string{"the date 2027-01-01"}},
		{"adoption before the report's adoption", sec, "/manage/reports/rep/adopt", adopt("2000-01-01"), "on-err",
			"The date of adoption, 1 January 2000, is before 3 March 2017, the day the report was adopted: enter that day or a later one.",
			"La date d’adoption, le 1er janvier 2000, précède le 3 mars 2017, jour de l’adoption du rapport : saisissez ce jour ou une date postérieure.",
			[]string{"report rep was adopted"}},
		{"second adoption on the same day", sec, "/manage/reports/rep/adopt", adopt("2026-11-21"), "on-err",
			"An assessment was already adopted on 21 November 2026, and a second adoption on the same day would change what that day shows: choose a later date.",
			"Une évaluation a déjà été adoptée le 21 novembre 2026, et une seconde adoption le même jour changerait ce que montre ce jour : choisissez une date plus tardive.",
			[]string{"rep/R1/DE"}},
		// Reports.
		{"empty title", sec, "/manage/reports", report("title", " "), "title-err",
			"Enter the title.", "Saisissez le titre.", []string{"is required"}},
		{"title too long", sec, "/manage/reports", report("title", long(501)), "title-err",
			"The title has 501 characters; at most 500 are allowed: shorten it.",
			"Le titre compte 501 caractères ; 500 au plus sont admis : raccourcissez ce texte.", []string{"at most 500 are allowed;"}},
		{"title on two lines", sec, "/manage/reports", report("title", "A\nreport"), "title-err",
			"The title must be one line without control characters: remove the line break or control character at position 2.",
			"Le titre doit tenir sur une ligne, sans caractère de contrôle : supprimez le retour à la ligne ou le caractère de contrôle à la position 2.",
			[]string{"U+000A"}},
		{"document reference too long", sec, "/manage/reports", report("doc_ref", long(101)), "doc_ref-err",
			"The document reference has 101 characters; at most 100 are allowed: shorten it.",
			"La référence du document compte 101 caractères ; 100 au plus sont admis : raccourcissez ce texte.", []string{"at most 100 are allowed;"}},
		{"report adoption that does not parse", sec, "/manage/reports", report("adopted_on", "2020-13-01"), "adopted_on-err",
			"Enter the date of adoption in the form YYYY-MM-DD.", "Saisissez la date d’adoption au format AAAA-MM-JJ.", []string{"is not a date"}},
		{"report adopted in the future", sec, "/manage/reports", report("adopted_on", "2030-01-01"), "adopted_on-err",
			"The date of adoption, 1 January 2030, is in the future: enter today’s date or an earlier one.",
			"La date d’adoption, le 1er janvier 2030, est dans le futur : saisissez la date du jour ou une date antérieure.",
			[]string{"the adoption date 2030-01-01"}},
		{"report adoption moved after its history", sec, "/manage/reports/rep/edit", edit, "adopted_on-err",
			"The date of adoption, 25 November 2026, is after 20 November 2026, the date of the earliest submission, assessment or adoption of this report’s follow-ups: enter that day or an earlier one.",
			"La date d’adoption, le 25 novembre 2026, tombe après le 20 novembre 2026, date de la première contribution, évaluation ou adoption des suivis de ce rapport : saisissez ce jour ou une date antérieure.",
			[]string{"has follow-up history"}},
		// Recommendations.
		{"empty recommendation text", sec, "/manage/reports/rep/recommendations", rec("text", ""), "text-err",
			"Enter the text.", "Saisissez le texte.", []string{"is required"}},
		{"recommendation text too long", sec, "/manage/reports/rep/recommendations", rec("text", long(20001)), "text-err",
			"The text has 20,001 characters; at most 20,000 are allowed: shorten it.",
			"Le texte compte 20\u00a0001 caractères ; 20\u00a0000 au plus sont admis : raccourcissez ce texte.", []string{"at most 20000"}},
		{"French text with a control character", sec, "/manage/reports/rep/recommendations", rec("text_fr", "Faire\x1bceci."), "text_fr-err",
			"The text in French contains a control character at position 6: remove it (line breaks and tabs are allowed).",
			"Le texte en français contient un caractère de contrôle à la position 6 : supprimez ce caractère (retours à la ligne et tabulations sont admis).",
			[]string{"escape character"}},
		{"label too long", sec, "/manage/reports/rep/recommendations", rec("label", long(33)), "label-err",
			"The label has 33 characters; at most 32 are allowed: shorten it.",
			"Le libellé compte 33 caractères ; 32 au plus sont admis : raccourcissez ce texte.", []string{"is longer than"}},
		{"recommendation deadline that does not parse", sec, "/manage/reports/rep/recommendations", rec("due_on", "soon"), "",
			"Enter the deadline in the form YYYY-MM-DD.", "Saisissez l’échéance au format AAAA-MM-JJ.", []string{"is not a date"}},
	}
	before := e.auditCount()
	for _, c := range cases {
		for _, lang := range []string{"en", "fr"} {
			p := c.b.do("POST", c.path, c.form, map[string]string{"Accept-Language": lang})
			if p.status != 422 {
				t.Errorf("%s (%s): status %d, want 422: %.300s", c.name, lang, p.status, between(p.body, "<main", "</main>"))
				continue
			}
			want := c.en
			if lang == "fr" {
				want = c.fr
			}
			message := `<p class="field-error"`
			if c.field != "" {
				message += ` id="` + c.field + `"`
			}
			if i := strings.Index(p.body, message); i < 0 || !strings.Contains(p.body[i:], ">"+want+"</p>") {
				t.Errorf("%s (%s): no message %q next to the field in\n%s", c.name, lang, want, fieldErrors(p.body))
			}
			for _, s := range c.notWant {
				if strings.Contains(p.body, s) {
					t.Errorf("%s (%s): the page shows the domain's message (%q)", c.name, lang, s)
				}
			}
		}
	}
	if after := e.auditCount(); after != before {
		t.Errorf("refused forms wrote %d audit entries", after-before)
	}
}

// fieldErrors lists the field messages of a page, for a failure's report.
func fieldErrors(body string) string {
	var out []string
	for _, part := range strings.Split(body, `<p class="field-error"`)[1:] {
		out = append(out, strings.SplitN(part, "</p>", 2)[0])
	}
	return strings.Join(out, "\n")
}
