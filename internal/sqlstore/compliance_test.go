package sqlstore_test

import (
	"testing"

	"followup/internal/followup"
)

type wantTally struct {
	score *float64 // nil: no follow-up whose status counts
	// counts: implemented, partially_implemented, not_implemented, no_information, not_applicable, pending
	c [6]int
}

func tally(score *float64, c ...int) wantTally {
	var w wantTally
	w.score = score
	copy(w.c[:], c)
	return w
}

func checkTally(t *testing.T, what string, got *followup.Tally, want wantTally) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: no tally", what)
	}
	if len(got.Counts) != 6 {
		t.Fatalf("%s: counts has %d keys, want 6: %v", what, len(got.Counts), got.Counts)
	}
	total := 0
	for i, k := range followup.CountKeys {
		n, ok := got.Counts[k]
		if !ok {
			t.Fatalf("%s: counts has no key %s", what, k)
		}
		if n != want.c[i] {
			t.Fatalf("%s: %s = %d, want %d (counts %v)", what, k, n, want.c[i], got.Counts)
		}
		total += n
	}
	if got.Total != total {
		t.Fatalf("%s: total %d, want %d", what, got.Total, total)
	}
	switch {
	case want.score == nil && got.Score != nil:
		t.Fatalf("%s: score %v, want null", what, *got.Score)
	case want.score != nil && got.Score == nil:
		t.Fatalf("%s: score null, want %v", what, *want.score)
	case want.score != nil && !approx(*got.Score, *want.score):
		t.Fatalf("%s: score %v, want %v", what, *got.Score, *want.score)
	}
}

type wantCompliance struct {
	overall  wantTally
	category map[followup.Category]wantTally
	recs     map[string]wantTally // by label, in order R1, R2 (and R3 when withR3)
	parties  map[string]wantTally // by code, in order DE, FR, HU
	withR3   bool                 // a day before R3 was archived: its line and its R3/FR cell
}

func checkCompliance(t *testing.T, c followup.Compliance, want wantCompliance) {
	t.Helper()
	checkTally(t, "overall", c.Overall, want.overall)
	if len(c.ByCategory) != 3 {
		t.Fatalf("by_category has %d keys, want 3", len(c.ByCategory))
	}
	for _, cat := range followup.Categories {
		checkTally(t, "category "+string(cat), c.ByCategory[cat], want.category[cat])
	}
	var labels []string
	for _, r := range c.ByRecommendation {
		labels = append(labels, r.Label)
		checkTally(t, "recommendation "+r.Label, &r.Tally, want.recs[r.Label])
	}
	wantLabels := []string{"R1", "R2"}
	if want.withR3 {
		wantLabels = append(wantLabels, "R3")
	}
	wantStrings(t, "by_recommendation labels", labels, wantLabels)
	if c.ByRecommendation[0].Category != followup.Urge || c.ByRecommendation[1].Category != followup.Consider {
		t.Fatalf("by_recommendation categories = %s, %s", c.ByRecommendation[0].Category, c.ByRecommendation[1].Category)
	}
	var parties []string
	for _, p := range c.ByParty {
		parties = append(parties, p.Party)
		checkTally(t, "party "+p.Party, &p.Tally, want.parties[p.Party])
	}
	wantStrings(t, "by_party", parties, []string{"DE", "FR", "HU"})
}

// complianceFixture: two adoption waves years apart, and an archived recommendation.
//
//	wave 1, adopted 2019-06-06: R1/FR not_implemented, R1/DE partially_implemented, R2/HU not_applicable, R3/FR implemented
//	wave 2, adopted 2021-10-15: R1/FR implemented, R1/HU no_information
//	draft, never adopted:       R1/DE implemented (assessed 2022-01-10)
//	R3 (invite) is archived afterwards (today): the days before show it, today does not.
func complianceFixture(t *testing.T) *fixture {
	f := newFixture(t)
	_, err := f.store.CreateRecommendation(f.as("secretariat"), slug, followup.RecommendationInput{Label: "R3", Category: followup.Invite,
		Text: "Summary: will be archived.", AddressedTo: []string{"FR"}})
	must(t, err)
	f.assess(t, key("R1", "FR"), followup.NotImplemented, "2019-05-01")
	f.assess(t, key("R1", "DE"), followup.PartiallyImplemented, "2019-05-02")
	f.assess(t, key("R2", "HU"), followup.NotApplicable, "2019-05-03")
	f.assess(t, key("R3", "FR"), followup.Implemented, "2019-05-03")
	if n := f.adopt(t, "2019-06-06"); n != 4 {
		t.Fatalf("wave 1 adopted %d, want 4", n)
	}
	f.assess(t, key("R1", "FR"), followup.Implemented, "2021-09-01")
	f.assess(t, key("R1", "HU"), followup.NoInformation, "2021-09-02")
	if n := f.adopt(t, "2021-10-15"); n != 2 {
		t.Fatalf("wave 2 adopted %d, want 2", n)
	}
	f.assess(t, key("R1", "DE"), followup.Implemented, "2022-01-10")
	_, err = f.store.UpdateRecommendation(f.as("secretariat"), slug, "R3", followup.RecommendationPatch{Archived: ptr(true)})
	must(t, err)
	return f
}

func TestComplianceAsOf(t *testing.T) {
	t.Parallel()
	f := complianceFixture(t)
	none := tally(nil)
	wave2 := wantCompliance{
		// R1/FR 1, R1/DE 0.5, R1/HU 0, R2/HU n/a: (1 + 0.5 + 0) / 3
		overall:  tally(ptr(0.5), 1, 1, 0, 1, 1, 0),
		category: map[followup.Category]wantTally{followup.Urge: tally(ptr(0.5), 1, 1, 0, 1, 0, 0), followup.Consider: tally(nil, 0, 0, 0, 0, 1, 0), followup.Invite: none},
		recs:     map[string]wantTally{"R1": tally(ptr(0.5), 1, 1, 0, 1, 0, 0), "R2": tally(nil, 0, 0, 0, 0, 1, 0)},
		parties:  map[string]wantTally{"DE": tally(ptr(0.5), 0, 1, 0, 0, 0, 0), "FR": tally(ptr(1.0), 1, 0, 0, 0, 0, 0), "HU": tally(ptr(0.0), 0, 0, 0, 1, 1, 0)},
	}
	draft := wantCompliance{
		// R1/DE's draft implemented: (1 + 1 + 0) / 3
		overall:  tally(ptr(2.0/3), 2, 0, 0, 1, 1, 0),
		category: map[followup.Category]wantTally{followup.Urge: tally(ptr(2.0/3), 2, 0, 0, 1, 0, 0), followup.Consider: tally(nil, 0, 0, 0, 0, 1, 0), followup.Invite: none},
		recs:     map[string]wantTally{"R1": tally(ptr(2.0/3), 2, 0, 0, 1, 0, 0), "R2": tally(nil, 0, 0, 0, 0, 1, 0)},
		parties:  map[string]wantTally{"DE": tally(ptr(1.0), 1, 0, 0, 0, 0, 0), "FR": tally(ptr(1.0), 1, 0, 0, 0, 0, 0), "HU": tally(ptr(0.0), 0, 0, 0, 1, 1, 0)},
	}
	// The days before R3 was archived (today) have its line and its cell R3/FR (implemented
	// from wave 1, pending before).
	pendingR3 := wantCompliance{
		overall:  tally(nil, 0, 0, 0, 0, 0, 5),
		category: map[followup.Category]wantTally{followup.Urge: tally(nil, 0, 0, 0, 0, 0, 3), followup.Consider: tally(nil, 0, 0, 0, 0, 0, 1), followup.Invite: tally(nil, 0, 0, 0, 0, 0, 1)},
		recs:     map[string]wantTally{"R1": tally(nil, 0, 0, 0, 0, 0, 3), "R2": tally(nil, 0, 0, 0, 0, 0, 1), "R3": tally(nil, 0, 0, 0, 0, 0, 1)},
		parties:  map[string]wantTally{"DE": tally(nil, 0, 0, 0, 0, 0, 1), "FR": tally(nil, 0, 0, 0, 0, 0, 2), "HU": tally(nil, 0, 0, 0, 0, 0, 2)},
		withR3:   true,
	}
	wave1R3 := wantCompliance{
		// R1/FR 0, R1/DE 0.5, R3/FR 1, R2/HU n/a, R1/HU pending: (0 + 0.5 + 1) / 3
		overall:  tally(ptr(0.5), 1, 1, 1, 0, 1, 1),
		category: map[followup.Category]wantTally{followup.Urge: tally(ptr(0.25), 0, 1, 1, 0, 0, 1), followup.Consider: tally(nil, 0, 0, 0, 0, 1, 0), followup.Invite: tally(ptr(1.0), 1, 0, 0, 0, 0, 0)},
		recs:     map[string]wantTally{"R1": tally(ptr(0.25), 0, 1, 1, 0, 0, 1), "R2": tally(nil, 0, 0, 0, 0, 1, 0), "R3": tally(ptr(1.0), 1, 0, 0, 0, 0, 0)},
		parties:  map[string]wantTally{"DE": tally(ptr(0.5), 0, 1, 0, 0, 0, 0), "FR": tally(ptr(0.5), 1, 0, 1, 0, 0, 0), "HU": tally(nil, 0, 0, 0, 0, 1, 1)},
		withR3:   true,
	}
	wave2R3 := wantCompliance{
		// R1/FR 1, R1/DE 0.5, R1/HU 0, R3/FR 1, R2/HU n/a: (1 + 0.5 + 0 + 1) / 4
		overall:  tally(ptr(0.625), 2, 1, 0, 1, 1, 0),
		category: map[followup.Category]wantTally{followup.Urge: tally(ptr(0.5), 1, 1, 0, 1, 0, 0), followup.Consider: tally(nil, 0, 0, 0, 0, 1, 0), followup.Invite: tally(ptr(1.0), 1, 0, 0, 0, 0, 0)},
		recs:     map[string]wantTally{"R1": tally(ptr(0.5), 1, 1, 0, 1, 0, 0), "R2": tally(nil, 0, 0, 0, 0, 1, 0), "R3": tally(ptr(1.0), 1, 0, 0, 0, 0, 0)},
		parties:  map[string]wantTally{"DE": tally(ptr(0.5), 0, 1, 0, 0, 0, 0), "FR": tally(ptr(1.0), 2, 0, 0, 0, 0, 0), "HU": tally(ptr(0.0), 0, 0, 0, 1, 1, 0)},
		withR3:   true,
	}
	for _, tc := range []struct {
		name  string
		who   string
		asOf  string
		basis followup.Basis
		want  wantCompliance
		wantR string // R1/FR's cell status, "" for pending
	}{
		{"the day before the first adoption", "anon", "2019-06-05", "", pendingR3, ""},
		{"the first adoption", "anon", "2019-06-06", "", wave1R3, "not_implemented"},
		{"between the adoptions", "fr", "2020-01-01", followup.BasisAdopted, wave1R3, "not_implemented"},
		{"the day before the second adoption", "anon", "2021-10-14", "", wave1R3, "not_implemented"},
		{"the second adoption", "anon", "2021-10-15", "", wave2R3, "implemented"},
		{"the day before R3 was archived", "anon", "2026-11-27", "", wave2R3, "implemented"},
		{"today: the draft is not public", "anon", "", "", wave2, "implemented"},
		{"today as the rapporteur, adopted basis", "rapporteur", "", followup.BasisAdopted, wave2, "implemented"},
		{"draft basis for the rapporteur", "rapporteur", "", followup.BasisDraft, draft, "implemented"},
		{"draft basis for the secretariat", "secretariat", "2026-11-28", followup.BasisDraft, draft, "implemented"},
		{"draft basis before the draft", "rapporteur", "2022-01-09", followup.BasisDraft, wave2R3, "implemented"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := f.store.ReportCompliance(f.as(tc.who), slug, followup.ComplianceQuery{AsOf: dateOrZero(tc.asOf), Basis: tc.basis})
			must(t, err)
			wantAsOf := tc.asOf
			if wantAsOf == "" {
				wantAsOf = "2026-11-28"
			}
			wantBasis := tc.basis
			if wantBasis == "" {
				wantBasis = followup.BasisAdopted
			}
			if c.Report != slug || c.AsOf.String() != wantAsOf || c.Basis != wantBasis {
				t.Fatalf("report %q as_of %s basis %s, want %s %s %s", c.Report, c.AsOf, c.Basis, slug, wantAsOf, wantBasis)
			}
			checkCompliance(t, c, tc.want)
			wantCells := 4
			if tc.want.withR3 {
				wantCells = 5
			}
			if len(c.Cells) != wantCells {
				t.Fatalf("%d cells, want %d (R3 only before it was archived)", len(c.Cells), wantCells)
			}
			for _, cell := range c.Cells {
				if cell.Label == "R3" && (!tc.want.withR3 || cell.Party != "FR") {
					t.Fatalf("a cell of R3, archived on that day: %+v", cell)
				}
				if cell.Label == "R1" && cell.Party == "FR" {
					got := ""
					if cell.Status != nil {
						got = string(*cell.Status)
					}
					if got != tc.wantR {
						t.Fatalf("R1/FR cell = %q, want %q", got, tc.wantR)
					}
				}
				if cell.Label == "R1" && cell.Party == "DE" && tc.basis == followup.BasisDraft && tc.want.parties["DE"].c[0] == 1 { // the draft implemented
					if !cell.Draft || !cell.AdoptedOn.IsZero() {
						t.Fatalf("R1/DE draft cell = %+v", cell)
					}
				}
				if tc.basis != followup.BasisDraft && cell.Draft {
					t.Fatalf("a draft cell on the adopted basis: %+v", cell)
				}
			}
		})
	}
	for _, tc := range []struct {
		name  string
		who   string
		slug  string
		q     followup.ComplianceQuery
		code  string
		field string
	}{
		{"draft basis for a party user", "fr", slug, followup.ComplianceQuery{Basis: followup.BasisDraft}, followup.EForbidden, ""},
		{"draft basis for the anonymous", "anon", slug, followup.ComplianceQuery{Basis: followup.BasisDraft}, followup.EUnauthorized, ""},
		{"unknown basis", "rapporteur", slug, followup.ComplianceQuery{Basis: "final"}, followup.EInvalid, "basis"},
		{"unknown report", "anon", "nope", followup.ComplianceQuery{}, followup.ENotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.store.ReportCompliance(f.as(tc.who), tc.slug, tc.q)
			wantErr(t, err, tc.code, tc.field)
		})
	}
}

func dateOrZero(s string) followup.Date {
	if s == "" {
		return followup.Date{}
	}
	return date(s)
}
