package followup

import (
	"encoding/json"
	"time"
)

// Date is a calendar day with no time of day and no zone, stored and written as YYYY-MM-DD.
// The zero Date means "no date" and is written as JSON null.
type Date struct {
	t time.Time // midnight UTC of the day; zero when unset
}

const dateLayout = "2006-01-02"

// NewDate returns the given day.
func NewDate(year int, month time.Month, day int) Date {
	return Date{t: time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar day of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return NewDate(y, m, d)
}

// ParseDate parses YYYY-MM-DD strictly. The error names field.
func ParseDate(field, s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil || t.Format(dateLayout) != s {
		return Date{}, Refused(field, ReasonDateFormat, nil, "%q is not a date in the form YYYY-MM-DD", s)
	}
	if t.Year() < 1900 {
		return Date{}, Refused(field, ReasonDateEarly, nil, "%s is before 1900", s)
	}
	return Date{t: t}, nil
}

// MustDate parses a literal date and panics if it is wrong; for tests and seed data.
func MustDate(s string) Date {
	d, err := ParseDate("date", s)
	if err != nil {
		panic(err)
	}
	return d
}

// ParseOptionalDate parses s, or returns the zero Date when s is empty.
func ParseOptionalDate(field, s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	return ParseDate(field, s)
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String returns YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(dateLayout)
}

// Time returns midnight UTC of the day.
func (d Date) Time() time.Time { return d.t }

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// AddDays returns the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return Date{t: d.t.AddDate(0, 0, n)} }

// DaysUntil returns the number of days from d to e (negative when e is earlier).
// Both are midnight UTC, so whole seconds divide exactly; time.Duration would overflow past
// about 292 years.
func (d Date) DaysUntil(e Date) int { return int((e.t.Unix() - d.t.Unix()) / 86400) }

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return Refused("date", ReasonDateFormat, nil, "a date must be a string in the form YYYY-MM-DD")
	}
	v, err := ParseOptionalDate("date", s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Clock tells the time. It is injected everywhere "now" matters so that deadlines and
// schedules can be tested with a fixed or simulated calendar.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock always returns the same instant; for tests and for jobs run "as of" a time.
type FixedClock time.Time

// Now returns the fixed instant.
func (c FixedClock) Now() time.Time { return time.Time(c) }
