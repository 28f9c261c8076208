package server

import (
	"testing"

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
	reports := []followup.Report{{Slug: "a", Title: "Report A", TitleFR: "Rapport A"}, {Slug: "b", Title: "Report B"}}
	items := []followup.QueueItem{{FollowUp: followup.FollowUp{Report: "b", Label: "R1", Party: "DE"}}, {FollowUp: followup.FollowUp{Report: "a", Label: "R2", Party: "FR"}}}
	d := testView("fr", "2026-11-28").buildQueuePage(items, reports, "a")
	if len(d.Items) != 2 || d.Items[0].Report != "b" || d.Items[1].Report != "a" {
		t.Errorf("the queue's order is not the store's: %+v", d.Items)
	}
	if d.Titles["a"] != "Rapport A" || d.Titles["b"] != "Report B (en anglais)" || d.Report != "a" || len(d.Reports) != 2 {
		t.Errorf("queue data: %+v", d)
	}
}
