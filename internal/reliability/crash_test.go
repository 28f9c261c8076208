package reliability

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"
)

// TestCrashSafety kills the server with SIGKILL at random moments while writers submit and
// assess through the API, restarts it each time on the same database, and checks that every
// write it acknowledged with 201 is there, that nothing is half-written and that SQLite's
// integrity check passes.
func TestCrashSafety(t *testing.T) {
	db := filepath.Join(t.TempDir(), "crash.db")
	p := start(t, db, "")
	addr := p.base[len("http://"):]
	l := &load{t: t, base: p.base, keys: followUpKeys(t, p.base), readFrac: 10, adopt: true}
	stop := make(chan struct{})
	wait := l.run(8, stop)
	kills := pick(20, 60)
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	for range kills {
		time.Sleep(time.Duration(50+rng.IntN(pick(250, 600))) * time.Millisecond)
		p.kill()
		p = start(t, db, addr)
	}
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wait()
	if err := p.stop(20 * time.Second); err != nil {
		t.Errorf("final stop: %v", err)
	}
	acks := l.acked()
	t.Logf("%d kills, %d responses, %d acknowledged writes, %d requests lost to the kills", kills, l.served.Load(), len(acks), l.failures.Load())
	if len(acks) < kills {
		t.Fatalf("only %d acknowledged writes: the load did not run", len(acks))
	}
	l.check()
	checkDatabase(t, db, acks)
}
