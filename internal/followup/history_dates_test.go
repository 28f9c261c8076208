package followup_test

import (
	"strings"
	"testing"

	"followup/internal/followup"
)

// The dates of a follow-up's history follow the facts they come after: the report's adoption,
// and the follow-up's latest adoption.
func TestCheckSubmissionDate(t *testing.T) {
	key := followup.FollowUpKey{Report: "rep", Label: "R1", Party: "FR"}
	report := day("2024-03-01")
	tests := []struct {
		name     string
		in       followup.SubmissionInput
		latest   followup.Date
		field    string
		mentions string
	}{
		{"after the report's adoption", followup.SubmissionInput{SubmittedOn: day("2024-05-01")}, followup.Date{}, "", ""},
		{"on the report's adoption day", followup.SubmissionInput{SubmittedOn: report}, followup.Date{}, "", ""},
		{"the day before the report's adoption", followup.SubmissionInput{SubmittedOn: day("2024-02-29")}, followup.Date{}, "submitted_on", "2024-03-01"},
		{"in 1900", followup.SubmissionInput{SubmittedOn: day("1900-01-01")}, followup.Date{}, "submitted_on", "report rep"},
		{"a draft has no date", followup.SubmissionInput{Draft: true}, day("2025-01-01"), "", ""},
		{"after the latest adoption", followup.SubmissionInput{SubmittedOn: day("2025-01-02")}, day("2025-01-01"), "", ""},
		{"on the day of the latest adoption", followup.SubmissionInput{SubmittedOn: day("2025-01-01")}, day("2025-01-01"), "", ""},
		{"before the latest adoption", followup.SubmissionInput{SubmittedOn: day("2024-12-31")}, day("2025-01-01"), "submitted_on", "2025-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := followup.CheckSubmissionDate(key, tt.in, report, tt.latest)
			wantDomainErr(t, err, invalidIf(tt.field), tt.field)
			if err != nil && !strings.Contains(followup.ErrorMessage(err), tt.mentions) {
				t.Errorf("message %q does not mention %q", followup.ErrorMessage(err), tt.mentions)
			}
		})
	}
}

func TestCheckAssessmentDate(t *testing.T) {
	key := followup.FollowUpKey{Report: "rep", Label: "R1", Party: "FR"}
	report := day("2024-03-01")
	in := func(on string) followup.AssessmentInput {
		return followup.AssessmentInput{Status: followup.Implemented, AssessedOn: day(on)}
	}
	tests := []struct {
		name     string
		in       followup.AssessmentInput
		latest   followup.Date
		field    string
		mentions string
	}{
		{"first assessment after the report's adoption", in("2024-05-01"), followup.Date{}, "", ""},
		{"on the report's adoption day", in("2024-03-01"), followup.Date{}, "", ""},
		{"the day before the report's adoption", in("2024-02-29"), followup.Date{}, "assessed_on", "2024-03-01"},
		{"in 1900", in("1900-01-01"), followup.Date{}, "assessed_on", "report rep"},
		{"after the latest adoption", in("2025-01-02"), day("2025-01-01"), "", ""},
		{"on the day of the latest adoption", in("2025-01-01"), day("2025-01-01"), "", ""},
		{"the day before the latest adoption", in("2024-12-31"), day("2025-01-01"), "assessed_on", "2025-01-01"},
		{"long before the latest adoption", in("2024-04-01"), day("2025-01-01"), "assessed_on", "rep/R1/FR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := followup.CheckAssessmentDate(key, tt.in, report, tt.latest)
			wantDomainErr(t, err, invalidIf(tt.field), tt.field)
			if err != nil && !strings.Contains(followup.ErrorMessage(err), tt.mentions) {
				t.Errorf("message %q does not mention %q", followup.ErrorMessage(err), tt.mentions)
			}
		})
	}
}

func TestCheckAdoptionDate(t *testing.T) {
	report := day("2024-03-01")
	tests := []struct {
		name  string
		on    followup.Date
		field string
	}{
		{"after the report's adoption", day("2024-06-06"), ""},
		{"on the report's adoption day", report, ""},
		{"the day before the report's adoption", day("2024-02-29"), "adopted_on"},
		{"in 1900", day("1900-01-02"), "adopted_on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := followup.CheckAdoptionDate("rep", followup.AdoptionInput{AdoptedOn: tt.on}, report)
			wantDomainErr(t, err, invalidIf(tt.field), tt.field)
			if err != nil && !strings.Contains(followup.ErrorMessage(err), "2024-03-01") {
				t.Errorf("message %q does not give the report's adoption date", followup.ErrorMessage(err))
			}
		})
	}
}

// A report's adoption date cannot be moved after the first dated step of its follow-ups.
func TestCheckReportAdoptionChange(t *testing.T) {
	tests := []struct {
		name            string
		on, earliest    followup.Date
		field, mentions string
	}{
		{"no history yet", day("2025-01-01"), followup.Date{}, "", ""},
		{"before the first step", day("2024-01-01"), day("2024-02-01"), "", ""},
		{"on the day of the first step", day("2024-02-01"), day("2024-02-01"), "", ""},
		{"after the first step", day("2024-02-02"), day("2024-02-01"), "adopted_on", "2024-02-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := followup.CheckReportAdoptionChange("rep", tt.on, tt.earliest)
			wantDomainErr(t, err, invalidIf(tt.field), tt.field)
			if err != nil && !strings.Contains(followup.ErrorMessage(err), tt.mentions) {
				t.Errorf("message %q does not mention %q", followup.ErrorMessage(err), tt.mentions)
			}
		})
	}
}

// An assessments import checks each new row's date against the report's adoption and the
// follow-up's latest adoption; a row the follow-up already has stays unchanged.
func TestPlanAssessmentsDates(t *testing.T) {
	report := followup.Report{Slug: "rep", AdoptedOn: day("2024-03-01"), Parties: []string{"DE", "FR"}}
	adopted := followup.Assessment{ID: 1, Status: followup.NotImplemented, AssessedOn: day("2024-06-01"), AdoptedOn: day("2024-09-01")}
	recs := map[string]followup.AssessmentTarget{"R1": {Active: map[string]bool{"DE": true, "FR": true},
		Assessments: map[string][]followup.Assessment{"FR": {adopted}}}}
	known := map[string]bool{"DE": true, "FR": true}
	row := func(n int, party, on string) followup.AssessmentRow {
		st := followup.Implemented
		if on == "2024-06-01" {
			st = followup.NotImplemented
		}
		return followup.AssessmentRow{Row: n, Label: "R1", Party: party, Input: followup.AssessmentInput{Status: st, AssessedOn: day(on)}}
	}
	b := followup.AssessmentBatch{Rows: []followup.AssessmentRow{
		row(2, "FR", "2024-06-01"), // the adopted one, again: unchanged
		row(3, "FR", "2024-08-31"), // before FR's latest adoption
		row(4, "FR", "2024-09-01"), // on the day of it
		row(5, "DE", "2024-02-29"), // before the report's adoption
		row(6, "DE", "2024-03-01"),
	}}
	res, changes := followup.PlanAssessments(report, recs, known, b)
	if len(res.Errors) != 2 || res.Errors[0].Row != 3 || res.Errors[0].Column != "assessed_on" ||
		res.Errors[1].Row != 5 || res.Errors[1].Column != "assessed_on" {
		t.Fatalf("errors %+v", res.Errors)
	}
	if res.Unchanged != 1 || res.Created != 2 || len(changes) != 2 || changes[0].Row != 4 || changes[1].Row != 6 {
		t.Errorf("plan %+v, changes %+v", res, changes)
	}
}
