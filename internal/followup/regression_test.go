package followup_test

// Regression tests of defects found in the domain code; each names
// the rule it holds the code to.

import (
	"testing"

	"followup/internal/followup"
)

// A draft assessment must stay invisible to those who may not see drafts (see forActor in the
// store: "hides what the actor may not know: that a draft assessment exists"). Recording an
// assessment therefore must not change the public state. It does when the follow-up was
// adopted: Adopted --assess--> Assessed, which PublicState shows as submitted (or
// awaiting_submission), although nothing was submitted since the adoption: a Party's desk sees
// its adopted follow-up fall back to "submitted" the moment a rapporteur drafts a new assessment.
func TestRegressionPublicStateUnchangedByDraftAssessment(t *testing.T) {
	tests := []struct {
		from                                    followup.State
		hasSubmission, adopted, submittedSinceA bool
	}{
		{followup.AwaitingSubmission, false, false, false},
		{followup.Submitted, true, false, true},
		{followup.Submitted, true, true, true}, // submitted again after an adoption
		{followup.Assessed, true, false, true},
		{followup.Assessed, false, false, false},
		{followup.Adopted, true, true, false},  // adopted after a submission, then re-assessed
		{followup.Adopted, false, true, false}, // adopted as no_information without a submission, then re-assessed
	}
	for _, tt := range tests {
		next, err := tt.from.Next(followup.EventAssess)
		if err != nil {
			t.Fatalf("%s+assess: %v", tt.from, err)
		}
		before := followup.PublicState(tt.from, tt.hasSubmission, tt.adopted, tt.submittedSinceA)
		after := followup.PublicState(next, tt.hasSubmission, tt.adopted, tt.submittedSinceA)
		if before != after {
			t.Errorf("a draft assessment on a %s follow-up (%+v) changes the public state from %s to %s", tt.from, tt, before, after)
		}
	}
}

// ValidateLabel promises labels "usable in a URL path segment" and "on one line". The dot
// segments "." and ".." are removed from paths by clients and proxies (RFC 3986 §5.2.4; curl,
// browsers), so .../recommendations/.. can never be addressed; NEL (a C1 control) and the
// Unicode line and paragraph separators break the line.
func TestRegressionValidateLabelURLAndLineSafety(t *testing.T) {
	for _, label := range []string{".", "..", "R\u00857", "R\u20287", "R\u20297", "R\u009b7"} {
		if err := followup.ValidateLabel("label", label); followup.ErrorCode(err) != followup.EInvalid || followup.ErrorField(err) != "label" {
			t.Errorf("ValidateLabel(%q) = %v, want invalid label", label, err)
		}
	}
}

// "0001-01-01" is a well-formed date, but it is the zero time.Time, so ParseDate returns the zero
// Date ("no date") with no error: a due date of 0001-01-01 silently becomes "no due date", a
// submission date silently becomes today, and the JSON reads null.
func TestRegressionParseDateYearOne(t *testing.T) {
	got, err := followup.ParseDate("due_on", "0001-01-01")
	if followup.ErrorField(err) != "due_on" {
		t.Errorf("ParseDate(0001-01-01) error %v, want one naming due_on", err)
	}
	if err == nil && got.IsZero() {
		t.Errorf("ParseDate(0001-01-01) = the zero Date with no error; want the date or an error")
	}
}

// DaysUntil goes through time.Duration, which saturates at about 292 years, so spans between
// dates ParseDate accepts come out wrong.
func TestRegressionDaysUntilLongSpans(t *testing.T) {
	tests := []struct {
		from, to followup.Date
		want     int
	}{
		{followup.NewDate(1700, 1, 1), followup.NewDate(2000, 1, 1), 109572},
		{followup.NewDate(2000, 1, 1), followup.NewDate(1700, 1, 1), -109572},
		{followup.NewDate(1, 1, 2), followup.NewDate(9999, 12, 31), 3652057},
	}
	for _, tt := range tests {
		if got := tt.from.DaysUntil(tt.to); got != tt.want {
			t.Errorf("%s.DaysUntil(%s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
}
