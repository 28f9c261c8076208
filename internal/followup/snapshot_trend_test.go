package followup

import "testing"

func TestCombineSnapshots(t *testing.T) {
	snap := func(on string, implemented, not, pending int) ComplianceSnapshot {
		c := NewCounts()
		c[string(Implemented)], c[string(NotImplemented)], c[Pending] = implemented, not, pending
		return ComplianceSnapshot{On: MustDate(on), Counts: c, Total: implemented + not + pending, Score: scoreOfCounts(c)}
	}
	a := []ComplianceSnapshot{snap("2024-01-01", 1, 1, 0), snap("2024-03-01", 2, 0, 0)}
	b := []ComplianceSnapshot{snap("2024-02-01", 0, 2, 2)}
	got := CombineSnapshots(a, b)
	want := []struct {
		on    string
		total int
		score float64
	}{{"2024-01-01", 2, 0.5}, {"2024-02-01", 6, 0.25}, {"2024-03-01", 6, 0.5}}
	if len(got) != len(want) {
		t.Fatalf("got %d days, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.On.String() != w.on || g.Total != w.total || g.Score == nil || *g.Score != w.score {
			t.Errorf("day %d: %s total %d score %v, want %s %d %v", i, g.On, g.Total, g.Score, w.on, w.total, w.score)
		}
	}
	if got := CombineSnapshots(); len(got) != 0 {
		t.Errorf("no series: %v", got)
	}
	if got := CombineSnapshots([]ComplianceSnapshot{snap("2024-01-01", 0, 0, 3)}); got[0].Score != nil {
		t.Errorf("only pending follow-ups have no score: %v", *got[0].Score)
	}
}
