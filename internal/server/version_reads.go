package server

import (
	"context"
	"sync"
	"time"

	"followup/internal/followup"
)

// sharedVersionReads lets concurrent readers of the data version share database reads, without
// ever answering a caller with a read that started before it asked. Every cached compliance
// request reads the version to validate the cache; on PostgreSQL that is a round trip to a
// server process, and fifty clients polling a report made fifty of them at once.
//
// At most one read runs at a time. A caller that arrives while one runs does not take its
// answer (it may predate a write acknowledged to that caller just before): it waits for the
// next read, which one of the waiters starts as soon as the running one ends and which answers
// all of them. So a write committed before a request is always seen by it, on any replica, as
// with one read per request, at a cost of at most two reads' latency.
type sharedVersionReads struct {
	next followup.DataVersioner

	mu      sync.Mutex
	running *versionRead // the read in flight, nil when none
	waiting *versionRead // the read that starts when the running one ends, nil when none
}

type versionRead struct {
	done    chan struct{}
	version int64
	err     error
}

// sharedReadTimeout bounds a read made on behalf of several callers, which none of their
// contexts alone may cancel.
const sharedReadTimeout = 10 * time.Second

func newSharedVersionReads(next followup.DataVersioner) *sharedVersionReads {
	return &sharedVersionReads{next: next}
}

// DataVersion returns the data version as of a read that started after the call.
func (r *sharedVersionReads) DataVersion(ctx context.Context) (int64, error) {
	r.mu.Lock()
	if r.running == nil {
		// Nothing in flight: read for ourselves (our context, our answer), and let whoever
		// queued meanwhile go next.
		own := &versionRead{done: make(chan struct{})}
		r.running = own
		r.mu.Unlock()
		v, err := r.next.DataVersion(ctx)
		r.end(own)
		return v, err
	}
	if round := r.waiting; round != nil {
		r.mu.Unlock()
		return round.wait(ctx)
	}
	// The first to queue behind the running read leads the next one, for everyone who queues.
	round := &versionRead{done: make(chan struct{})}
	r.waiting = round
	before := r.running
	r.mu.Unlock()
	go r.lead(ctx, before, round)
	return round.wait(ctx)
}

// lead waits for the read in flight to end, then makes round's read and answers its callers.
// It runs on its own so that the leader's context ending does not leave the others waiting.
func (r *sharedVersionReads) lead(ctx context.Context, before, round *versionRead) {
	<-before.done
	r.mu.Lock()
	r.waiting = nil
	r.running = round
	r.mu.Unlock()
	readCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedReadTimeout)
	round.version, round.err = r.next.DataVersion(readCtx)
	cancel()
	r.end(round)
}

// end marks read as finished; a queued round (whose leader waits for this) starts next.
func (r *sharedVersionReads) end(read *versionRead) {
	r.mu.Lock()
	if r.running == read {
		r.running = nil
	}
	r.mu.Unlock()
	close(read.done)
}

func (read *versionRead) wait(ctx context.Context) (int64, error) {
	select {
	case <-read.done:
		return read.version, read.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}
