package followup

import "testing"

func TestFollowUpAsOf(t *testing.T) {
	impl, not := Implemented, NotImplemented
	h := History{
		Submitted: []Date{MustDate("2020-01-10"), MustDate("2021-06-01")},
		Assessments: []Assessment{
			{ID: 1, Status: not, AssessedOn: MustDate("2020-02-01"), AdoptedOn: MustDate("2020-03-01")},
			{ID: 2, Status: impl, AssessedOn: MustDate("2021-06-10")}, // a draft
		},
	}
	fu := FollowUp{DueOn: MustDate("2020-06-30")}
	cases := []struct {
		asOf       string
		drafts     bool
		state      State
		status     *Status
		open, over bool
	}{
		{"2020-01-01", true, AwaitingSubmission, nil, true, false},
		{"2020-01-10", true, Submitted, nil, true, false},
		{"2020-02-01", true, Assessed, nil, true, false},
		{"2020-02-01", false, Submitted, nil, true, false}, // the public does not see the draft
		{"2020-03-01", false, Adopted, &not, true, false},
		{"2020-07-01", false, Adopted, &not, true, true}, // past due, silent since the adoption
		{"2021-06-01", false, Submitted, &not, true, false},
		{"2021-06-10", true, Assessed, &not, true, false},
		{"2021-06-10", false, Submitted, &not, true, false},
	}
	for _, c := range cases {
		got := FollowUpAsOf(fu, h, MustDate(c.asOf), c.drafts)
		if got.State != c.state || (got.Status == nil) != (c.status == nil) || (got.Status != nil && *got.Status != *c.status) ||
			got.Open != c.open || got.Overdue != c.over {
			t.Errorf("as of %s (drafts %t): state %s status %v open %t overdue %t; want %s %v %t %t",
				c.asOf, c.drafts, got.State, got.Status, got.Open, got.Overdue, c.state, c.status, c.open, c.over)
		}
	}
}

func TestPlanRecommendations(t *testing.T) {
	report := Report{Slug: "rep", Parties: []string{"DE", "FR"}}
	existing := []Recommendation{{Label: "R1", Category: Urge, Text: "One.", Articles: []string{}, AddressedTo: []string{"DE", "FR"}}}
	known := map[string]bool{"DE": true, "FR": true, "TR": true}
	b := RecommendationBatch{Columns: []string{"label", "category", "text", "addressed_to"}, Rows: []RecommendationRow{
		{Row: 2, Input: RecommendationInput{Label: "R1", Category: Urge, Text: "One.", AddressedTo: []string{"FR", "DE"}}},
		{Row: 3, Input: RecommendationInput{Label: "R2", Category: Invite, Text: "Two.", AddressedTo: []string{"TR"}}},
		{Row: 4, Input: RecommendationInput{Label: "R3", Category: Invite, Text: "Three.", AddressedTo: []string{"XX"}}},
		{Row: 5, Input: RecommendationInput{Label: "R4", Category: Invite, Text: "Four."}},
	}}
	res, changes := PlanRecommendations(report, existing, known, b)
	if len(res.Errors) != 2 || res.Errors[0].Row != 3 || res.Errors[1].Row != 4 {
		t.Fatalf("errors %+v", res.Errors)
	}
	if res.Unchanged != 1 || res.Created != 1 || len(changes) != 1 || changes[0].Label != "R4" {
		t.Errorf("plan %+v changes %+v", res, changes)
	}
	// Without the articles column, the articles stay; a changed category is an update.
	b = RecommendationBatch{Columns: []string{"label", "category", "text"}, Rows: []RecommendationRow{
		{Row: 2, Input: RecommendationInput{Label: "R1", Category: Consider, Text: "One."}}}}
	res, changes = PlanRecommendations(report, existing, known, b)
	if res.Updated != 1 || len(changes) != 1 || changes[0].Patch == nil || changes[0].Patch.Articles != nil ||
		len(res.Rows[0].Changes) != 1 || res.Rows[0].Changes[0] != "category" {
		t.Errorf("update %+v %+v", res, changes)
	}
}
