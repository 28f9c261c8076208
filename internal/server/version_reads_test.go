package server

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// slowVersions stands for a database across a network: a read takes a while and answers the
// version as it was when the read started.
type slowVersions struct {
	version atomic.Int64
	reads   atomic.Int64
	delay   time.Duration
}

func (s *slowVersions) DataVersion(ctx context.Context) (int64, error) {
	s.reads.Add(1)
	v := s.version.Load()
	select {
	case <-time.After(s.delay):
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Concurrent callers share reads, and none is ever answered with a version older than a write
// that was acknowledged before it asked.
func TestSharedVersionReadsNeverAnswerFromBeforeTheCall(t *testing.T) {
	db := &slowVersions{delay: 2 * time.Millisecond}
	shared := newSharedVersionReads(db)
	const callers, calls = 40, 25
	var wg sync.WaitGroup
	var stale, total atomic.Int64
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < calls; j++ {
				written := db.version.Load()
				if (i+j)%3 == 0 { // a write, acknowledged before this caller reads
					written = db.version.Add(1)
				}
				got, err := shared.DataVersion(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				total.Add(1)
				if got < written {
					stale.Add(1)
				}
			}
		}(i)
	}
	wg.Wait()
	if n := stale.Load(); n != 0 {
		t.Errorf("%d of %d answers predate a write acknowledged before the call", n, total.Load())
	}
	if reads := db.reads.Load(); reads > total.Load()/4 {
		t.Errorf("%d database reads for %d calls: concurrent callers did not share them", reads, total.Load())
	}
}

// A caller whose context ends stops waiting; the others still get their answer.
func TestSharedVersionReadsCallerGivesUp(t *testing.T) {
	db := &slowVersions{delay: 50 * time.Millisecond}
	db.version.Store(7)
	shared := newSharedVersionReads(db)
	go shared.DataVersion(context.Background()) // the read in flight
	time.Sleep(5 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	var leaderErr error
	var otherVersion int64
	go func() { defer wg.Done(); _, leaderErr = shared.DataVersion(ctx) }() // leads the next read
	time.Sleep(5 * time.Millisecond)
	go func() { defer wg.Done(); otherVersion, _ = shared.DataVersion(context.Background()) }()
	time.Sleep(5 * time.Millisecond)
	cancel()
	wg.Wait()
	if leaderErr != context.Canceled {
		t.Errorf("the caller that gave up got %v, want context.Canceled", leaderErr)
	}
	if otherVersion != 7 {
		t.Errorf("the other caller got %d, want 7", otherVersion)
	}
}
