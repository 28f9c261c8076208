package followup_test

import (
	"testing"

	"followup/internal/followup"
)

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want followup.Period
		ok   bool
	}{
		{"12 months", followup.Period{Months: 12}, true},
		{"1 month", followup.Period{Months: 1}, true},
		{"6m", followup.Period{Months: 6}, true},
		{" 2 Years ", followup.Period{Months: 24}, true},
		{"1 year", followup.Period{Months: 12}, true},
		{"90 days", followup.Period{Days: 90}, true},
		{"1d", followup.Period{Days: 1}, true},
		{"", followup.Period{}, false},
		{"0 months", followup.Period{}, false},
		{"-3 months", followup.Period{}, false},
		{"twelve months", followup.Period{}, false},
		{"12 weeks", followup.Period{}, false},
		{"12", followup.Period{}, false},
		{"11 years", followup.Period{}, false},
		{"4000 days", followup.Period{}, false},
	} {
		got, err := followup.ParsePeriod("next_due_after", tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParsePeriod(%q) = %+v, %v", tc.in, got, err)
		}
		if err != nil && followup.ErrorField(err) != "next_due_after" {
			t.Errorf("ParsePeriod(%q): the error names %q", tc.in, followup.ErrorField(err))
		}
		if tc.ok {
			if back, err := followup.ParsePeriod("p", got.String()); err != nil || back != got {
				t.Errorf("%+v.String() = %q does not read back: %+v %v", got, got.String(), back, err)
			}
		}
	}
}

func TestAddPeriodAndNextDueOn(t *testing.T) {
	d := followup.MustDate
	for _, tc := range []struct {
		from string
		p    followup.Period
		want string
	}{
		{"2026-11-28", followup.Period{Months: 12}, "2027-11-28"},
		{"2026-01-31", followup.Period{Months: 1}, "2026-02-28"},
		{"2028-01-31", followup.Period{Months: 1}, "2028-02-29"},
		{"2024-02-29", followup.Period{Months: 12}, "2025-02-28"},
		{"2026-11-30", followup.Period{Months: 3}, "2027-02-28"},
		{"2026-12-15", followup.Period{Months: 1}, "2027-01-15"},
		{"2026-11-28", followup.Period{Days: 90}, "2027-02-26"},
	} {
		if got := d(tc.from).AddPeriod(tc.p); got != d(tc.want) {
			t.Errorf("%s + %s = %s, want %s", tc.from, tc.p, got, tc.want)
		}
	}
	if got := followup.NextDueOn(d("2026-11-01"), followup.Date{}, followup.Period{Months: 6}); got != d("2027-05-01") {
		t.Errorf("NextDueOn with a period = %s", got)
	}
	if got := followup.NextDueOn(d("2026-11-01"), d("2027-03-31"), followup.Period{Months: 6}); got != d("2027-03-31") {
		t.Errorf("NextDueOn with a date given = %s", got)
	}
	if got := followup.NextDueOn(d("2026-11-01"), followup.Date{}, followup.Period{}); got != d("2027-11-01") {
		t.Errorf("NextDueOn without a period = %s, want the default 12 months", got)
	}
	for next, ok := range map[string]bool{"2026-11-02": true, "2026-11-01": false, "2026-10-01": false} {
		err := followup.CheckNextDueOn(d("2026-11-01"), d(next))
		if (err == nil) != ok || (err != nil && followup.ErrorField(err) != "next_due_on") {
			t.Errorf("CheckNextDueOn(2026-11-01, %s) = %v", next, err)
		}
	}
}

func TestDueOnAsOf(t *testing.T) {
	d := followup.MustDate
	own := []followup.DueDate{{From: d("2022-06-01"), DueOn: d("2023-06-01")}, {From: d("2020-03-01"), DueOn: d("2021-03-01")}}
	for asOf, want := range map[string]string{
		"2019-01-01": "2019-12-31", // before any adoption: the recommendation's
		"2020-02-29": "2019-12-31",
		"2020-03-01": "2021-03-01", // from the day of the adoption that set it
		"2022-05-31": "2021-03-01",
		"2022-06-01": "2023-06-01",
		"2030-01-01": "2023-06-01",
	} {
		if got := followup.DueOnAsOf(d("2019-12-31"), own, d(asOf)); got != d(want) {
			t.Errorf("DueOnAsOf(%s) = %s, want %s", asOf, got, want)
		}
	}
	if got := followup.DueOnAsOf(followup.Date{}, nil, d("2020-01-01")); !got.IsZero() {
		t.Errorf("no deadline at all: %s", got)
	}
}

// A past day reads the deadline in force on it, and is overdue by that deadline.
func TestFollowUpAsOfReadsTheDeadlineOfTheDay(t *testing.T) {
	d := followup.MustDate
	st := followup.NotImplemented
	h := followup.History{
		Assessments: []followup.Assessment{{ID: 1, Status: st, AssessedOn: d("2020-01-10"), AdoptedOn: d("2020-02-01")}},
		DueDates:    []followup.DueDate{{From: d("2020-02-01"), DueOn: d("2021-02-01")}},
		BaseDueOn:   d("2019-12-31"),
	}
	live := followup.FollowUp{DueOn: d("2021-02-01")}
	for asOf, want := range map[string]struct {
		due     string
		overdue bool
	}{
		"2020-01-15": {"2019-12-31", true},  // the recommendation's deadline had passed
		"2020-02-01": {"2021-02-01", false}, // the adoption gave a new one
		"2021-03-01": {"2021-02-01", true},
	} {
		fu := followup.FollowUpAsOf(live, h, d(asOf), false)
		if fu.DueOn != d(want.due) || fu.Overdue != want.overdue {
			t.Errorf("as of %s: due %s overdue %v, want %s %v", asOf, fu.DueOn, fu.Overdue, want.due, want.overdue)
		}
	}
}
