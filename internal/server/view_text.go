package server

import (
	"strconv"

	"followup/internal/followup"
)

// Scores are never shown without their base: how many follow-ups they are computed from
// (those whose status counts), out of how many.

// BasedOn writes the base of a tally's score: "based on 60 of 492 follow-ups"; "" when there
// is no score.
func (v *view) BasedOn(t *followup.Tally) string {
	if t == nil || t.Score == nil {
		return ""
	}
	return v.T("score.based_on", t.Total, t.Scored)
}

// Base writes the base of a tally's score for a table cell: "60 of 492".
func (v *view) Base(t *followup.Tally) string {
	if t == nil {
		return "—"
	}
	return v.T("score.base", t.Scored, t.Total)
}

// SnapshotBase writes the base of a snapshot's score, from its counts.
func (v *view) SnapshotBase(counts followup.Counts, total int) string {
	return v.T("score.base", scoredOf(counts), total)
}

// scoredOf counts the follow-ups whose status counts towards a score.
func scoredOf(counts followup.Counts) int {
	n := 0
	for _, st := range followup.Statuses {
		if _, ok := st.Score(); ok {
			n += counts[string(st)]
		}
	}
	return n
}

// chartValue is the text at the end of a score bar: "57 % (60/492)".
func chartValue(t *followup.Tally) string {
	if t.Score == nil {
		return "—"
	}
	return pctOf(t.Score) + " (" + strconv.Itoa(t.Scored) + "/" + strconv.Itoa(t.Total) + ")"
}

// Waiting says how long a submission has waited for its assessment, in whole days from the
// date the Party gave it (not the day it was recorded) to today: "waiting 12 days".
func (v *view) Waiting(q followup.QueueItem) string {
	if q.SubmittedOn.IsZero() {
		return "—"
	}
	if days := q.DaysWaiting(v.Today); days > 0 {
		return v.T("queue.waiting_days", days)
	}
	return v.T("queue.waiting_today")
}
