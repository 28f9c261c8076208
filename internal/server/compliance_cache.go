package server

import (
	"container/list"
	"context"
	"encoding/json"
	"sync"

	"followup/internal/followup"
)

// ComplianceCache keeps compliance summaries, and their JSON, until the data changes. A
// summary of a report on a date is read far more often than anything is written (every page of
// the report, every export, every API client polling it), and computing one means visiting every
// follow-up of the report and its latest adopted assessment: thousands of random page reads.
// Encoding a large report's summary with encoding/json costs more again, so the JSON the API
// sends is kept with it.
//
// Validity: the store's data version (followup.DataVersioner) goes up in every transaction that
// changes the data, whichever process or replica commits it, and is read before a summary is
// computed, so a summary is never filed under a version older than the data it was computed
// from. Entries are evicted least recently used first, so that many different dates asked for
// (a crawler walking as_of) push out the rarely read ones, not the whole cache.
//
// It implements followup.ComplianceService in front of another one, for any engine. Cached
// summaries are shared between callers, who must treat them as read-only.
type ComplianceCache struct {
	next     followup.ComplianceService
	versions followup.DataVersioner
	today    func() followup.Date
	capacity int

	mu       sync.Mutex
	version  int64 // the data version the entries were computed at
	entries  map[complianceKey]*list.Element
	lru      *list.List // of *complianceEntry, most recently used first
	inflight map[complianceKey]*complianceCall
}

// NewComplianceCache caches the summaries of next, at most capacity of them (64 when zero);
// today gives the day a query without a date is for.
func NewComplianceCache(next followup.ComplianceService, versions followup.DataVersioner, today func() followup.Date, capacity int) *ComplianceCache {
	if capacity <= 0 {
		capacity = 64
	}
	return &ComplianceCache{next: next, versions: versions, today: today, capacity: capacity,
		entries: map[complianceKey]*list.Element{}, lru: list.New(), inflight: map[complianceKey]*complianceCall{}}
}

// complianceEntry is a cached summary and, once asked for, its JSON encoding.
type complianceEntry struct {
	key     complianceKey
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
	done    chan struct{}
	version int64
	e       *complianceEntry
	err     error
}

// ReportCompliance returns the summary, computed by the service behind when the data changed
// since it was cached.
func (cc *ComplianceCache) ReportCompliance(ctx context.Context, slug string, q followup.ComplianceQuery) (followup.Compliance, error) {
	e, err := cc.entry(ctx, slug, q)
	if err != nil {
		return followup.Compliance{}, err
	}
	return e.c, nil
}

// ReportComplianceJSON returns ReportCompliance's summary encoded as encoding/json encodes it,
// encoded once per version of the data and shared: callers must not modify the bytes.
func (cc *ComplianceCache) ReportComplianceJSON(ctx context.Context, slug string, q followup.ComplianceQuery) ([]byte, error) {
	e, err := cc.entry(ctx, slug, q)
	if err != nil {
		return nil, err
	}
	return e.JSON()
}

// ComplianceSnapshots is the service's, uncached: the trend reads a few rows.
func (cc *ComplianceCache) ComplianceSnapshots(ctx context.Context, slug, party string) ([]followup.ComplianceSnapshot, error) {
	return cc.next.ComplianceSnapshots(ctx, slug, party)
}

// entry returns the cached or computed summary, to a reader who may see its report: a summary
// of a draft report computed for the committee is not found by anyone else.
func (cc *ComplianceCache) entry(ctx context.Context, slug string, q followup.ComplianceQuery) (*complianceEntry, error) {
	e, err := cc.lookup(ctx, slug, q)
	if err != nil {
		return nil, err
	}
	if !followup.ActorFrom(ctx).CanSeeReport(e.c.ReportPublished) {
		return nil, followup.Errorf(followup.ENotFound, "no report %q", slug)
	}
	return e, nil
}

func (cc *ComplianceCache) lookup(ctx context.Context, slug string, q followup.ComplianceQuery) (*complianceEntry, error) {
	// The access rules first, on every call: a cached draft summary is no reason to show it.
	if err := q.Validate(followup.ActorFrom(ctx), cc.today()); err != nil {
		return nil, err
	}
	key := complianceKey{slug: slug, asOf: q.AsOf.String(), basis: q.Basis}
	compute := func() (followup.Compliance, error) { return cc.next.ReportCompliance(ctx, slug, q) }
	version, err := cc.versions.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	cc.mu.Lock()
	if version != cc.version {
		if version < cc.version { // a reader behind the cache's version: do not disturb it
			cc.mu.Unlock()
			return computeEntry(key, compute)
		}
		cc.version = version
		cc.entries, cc.lru = map[complianceKey]*list.Element{}, list.New()
	}
	if el, ok := cc.entries[key]; ok {
		cc.lru.MoveToFront(el)
		cc.mu.Unlock()
		return el.Value.(*complianceEntry), nil
	}
	if call, ok := cc.inflight[key]; ok && call.version == version {
		cc.mu.Unlock()
		select {
		case <-call.done:
			if call.err != nil { // the computing caller's error (its context, say) need not be ours
				return computeEntry(key, compute)
			}
			return call.e, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call := &complianceCall{done: make(chan struct{}), version: version}
	cc.inflight[key] = call
	cc.mu.Unlock()

	call.e, call.err = computeEntry(key, compute)
	close(call.done)

	cc.mu.Lock()
	if cc.inflight[key] == call {
		delete(cc.inflight, key)
	}
	if call.err == nil && cc.version == version {
		if _, ok := cc.entries[key]; !ok {
			cc.entries[key] = cc.lru.PushFront(call.e)
			for cc.lru.Len() > cc.capacity {
				oldest := cc.lru.Back()
				cc.lru.Remove(oldest)
				delete(cc.entries, oldest.Value.(*complianceEntry).key)
			}
		}
	}
	cc.mu.Unlock()
	return call.e, call.err
}

// Len returns the number of cached summaries.
func (cc *ComplianceCache) Len() int {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.lru.Len()
}

func computeEntry(key complianceKey, compute func() (followup.Compliance, error)) (*complianceEntry, error) {
	c, err := compute()
	if err != nil {
		return nil, err
	}
	return &complianceEntry{key: key, c: c}, nil
}
