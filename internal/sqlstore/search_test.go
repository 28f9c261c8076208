package sqlstore_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"followup/internal/followup"
)

// labels returns the report/label of each hit.
func labels(p followup.SearchPage) []string {
	var out []string
	for _, h := range p.Items {
		out = append(out, h.Report+"/"+h.Label)
	}
	return out
}

// searchFixture adds to the fixture a French text for R1 and a second report with a
// recommendation on helplines.
func searchFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	ctx := f.as("secretariat")
	fr := "Résumé : ériger en infraction la sollicitation d’enfants à des fins sexuelles."
	if _, err := f.store.UpdateRecommendation(ctx, slug, "R1", followup.RecommendationPatch{TextFR: &fr}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.CreateReport(ctx, followup.ReportInput{Slug: "helplines-2020", Title: "Helplines and hotlines",
		TitleFR: "Lignes d’assistance", Round: "Second monitoring round", RoundFR: "Deuxième cycle de suivi", Kind: followup.ImplementationReport,
		AdoptedOn: date("2020-05-01"), Parties: []string{"FR", "DE"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.PublishReport(ctx, "helplines-2020"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.CreateRecommendation(ctx, "helplines-2020", followup.RecommendationInput{Label: "1", Category: followup.Invite,
		Text: "Summary: fund a free helpline for children, open day and night.", TextFR: "Résumé : financer une ligne d’assistance gratuite pour les enfants.",
		Articles: []string{"5", "13"}}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) search(t *testing.T, who string, q followup.RecommendationQuery) followup.SearchPage {
	t.Helper()
	p, err := f.store.SearchRecommendations(f.as(who), q)
	if err != nil {
		t.Fatalf("SearchRecommendations(%+v): %v", q, err)
	}
	return p
}

func TestSearchWordsStemsAndDiacritics(t *testing.T) {
	t.Parallel()
	f := searchFixture(t)
	stems := f.search(t, "anon", followup.RecommendationQuery{Q: "solicitation"}).Match == "stems"
	for _, c := range []struct {
		q     string
		want  []string
		stems bool // needs word stems or folded diacritics (a build with FTS5, or PostgreSQL)
	}{
		{"solicitation", []string{slug + "/R1"}, false},
		{"SOLICITATION children", []string{slug + "/R1"}, false},
		{"solicitations", []string{slug + "/R1"}, true}, // English plural, stemmed
		{"enfant", []string{"helplines-2020/1", slug + "/R1"}, false},
		{"enfants", []string{"helplines-2020/1", slug + "/R1"}, true}, // French plural, stemmed
		{"resume infraction", []string{slug + "/R1"}, true},           // diacritics folded
		{"helpline", []string{"helplines-2020/1"}, false},
		{"transit", []string{slug + "/R2"}, false},
		{"R2", []string{slug + "/R2"}, false}, // labels
		{"nothingmatchesthis", nil, false},
		// Query syntax is not read: quotes, operators, columns and stars are only separators.
		{`"children" OR NEAR(x) label:R2 *`, nil, false},
		{`"`, []string{"helplines-2020/1", slug + "/R1", slug + "/R2"}, false},
	} {
		if c.stems && !stems {
			continue
		}
		got := labels(f.search(t, "anon", followup.RecommendationQuery{Q: c.q, Sort: followup.SortReport}))
		if !slices.Equal(got, c.want) {
			t.Errorf("q=%q found %v, want %v", c.q, got, c.want)
		}
	}
}

func TestSearchMarksTheMatchingWords(t *testing.T) {
	t.Parallel()
	f := searchFixture(t)
	p := f.search(t, "anon", followup.RecommendationQuery{Q: "enfant"})
	if p.Match != "stems" {
		t.Skip("a build without a full-text index does not mark matches")
	}
	var h *followup.Highlight
	for _, it := range p.Items {
		if it.Label == "R1" {
			h = it.Highlight
		}
	}
	if h == nil {
		t.Fatalf("R1 has no highlight: %+v", p.Items)
	}
	if h.TextFR.String() != "Résumé : ériger en infraction la sollicitation d’enfants à des fins sexuelles." {
		t.Errorf("marked French text reads %q", h.TextFR.String())
	}
	if !strings.Contains(h.TextFR.HTML(), "<mark>enfants</mark>") || h.Text.HasMatch() {
		t.Errorf("marks: French %q, English %q", h.TextFR.HTML(), h.Text.HTML())
	}
}

func TestSearchFacetsAndFollowUpFilters(t *testing.T) {
	t.Parallel()
	f := searchFixture(t)
	all := f.search(t, "anon", followup.RecommendationQuery{})
	if all.Total != 3 || all.Match != "" {
		t.Fatalf("everything: total %d, match %q", all.Total, all.Match)
	}
	want := followup.Facets{
		Report:   map[string]int{slug: 2, "helplines-2020": 1},
		Round:    map[string]int{"Second monitoring round": 1},
		Category: map[string]int{"urge": 1, "consider": 1, "invite": 1},
		Article:  map[string]int{"4": 1, "11": 1, "5": 1, "13": 1},
		Party:    map[string]int{"DE": 2, "FR": 2, "HU": 2},
		Status:   map[string]int{"pending": 3},
		Open:     map[string]int{"true": 3},
		// The report's deadline (yesterday) has passed for R1; R2 is due next year and the
		// helplines report has no deadline.
		Overdue: map[string]int{"true": 1, "false": 2},
	}
	checkFacets(t, "everything", all.Facets, want)

	// A facet's own filter leaves its counts as they were; the other facets follow it.
	cat := f.search(t, "anon", followup.RecommendationQuery{Category: followup.Urge})
	if got := labels(cat); !slices.Equal(got, []string{slug + "/R1"}) {
		t.Fatalf("category=urge found %v", got)
	}
	if !maps.Equal(cat.Facets.Category, want.Category) {
		t.Errorf("category facet under category=urge: %v", cat.Facets.Category)
	}
	if !maps.Equal(cat.Facets.Report, map[string]int{slug: 1}) || !maps.Equal(cat.Facets.Party, map[string]int{"DE": 1, "FR": 1, "HU": 1}) {
		t.Errorf("under category=urge: report %v, party %v", cat.Facets.Report, cat.Facets.Party)
	}

	// Party, status, open and overdue are conditions on one follow-up.
	for _, c := range []struct {
		name string
		q    followup.RecommendationQuery
		want []string
	}{
		{"party HU", followup.RecommendationQuery{Party: "hu"}, []string{slug + "/R1", slug + "/R2"}},
		{"party DE", followup.RecommendationQuery{Party: "DE"}, []string{"helplines-2020/1", slug + "/R1"}},
		{"overdue", followup.RecommendationQuery{Overdue: ptr(true)}, []string{slug + "/R1"}},
		{"overdue of HU", followup.RecommendationQuery{Overdue: ptr(true), Party: "HU"}, []string{slug + "/R1"}},
		{"article 13", followup.RecommendationQuery{Article: "13"}, []string{"helplines-2020/1"}},
		{"round", followup.RecommendationQuery{Round: "Second monitoring round"}, []string{"helplines-2020/1"}},
		{"report", followup.RecommendationQuery{Report: slug}, []string{slug + "/R1", slug + "/R2"}},
		{"words and party", followup.RecommendationQuery{Q: "enfant", Party: "HU"}, []string{slug + "/R1"}},
		{"closed", followup.RecommendationQuery{Open: ptr(false)}, nil},
	} {
		got := labels(f.search(t, "anon", withSort(c.q, followup.SortReport)))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: found %v, want %v", c.name, got, c.want)
		}
	}

	// A draft assessment never shows: not in the status filter, nor in the counts, to anyone.
	f.assess(t, key("R1", "FR"), followup.Implemented, "2026-11-01")
	for _, who := range []string{"anon", "fr", "rapporteur", "secretariat"} {
		p := f.search(t, who, followup.RecommendationQuery{Status: "implemented"})
		if p.Total != 0 || p.Facets.Status["implemented"] != 0 || p.Facets.Status["pending"] != 3 {
			t.Errorf("%s: a draft assessment shows: total %d, status facet %v", who, p.Total, p.Facets.Status)
		}
	}
	f.adopt(t, "2026-11-20", "R1")
	p := f.search(t, "anon", followup.RecommendationQuery{Status: "implemented"})
	if got := labels(p); !slices.Equal(got, []string{slug + "/R1"}) || p.Facets.Status["implemented"] != 1 {
		t.Errorf("adopted: found %v, status facet %v", got, p.Facets.Status)
	}
	// With the Party chosen, the status is that Party's.
	if p := f.search(t, "anon", followup.RecommendationQuery{Status: "implemented", Party: "HU"}); p.Total != 0 {
		t.Errorf("HU has no implemented follow-up, found %v", labels(p))
	}
	if p := f.search(t, "anon", followup.RecommendationQuery{Party: "FR"}); p.Facets.Status["implemented"] != 1 || p.Facets.Open["false"] != 1 {
		t.Errorf("FR's facets: status %v, open %v", p.Facets.Status, p.Facets.Open)
	}
}

func withSort(q followup.RecommendationQuery, s followup.SearchSort) followup.RecommendationQuery {
	q.Sort = s
	return q
}

func checkFacets(t *testing.T, name string, got, want followup.Facets) {
	t.Helper()
	for _, c := range []struct {
		facet     string
		got, want map[string]int
	}{
		{"report", got.Report, want.Report}, {"round", got.Round, want.Round}, {"category", got.Category, want.Category},
		{"article", got.Article, want.Article}, {"party", got.Party, want.Party}, {"status", got.Status, want.Status},
		{"open", got.Open, want.Open}, {"overdue", got.Overdue, want.Overdue},
	} {
		if !maps.Equal(c.got, c.want) {
			t.Errorf("%s: facet %s = %v, want %v", name, c.facet, c.got, c.want)
		}
	}
}

func TestSearchIndexFollowsEveryWrite(t *testing.T) {
	t.Parallel()
	f := searchFixture(t)
	ctx := f.as("secretariat")
	text := "Summary: train the border guards."
	if _, err := f.store.UpdateRecommendation(ctx, slug, "R2", followup.RecommendationPatch{Text: &text}); err != nil {
		t.Fatal(err)
	}
	if got := labels(f.search(t, "anon", followup.RecommendationQuery{Q: "transit"})); got != nil {
		t.Errorf("the old text is still found: %v", got)
	}
	if got := labels(f.search(t, "anon", followup.RecommendationQuery{Q: "guards"})); !slices.Equal(got, []string{slug + "/R2"}) {
		t.Errorf("the new text: %v", got)
	}
	// A write that fails leaves the index as the data: nothing of it is found.
	if _, err := f.store.CreateRecommendation(ctx, slug, followup.RecommendationInput{Label: "R1", Category: followup.Urge, Text: "Summary: quokka."}); err == nil {
		t.Fatal("a second R1 was created")
	}
	if got := labels(f.search(t, "anon", followup.RecommendationQuery{Q: "quokka"})); got != nil {
		t.Errorf("a refused recommendation is found: %v", got)
	}
	// Archived recommendations and reports are not found.
	if _, err := f.store.UpdateRecommendation(ctx, slug, "R2", followup.RecommendationPatch{Archived: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpdateReport(ctx, "helplines-2020", followup.ReportPatch{Archived: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if got := labels(f.search(t, "anon", followup.RecommendationQuery{})); !slices.Equal(got, []string{slug + "/R1"}) {
		t.Errorf("with R2 and the helplines report archived: %v", got)
	}
	// A store opened again on the same database finds the same (the index is made once).
	again := openStore(t, f.path)
	if p, err := again.SearchRecommendations(f.as("anon"), followup.RecommendationQuery{Q: "solicitation"}); err != nil || p.Total != 1 {
		t.Errorf("after reopening: %+v, %v", p, err)
	}
}

func TestSearchPagesAndOrders(t *testing.T) {
	t.Parallel()
	f := searchFixture(t)
	q := followup.RecommendationQuery{Limit: 2, Sort: followup.SortCategory}
	first := f.search(t, "anon", q)
	if got := labels(first); !slices.Equal(got, []string{slug + "/R1", slug + "/R2"}) || first.NextCursor == nil || first.Total != 3 {
		t.Fatalf("first page by category: %v, next %v, total %d", got, first.NextCursor, first.Total)
	}
	q.Cursor = *first.NextCursor
	second := f.search(t, "anon", q)
	if got := labels(second); !slices.Equal(got, []string{"helplines-2020/1"}) || second.NextCursor != nil {
		t.Fatalf("second page: %v, next %v", got, second.NextCursor)
	}
	if got := labels(f.search(t, "anon", followup.RecommendationQuery{Sort: followup.SortDue})); !slices.Equal(got, []string{slug + "/R1", slug + "/R2", "helplines-2020/1"}) {
		t.Errorf("by deadline: %v", got)
	}
	h := f.search(t, "anon", followup.RecommendationQuery{Report: "helplines-2020"}).Items[0]
	if h.ReportTitleFR != "Lignes d’assistance" || h.RoundFR != "Deuxième cycle de suivi" || h.TextFR == "" || !slices.Equal(h.Articles, []string{"5", "13"}) {
		t.Errorf("hit: %+v", h)
	}
	for _, bad := range []followup.RecommendationQuery{
		{Cursor: "nope"}, {Status: "done"}, {Category: "advise"}, {Article: "x1"}, {Party: "FRA"}, {Sort: "random"}, {Limit: 501}, {Report: "Bad Slug"},
	} {
		if _, err := f.store.SearchRecommendations(f.as("anon"), bad); followup.ErrorCode(err) != followup.EInvalid {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}
}
