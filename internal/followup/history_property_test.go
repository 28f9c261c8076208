package followup_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"followup/internal/followup"
)

// simulation records a follow-up's history the way the store does, one operation at a time,
// each dated on the day it is recorded, and keeps the follow-up's live columns as the store
// keeps them (state, latest adopted status and date, whether the Party submitted since).
type simulation struct {
	reportAdoptedOn followup.Date
	dueOn           followup.Date
	history         followup.History
	nextID          int64

	state                 followup.State
	status                *followup.Status
	adoptedOn             followup.Date
	hasSubmission, since  bool
	latestAssessmentIndex int // -1 before any assessment
}

func newSimulation(r *rand.Rand) *simulation {
	adopted := day("2015-01-01").AddDays(r.IntN(3000))
	s := &simulation{reportAdoptedOn: adopted, state: followup.AwaitingSubmission, latestAssessmentIndex: -1, nextID: 1}
	if r.IntN(4) > 0 {
		s.dueOn = adopted.AddDays(30 + r.IntN(700))
	}
	return s
}

func (s *simulation) submit(on followup.Date) {
	s.history.Submitted = append(s.history.Submitted, on)
	s.state, s.hasSubmission, s.since = followup.Submitted, true, true
}

func (s *simulation) assess(r *rand.Rand, on followup.Date) {
	st := followup.Statuses[r.IntN(len(followup.Statuses))]
	s.history.Assessments = append(s.history.Assessments, followup.Assessment{ID: s.nextID, Status: st, AssessedOn: on})
	s.nextID++
	s.latestAssessmentIndex = len(s.history.Assessments) - 1
	s.state = followup.Assessed
}

// adopt stamps the latest assessment, as Store.Adopt does, when the rules allow it.
func (s *simulation) adopt(on followup.Date) bool {
	if s.latestAssessmentIndex < 0 || s.history.Assessments[s.latestAssessmentIndex].Adopted() {
		return false
	}
	a := &s.history.Assessments[s.latestAssessmentIndex]
	if followup.CheckAdoption(followup.FollowUpKey{Report: "r", Label: "R1", Party: "FR"}, *a, s.adoptedOn, on) != nil {
		return false
	}
	next, err := s.state.Next(followup.EventAdopt)
	if err != nil {
		return false
	}
	a.AdoptedOn = on
	st := a.Status
	s.state, s.status, s.adoptedOn, s.since = next, &st, on, next == followup.Submitted
	return true
}

// live is what the store shows on day d: its columns, mapped for the reader as forActor maps
// them.
func (s *simulation) live(d followup.Date, seesDrafts bool) followup.FollowUp {
	fu := followup.FollowUp{DueOn: s.dueOn, State: s.state, Status: s.status, AdoptedOn: s.adoptedOn}
	if !seesDrafts {
		fu.State = followup.PublicState(s.state, s.hasSubmission, !s.adoptedOn.IsZero(), s.since)
	}
	fu.Open = followup.IsOpen(fu.Status)
	fu.Overdue = followup.IsOverdue(fu.Open, fu.DueOn, d, s.since)
	return fu
}

// run records random operations over random days and returns, for each day from the day
// before the report's adoption to the last day, what the live columns showed at the end of it,
// for both readers.
func (s *simulation) run(r *rand.Rand, steps int) (days []followup.Date, public, drafts []followup.FollowUp) {
	d := s.reportAdoptedOn
	public = append(public, s.live(d.AddDays(-1), false))
	drafts = append(drafts, s.live(d.AddDays(-1), true))
	days = append(days, d.AddDays(-1))
	for range steps {
		// The Party's submissions of a day come before the Committee's work of that day, the
		// order in which the history is replayed (dates do not tell the order within a day).
		if r.IntN(3) == 0 {
			s.submit(d)
		}
		for range r.IntN(3) {
			switch r.IntN(3) {
			case 0, 1:
				s.assess(r, d)
			case 2:
				s.adopt(d)
			}
		}
		if r.IntN(3) == 0 && s.adopt(d) && r.IntN(2) == 0 {
			s.assess(r, d) // a new draft on the day of an adoption
		}
		public = append(public, s.live(d, false))
		drafts = append(drafts, s.live(d, true))
		days = append(days, d)
		// Quiet days show what the last busy day left, overdue or not on their own date.
		for gap := r.IntN(40); gap > 0; gap-- {
			d = d.AddDays(1)
			public = append(public, s.live(d, false))
			drafts = append(drafts, s.live(d, true))
			days = append(days, d)
		}
		d = d.AddDays(1)
	}
	return days, public, drafts
}

func sameReading(a, b followup.FollowUp) bool {
	if a.State != b.State || a.Open != b.Open || a.Overdue != b.Overdue || a.AdoptedOn != b.AdoptedOn {
		return false
	}
	if (a.Status == nil) != (b.Status == nil) {
		return false
	}
	return a.Status == nil || *a.Status == *b.Status
}

func reading(f followup.FollowUp) string {
	st := "pending"
	if f.Status != nil {
		st = string(*f.Status)
	}
	return fmt.Sprintf("state %s status %s adopted_on %s open %t overdue %t", f.State, st, f.AdoptedOn, f.Open, f.Overdue)
}

func describeHistory(h followup.History) string {
	out := fmt.Sprintf("submitted %v;", h.Submitted)
	for _, a := range h.Assessments {
		out += fmt.Sprintf(" #%d %s assessed %s adopted %s;", a.ID, a.Status, a.AssessedOn, a.AdoptedOn)
	}
	return out
}

// No draft ever changes what the public reads of any day: an assessment that was never adopted,
// or was adopted after the day asked for, is left out of the replay for those who may not see
// drafts. Hundreds of random histories, each read on every day of its span, with and without
// its drafts.
// The first histories are recorded by the rules; the others are drawn with any dates at all,
// as data from before the rules may have them.
func TestPropertyDraftsNeverChangePublicReadings(t *testing.T) {
	for seed := uint64(1); seed <= 800; seed++ {
		r := rand.New(rand.NewPCG(seed, 2024))
		var h followup.History
		var fu followup.FollowUp
		var days []followup.Date
		if seed <= 400 {
			s := newSimulation(r)
			days, _, _ = s.run(r, 1+r.IntN(12))
			h, fu = s.history, followup.FollowUp{DueOn: s.dueOn}
		} else {
			h, fu, days = arbitraryHistory(r)
		}
		for _, d := range append(days, days[len(days)-1].AddDays(1), days[len(days)-1].AddDays(400)) {
			var adoptedBy followup.History
			adoptedBy.Submitted = h.Submitted
			for _, a := range h.Assessments {
				if a.Adopted() && !a.AdoptedOn.After(d) {
					adoptedBy.Assessments = append(adoptedBy.Assessments, a)
				}
			}
			with := followup.FollowUpAsOf(fu, h, d, false)
			without := followup.FollowUpAsOf(fu, adoptedBy, d, false)
			if !sameReading(with, without) {
				t.Fatalf("seed %d, as of %s: with its drafts the public reads %s, without them %s\nhistory: %s",
					seed, d, reading(with), reading(without), describeHistory(h))
			}
		}
	}
}

// The replayed history of a day reads as the store's live columns read at the end of that day,
// for both readers: what was shown on a day is what any later look back at that day shows.
func TestPropertyReplayMatchesTheDay(t *testing.T) {
	for seed := uint64(1); seed <= 400; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		s := newSimulation(r)
		days, public, drafts := s.run(r, 1+r.IntN(12))
		fu := followup.FollowUp{DueOn: s.dueOn}
		for i, d := range days {
			if got := followup.FollowUpAsOf(fu, s.history, d, false); !sameReading(got, public[i]) {
				t.Fatalf("seed %d, as of %s, public: the replay reads %s, the day read %s\nhistory: %s",
					seed, d, reading(got), reading(public[i]), describeHistory(s.history))
			}
			if got := followup.FollowUpAsOf(fu, s.history, d, true); !sameReading(got, drafts[i]) {
				t.Fatalf("seed %d, as of %s, with drafts: the replay reads %s, the day read %s\nhistory: %s",
					seed, d, reading(got), reading(drafts[i]), describeHistory(s.history))
			}
		}
	}
}

// arbitraryHistory draws submissions and assessments on any days of a span of two years, some
// adopted on any day (even before they were made), and returns the days of the span.
func arbitraryHistory(r *rand.Rand) (followup.History, followup.FollowUp, []followup.Date) {
	start := day("2018-01-01").AddDays(r.IntN(2000))
	span := 730
	at := func() followup.Date { return start.AddDays(r.IntN(span)) }
	var h followup.History
	for range r.IntN(5) {
		h.Submitted = append(h.Submitted, at())
	}
	for i := range r.IntN(7) {
		a := followup.Assessment{ID: int64(i + 1), Status: followup.Statuses[r.IntN(len(followup.Statuses))], AssessedOn: at()}
		if r.IntN(2) == 0 {
			a.AdoptedOn = at()
		}
		h.Assessments = append(h.Assessments, a)
	}
	fu := followup.FollowUp{DueOn: start.AddDays(r.IntN(span))}
	days := make([]followup.Date, 0, span+2)
	for i := -1; i <= span; i++ {
		days = append(days, start.AddDays(i))
	}
	return h, fu, days
}
