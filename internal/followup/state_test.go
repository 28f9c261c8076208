package followup_test

import (
	"fmt"
	"testing"

	"followup/internal/followup"
)

func TestStateValid(t *testing.T) {
	for _, s := range []followup.State{"awaiting_submission", "submitted", "assessed", "adopted"} {
		if !s.Valid() {
			t.Errorf("%q is not valid", s)
		}
	}
	for _, s := range []followup.State{"", "closed", "Submitted", "draft"} {
		if s.Valid() {
			t.Errorf("%q is valid", s)
		}
	}
	want := []followup.State{followup.AwaitingSubmission, followup.Submitted, followup.Assessed, followup.Adopted}
	for i, s := range want {
		if followup.States[i] != s {
			t.Errorf("States[%d] = %q, want %q", i, followup.States[i], s)
		}
	}
}

func TestStateNext(t *testing.T) {
	const ok = ""
	tests := []struct {
		from  followup.State
		event followup.Event
		want  followup.State
		code  string
	}{
		// A submission always puts the follow-up in the rapporteurs' queue.
		{followup.AwaitingSubmission, followup.EventSubmit, followup.Submitted, ok},
		{followup.Submitted, followup.EventSubmit, followup.Submitted, ok},
		{followup.Assessed, followup.EventSubmit, followup.Submitted, ok},
		{followup.Adopted, followup.EventSubmit, followup.Submitted, ok},
		// An assessment can be made with or without a submission.
		{followup.AwaitingSubmission, followup.EventAssess, followup.Assessed, ok},
		{followup.Submitted, followup.EventAssess, followup.Assessed, ok},
		{followup.Assessed, followup.EventAssess, followup.Assessed, ok},
		{followup.Adopted, followup.EventAssess, followup.Assessed, ok},
		// Adoption moves an assessed follow-up; one with a newer submission stays submitted.
		{followup.AwaitingSubmission, followup.EventAdopt, followup.AwaitingSubmission, followup.EConflict},
		{followup.Submitted, followup.EventAdopt, followup.Submitted, ok},
		{followup.Assessed, followup.EventAdopt, followup.Adopted, ok},
		{followup.Adopted, followup.EventAdopt, followup.Adopted, followup.EConflict},
		// Unknown events change nothing.
		{followup.AwaitingSubmission, "withdraw", followup.AwaitingSubmission, followup.EInvalid},
		{followup.Submitted, "", followup.Submitted, followup.EInvalid},
		{followup.Assessed, "Submit", followup.Assessed, followup.EInvalid},
		{followup.Adopted, "reopen", followup.Adopted, followup.EInvalid},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s+%s", tt.from, tt.event), func(t *testing.T) {
			got, err := tt.from.Next(tt.event)
			if got != tt.want {
				t.Errorf("Next = %q, want %q", got, tt.want)
			}
			if followup.ErrorCode(err) != tt.code {
				t.Errorf("error %v has code %q, want %q", err, followup.ErrorCode(err), tt.code)
			}
		})
	}
}

func TestStateNextCoversEveryPair(t *testing.T) {
	// Every (state, event) pair answers with a known state, and only adopt can conflict.
	for _, s := range followup.States {
		for _, e := range []followup.Event{followup.EventSubmit, followup.EventAssess, followup.EventAdopt} {
			got, err := s.Next(e)
			if !got.Valid() {
				t.Errorf("%s+%s = %q, not a state", s, e, got)
			}
			if err != nil && (e != followup.EventAdopt || followup.ErrorCode(err) != followup.EConflict) {
				t.Errorf("%s+%s: unexpected error %v", s, e, err)
			}
		}
	}
}

func TestStateCycle(t *testing.T) {
	// awaiting → submitted → assessed → adopted → (new submission) submitted → assessed →
	// (submission before adoption) submitted → adopt keeps it submitted.
	steps := []struct {
		e    followup.Event
		want followup.State
	}{
		{followup.EventSubmit, followup.Submitted},
		{followup.EventAssess, followup.Assessed},
		{followup.EventAdopt, followup.Adopted},
		{followup.EventSubmit, followup.Submitted},
		{followup.EventAssess, followup.Assessed},
		{followup.EventSubmit, followup.Submitted},
		{followup.EventAdopt, followup.Submitted},
		{followup.EventAssess, followup.Assessed},
		{followup.EventAdopt, followup.Adopted},
	}
	s := followup.AwaitingSubmission
	for i, st := range steps {
		next, err := s.Next(st.e)
		if err != nil {
			t.Fatalf("step %d (%s from %s): %v", i, st.e, s, err)
		}
		if next != st.want {
			t.Fatalf("step %d (%s from %s) = %s, want %s", i, st.e, s, next, st.want)
		}
		s = next
	}
}

func TestPublicState(t *testing.T) {
	tests := []struct {
		s                                        followup.State
		hasSubmission, adopted, submittedSinceAd bool
		want                                     followup.State
	}{
		{followup.AwaitingSubmission, false, false, false, followup.AwaitingSubmission},
		{followup.Submitted, true, false, true, followup.Submitted},
		{followup.Adopted, true, true, false, followup.Adopted},
		{followup.Adopted, false, true, false, followup.Adopted},
		// A draft assessment is hidden: the state before it shows.
		{followup.Assessed, true, false, true, followup.Submitted},
		{followup.Assessed, false, false, false, followup.AwaitingSubmission},
		{followup.Assessed, true, true, false, followup.Adopted},
		{followup.Assessed, false, true, false, followup.Adopted},
		{followup.Assessed, true, true, true, followup.Submitted},
	}
	for _, tt := range tests {
		if got := followup.PublicState(tt.s, tt.hasSubmission, tt.adopted, tt.submittedSinceAd); got != tt.want {
			t.Errorf("PublicState(%s, %v, %v, %v) = %s, want %s", tt.s, tt.hasSubmission, tt.adopted, tt.submittedSinceAd, got, tt.want)
		}
	}
	// Never "assessed" for the public.
	for _, s := range followup.States {
		for _, flags := range [][3]bool{{false, false, false}, {true, false, true}, {true, true, false}, {true, true, true}, {false, true, false}} {
			if got := followup.PublicState(s, flags[0], flags[1], flags[2]); got == followup.Assessed {
				t.Errorf("PublicState(%s, %v) reveals a draft assessment", s, flags)
			}
		}
	}
}

func TestStatusScoreAndCloses(t *testing.T) {
	tests := []struct {
		s      followup.Status
		score  float64
		counts bool
		closes bool
	}{
		{followup.Implemented, 1, true, true},
		{followup.PartiallyImplemented, 0.5, true, false},
		{followup.NotImplemented, 0, true, false},
		{followup.NoInformation, 0, true, false},
		{followup.NotApplicable, 0, false, true},
		{"", 0, false, false},
		{"unknown", 0, false, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.s), func(t *testing.T) {
			score, counts := tt.s.Score()
			if score != tt.score || counts != tt.counts {
				t.Errorf("Score() = (%v, %v), want (%v, %v)", score, counts, tt.score, tt.counts)
			}
			if got := tt.s.Closes(); got != tt.closes {
				t.Errorf("Closes() = %v, want %v", got, tt.closes)
			}
		})
	}
}

func TestIsOpen(t *testing.T) {
	tests := []struct {
		status *followup.Status
		want   bool
	}{
		{nil, true},
		{ptrTo(followup.Implemented), false},
		{ptrTo(followup.NotApplicable), false},
		{ptrTo(followup.PartiallyImplemented), true},
		{ptrTo(followup.NotImplemented), true},
		{ptrTo(followup.NoInformation), true},
	}
	for _, tt := range tests {
		name := "nil"
		if tt.status != nil {
			name = string(*tt.status)
		}
		if got := followup.IsOpen(tt.status); got != tt.want {
			t.Errorf("IsOpen(%s) = %v, want %v", name, got, tt.want)
		}
	}
}

func TestIsOverdue(t *testing.T) {
	today := day("2019-06-06")
	var none followup.Date
	tests := []struct {
		name      string
		open      bool
		due       followup.Date
		submitted bool
		want      bool
	}{
		{"open, due yesterday, silent", true, today.AddDays(-1), false, true},
		{"open, due long ago, silent", true, day("2017-01-01"), false, true},
		{"due today is not overdue", true, today, false, false},
		{"due tomorrow", true, today.AddDays(1), false, false},
		{"no due date", true, none, false, false},
		{"closed", false, today.AddDays(-1), false, false},
		{"closed and silent with no date", false, none, false, false},
		{"submitted since adoption", true, today.AddDays(-1), true, false},
		{"submitted, due today", true, today, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := followup.IsOverdue(tt.open, tt.due, today, tt.submitted); got != tt.want {
				t.Errorf("IsOverdue(%v, %v, %v, %v) = %v, want %v", tt.open, tt.due, today, tt.submitted, got, tt.want)
			}
		})
	}
}

func TestOpenAndOverdueTogether(t *testing.T) {
	// The rules as the store combines them: overdue follows from the latest adopted status.
	today := day("2019-06-06")
	due := day("2019-01-01")
	tests := []struct {
		status *followup.Status
		want   bool
	}{
		{nil, true},
		{ptrTo(followup.PartiallyImplemented), true},
		{ptrTo(followup.NoInformation), true},
		{ptrTo(followup.Implemented), false},
		{ptrTo(followup.NotApplicable), false},
	}
	for _, tt := range tests {
		if got := followup.IsOverdue(followup.IsOpen(tt.status), due, today, false); got != tt.want {
			t.Errorf("status %v: overdue = %v, want %v", tt.status, got, tt.want)
		}
	}
}
