package server_test

import (
	"net/url"
	"strings"
	"testing"
)

// An adoption that leaves a follow-up open gives it its next deadline: the date given at the
// adoption, or a year after it. From then on that deadline is the follow-up's everywhere (API,
// desk, calendar feed, exports), and a past day reads the deadline in force on it.
func TestAdoptionSetsTheNextDeadline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// rep is due 2018-09-30 (the report's deadline): R1/FR and R1/DE long overdue.
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "not_implemented", "assessed_on": "2026-11-01"})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/DE/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2026-11-01"})
	before := e.auditCount()
	for _, c := range []struct{ body, field string }{
		{`{"adopted_on":"2026-11-10","next_due_on":"2026-11-10"}`, "next_due_on"},
		{`{"adopted_on":"2026-11-10","next_due_on":"2026-11-09"}`, "next_due_on"},
		{`{"adopted_on":"2026-11-10","next_due_on":"10/11/2027"}`, "next_due_on"},
	} {
		if code, field := e.expect(422, "POST", "/api/v1/reports/rep/adopt", "secretariat", c.body).errorOf(t); code != "invalid" || field != c.field {
			t.Errorf("%s: %s %s", c.body, code, field)
		}
	}
	if n := e.auditCount() - before; n != 0 {
		t.Fatalf("refused adoptions wrote %d entries", n)
	}
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-10", "labels": []string{"R1"}})

	// API: FR's own deadline, a year after the adoption; DE is closed and keeps the report's.
	due := func(party string) any {
		return e.expect(200, "GET", "/api/v1/followups/rep/R1/"+party, "", nil).json(t)["due_on"]
	}
	if got := due("FR"); got != "2027-11-10" {
		t.Errorf("R1/FR due on %v, want 2027-11-10", got)
	}
	if got := due("DE"); got != "2018-09-30" {
		t.Errorf("R1/DE (closed) due on %v, want the report's 2018-09-30", got)
	}
	if got := due("HU"); got != "2018-09-30" {
		t.Errorf("R1/HU (not adopted) due on %v, want the report's 2018-09-30", got)
	}
	if f := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "", nil).json(t); f["overdue"] != false {
		t.Errorf("R1/FR is overdue by the recommendation's deadline: %v", f)
	}
	list := string(e.expect(200, "GET", "/api/v1/followups?overdue=true&report=rep", "", nil).body)
	if strings.Contains(list, `"party":"FR"`) || !strings.Contains(list, `"party":"HU"`) {
		t.Errorf("the overdue list does not follow the follow-up's deadline: %s", list)
	}

	// The desk says what to do, by when.
	fr := e.browser()
	fr.login("party-fr")
	desk := fr.get("/desk").expect(t, 200, "desk")
	if row := between(desk.body, `/followups/rep/R1/FR"`, "</tr>"); !strings.Contains(row, "Your action: report on the measures taken by 10 November 2027") ||
		!strings.Contains(row, "10 November 2027") || strings.Contains(row, "Overdue") {
		t.Errorf("the desk's R1/FR row: %s", row)
	}

	// A second adoption with a date given.
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "partially_implemented", "assessed_on": "2026-11-20"})
	sec := e.browser()
	sec.login("secretariat")
	p := sec.post("/manage/reports/rep/adopt", url.Values{"adopted_on": {"2026-11-25"}, "labels": {"R1"}, "next_due_on": {"2026-11-25"}, "action": {"preview"}})
	p.expect(t, 422, "a next deadline on the day of the adoption")
	if !strings.Contains(p.body, `id="next-err">Enter a deadline after the date of adoption.</p>`) {
		t.Errorf("no message next to the next deadline: %s", between(p.body, `id="next_due_on"`, "</div>"))
	}
	p = sec.post("/manage/reports/rep/adopt", url.Values{"adopted_on": {"2026-11-25"}, "labels": {"R1"}, "next_due_on": {"2027-06-30"}, "action": {"preview"}}).expect(t, 200, "preview")
	if !strings.Contains(p.body, "The follow-ups that stay open are due again on 30 June 2027.") ||
		!strings.Contains(between(p.body, `data-followup="R1/FR">`, "</tr>"), "10 November 2027 → <strong>30 June 2027</strong>") ||
		!strings.Contains(between(p.body, `id="adopt-confirm"`, "</form>"), `name="next_due_on" value="2027-06-30"`) {
		t.Errorf("the preview does not tell the next deadline: %s", between(p.body, `class="preview"`, "</section>"))
	}
	if !strings.Contains(sec.get("/manage/reports/rep/adopt").body, "When empty, 12 months after the date of adoption.") {
		t.Error("the adoption form does not say the default period")
	}
	sec.post("/manage/reports/rep/adopt", url.Values{"adopted_on": {"2026-11-25"}, "labels": {"R1"}, "next_due_on": {"2027-06-30"}, "action": {"confirm"}}).expect(t, 303, "adopt")
	if got := due("FR"); got != "2027-06-30" {
		t.Errorf("R1/FR due on %v after the second adoption, want 2027-06-30", got)
	}

	// The calendar feed and the exports use it.
	fr.post("/desk/calendar", url.Values{}).expect(t, 201, "calendar feed")
	feed := e.expect(200, "GET", calendarPath(t, fr), "", nil).body
	if !strings.Contains(string(feed), "DTSTART;VALUE=DATE:20270630") || strings.Contains(string(feed), "DTSTART;VALUE=DATE:20180930\r\nDTEND;VALUE=DATE:20181001\r\nSUMMARY:Follow-up due: rep, recommendation R1 (FR)") {
		t.Errorf("the calendar feed: %s", feed)
	}
	csv := e.expect(200, "GET", "/api/v1/reports/rep/compliance.csv", "", nil).body
	if row := reportCell(t, csv, "R1", "FR"); row["due_on"] != "2027-06-30" {
		t.Errorf("the report's CSV row of R1/FR: %v", row)
	}
	dossier := e.expect(200, "GET", "/api/v1/parties/FR/dossier.csv", "", nil).body
	if !strings.Contains(string(dossier), "2027-06-30") {
		t.Errorf("the dossier CSV lacks the new deadline: %s", dossier)
	}

	// A past day reads the deadline of its day.
	for asOf, want := range map[string]string{"2026-11-09": "2018-09-30", "2026-11-10": "2027-11-10", "2026-11-24": "2027-11-10", "2026-11-25": "2027-06-30"} {
		csv := e.expect(200, "GET", "/api/v1/reports/rep/compliance.csv?as_of="+asOf, "", nil).body
		if row := reportCell(t, csv, "R1", "FR"); row["due_on"] != want {
			t.Errorf("as of %s the report's CSV says R1/FR due on %s, want %s", asOf, row["due_on"], want)
		}
		d := string(e.expect(200, "GET", "/api/v1/parties/FR/dossier.json?as_of="+asOf, "", nil).body)
		if !strings.Contains(d, `"due_on": "`+want+`"`) {
			t.Errorf("as of %s the dossier does not say due on %s: %s", asOf, want, d)
		}
	}
}

// calendarPath reads the feed's address from the desk a calendar token was just created on.
func calendarPath(t *testing.T, b *browser) string {
	t.Helper()
	p := b.post("/desk/calendar", url.Values{}).expect(t, 201, "calendar feed")
	u := between(p.body, `<code class="secret">`, "</code>")
	i := strings.Index(u, "/api/v1/")
	if i < 0 {
		t.Fatalf("no feed address: %s", between(p.body, "calendar-feed", "</section>"))
	}
	return strings.ReplaceAll(u[i:], "&amp;", "&")
}
