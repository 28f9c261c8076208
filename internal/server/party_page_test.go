package server_test

import (
	"strings"
	"testing"

	"followup/internal/followup"
)

// The Party page: the Party's score in each report with its base, its trend over time from the
// daily snapshots, and its open recommendations grouped by report under the short title.
func TestPartyPageScoresTrendAndOpen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := sysCtx()
	// Two snapshots of HU: R2 implemented (100 % of 1), then R1 not implemented too (50 % of 2).
	e.expect(201, "POST", "/api/v1/followups/rep/R2/HU/assessments", "rapporteur", map[string]any{"status": "implemented", "assessed_on": "2026-11-01"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-05"})
	if _, err := e.store.SnapshotCompliance(ctx, followup.MustDate("2026-11-10")); err != nil {
		t.Fatal(err)
	}
	e.expect(201, "POST", "/api/v1/followups/rep/R1/HU/assessments", "rapporteur", map[string]any{"status": "not_implemented", "assessed_on": "2026-11-15"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-20"})
	if _, err := e.store.SnapshotCompliance(ctx, followup.MustDate("2026-11-21")); err != nil {
		t.Fatal(err)
	}
	p := e.browser().get("/parties/HU").expect(t, 200, "Party page")
	scores := between(p.body, "<h2>Score by report</h2>", "</table>")
	if !strings.Contains(scores, `href="/reports/rep?party=HU"`) || !strings.Contains(scores, "50 %") || !strings.Contains(scores, "2 of 2") {
		t.Errorf("score by report: %s", scores)
	}
	trend := between(p.body, `aria-labelledby="party-trend-h"`, "</section>")
	if !strings.Contains(trend, "<polyline") || !strings.Contains(trend, "21 November 2026") {
		t.Errorf("trend: %s", trend)
	}
	open := between(p.body, "<h2>Open recommendations</h2>", "<h2>")
	if !strings.Contains(open, ">Test report</a></h3>") || !strings.Contains(open, ">R1</a>") || strings.Contains(open, ">R2</a>") {
		t.Errorf("open recommendations: %s", open)
	}
}
