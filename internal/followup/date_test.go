package followup_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris without relying on the host's zone database

	"followup/internal/followup"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		want string
	}{
		{"2019-06-06", true, "2019-06-06"},
		{"2020-02-29", true, "2020-02-29"}, // leap day
		{"1999-12-31", true, "1999-12-31"},
		{"2019-6-6", false, ""},
		{"2019-06-6", false, ""},
		{"2019-02-30", false, ""},
		{"2019-02-29", false, ""}, // not a leap year
		{"2019-13-01", false, ""},
		{"2019-00-10", false, ""},
		{"", false, ""},
		{"06/06/2019", false, ""},
		{"06-06-2019", false, ""},
		{"2019/06/06", false, ""},
		{"2019-06-06T00:00:00Z", false, ""},
		{"2019-06-06 ", false, ""},
		{" 2019-06-06", false, ""},
		{"19-06-06", false, ""},
		{"20190606", false, ""},
		{"today", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := followup.ParseDate("adopted_on", tt.in)
			if !tt.ok {
				wantDomainErr(t, err, followup.EInvalid, "adopted_on")
				if !got.IsZero() {
					t.Errorf("a rejected date returned %v, want the zero Date", got)
				}
				if !strings.Contains(err.Error(), "adopted_on") {
					t.Errorf("error %q does not name the field", err)
				}
				if !strings.Contains(followup.ErrorMessage(err), "YYYY-MM-DD") {
					t.Errorf("message %q does not give the expected form", followup.ErrorMessage(err))
				}
				return
			}
			wantDomainErr(t, err, "", "")
			if got.String() != tt.want {
				t.Errorf("ParseDate(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got.IsZero() {
				t.Errorf("ParseDate(%q) is zero", tt.in)
			}
		})
	}
}

func TestParseDateFieldName(t *testing.T) {
	for _, field := range []string{"submitted_on", "as_of", "due_on"} {
		_, err := followup.ParseDate(field, "2019-6-6")
		wantDomainErr(t, err, followup.EInvalid, field)
	}
}

func TestParseOptionalDate(t *testing.T) {
	tests := []struct {
		in       string
		wantZero bool
		wantErr  bool
	}{
		{"", true, false},
		{"2021-01-15", false, false},
		{"2021-1-15", false, true},
		{" ", false, true},
	}
	for _, tt := range tests {
		got, err := followup.ParseOptionalDate("due_on", tt.in)
		if tt.wantErr {
			wantDomainErr(t, err, followup.EInvalid, "due_on")
			continue
		}
		wantDomainErr(t, err, "", "")
		if got.IsZero() != tt.wantZero {
			t.Errorf("ParseOptionalDate(%q).IsZero() = %v, want %v", tt.in, got.IsZero(), tt.wantZero)
		}
		if !tt.wantZero && got.String() != tt.in {
			t.Errorf("ParseOptionalDate(%q) = %q", tt.in, got)
		}
	}
}

func TestMustDate(t *testing.T) {
	if got := followup.MustDate("2019-06-06"); got != followup.NewDate(2019, time.June, 6) {
		t.Errorf("MustDate = %v, want 2019-06-06", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustDate of a bad date did not panic")
		}
	}()
	followup.MustDate("2019-02-30")
}

func TestDateZero(t *testing.T) {
	var z followup.Date
	if !z.IsZero() {
		t.Error("zero Date is not IsZero")
	}
	if z.String() != "" {
		t.Errorf("zero Date String = %q, want empty", z.String())
	}
	if !z.Time().IsZero() {
		t.Errorf("zero Date Time = %v, want zero time", z.Time())
	}
	nd := followup.NewDate(2019, time.June, 6)
	if nd.IsZero() {
		t.Error("NewDate is zero")
	}
	want := time.Date(2019, time.June, 6, 0, 0, 0, 0, time.UTC)
	if !nd.Time().Equal(want) || nd.Time().Location() != time.UTC {
		t.Errorf("Time() = %v, want %v", nd.Time(), want)
	}
	// NewDate normalises out-of-range days like time.Date.
	if got := followup.NewDate(2019, time.February, 29).String(); got != "2019-03-01" {
		t.Errorf("NewDate(2019-02-29) = %s, want 2019-03-01", got)
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		On followup.Date `json:"on"`
	}
	tests := []struct {
		name string
		in   doc
		json string
	}{
		{"date", doc{day("2019-06-06")}, `{"on":"2019-06-06"}`},
		{"zero", doc{}, `{"on":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.json {
				t.Fatalf("Marshal = %s, want %s", b, tt.json)
			}
			back := doc{On: day("2000-01-01")} // must be overwritten, including by null
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back != tt.in {
				t.Errorf("round trip gave %v, want %v", back.On, tt.in.On)
			}
		})
	}
}

func TestDateUnmarshalJSON(t *testing.T) {
	tests := []struct {
		json    string
		want    string // "" for the zero Date
		wantErr bool
	}{
		{`"2019-06-06"`, "2019-06-06", false},
		{`null`, "", false},
		{`""`, "", false},
		{`"2019-6-6"`, "", true},
		{`"2019-02-30"`, "", true},
		{`"06/06/2019"`, "", true},
		{`"2019-06-06T00:00:00Z"`, "", true},
		{`20190606`, "", true},
		{`true`, "", true},
		{`{}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			var got followup.Date
			err := json.Unmarshal([]byte(tt.json), &got)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Unmarshal(%s) = %v, want an error", tt.json, got)
				}
				if followup.ErrorCode(err) != followup.EInvalid || followup.ErrorField(err) != "date" {
					t.Errorf("error %v: code %q field %q, want invalid/date", err, followup.ErrorCode(err), followup.ErrorField(err))
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.json, err)
			}
			if got.String() != tt.want {
				t.Errorf("Unmarshal(%s) = %q, want %q", tt.json, got, tt.want)
			}
		})
	}
}

func TestDateJSONInSlicesAndPointers(t *testing.T) {
	in := []followup.Date{day("2019-06-06"), {}, day("2024-02-29")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `["2019-06-06",null,"2024-02-29"]` {
		t.Fatalf("Marshal = %s", b)
	}
	var back []followup.Date
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back) != 3 || back[0] != in[0] || !back[1].IsZero() || back[2] != in[2] {
		t.Errorf("round trip = %v, want %v", back, in)
	}
	p := &in[0]
	b, _ = json.Marshal(p)
	if string(b) != `"2019-06-06"` {
		t.Errorf("Marshal(*Date) = %s", b)
	}
}

func TestDateComparisons(t *testing.T) {
	a, b := day("2019-06-06"), day("2019-06-07")
	var z followup.Date
	tests := []struct {
		name          string
		x, y          followup.Date
		before, after bool
	}{
		{"earlier", a, b, true, false},
		{"later", b, a, false, true},
		{"same", a, day("2019-06-06"), false, false},
		{"zero before a date", z, a, true, false},
		{"date after zero", a, z, false, true},
		{"zero and zero", z, z, false, false},
		{"across years", day("2019-12-31"), day("2020-01-01"), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.x.Before(tt.y); got != tt.before {
				t.Errorf("%v.Before(%v) = %v, want %v", tt.x, tt.y, got, tt.before)
			}
			if got := tt.x.After(tt.y); got != tt.after {
				t.Errorf("%v.After(%v) = %v, want %v", tt.x, tt.y, got, tt.after)
			}
		})
	}
	if a != day("2019-06-06") {
		t.Error("two Dates of the same day are not ==")
	}
}

func TestDateAddDays(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2019-06-06", 0, "2019-06-06"},
		{"2019-06-06", 1, "2019-06-07"},
		{"2019-06-06", -6, "2019-05-31"},
		{"2019-12-31", 1, "2020-01-01"},
		{"2020-02-28", 1, "2020-02-29"},
		{"2021-02-28", 1, "2021-03-01"},
		{"2019-03-30", 2, "2019-04-01"}, // across the European DST change: no hour drift
		{"2019-01-01", 365, "2020-01-01"},
		{"2020-01-01", 366, "2021-01-01"},
		{"2020-03-01", -1, "2020-02-29"},
	}
	for _, tt := range tests {
		if got := day(tt.from).AddDays(tt.n).String(); got != tt.want {
			t.Errorf("%s.AddDays(%d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestDateDaysUntil(t *testing.T) {
	tests := []struct {
		from, to string
		want     int
	}{
		{"2019-06-06", "2019-06-06", 0},
		{"2019-06-06", "2019-06-07", 1},
		{"2019-06-07", "2019-06-06", -1},
		{"2019-01-01", "2020-01-01", 365},
		{"2020-01-01", "2021-01-01", 366},
		{"2019-03-30", "2019-04-01", 2},
		{"2019-10-26", "2019-10-28", 2},
		{"2021-01-01", "2020-01-01", -366},
		{"2000-01-01", "2100-01-01", 36525},
		{"2100-01-01", "2200-01-01", 36524},
	}
	for _, tt := range tests {
		if got := day(tt.from).DaysUntil(day(tt.to)); got != tt.want {
			t.Errorf("%s.DaysUntil(%s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestDateOf(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		t    time.Time
		loc  *time.Location
		want string
	}{
		{"UTC late evening is next day in Paris (winter)", time.Date(2019, 12, 31, 23, 30, 0, 0, time.UTC), paris, "2020-01-01"},
		{"same instant in UTC", time.Date(2019, 12, 31, 23, 30, 0, 0, time.UTC), time.UTC, "2019-12-31"},
		{"22:30 UTC is still the same day in Paris in winter", time.Date(2019, 12, 31, 22, 30, 0, 0, time.UTC), paris, "2019-12-31"},
		{"22:30 UTC is the next day in Paris in summer", time.Date(2019, 6, 30, 22, 30, 0, 0, time.UTC), paris, "2019-07-01"},
		{"21:30 UTC is still the same day in Paris in summer", time.Date(2019, 6, 30, 21, 30, 0, 0, time.UTC), paris, "2019-06-30"},
		{"Tokyo is ahead", time.Date(2019, 6, 6, 15, 0, 0, 0, time.UTC), tokyo, "2019-06-07"},
		{"New York is behind", time.Date(2019, 6, 6, 3, 0, 0, 0, time.UTC), ny, "2019-06-05"},
		{"a time given in another zone", time.Date(2020, 1, 1, 0, 30, 0, 0, paris), time.UTC, "2019-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := followup.DateOf(tt.t, tt.loc)
			if got.String() != tt.want {
				t.Errorf("DateOf(%v, %v) = %s, want %s", tt.t, tt.loc, got, tt.want)
			}
			// The result is midnight UTC of the day, so it compares equal with a parsed date.
			if got != day(tt.want) {
				t.Errorf("DateOf result %v is not == MustDate(%q)", got.Time(), tt.want)
			}
		})
	}
}

func TestClocks(t *testing.T) {
	at := time.Date(2019, 6, 6, 12, 0, 0, 0, time.UTC)
	var c followup.Clock = followup.FixedClock(at)
	if !c.Now().Equal(at) {
		t.Errorf("FixedClock.Now = %v, want %v", c.Now(), at)
	}
	if !c.Now().Equal(c.Now()) {
		t.Error("FixedClock moved")
	}
	before := time.Now()
	now := followup.SystemClock{}.Now()
	if now.Before(before) || now.After(time.Now()) {
		t.Errorf("SystemClock.Now = %v, not between %v and now", now, before)
	}
}
