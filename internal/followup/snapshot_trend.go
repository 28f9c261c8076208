package followup

import "sort"

// CombineSnapshots adds up several series of daily snapshots (a Party's, one series per
// report) into one: on each day that any series has a snapshot, the counts of every series'
// latest snapshot on or before that day, summed, with the score they give. A series counts
// from its first snapshot on. Days come out in order.
func CombineSnapshots(series ...[]ComplianceSnapshot) []ComplianceSnapshot {
	days := map[Date]bool{}
	for _, s := range series {
		for _, snap := range s {
			days[snap.On] = true
		}
	}
	order := make([]Date, 0, len(days))
	for d := range days {
		order = append(order, d)
	}
	sort.Slice(order, func(i, j int) bool { return order[i].Before(order[j]) })
	pos := make([]int, len(series)) // the next snapshot of each series not yet reached
	var out []ComplianceSnapshot
	for _, day := range order {
		sum := ComplianceSnapshot{On: day, Counts: NewCounts()}
		for i, s := range series {
			for pos[i] < len(s) && !s[pos[i]].On.After(day) {
				pos[i]++
			}
			if pos[i] == 0 {
				continue
			}
			latest := s[pos[i]-1]
			for k, n := range latest.Counts {
				sum.Counts[k] += n
			}
			sum.Total += latest.Total
		}
		sum.Score = scoreOfCounts(sum.Counts)
		out = append(out, sum)
	}
	return out
}

// scoreOfCounts is the score of follow-ups counted by status; nil when none counts.
func scoreOfCounts(c Counts) *float64 {
	var sum float64
	scored := 0
	for _, st := range Statuses {
		if s, ok := st.Score(); ok {
			sum += s * float64(c[string(st)])
			scored += c[string(st)]
		}
	}
	if scored == 0 {
		return nil
	}
	v := sum / float64(scored)
	return &v
}
