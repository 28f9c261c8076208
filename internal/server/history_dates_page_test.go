package server_test

import (
	"strings"
	"testing"
)

// The history of a follow-up is dated by the day each event happened, then the time it was
// recorded: a 2018 submission entered today reads 2018.
func TestHistoryShowsEventDates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Measures of 2018.", "submitted_on": "2018-06-06"})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2019-01-15"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2019-06-06"})
	b := e.browser()
	b.login("rapporteur")
	p := b.get("/followups/rep/R1/FR").expect(t, 200, "follow-up")
	hist := between(p.body, `<h2 id="hist-h">History</h2>`, `</table>`)
	recorded := `<span class="muted">recorded 28 November 2026 09:00 UTC</span>`
	for _, want := range []string{
		`<td><strong>6 June 2018</strong><br>` + recorded + `</td><td>Submission sent</td>`,
		`<td><strong>15 January 2019</strong><br>` + recorded + `</td><td>Assessment drafted</td>`,
		`<td><strong>6 June 2019</strong><br>` + recorded + `</td><td>Assessment adopted</td>`,
		`<td>recorded 28 November 2026 09:00 UTC</td><td>Follow-up opened</td>`, // no event date of its own
	} {
		if !strings.Contains(hist, want) {
			t.Errorf("the history lacks %q:\n%s", want, hist)
		}
	}
	// Earliest event first: the follow-up was opened today, after the events it records.
	if strings.Index(hist, "Submission sent") > strings.Index(hist, "Follow-up opened") {
		t.Error("the history is not in the order of the events")
	}
	fr := b.do("GET", "/followups/rep/R1/FR", nil, map[string]string{"Accept-Language": "fr"})
	if !strings.Contains(fr.body, `<strong>6 juin 2018</strong><br><span class="muted">enregistré le 28 novembre 2026 09:00 UTC</span>`) {
		t.Errorf("the French history: %s", between(fr.body, `<h2 id="hist-h">`, `</table>`))
	}
}
