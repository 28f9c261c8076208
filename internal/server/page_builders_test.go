package server

import (
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/i18n"
)

// testView is a page's view in lang on the day today, without a request or a server.
func testView(lang, today string) *view {
	return &view{Lang: lang, Today: followup.MustDate(today), msgs: i18n.Builtin(), Errors: map[string]string{}}
}

func TestBuildDeskPage(t *testing.T) {
	reports := []followup.Report{{Slug: "a", Title: "Report A", TitleFR: "Rapport A"}, {Slug: "b", Title: "Report B"}}
	fu := func(report, label, due string, overdue bool) followup.FollowUp {
		f := followup.FollowUp{Report: report, Label: label, Party: "FR", Overdue: overdue}
		if due != "" {
			f.DueOn = followup.MustDate(due)
		}
		return f
	}
	items := []followup.FollowUp{
		fu("b", "R1", "", false),            // no deadline: last
		fu("a", "R2", "2027-03-01", false),  // beyond 60 days
		fu("a", "R10", "2027-01-27", false), // the 60th day: due soon
		fu("a", "R9", "2027-01-27", false),  // the same day: in label order, before R10
		fu("b", "R3", "2026-11-01", true),   // overdue, not "due soon"
		fu("a", "R4", "2026-11-28", false),  // today: due soon
		fu("b", "R5", "2026-11-27", false),  // past but not marked overdue (open request): not due soon
	}
	requests := []followup.ClarificationRequest{{ID: 7, Report: "a", Label: "R2", Party: "FR", Question: "Which law?"}}
	d := testView("fr", "2026-11-28").buildDeskPage("FR", reports, items, requests)
	type row struct {
		label, title string
		soon         bool
	}
	want := []row{{"R3", "Report B (en anglais)", false}, {"R5", "Report B (en anglais)", false}, {"R4", "Rapport A", true},
		{"R9", "Rapport A", true}, {"R10", "Rapport A", true}, {"R2", "Rapport A", false}, {"R1", "Report B (en anglais)", false}}
	if len(d.Items) != len(want) {
		t.Fatalf("%d items, want %d", len(d.Items), len(want))
	}
	for i, w := range want {
		got := d.Items[i]
		if got.Label != w.label || got.ReportTitle != w.title || got.DueSoon != w.soon {
			t.Errorf("item %d: %s %q soon=%v, want %s %q soon=%v", i, got.Label, got.ReportTitle, got.DueSoon, w.label, w.title, w.soon)
		}
	}
	if items[0].Label != "R1" {
		t.Error("the builder reordered its input")
	}
	if d.Party != "FR" || len(d.Requests) != 1 || d.Titles["a"] != "Rapport A" || d.Own || d.CalendarOn {
		t.Errorf("desk data: %+v", d)
	}
}

func TestBuildQueuePage(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	reports := []followup.Report{{Slug: "a", Title: "Report A", TitleFR: "Rapport A"}, {Slug: "b", Title: "Report B"}}
	item := func(report, party, on string, recorded time.Time) followup.QueueItem {
		return followup.QueueItem{FollowUp: followup.FollowUp{Report: report, Label: "R1", Party: party}, SubmittedOn: followup.MustDate(on), LastSubmittedAt: recorded}
	}
	items := []followup.QueueItem{
		item("b", "DE", "2026-11-08", time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)),   // dated weeks before it was recorded
		item("a", "FR", "2026-11-26", time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC)), // the 26th in Paris
		item("a", "HU", "2026-11-27", time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)),
	}
	d := testView("fr", "2026-11-28").buildQueuePage(items, reports, "a", paris)
	type row struct {
		party, title string
		later        bool
	}
	want := []row{{"DE", "Report B (en anglais)", true}, {"FR", "Rapport A", false}, {"HU", "Rapport A", false}}
	if len(d.Items) != len(want) {
		t.Fatalf("%d rows, want %d", len(d.Items), len(want))
	}
	for i, w := range want {
		got := d.Items[i]
		if got.Party != w.party || got.ReportTitle != w.title || got.RecordedLater != w.later {
			t.Errorf("row %d: %s %q recorded later=%v, want %s %q %v", i, got.Party, got.ReportTitle, got.RecordedLater, w.party, w.title, w.later)
		}
	}
	if d.Report != "a" || len(d.Reports) != 2 {
		t.Errorf("queue data: %+v", d)
	}
}

// The queue's wait is counted from the submission's date.
func TestViewWaiting(t *testing.T) {
	v := testView("en", "2026-11-28")
	for on, want := range map[string]string{"2026-11-08": "waiting 20 days", "2026-11-27": "waiting 1 day", "2026-11-28": "submitted today", "": "—"} {
		q := followup.QueueItem{LastSubmittedAt: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
		if on != "" {
			q.SubmittedOn = followup.MustDate(on)
		}
		if got := v.Waiting(q); got != want {
			t.Errorf("submitted on %q: %q, want %q", on, got, want)
		}
	}
}

// Once a Party has sent its report the next move is the Committee's: the desk says so instead
// of asking it to report by the deadline again.
func TestDeskActionByStage(t *testing.T) {
	due := followup.MustDate("2027-01-15")
	cases := []struct {
		state followup.State
		due   followup.Date
		want  string
	}{
		{followup.AwaitingSubmission, due, "À faire : rendre compte des mesures prises d’ici le 15 janvier 2027"},
		{followup.Adopted, due, "À faire : rendre compte des mesures prises d’ici le 15 janvier 2027"},
		{followup.Submitted, due, "À faire : rien pour l’instant, le Comité évalue les mesures dont vous avez rendu compte"},
		{followup.Assessed, due, "À faire : rien pour l’instant, le Comité évalue les mesures dont vous avez rendu compte"},
		{followup.ClarificationRequested, due, "À faire : répondre à la demande de précisions du Comité"},
		{followup.AwaitingSubmission, followup.Date{}, ""},
	}
	v := testView("fr", "2026-11-28")
	for _, c := range cases {
		d := v.buildDeskPage("FR", nil, []followup.FollowUp{{Report: "a", Label: "R1", Party: "FR", State: c.state, DueOn: c.due}}, nil)
		if got := d.Items[0].Action; got != c.want {
			t.Errorf("%s due %v: %q, want %q", c.state, c.due, got, c.want)
		}
	}
}
