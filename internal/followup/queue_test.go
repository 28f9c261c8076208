package followup_test

import (
	"testing"
	"time"

	"followup/internal/followup"
)

// A submission waits from the date the Party gave it, not from when it was recorded.
func TestQueueItemDaysWaiting(t *testing.T) {
	today := followup.MustDate("2026-11-28")
	for _, tc := range []struct {
		on       string
		recorded time.Time
		want     int
	}{
		{"2026-11-08", time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), 20}, // dated three weeks back, recorded this week
		{"2026-11-28", time.Date(2026, 11, 28, 0, 10, 0, 0, time.UTC), 0},
		{"2026-11-27", time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC), 1},
		{"", time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC), 0}, // no date known: not counted
	} {
		var on followup.Date
		if tc.on != "" {
			on = followup.MustDate(tc.on)
		}
		q := followup.QueueItem{SubmittedOn: on, LastSubmittedAt: tc.recorded}
		if got := q.DaysWaiting(today); got != tc.want {
			t.Errorf("submitted on %q, recorded %s: waiting %d days, want %d", tc.on, tc.recorded, got, tc.want)
		}
	}
}
