package followup

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Deadlines that reset. A follow-up's first deadline is its recommendation's, or else its
// report's. An adoption that leaves the follow-up open gives it a deadline of its own: the date
// the Committee set at the adoption, or else a period after the adoption (the configuration's
// followup.next_due_after). From the day of that adoption the follow-up's own deadline overrides
// the recommendation's and the report's everywhere; the deadlines it had are kept, dated, so
// that a past day reads the deadline that was in force on it.

// Period is a span of calendar time, in months and days.
type Period struct {
	Months int
	Days   int
}

// DefaultNextDueAfter is the period after an adoption at the end of which a follow-up that the
// adoption leaves open is due again, when the adoption gives no date.
var DefaultNextDueAfter = Period{Months: 12}

// maxPeriodDays bounds a period (ten years), so that a typing slip is told rather than kept.
const maxPeriodDays = 3660

// ParsePeriod reads "12 months", "1 year", "18 months", "90 days" (singular or plural; "m",
// "y" and "d" as units too, with or without a space: "6m"). The error names field.
func ParsePeriod(field, s string) (Period, error) {
	text := strings.ToLower(strings.TrimSpace(s))
	i := 0
	for i < len(text) && text[i] >= '0' && text[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(text[:i])
	unit := strings.TrimSpace(text[i:])
	if err != nil || n <= 0 {
		return Period{}, Invalid(field, "%q is not a period such as 12 months, 1 year or 90 days", s)
	}
	var p Period
	switch unit {
	case "month", "months", "m":
		p = Period{Months: n}
	case "year", "years", "y":
		p = Period{Months: 12 * n}
	case "day", "days", "d":
		p = Period{Days: n}
	default:
		return Period{}, Invalid(field, "%q is not a period such as 12 months, 1 year or 90 days", s)
	}
	if p.Months*31+p.Days > maxPeriodDays {
		return Period{}, Invalid(field, "%q is longer than ten years", s)
	}
	return p, nil
}

// IsZero reports whether the period is empty.
func (p Period) IsZero() bool { return p.Months == 0 && p.Days == 0 }

// String writes the period as ParsePeriod reads it: "12 months", "90 days".
func (p Period) String() string {
	var parts []string
	plural := func(n int, one, other string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, other)
	}
	if p.Months != 0 {
		parts = append(parts, plural(p.Months, "month", "months"))
	}
	if p.Days != 0 || len(parts) == 0 {
		parts = append(parts, plural(p.Days, "day", "days"))
	}
	return strings.Join(parts, " ")
}

// AddPeriod returns the day p after d. Months are calendar months, and a day that the target
// month lacks is its last day (31 January + 1 month is 28 or 29 February), then the days are
// added.
func (d Date) AddPeriod(p Period) Date {
	if d.IsZero() {
		return d
	}
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(p.Months), 1, 0, 0, 0, 0, time.UTC) // Go carries months into years
	last := time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return NewDate(first.Year(), first.Month(), min(day, last)).AddDays(p.Days)
}

// NextDueOn is the deadline an adoption on adoptedOn gives a follow-up it leaves open: the date
// given at the adoption when there is one, else the adoption date plus after.
func NextDueOn(adoptedOn, given Date, after Period) Date {
	if !given.IsZero() {
		return given
	}
	if after.IsZero() {
		after = DefaultNextDueAfter
	}
	return adoptedOn.AddPeriod(after)
}

// CheckNextDueOn checks a deadline given at an adoption: it must come after the adoption.
func CheckNextDueOn(adoptedOn, next Date) error {
	if !next.IsZero() && !next.After(adoptedOn) {
		return Invalid("next_due_on", "the next deadline %s is not after the adoption date %s", next, adoptedOn)
	}
	return nil
}

// DueDate is a deadline of a follow-up of its own, in force from the day of the adoption that
// set it.
type DueDate struct {
	From  Date `json:"from"`
	DueOn Date `json:"due_on"`
}

// DueOnAsOf returns the deadline in force at the end of asOf: the latest of the follow-up's own
// deadlines set on or before that day, else base (the recommendation's or the report's).
func DueOnAsOf(base Date, own []DueDate, asOf Date) Date {
	sorted := own
	if !sort.SliceIsSorted(own, func(i, j int) bool { return own[i].From.Before(own[j].From) }) {
		sorted = append([]DueDate(nil), own...)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].From.Before(sorted[j].From) })
	}
	due := base
	for _, d := range sorted {
		if d.From.After(asOf) {
			break
		}
		due = d.DueOn
	}
	return due
}
