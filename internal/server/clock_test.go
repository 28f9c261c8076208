package server_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"followup/internal/followup"
)

// The server reads the time from its clock and shows it in its time zone: today (the default
// and the latest adoption date), the instants on the pages, the moment an export was generated
// and the stamp of a calendar feed.
func TestServerClockAndZone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	// 23:30 UTC on 28 November is already 29 November in Paris.
	now := time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC)
	opts := testOptions(t, e.store)
	opts.Clock, opts.Location = followup.FixedClock(now), paris
	e.srv = newServer(t, opts)

	sec := e.browser()
	sec.login("secretariat")
	p := sec.get("/manage/reports/rep/adopt").expect(t, 200, "adoption page")
	if !strings.Contains(p.body, `max="2026-11-29"`) || !strings.Contains(p.body, `value="2026-11-29"`) {
		t.Errorf("the adoption form does not offer today in Paris (2026-11-29): %.1500s", between(p.body, `id="adopted_on"`, ">"))
	}

	// The store stamped the audit entries at 09:00 UTC: 10:00 in Paris, in winter time.
	admin := e.browser()
	admin.login("admin")
	if p := admin.get("/manage/audit").expect(t, 200, "audit"); !strings.Contains(p.body, "28 November 2026 10:00 CET") {
		t.Errorf("the audit page does not show times in Paris time: %.1500s", between(p.body, "<tbody>", "</tbody>"))
	}

	var doc struct {
		GeneratedAt time.Time `json:"generated_at"`
	}
	r := e.expect(200, "GET", "/api/v1/parties/FR/dossier.json", "admin", nil)
	if err := json.Unmarshal(r.body, &doc); err != nil || !doc.GeneratedAt.Equal(now) {
		t.Errorf("dossier generated_at %s (%v), want %s", doc.GeneratedAt, err, now)
	}

	fr := e.browser()
	fr.login("party-fr")
	feed := between(fr.post("/desk/calendar", url.Values{}).expect(t, 201, "create a feed").body, `<code class="secret">`, `</code>`)
	u, err := url.Parse(strings.ReplaceAll(feed, "&amp;", "&"))
	if err != nil {
		t.Fatal(err)
	}
	if ics := e.expect(200, "GET", u.RequestURI(), "", nil); !strings.Contains(string(ics.body), "DTSTAMP:20261128T233000Z") {
		t.Errorf("the calendar feed is not stamped with the clock:\n%s", ics.body)
	}
}
