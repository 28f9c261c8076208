package sqlite

import (
	"context"
	"encoding/json"
	"sync"

	"followup/internal/followup"
)

// complianceCache keeps the compliance summaries computed since the last write. A summary of a
// report on a date is read far more often than anything is written (every page of the report,
// every export, every API client polling it), and computing one means visiting every follow-up
// of the report and its latest adopted assessment: thousands of random page reads.
//
// Validity: every write of the store appends to the audit log in its own transaction, so the
// highest audit id names the state of the data. It is read before the summary is computed, so a
// summary is never filed under a state older than the one it was computed from; and it is read
// from the database, not kept in memory, so that writes by another process (the command line,
// a second server) invalidate the cache too. The zero value is ready to use.
//
// Cached summaries are shared between callers, who must treat them as read-only.
type complianceCache struct {
	mu       sync.Mutex
	state    int64 // the audit id the entries were computed at
	entries  map[complianceKey]*complianceEntry
	inflight map[complianceKey]*complianceCall
}

// complianceEntry is a cached summary and, once asked for, its JSON encoding.
type complianceEntry struct {
	c       followup.Compliance
	encode  sync.Once
	encoded []byte
	err     error
}

// JSON returns the summary as encoding/json encodes it, encoding it once.
func (e *complianceEntry) JSON() ([]byte, error) {
	e.encode.Do(func() { e.encoded, e.err = json.Marshal(e.c) })
	return e.encoded, e.err
}

type complianceKey struct {
	slug  string
	asOf  string
	basis followup.Basis
}

// complianceCall is one computation that concurrent callers of the same key wait for, so that
// fifty clients arriving after a write compute the summary once, not fifty times.
type complianceCall struct {
	done  chan struct{}
	state int64
	e     *complianceEntry
	err   error
}

// maxCachedSummaries bounds the cache (a summary of a large report is a few MiB with its cells).
const maxCachedSummaries = 64

func (s *Store) dataState(ctx context.Context) (int64, error) {
	var id int64
	err := s.reader.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM audit_log`).Scan(&id)
	return id, err
}

// cachedCompliance returns the summary for key, computing it with compute when the data has
// changed since it was cached.
func (s *Store) cachedCompliance(ctx context.Context, key complianceKey, compute func() (followup.Compliance, error)) (*complianceEntry, error) {
	state, err := s.dataState(ctx)
	if err != nil {
		return nil, err
	}
	cc := &s.compliance
	cc.mu.Lock()
	if state != cc.state {
		if state < cc.state { // an older snapshot than the cache's: do not disturb it
			cc.mu.Unlock()
			return computeEntry(compute)
		}
		cc.state, cc.entries = state, nil
	}
	if e, ok := cc.entries[key]; ok {
		cc.mu.Unlock()
		return e, nil
	}
	if call, ok := cc.inflight[key]; ok && call.state == state {
		cc.mu.Unlock()
		select {
		case <-call.done:
			if call.err != nil { // the computing caller's error (its context, say) need not be ours
				return computeEntry(compute)
			}
			return call.e, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call := &complianceCall{done: make(chan struct{}), state: state}
	if cc.inflight == nil {
		cc.inflight = map[complianceKey]*complianceCall{}
	}
	cc.inflight[key] = call
	cc.mu.Unlock()

	call.e, call.err = computeEntry(compute)
	close(call.done)

	cc.mu.Lock()
	if cc.inflight[key] == call {
		delete(cc.inflight, key)
	}
	if call.err == nil && cc.state == state {
		if cc.entries == nil || len(cc.entries) >= maxCachedSummaries {
			cc.entries = map[complianceKey]*complianceEntry{}
		}
		cc.entries[key] = call.e
	}
	cc.mu.Unlock()
	return call.e, call.err
}

func computeEntry(compute func() (followup.Compliance, error)) (*complianceEntry, error) {
	c, err := compute()
	if err != nil {
		return nil, err
	}
	return &complianceEntry{c: c}, nil
}

// ReportComplianceJSON returns ReportCompliance's summary encoded as encoding/json encodes it
// (what the API sends), encoded once per state of the data and shared: callers must not
// modify the bytes. Encoding a large report's summary (hundreds of count maps) costs far more
// than finding it in the cache, so the API asks for this when the store offers it.
func (s *Store) ReportComplianceJSON(ctx context.Context, slug string, q followup.ComplianceQuery) ([]byte, error) {
	e, err := s.reportCompliance(ctx, slug, q)
	if err != nil {
		return nil, err
	}
	return e.JSON()
}

// UncachedCompliance computes a summary as ReportCompliance does, without the cache: for
// benchmarks that measure the computation itself, and for tests.
func (s *Store) UncachedCompliance(ctx context.Context, slug string, q followup.ComplianceQuery) (followup.Compliance, error) {
	if err := q.Validate(followup.ActorFrom(ctx), s.Today()); err != nil {
		return followup.Compliance{}, err
	}
	return s.computeCompliance(ctx, slug, q)
}
