package server_test

import (
	"strings"
	"testing"

	"followup/internal/followup"
)

// inOrder fails unless the strings appear in body in the order given.
func inOrder(t *testing.T, what, body string, items ...string) {
	t.Helper()
	last := -1
	for _, it := range items {
		i := strings.Index(body, it)
		if i < 0 {
			t.Errorf("%s: %q is missing", what, it)
			return
		}
		if i < last {
			t.Errorf("%s: %q comes too early; want the order %q", what, it, items)
			return
		}
		last = i
	}
}

// Party names sort by the collation of the page's language, labels naturally, counts agree
// with their nouns, and a Party's page names reports by their titles.
func TestOrdersPluralsAndLabels(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := sysCtx()
	for _, p := range []followup.Party{
		{Code: "AD", NameEN: "Andorra", NameFR: "Andorre"},
		{Code: "AL", NameEN: "Albania", NameFR: "Albanie"},
		{Code: "CH", NameEN: "Switzerland", NameFR: "Suisse"},
		{Code: "SE", NameEN: "Sweden", NameFR: "Suède"},
	} {
		must(t, func() error { _, err := e.store.CreateParty(ctx, p); return err })
	}
	must(t, func() error {
		_, err := e.store.CreateReport(ctx, followup.ReportInput{Slug: "order", Title: "Protecting children against sexual exploitation in sport and leisure",
			Kind: followup.SpecialReport, AdoptedOn: followup.MustDate("2020-01-01"), FollowupDueOn: followup.MustDate("2021-01-01"),
			Parties: []string{"SE", "CH", "AD", "AL", "FR"}})
		return err
	})
	must(t, func() error { _, err := e.store.PublishReport(ctx, "order"); return err })
	for _, l := range []string{"R37", "R7", "R11"} {
		must(t, func() error {
			_, err := e.store.CreateRecommendation(ctx, "order", followup.RecommendationInput{Label: l, Category: followup.Invite, Text: "Act."})
			return err
		})
	}
	fr := map[string]string{"Accept-Language": "fr"}
	pub := e.browser()
	m := pub.do("GET", "/reports/order", nil, fr)
	matrix := between(m.body, `<table class="matrix"`, `</table>`)
	inOrder(t, "French matrix rows", matrix, ">Albanie</a>", ">Andorre</a>", ">France</a>", ">Suède</a>", ">Suisse</a>")
	inOrder(t, "French Party filter", between(m.body, `id="f-party"`, `</select>`), ">Albanie<", ">Andorre<", ">France<", ">Suède<", ">Suisse<")
	inOrder(t, "report order of the columns", matrix, ">R37</a>", ">R7</a>", ">R11</a>")

	sec := e.browser()
	sec.login("secretariat")
	form := sec.get("/manage/reports/order/recommendations/new").expect(t, 200, "recommendation form")
	inOrder(t, "addressee checkboxes", form.body, `value="AL"`, `value="AD"`, `value="FR"`, `value="SE"`, `value="CH"`)
	rf := sec.do("GET", "/manage/reports/new", nil, fr)
	inOrder(t, "French report form", rf.body, "> Albanie</label>", "> Allemagne</label>", "> Andorre</label>", "> Suède</label>", "> Suisse</label>")

	// France's page: open recommendations grouped by report under the report's short title,
	// those of the same deadline in natural label order, with their category.
	party := pub.get("/parties/FR").expect(t, 200, "Party page")
	open := between(party.body, "<h2>Open recommendations</h2>", "</table>")
	if !strings.Contains(open, ">Protecting children against sexual…</a></h3>") || !strings.Contains(open, ">R7</a> <span class=\"cat cat-invite\">Invite</span>") {
		t.Errorf("open recommendations are not grouped under the report's short title: %s", open)
	}
	inOrder(t, "open recommendations", open, ">R7<", ">R11<", ">R37<")

	// Plurals: one follow-up; none in French is singular too.
	e.expect(201, "POST", "/api/v1/followups/order/R7/FR/submissions", "party-fr", map[string]any{"text": "Done."})
	rap := e.browser()
	rap.login("rapporteur")
	if q := rap.get("/queue"); !strings.Contains(q.body, "1 follow-up awaiting assessment") {
		t.Errorf("queue caption: %s", between(q.body, "<caption>", "</caption>"))
	}
	if q := rap.do("GET", "/queue", nil, fr); !strings.Contains(q.body, "1 suivi en attente d’évaluation") {
		t.Errorf("French queue caption: %s", between(q.body, "<caption>", "</caption>"))
	}
	if a := rap.do("GET", "/manage/audit?actor=nobody@example.org", nil, fr); !strings.Contains(a.body, "0 entrée, les plus récentes d’abord") {
		t.Errorf("French audit caption for none: %s", between(a.body, "<caption>", "</caption>"))
	}
	if a := rap.get("/manage/audit?actor=nobody@example.org"); !strings.Contains(a.body, "0 entries, newest first") {
		t.Errorf("English audit caption for none: %s", between(a.body, "<caption>", "</caption>"))
	}
}
