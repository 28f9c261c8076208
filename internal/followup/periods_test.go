package followup_test

import (
	"slices"
	"testing"

	"followup/internal/followup"
)

// span builds a period from two days, "" for the open ends.
func span(from, until string) followup.Span {
	var s followup.Span
	if from != "" {
		s.From = followup.MustDate(from)
	}
	if until != "" {
		s.Until = followup.MustDate(until)
	}
	return s
}

func TestSpanHolds(t *testing.T) {
	for _, tc := range []struct {
		name        string
		span        followup.Span
		day         string
		holds, open bool // open: BegunBy
	}{
		{"from the start, still running", span("", ""), "2019-06-06", true, true},
		{"from the start, the day before its end", span("", "2020-01-10"), "2020-01-09", true, true},
		{"from the start, on its end: the end is excluded", span("", "2020-01-10"), "2020-01-10", false, true},
		{"from the start, after its end", span("", "2020-01-10"), "2021-01-01", false, true},
		{"the day before it begins", span("2019-02-01", ""), "2019-01-31", false, false},
		{"the day it begins", span("2019-02-01", ""), "2019-02-01", true, true},
		{"inside a closed period", span("2019-02-01", "2019-03-01"), "2019-02-28", true, true},
		{"on the end of a closed period", span("2019-02-01", "2019-03-01"), "2019-03-01", false, true},
		{"begun and ended on one day holds on no day", span("2019-02-01", "2019-02-01"), "2019-02-01", false, true},
	} {
		day := followup.MustDate(tc.day)
		if got := tc.span.Holds(day); got != tc.holds {
			t.Errorf("%s: Holds(%s) = %v, want %v", tc.name, tc.day, got, tc.holds)
		}
		if got := followup.HeldOn([]followup.Span{tc.span}, day); got != tc.holds {
			t.Errorf("%s: HeldOn(%s) = %v, want %v", tc.name, tc.day, got, tc.holds)
		}
		if got := followup.BegunBy([]followup.Span{tc.span}, day); got != tc.open {
			t.Errorf("%s: BegunBy(%s) = %v, want %v", tc.name, tc.day, got, tc.open)
		}
	}
}

func TestHeldOnSeveralSpans(t *testing.T) {
	// Added with its recommendation, dropped on 2020-01-10, added back on 2020-06-01.
	spans := []followup.Span{span("", "2020-01-10"), span("2020-06-01", "")}
	for day, want := range map[string]bool{
		"2018-03-01": true, "2020-01-09": true, "2020-01-10": false, "2020-05-31": false, "2020-06-01": true, "2030-01-01": true,
	} {
		if got := followup.HeldOn(spans, followup.MustDate(day)); got != want {
			t.Errorf("HeldOn(%s) = %v, want %v", day, got, want)
		}
	}
	if followup.HeldOn(nil, followup.MustDate("2020-01-01")) || followup.BegunBy(nil, followup.MustDate("2020-01-01")) {
		t.Error("no span holds and none has begun")
	}
}

func TestFollowUpOnDay(t *testing.T) {
	dropped := []followup.Span{span("", "2020-01-10"), span("2020-06-01", "")}
	added := []followup.Span{span("2019-02-01", "")}
	archived := []followup.Span{span("2021-05-01", "2021-09-01"), span("2022-01-01", "")}
	for _, tc := range []struct {
		name             string
		active, archived []followup.Span
		day              string
		shown, active2   bool
	}{
		{"addressed from the start", dropped, nil, "2019-06-06", true, true},
		{"no longer addressed on the day: shown inactive", dropped, nil, "2020-03-01", true, false},
		{"addressed again", dropped, nil, "2020-06-01", true, true},
		{"before it was added: not part of the day", added, nil, "2019-01-31", false, false},
		{"the day it was added", added, nil, "2019-02-01", true, true},
		{"its recommendation archived on the day", dropped, archived, "2021-05-01", false, false},
		{"its recommendation archived since, not then", dropped, archived, "2021-04-30", true, true},
		{"its recommendation un-archived", dropped, archived, "2021-09-01", true, true},
		{"archived again", dropped, archived, "2022-01-01", false, false},
		{"archived and no longer addressed", []followup.Span{span("", "2021-06-01")}, archived, "2021-07-01", false, false},
	} {
		shown, active := followup.FollowUpOnDay(tc.active, tc.archived, followup.MustDate(tc.day))
		if shown != tc.shown || active != tc.active2 {
			t.Errorf("%s: FollowUpOnDay(%s) = %v, %v; want %v, %v", tc.name, tc.day, shown, active, tc.shown, tc.active2)
		}
	}
}

func TestRecommendationsIn(t *testing.T) {
	recs := []followup.Recommendation{{Label: "R1"}, {Label: "R2", Archived: true}, {Label: "R3"}, {Label: "R4"}}
	for _, tc := range []struct {
		name    string
		summary []string // the labels of the summary's lines, in any order
		want    []string
	}{
		{"every one, in the report's order", []string{"R4", "R3", "R2", "R1"}, []string{"R1", "R2", "R3", "R4"}},
		{"one archived since is kept, one archived then is left out", []string{"R1", "R2", "R4"}, []string{"R1", "R2", "R4"}},
		{"a label the list does not have is ignored", []string{"R1", "R9"}, []string{"R1"}},
		{"none", nil, []string{}},
	} {
		var c followup.Compliance
		for _, l := range tc.summary {
			c.ByRecommendation = append(c.ByRecommendation, &followup.RecommendationTally{Label: l})
		}
		got := []string{}
		for _, r := range followup.RecommendationsIn(c, recs) {
			got = append(got, r.Label)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
