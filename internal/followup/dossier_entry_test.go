package followup

import "testing"

func TestDossierEntryStatusByBasis(t *testing.T) {
	st := func(s Status) *Status { return &s }
	h := History{Submitted: []Date{MustDate("2020-02-01")}, Assessments: []Assessment{
		{ID: 1, Status: PartiallyImplemented, AssessedOn: MustDate("2020-03-01"), AdoptedOn: MustDate("2020-06-01")},
		{ID: 2, Status: Implemented, AssessedOn: MustDate("2021-03-01")}, // a draft
	}}
	live := FollowUp{Report: "r", Label: "R1", Party: "FR", DueOn: MustDate("2020-01-01"), State: Adopted,
		Status: st(PartiallyImplemented), AdoptedOn: MustDate("2020-06-01"), Open: true}
	today := MustDate("2026-01-01")
	cases := []struct {
		name       string
		q          ComplianceQuery
		seesDrafts bool
		status     *Status
		adoptedOn  string
		shown      int // assessments listed
	}{
		{"public today", ComplianceQuery{AsOf: today, Basis: BasisAdopted}, false, st(PartiallyImplemented), "2020-06-01", 1},
		{"public before the adoption", ComplianceQuery{AsOf: MustDate("2020-05-31"), Basis: BasisAdopted}, false, nil, "", 0},
		{"draft basis today", ComplianceQuery{AsOf: today, Basis: BasisDraft}, true, st(Implemented), "2020-06-01", 2},
		{"draft basis before the draft", ComplianceQuery{AsOf: MustDate("2021-02-28"), Basis: BasisDraft}, true, st(PartiallyImplemented), "2020-06-01", 1},
	}
	for _, c := range cases {
		got := DossierEntry(live, h, c.q, today, c.seesDrafts)
		if (got.Status == nil) != (c.status == nil) || (got.Status != nil && *got.Status != *c.status) {
			t.Errorf("%s: status %v, want %v", c.name, got.Status, c.status)
		}
		if c.q.Basis == BasisAdopted && got.AdoptedOn.String() != c.adoptedOn {
			t.Errorf("%s: adopted on %s, want %s", c.name, got.AdoptedOn, c.adoptedOn)
		}
		if len(got.Assessments) != c.shown || got.Submissions != nil {
			t.Errorf("%s: %d assessments (want %d), submissions %v", c.name, len(got.Assessments), c.shown, got.Submissions)
		}
	}
}
