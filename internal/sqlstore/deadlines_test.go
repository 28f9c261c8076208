package sqlstore_test

import (
	"maps"
	"slices"
	"testing"

	"followup/internal/followup"
)

// An adoption that leaves a follow-up open gives it a dated deadline of its own, in the same
// transaction; the compliance cells and the dossier of a past day read the deadline in force
// on that day; a closing adoption gives none.
func TestAdoptionGivesDatedDeadlines(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fr, de := key("R1", "FR"), key("R1", "DE")
	f.assess(t, fr, followup.NotImplemented, "2026-11-01")
	f.assess(t, de, followup.Implemented, "2026-11-01")
	f.adopt(t, "2026-11-10", "R1")
	f.assess(t, fr, followup.PartiallyImplemented, "2026-11-20")
	_, err := f.store.Adopt(f.as("secretariat"), slug, followup.AdoptionInput{AdoptedOn: date("2026-11-25"), Labels: []string{"R1"}, NextDueOn: date("2027-06-30")})
	must(t, err)
	if n := f.count(t, `SELECT count(*) FROM followup_due_dates`); n != 2 {
		t.Fatalf("%d dated deadlines, want 2 (FR twice, none for the closed DE)", n)
	}
	if got := f.find(t, "anon", fr).DueOn; got != date("2027-06-30") {
		t.Errorf("R1/FR due on %s", got)
	}
	if got := f.find(t, "anon", de).DueOn; got != date("2026-11-27") {
		t.Errorf("the closed R1/DE due on %s, want the report's", got)
	}
	for asOf, want := range map[string]string{"2026-11-09": "2026-11-27", "2026-11-10": "2027-11-10", "2026-11-25": "2027-06-30"} {
		c, err := f.store.ReportCompliance(f.as("anon"), slug, followup.ComplianceQuery{AsOf: date(asOf)})
		must(t, err)
		for _, cell := range c.Cells {
			switch {
			case cell.Label == "R1" && cell.Party == "FR" && cell.DueOn != date(want):
				t.Errorf("as of %s the R1/FR cell is due on %s, want %s", asOf, cell.DueOn, want)
			case cell.Label == "R2" && cell.DueOn != date("2027-06-30"):
				t.Errorf("as of %s the R2 cell is due on %s, want the recommendation's", asOf, cell.DueOn)
			case cell.Label == "R1" && cell.Party != "FR" && cell.DueOn != date("2026-11-27"):
				t.Errorf("as of %s the R1/%s cell is due on %s, want the report's", asOf, cell.Party, cell.DueOn)
			}
		}
		d, err := f.store.PartyDossier(f.as("fr"), "FR", followup.ComplianceQuery{AsOf: date(asOf)})
		must(t, err)
		if len(d.FollowUps) != 1 || d.FollowUps[0].DueOn != date(want) {
			t.Errorf("as of %s the dossier: %+v, want due on %s", asOf, d.FollowUps, want)
		}
		if d.FollowUps[0].Overdue {
			t.Errorf("as of %s the dossier says overdue", asOf)
		}
	}
	// A refused adoption writes no deadline.
	f.assess(t, fr, followup.NotImplemented, "2026-11-26")
	before := f.dump(t)
	_, err = f.store.Adopt(f.as("secretariat"), slug, followup.AdoptionInput{AdoptedOn: date("2026-11-25"), Labels: []string{"R1"}})
	wantErr(t, err, followup.EInvalid, "adopted_on")
	f.unchanged(t, before)
	if n := f.count(t, `SELECT count(*) FROM followup_due_dates`); n != 2 {
		t.Fatalf("a refused adoption left %d dated deadlines", n)
	}
}

// The search's overdue filter and facet read a follow-up's own deadline: a Party given a new
// deadline by an adoption is no longer overdue there, the others still are.
func TestSearchOverdueReadsTheFollowUpsDeadline(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.assess(t, key("R1", "FR"), followup.NotImplemented, "2026-11-01")
	// Before the adoption every Party of R1 is overdue: the report's deadline was yesterday.
	if got := labels(f.search(t, "anon", followup.RecommendationQuery{Overdue: ptr(true), Party: "FR"})); !slices.Equal(got, []string{slug + "/R1"}) {
		t.Fatalf("overdue for FR before the adoption: %v", got)
	}
	f.adopt(t, "2026-11-10", "R1") // R1/FR stays open: due again on 2027-11-10
	for _, c := range []struct {
		party string
		want  []string
	}{{"FR", nil}, {"HU", []string{slug + "/R1"}}, {"DE", []string{slug + "/R1"}}} {
		p := f.search(t, "anon", followup.RecommendationQuery{Overdue: ptr(true), Party: c.party})
		if got := labels(p); !slices.Equal(got, c.want) {
			t.Errorf("overdue for %s: %v, want %v", c.party, got, c.want)
		}
	}
	if p := f.search(t, "anon", followup.RecommendationQuery{Party: "FR", Report: slug}); !maps.Equal(p.Facets.Overdue, map[string]int{"false": 1}) {
		t.Errorf("FR's overdue facet: %v, want R1 not overdue", p.Facets.Overdue)
	}
}
