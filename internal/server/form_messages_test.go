package server_test

import (
	"net/url"
	"strings"
	"testing"
)

// Form and error pages speak to readers, in their language: one catalogue message per field and
// reason, with the facts of the domain's message (dates, Parties) written for the page.
func TestFormMessagesForReaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fr := map[string]string{"Accept-Language": "fr"}
	rap := e.browser()
	rap.login("rapporteur")
	fr2 := e.browser()
	fr2.login("party-fr")
	sec := e.browser()
	sec.login("secretariat")
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2026-11-21"})
	cases := []struct {
		name    string
		b       *browser
		path    string
		form    url.Values
		header  map[string]string
		want    string
		notWant []string
	}{
		{"no status, English", rap, "/followups/rep/R1/FR/assessments", url.Values{"comment": {"x"}}, nil,
			`<p class="field-error" id="assess-status-err">Choose a status.</p>`, []string{"compliance scale", "not_implemented,"}},
		{"no status, French", rap, "/followups/rep/R1/FR/assessments", url.Values{"comment": {"x"}}, fr,
			`<p class="field-error" id="assess-status-err">Choisissez un statut.</p>`, []string{"compliance scale", "(\""}},
		{"future submission, French", fr2, "/followups/rep/R1/FR/submissions", url.Values{"text": {"x"}, "submitted_on": {"2099-01-01"}, "action": {"submit"}}, fr,
			"La date de la contribution, le 1er janvier 2099, est dans le futur : saisissez la date du jour ou une date antérieure.", []string{"in the future", "2099-01-01 is"}},
		{"future submission, English", fr2, "/followups/rep/R1/FR/submissions", url.Values{"text": {"x"}, "submitted_on": {"2099-01-01"}, "action": {"submit"}}, nil,
			"The date of the submission, 1 January 2099, is in the future: enter today’s date or an earlier one.", []string{"the date 2099-01-01"}},
		{"malformed date", fr2, "/followups/rep/R1/FR/submissions", url.Values{"text": {"x"}, "submitted_on": {"1/2/2020"}, "action": {"submit"}}, fr,
			"Saisissez la date de la contribution au format AAAA-MM-JJ.", []string{"YYYY-MM-DD"}},
		{"adoption before the assessment", sec, "/manage/reports/rep/adopt", url.Values{"adopted_on": {"2026-11-20"}, "labels": {"R1"}, "action": {"confirm"}}, nil,
			"An assessment to adopt is dated 21 November 2026, after the date of adoption, 20 November 2026: choose a later date.", []string{"rep/R1/FR"}},
		{"deadline before adoption, French", sec, "/manage/reports", url.Values{"slug": {"r2"}, "title": {"T"}, "kind": {"other"}, "adopted_on": {"2020-01-01"},
			"followup_due_on": {"2019-01-01"}, "parties_mode": {"all"}}, fr,
			"L’échéance du suivi, le 1er janvier 2019, précède la date d’adoption, le 1er janvier 2020.", []string{"is before"}},
		{"slug taken", sec, "/manage/reports", url.Values{"slug": {"rep"}, "title": {"T"}, "kind": {"other"}, "adopted_on": {"2020-01-01"}, "parties_mode": {"all"}}, nil,
			"A report already has this short name.", []string{"already exists"}},
	}
	for _, c := range cases {
		p := c.b.do("POST", c.path, c.form, c.header)
		if p.status != 422 {
			t.Errorf("%s: status %d", c.name, p.status)
			continue
		}
		if !strings.Contains(p.body, c.want) {
			t.Errorf("%s: no %q in %s", c.name, c.want, between(p.body, `<main`, `</form>`))
		}
		for _, s := range c.notWant {
			if strings.Contains(p.body, s) {
				t.Errorf("%s: the page shows the domain's message (%q)", c.name, s)
			}
		}
	}
	// Error pages: no English domain message on a French page; a bad value says what to do.
	p := sec.do("GET", "/manage/audit?limit=lots", nil, fr)
	if p.status != 422 || !strings.Contains(p.body, "Choisissez un nombre entre 1 et 1000.") || strings.Contains(p.body, "is not a number") {
		t.Errorf("French error page of a bad value: %d %s", p.status, between(p.body, "<main", "</main>"))
	}
	p = sec.do("GET", "/reports/nope", nil, fr)
	if p.status != 404 || strings.Contains(p.body, `"nope"`) || !strings.Contains(p.body, "Page introuvable") {
		t.Errorf("French 404 page: %d %s", p.status, between(p.body, "<main", "</main>"))
	}
}
