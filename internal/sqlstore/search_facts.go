package sqlstore

import (
	"context"
	"database/sql"
	"sync"

	"followup/internal/followup"
)

// The follow-up facets of a search (Party, adopted status, open, overdue) look at every active
// follow-up of the recommendations found: all 375,000 of the synthetic data set for a word that
// every recommendation has, which took SQL about two seconds in four GROUP BY queries. They read
// instead a compact copy of the follow-ups' facts (Party, latest adopted status, submitted since
// that adoption), about 4 bytes each, kept while the data version is the same: any committed
// write of any process changes the version, and the next search reads the facts again. Overdue
// depends on today, so it is worked out at each search from the follow-up's deadline: its own
// (set by an adoption that left it open, kept apart since few have one), else the
// recommendation's.

// statusIndex numbers the count keys (followup.CountKeys) of the facts.
var statusIndex = func() map[string]uint8 {
	m := map[string]uint8{}
	for i, k := range followup.CountKeys {
		m[k] = uint8(i)
	}
	return m
}()

// fact is one active follow-up.
type fact struct {
	party     uint16 // index in followUpFacts.parties
	status    uint8  // index in followup.CountKeys (pending when none is adopted)
	submitted bool   // submitted since the latest adoption
	ownDue    bool   // it has a deadline of its own (followUpFacts.ownDue)
}

// factKey names a follow-up of the facts: its recommendation and Party.
type factKey struct {
	rec   int64
	party uint16
}

// followUpFacts are the active follow-ups by recommendation, at a data version.
type followUpFacts struct {
	version int64
	parties []string
	code    map[string]uint16
	byRec   map[int64][]fact
	ownDue  map[factKey]followup.Date // the follow-ups' own deadlines
}

// dueOf is the deadline of a follow-up of the recommendation rec due on due.
func (f *followUpFacts) dueOf(rec int64, x fact, due followup.Date) followup.Date {
	if x.ownDue {
		return f.ownDue[factKey{rec, x.party}]
	}
	return due
}

// factsCache holds the facts of the latest data version read.
type factsCache struct {
	mu    sync.Mutex
	facts *followUpFacts
}

// followUpFacts returns the facts of the current data version, reading them when it changed.
func (s *Store) followUpFacts(ctx context.Context) (*followUpFacts, error) {
	version, err := s.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	s.facts.mu.Lock()
	defer s.facts.mu.Unlock()
	if f := s.facts.facts; f != nil && f.version == version {
		return f, nil
	}
	f := &followUpFacts{version: version, code: map[string]uint16{}, byRec: map[int64][]fact{}, ownDue: map[factKey]followup.Date{}}
	rows, err := s.reader.QueryContext(ctx, `SELECT f.recommendation_id, f.party_code, f.status, f.submitted_since_adoption, f.due_on
		FROM followups f WHERE f.active = TRUE`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var rec, last int64 = 0, -1
	var party, status, ownDue sql.RawBytes
	var submitted bool
	var cur []fact
	flush := func() {
		if last >= 0 {
			f.byRec[last] = append(f.byRec[last], cur...)
		}
	}
	for rows.Next() {
		if err := rows.Scan(&rec, &party, &status, &submitted, &ownDue); err != nil {
			return nil, err
		}
		// The rows come in table order, where a recommendation's follow-ups were made together.
		if rec != last {
			flush()
			last, cur = rec, make([]fact, 0, 64)
		}
		p, ok := f.code[string(party)]
		if !ok {
			p = uint16(len(f.parties))
			f.parties = append(f.parties, string(party))
			f.code[string(party)] = p
		}
		st := statusIndex[followup.Pending]
		if status != nil {
			st = statusIndex[string(status)]
		}
		x := fact{party: p, status: st, submitted: submitted, ownDue: ownDue != nil}
		if x.ownDue {
			f.ownDue[factKey{rec, p}] = scanDate(sql.NullString{String: string(ownDue), Valid: true})
		}
		cur = append(cur, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	flush()
	s.facts.facts = f
	return f, nil
}

func (x fact) open() bool {
	k := followup.CountKeys[x.status]
	return k != string(followup.Implemented) && k != string(followup.NotApplicable)
}

// overdue is followup.IsOverdue for the fact of a recommendation due on due.
func (x fact) overdue(due, today followup.Date) bool {
	return followup.IsOverdue(x.open(), due, today, x.submitted)
}

// meetsQuery reports whether the fact meets the query's follow-up conditions but the one named
// by except ("party", "status", "open", "overdue").
func (f *followUpFacts) meetsQuery(x fact, q followup.RecommendationQuery, today, due followup.Date, except string) bool {
	if q.Party != "" && except != "party" && f.parties[x.party] != q.Party {
		return false
	}
	if q.Status != "" && except != "status" && followup.CountKeys[x.status] != q.Status {
		return false
	}
	if q.Open != nil && except != "open" && x.open() != *q.Open {
		return false
	}
	if q.Overdue != nil && except != "overdue" && x.overdue(due, today) != *q.Overdue {
		return false
	}
	return true
}

// meets reports whether one of the recommendation's active follow-ups meets the query's
// follow-up conditions (but except).
func (f *followUpFacts) meets(q followup.RecommendationQuery, today followup.Date, rec int64, due followup.Date, except string) bool {
	for _, x := range f.byRec[rec] {
		if f.meetsQuery(x, q, today, f.dueOf(rec, x, due), except) {
			return true
		}
	}
	return false
}

// facetTally counts the follow-up facets of a search by index, written into the facets' maps
// once at the end (a map increment per follow-up was most of a search's time).
type facetTally struct {
	party         []int
	status        [8]int
	open, overdue [2]int
}

func (f *followUpFacts) newTally() *facetTally {
	return &facetTally{party: make([]int, len(f.parties))}
}

// count adds a recommendation to the follow-up facets: once to each value that one of its
// follow-ups has while meeting the other follow-up conditions.
func (f *followUpFacts) count(q followup.RecommendationQuery, today followup.Date, rec int64, recDue followup.Date, t *facetTally) {
	var statuses, open, overdue uint8
	for _, x := range f.byRec[rec] {
		due := f.dueOf(rec, x, recDue)
		// A recommendation has one follow-up per Party, so each Party is counted once.
		if f.meetsQuery(x, q, today, due, "party") {
			t.party[x.party]++
		}
		if f.meetsQuery(x, q, today, due, "status") {
			statuses |= 1 << x.status
		}
		if f.meetsQuery(x, q, today, due, "open") {
			open |= bit(x.open())
		}
		if f.meetsQuery(x, q, today, due, "overdue") {
			overdue |= bit(x.overdue(due, today))
		}
	}
	for i := range followup.CountKeys {
		if statuses&(1<<i) != 0 {
			t.status[i]++
		}
	}
	for i := range 2 {
		if open&(1<<i) != 0 {
			t.open[i]++
		}
		if overdue&(1<<i) != 0 {
			t.overdue[i]++
		}
	}
}

// write puts the counts into the facets, leaving out the values that find nothing.
func (f *followUpFacts) write(t *facetTally, into followup.Facets) {
	for i, n := range t.party {
		if n > 0 {
			into.Party[f.parties[i]] = n
		}
	}
	for i, k := range followup.CountKeys {
		if t.status[i] > 0 {
			into.Status[k] = t.status[i]
		}
	}
	for i, k := range []string{"false", "true"} {
		if t.open[i] > 0 {
			into.Open[k] = t.open[i]
		}
		if t.overdue[i] > 0 {
			into.Overdue[k] = t.overdue[i]
		}
	}
}

// bit is 1 for false and 2 for true: the bits of the "false" and "true" values of a facet.
func bit(b bool) uint8 {
	if b {
		return 2
	}
	return 1
}
