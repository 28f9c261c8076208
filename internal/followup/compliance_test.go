package followup_test

import (
	"encoding/json"
	"math"
	"testing"

	"followup/internal/followup"
)

var allCountKeys = []string{"implemented", "partially_implemented", "not_implemented", "no_information", "not_applicable", "pending"}

func statusPtr(s followup.Status) *followup.Status { return &s }

// wantTally checks a tally's total, counts (missing keys must be zero) and score (nil for none).
func wantTally(t *testing.T, what string, got *followup.Tally, total int, counts map[string]int, score *float64) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: nil tally", what)
	}
	if len(got.Counts) != 6 {
		t.Errorf("%s: counts has %d keys, want 6: %v", what, len(got.Counts), got.Counts)
	}
	for _, k := range allCountKeys {
		v, ok := got.Counts[k]
		if !ok {
			t.Errorf("%s: counts has no %q", what, k)
		}
		if v != counts[k] {
			t.Errorf("%s: counts[%s] = %d, want %d", what, k, v, counts[k])
		}
	}
	if got.Total != total {
		t.Errorf("%s: total = %d, want %d", what, got.Total, total)
	}
	switch {
	case score == nil && got.Score != nil:
		t.Errorf("%s: score = %v, want nil", what, *got.Score)
	case score != nil && got.Score == nil:
		t.Errorf("%s: score = nil, want %v", what, *score)
	case score != nil && math.Abs(*got.Score-*score) > 1e-12:
		t.Errorf("%s: score = %v, want %v", what, *got.Score, *score)
	}
}

func TestCountKeysAndNewCounts(t *testing.T) {
	if !sameStrings(followup.CountKeys, allCountKeys) {
		t.Errorf("CountKeys = %v, want %v", followup.CountKeys, allCountKeys)
	}
	c := followup.NewCounts()
	if len(c) != 6 {
		t.Fatalf("NewCounts has %d keys", len(c))
	}
	for _, k := range allCountKeys {
		if v, ok := c[k]; !ok || v != 0 {
			t.Errorf("NewCounts[%s] = %d, %v", k, v, ok)
		}
	}
	if followup.Pending != "pending" {
		t.Errorf("Pending = %q", followup.Pending)
	}
}

func TestSummarizeOverallScore(t *testing.T) {
	tests := []struct {
		name     string
		statuses []*followup.Status
		total    int
		counts   map[string]int
		score    *float64
	}{
		{"nothing", nil, 0, nil, nil},
		{"only pending", []*followup.Status{nil, nil}, 2, map[string]int{"pending": 2}, nil},
		{"only not applicable", []*followup.Status{statusPtr(followup.NotApplicable)}, 1, map[string]int{"not_applicable": 1}, nil},
		{"not applicable and pending", []*followup.Status{statusPtr(followup.NotApplicable), nil}, 2, map[string]int{"not_applicable": 1, "pending": 1}, nil},
		{"one implemented", []*followup.Status{statusPtr(followup.Implemented)}, 1, map[string]int{"implemented": 1}, ptrTo(1.0)},
		{"one partial", []*followup.Status{statusPtr(followup.PartiallyImplemented)}, 1, map[string]int{"partially_implemented": 1}, ptrTo(0.5)},
		{"one not implemented", []*followup.Status{statusPtr(followup.NotImplemented)}, 1, map[string]int{"not_implemented": 1}, ptrTo(0.0)},
		{"no information counts as 0", []*followup.Status{statusPtr(followup.NoInformation), statusPtr(followup.Implemented)}, 2,
			map[string]int{"no_information": 1, "implemented": 1}, ptrTo(0.5)},
		{"not applicable is left out", []*followup.Status{statusPtr(followup.Implemented), statusPtr(followup.NotApplicable)}, 2,
			map[string]int{"implemented": 1, "not_applicable": 1}, ptrTo(1.0)},
		{"pending is left out", []*followup.Status{statusPtr(followup.NotImplemented), nil, nil}, 3,
			map[string]int{"not_implemented": 1, "pending": 2}, ptrTo(0.0)},
		{"worked example", []*followup.Status{
			statusPtr(followup.Implemented), statusPtr(followup.Implemented), statusPtr(followup.PartiallyImplemented),
			statusPtr(followup.NotImplemented), statusPtr(followup.NotApplicable), nil,
		}, 6, map[string]int{"implemented": 2, "partially_implemented": 1, "not_implemented": 1, "not_applicable": 1, "pending": 1}, ptrTo(0.625)},
		{"thirds", []*followup.Status{statusPtr(followup.Implemented), statusPtr(followup.NotImplemented), statusPtr(followup.NoInformation)}, 3,
			map[string]int{"implemented": 1, "not_implemented": 1, "no_information": 1}, ptrTo(1.0 / 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cells []followup.ComplianceCell
			for i, s := range tt.statuses {
				cells = append(cells, followup.ComplianceCell{Label: "R7", Category: followup.Consider, Party: string(rune('A'+i)) + "A", Status: s})
			}
			c := followup.Summarize("r", day("2019-06-06"), followup.BasisAdopted, []followup.RecommendationTally{{Label: "R7", Category: followup.Consider}}, cells)
			wantTally(t, "overall", c.Overall, tt.total, tt.counts, tt.score)
			wantTally(t, "consider", c.ByCategory[followup.Consider], tt.total, tt.counts, tt.score)
			if len(c.ByRecommendation) != 1 {
				t.Fatalf("%d recommendation lines, want 1", len(c.ByRecommendation))
			}
			wantTally(t, "R7", &c.ByRecommendation[0].Tally, tt.total, tt.counts, tt.score)
		})
	}
}

// workedExample: two recommendations (R7 consider, R9 urge), Parties DE, FR, HU, plus R12 (invite)
// listed with no follow-up at all. Labels are given in report order R9, R7, R12.
func workedExample() ([]followup.RecommendationTally, []followup.ComplianceCell) {
	labels := []followup.RecommendationTally{
		{Label: "R9", Category: followup.Urge},
		{Label: "R7", Category: followup.Consider},
		{Label: "R12", Category: followup.Invite},
	}
	cells := []followup.ComplianceCell{
		{Label: "R7", Category: followup.Consider, Party: "HU", Status: statusPtr(followup.Implemented)},
		{Label: "R7", Category: followup.Consider, Party: "FR", Status: statusPtr(followup.Implemented)},
		{Label: "R7", Category: followup.Consider, Party: "DE", Status: statusPtr(followup.PartiallyImplemented)},
		{Label: "R9", Category: followup.Urge, Party: "HU", Status: statusPtr(followup.NotImplemented)},
		{Label: "R9", Category: followup.Urge, Party: "FR", Status: statusPtr(followup.NotApplicable)},
		{Label: "R9", Category: followup.Urge, Party: "DE", Status: nil},
	}
	return labels, cells
}

func TestSummarizeWorkedExample(t *testing.T) {
	labels, cells := workedExample()
	asOf := day("2019-06-06")
	c := followup.Summarize("refugee-crisis", asOf, followup.BasisDraft, labels, cells)

	if c.Report != "refugee-crisis" || c.AsOf != asOf || c.Basis != followup.BasisDraft {
		t.Errorf("header = %q %v %q", c.Report, c.AsOf, c.Basis)
	}
	if len(c.Cells) != 6 || c.Cells[0] != cells[0] {
		t.Errorf("cells not kept: %v", c.Cells)
	}

	// Overall: 2 implemented + 1 partial + 1 not implemented + 1 n/a + 1 pending → (1+1+0.5+0)/4.
	wantTally(t, "overall", c.Overall, 6, map[string]int{
		"implemented": 2, "partially_implemented": 1, "not_implemented": 1, "not_applicable": 1, "pending": 1,
	}, ptrTo(0.625))

	// By category: all three present, invite empty.
	if len(c.ByCategory) != 3 {
		t.Errorf("by_category has %d entries, want 3", len(c.ByCategory))
	}
	wantTally(t, "urge", c.ByCategory[followup.Urge], 3, map[string]int{"not_implemented": 1, "not_applicable": 1, "pending": 1}, ptrTo(0.0))
	wantTally(t, "consider", c.ByCategory[followup.Consider], 3, map[string]int{"implemented": 2, "partially_implemented": 1}, ptrTo(2.5/3))
	wantTally(t, "invite", c.ByCategory[followup.Invite], 0, nil, nil)

	// By recommendation: the given order, with R12 although it has no cells.
	if len(c.ByRecommendation) != 3 {
		t.Fatalf("%d recommendation lines, want 3", len(c.ByRecommendation))
	}
	for i, want := range []struct {
		label string
		cat   followup.Category
	}{{"R9", followup.Urge}, {"R7", followup.Consider}, {"R12", followup.Invite}} {
		if r := c.ByRecommendation[i]; r.Label != want.label || r.Category != want.cat {
			t.Errorf("line %d = %s/%s, want %s/%s", i, r.Label, r.Category, want.label, want.cat)
		}
	}
	wantTally(t, "R9", &c.ByRecommendation[0].Tally, 3, map[string]int{"not_implemented": 1, "not_applicable": 1, "pending": 1}, ptrTo(0.0))
	wantTally(t, "R7", &c.ByRecommendation[1].Tally, 3, map[string]int{"implemented": 2, "partially_implemented": 1}, ptrTo(2.5/3))
	wantTally(t, "R12", &c.ByRecommendation[2].Tally, 0, nil, nil)

	// By Party: sorted by code.
	if len(c.ByParty) != 3 {
		t.Fatalf("%d Party lines, want 3", len(c.ByParty))
	}
	for i, code := range []string{"DE", "FR", "HU"} {
		if c.ByParty[i].Party != code {
			t.Errorf("Party line %d = %s, want %s", i, c.ByParty[i].Party, code)
		}
	}
	wantTally(t, "DE", &c.ByParty[0].Tally, 2, map[string]int{"partially_implemented": 1, "pending": 1}, ptrTo(0.5))
	wantTally(t, "FR", &c.ByParty[1].Tally, 2, map[string]int{"implemented": 1, "not_applicable": 1}, ptrTo(1.0))
	wantTally(t, "HU", &c.ByParty[2].Tally, 2, map[string]int{"implemented": 1, "not_implemented": 1}, ptrTo(0.5))
}

func TestSummarizeEmpty(t *testing.T) {
	c := followup.Summarize("r", day("2019-06-06"), followup.BasisAdopted, nil, nil)
	wantTally(t, "overall", c.Overall, 0, nil, nil)
	for _, cat := range []followup.Category{followup.Urge, followup.Consider, followup.Invite} {
		wantTally(t, string(cat), c.ByCategory[cat], 0, nil, nil)
	}
	if c.ByRecommendation == nil || len(c.ByRecommendation) != 0 {
		t.Errorf("by_recommendation = %#v, want an empty non-nil slice", c.ByRecommendation)
	}
	if c.ByParty == nil || len(c.ByParty) != 0 {
		t.Errorf("by_party = %#v, want an empty non-nil slice", c.ByParty)
	}
	// JSON: empty lists, not null; null score; all six count keys.
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Overall struct {
			Score  *float64       `json:"score"`
			Counts map[string]int `json:"counts"`
		} `json:"overall"`
		ByCategory       map[string]json.RawMessage `json:"by_category"`
		ByRecommendation json.RawMessage            `json:"by_recommendation"`
		ByParty          json.RawMessage            `json:"by_party"`
		AsOf             string                     `json:"as_of"`
		Basis            string                     `json:"basis"`
		Cells            json.RawMessage            `json:"cells"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Overall.Score != nil || len(doc.Overall.Counts) != 6 {
		t.Errorf("overall = %+v", doc.Overall)
	}
	if string(doc.ByRecommendation) != "[]" || string(doc.ByParty) != "[]" {
		t.Errorf("by_recommendation %s by_party %s, want []", doc.ByRecommendation, doc.ByParty)
	}
	if len(doc.ByCategory) != 3 || doc.ByCategory["urge"] == nil || doc.ByCategory["consider"] == nil || doc.ByCategory["invite"] == nil {
		t.Errorf("by_category = %v", doc.ByCategory)
	}
	if doc.AsOf != "2019-06-06" || doc.Basis != "adopted" {
		t.Errorf("as_of %q basis %q", doc.AsOf, doc.Basis)
	}
	if doc.Cells != nil {
		t.Errorf("cells are in the JSON: %s", doc.Cells)
	}
}

func TestSummarizeJSONShape(t *testing.T) {
	labels, cells := workedExample()
	b, err := json.Marshal(followup.Summarize("refugee-crisis", day("2019-06-06"), followup.BasisAdopted, labels, cells))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Report           string `json:"report"`
		ByRecommendation []struct {
			Label    string         `json:"label"`
			Category string         `json:"category"`
			Score    *float64       `json:"score"`
			Counts   map[string]int `json:"counts"`
			Total    int            `json:"total"`
		} `json:"by_recommendation"`
		ByParty []struct {
			Party  string         `json:"party"`
			Score  *float64       `json:"score"`
			Counts map[string]int `json:"counts"`
		} `json:"by_party"`
		Overall struct {
			Score  float64 `json:"score"`
			Scored *int    `json:"scored"`
			Total  int     `json:"total"`
		} `json:"overall"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Report != "refugee-crisis" || doc.Overall.Score != 0.625 || doc.Overall.Total != 6 {
		t.Errorf("report %q overall %+v", doc.Report, doc.Overall)
	}
	// The base of the score: the follow-ups whose status counts (not pending, not applicable).
	if doc.Overall.Scored == nil || *doc.Overall.Scored != 4 {
		t.Errorf("overall scored %v, want 4 of the 6 follow-ups", doc.Overall.Scored)
	}
	if len(doc.ByRecommendation) != 3 || doc.ByRecommendation[2].Label != "R12" || doc.ByRecommendation[2].Category != "invite" ||
		doc.ByRecommendation[2].Score != nil || len(doc.ByRecommendation[2].Counts) != 6 || doc.ByRecommendation[2].Total != 0 {
		t.Errorf("by_recommendation = %+v", doc.ByRecommendation)
	}
	if len(doc.ByParty) != 3 || doc.ByParty[0].Party != "DE" || doc.ByParty[0].Score == nil || *doc.ByParty[0].Score != 0.5 ||
		doc.ByParty[0].Counts["pending"] != 1 {
		t.Errorf("by_party = %+v", doc.ByParty)
	}
}

func TestSummarizeCellOutsideLabels(t *testing.T) {
	// A cell whose recommendation was not listed still gets a line, after the listed ones.
	labels := []followup.RecommendationTally{{Label: "R1", Category: followup.Urge}}
	cells := []followup.ComplianceCell{
		{Label: "R2", Category: followup.Invite, Party: "FR", Status: statusPtr(followup.Implemented)},
		{Label: "R1", Category: followup.Urge, Party: "FR", Status: statusPtr(followup.NotImplemented)},
	}
	c := followup.Summarize("r", day("2019-06-06"), followup.BasisAdopted, labels, cells)
	if len(c.ByRecommendation) != 2 || c.ByRecommendation[0].Label != "R1" || c.ByRecommendation[1].Label != "R2" ||
		c.ByRecommendation[1].Category != followup.Invite {
		t.Fatalf("lines = %+v", c.ByRecommendation)
	}
	wantTally(t, "R2", &c.ByRecommendation[1].Tally, 1, map[string]int{"implemented": 1}, ptrTo(1.0))
	wantTally(t, "R1", &c.ByRecommendation[0].Tally, 1, map[string]int{"not_implemented": 1}, ptrTo(0.0))
	wantTally(t, "FR", &c.ByParty[0].Tally, 2, map[string]int{"implemented": 1, "not_implemented": 1}, ptrTo(0.5))
}

func TestSummarizeTalliesAreIndependent(t *testing.T) {
	// Each line has its own counts map: adding to one must not show in another.
	labels := []followup.RecommendationTally{{Label: "R1", Category: followup.Urge}, {Label: "R2", Category: followup.Urge}}
	cells := []followup.ComplianceCell{{Label: "R1", Category: followup.Urge, Party: "FR", Status: statusPtr(followup.Implemented)}}
	c := followup.Summarize("r", day("2019-06-06"), followup.BasisAdopted, labels, cells)
	wantTally(t, "R2", &c.ByRecommendation[1].Tally, 0, nil, nil)
	wantTally(t, "consider", c.ByCategory[followup.Consider], 0, nil, nil)
	wantTally(t, "urge", c.ByCategory[followup.Urge], 1, map[string]int{"implemented": 1}, ptrTo(1.0))
	c.ByRecommendation[0].Counts["implemented"] = 99
	if c.Overall.Counts["implemented"] != 1 || c.ByParty[0].Counts["implemented"] != 1 {
		t.Error("tallies share their counts map")
	}
}

func TestComplianceQueryValidate(t *testing.T) {
	today := day("2019-06-06")
	tests := []struct {
		name      string
		actor     followup.Actor
		in        followup.ComplianceQuery
		code      string
		field     string
		wantAsOf  string
		wantBasis followup.Basis
	}{
		{"defaults", actorAnonymous, followup.ComplianceQuery{}, "", "", "2019-06-06", followup.BasisAdopted},
		{"as of kept", actorAnonymous, followup.ComplianceQuery{AsOf: day("2018-01-01")}, "", "", "2018-01-01", followup.BasisAdopted},
		{"adopted for anonymous", actorAnonymous, followup.ComplianceQuery{Basis: followup.BasisAdopted}, "", "", "2019-06-06", followup.BasisAdopted},
		{"adopted for party", actorPartyFR, followup.ComplianceQuery{Basis: "adopted"}, "", "", "2019-06-06", followup.BasisAdopted},
		{"draft for admin", actorAdmin, followup.ComplianceQuery{Basis: followup.BasisDraft}, "", "", "2019-06-06", followup.BasisDraft},
		{"draft for secretariat", actorSecretariat, followup.ComplianceQuery{Basis: followup.BasisDraft, AsOf: day("2019-01-02")}, "", "", "2019-01-02", followup.BasisDraft},
		{"draft for rapporteur", actorRapporteur, followup.ComplianceQuery{Basis: followup.BasisDraft}, "", "", "2019-06-06", followup.BasisDraft},
		{"draft for party", actorPartyFR, followup.ComplianceQuery{Basis: followup.BasisDraft}, followup.EForbidden, "", "", ""},
		{"draft for anonymous", actorAnonymous, followup.ComplianceQuery{Basis: followup.BasisDraft}, followup.EUnauthorized, "", "", ""},
		{"unknown basis", actorAdmin, followup.ComplianceQuery{Basis: "latest"}, followup.EInvalid, "basis", "", ""},
		{"unknown basis, anonymous", actorAnonymous, followup.ComplianceQuery{Basis: "Draft"}, followup.EInvalid, "basis", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.in
			err := q.Validate(tt.actor, today)
			if tt.code != "" {
				wantDomainErr(t, err, tt.code, tt.field)
				return
			}
			wantDomainErr(t, err, "", "")
			if q.AsOf.String() != tt.wantAsOf || q.Basis != tt.wantBasis {
				t.Errorf("got as_of %s basis %q, want %s %q", q.AsOf, q.Basis, tt.wantAsOf, tt.wantBasis)
			}
		})
	}
}

// Select rebuilds every tally from the cells of the category and Parties chosen, and leaves
// the summary it is called on as it was.
func TestComplianceSelect(t *testing.T) {
	impl, part, not := statusPtr(followup.Implemented), statusPtr(followup.PartiallyImplemented), statusPtr(followup.NotImplemented)
	labels := []followup.RecommendationTally{{Label: "R1", Category: followup.Urge}, {Label: "R2", Category: followup.Consider},
		{Label: "R3", Category: followup.Urge}, {Label: "R4", Category: followup.Urge}}
	cells := []followup.ComplianceCell{
		{Label: "R1", Category: followup.Urge, Party: "FR", Status: impl},
		{Label: "R1", Category: followup.Urge, Party: "HU", Status: not},
		{Label: "R1", Category: followup.Urge, Party: "DE", Status: impl},
		{Label: "R2", Category: followup.Consider, Party: "FR", Status: not},
		{Label: "R2", Category: followup.Consider, Party: "HU", Status: impl},
		{Label: "R3", Category: followup.Urge, Party: "HU", Status: part},
		{Label: "R3", Category: followup.Urge, Party: "DE"},
		{Label: "R4", Category: followup.Urge, Party: "DE", Status: impl},
	}
	all := followup.Summarize("rep", followup.MustDate("2026-01-01"), followup.BasisAdopted, labels, cells)
	half := func(v float64) *float64 { return &v }

	sel := all.Select(followup.Urge, []string{"HU", "FR"})
	// Urge × {FR, HU}: R1 FR implemented, R1 HU not, R3 HU partially → (1 + 0 + 0.5) / 3.
	wantTally(t, "overall", sel.Overall, 3, map[string]int{"implemented": 1, "not_implemented": 1, "partially_implemented": 1}, half(0.5))
	wantTally(t, "urge", sel.ByCategory[followup.Urge], 3, map[string]int{"implemented": 1, "not_implemented": 1, "partially_implemented": 1}, half(0.5))
	wantTally(t, "consider", sel.ByCategory[followup.Consider], 0, nil, nil)
	if len(sel.ByParty) != 2 || sel.ByParty[0].Party != "FR" || sel.ByParty[1].Party != "HU" {
		t.Fatalf("by Party: %+v", sel.ByParty)
	}
	wantTally(t, "HU", &sel.ByParty[1].Tally, 2, map[string]int{"not_implemented": 1, "partially_implemented": 1}, half(0.25))
	var got []string
	for _, rt := range sel.ByRecommendation {
		got = append(got, rt.Label)
	}
	// R2 is of another category; R4 is addressed to neither France nor Hungary.
	if !sameStrings(got, []string{"R1", "R3"}) {
		t.Errorf("by recommendation: %v", got)
	}
	if sel.Selection == nil || sel.Selection.Category != followup.Urge || !sameStrings(sel.Selection.Parties, []string{"FR", "HU"}) {
		t.Errorf("selection: %+v", sel.Selection)
	}
	if len(sel.Cells) != 3 {
		t.Errorf("%d cells selected, want 3", len(sel.Cells))
	}
	// The whole summary is untouched.
	wantTally(t, "whole overall", all.Overall, 8, map[string]int{"implemented": 4, "not_implemented": 2, "partially_implemented": 1, "pending": 1}, half(4.5/7))
	if all.Selection != nil || len(all.ByParty) != 3 || len(all.Cells) != 8 {
		t.Errorf("Select changed the summary it was called on: %+v", all)
	}

	// A category alone keeps every recommendation of the category, even one without follow-ups.
	cat := all.Select(followup.Consider, nil)
	wantTally(t, "consider only", cat.Overall, 2, map[string]int{"implemented": 1, "not_implemented": 1}, half(0.5))
	if len(cat.ByRecommendation) != 1 || cat.ByRecommendation[0].Label != "R2" || cat.Selection.Parties != nil {
		t.Errorf("category selection: %+v %+v", cat.ByRecommendation, cat.Selection)
	}
	// No selection: the same summary.
	if same := all.Select("", nil); same.Selection != nil || same.Overall != all.Overall {
		t.Error("an empty selection rebuilt the summary")
	}
	// The selection is in the JSON, and only when there is one.
	b, _ := json.Marshal(sel)
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if s, _ := doc["selection"].(map[string]any); s == nil || s["category"] != "urge" {
		t.Errorf("JSON selection: %s", b)
	}
	b, _ = json.Marshal(all)
	var whole map[string]any
	if json.Unmarshal(b, &whole); whole["selection"] != nil {
		t.Errorf("JSON of the whole report has a selection: %s", b)
	}
}
