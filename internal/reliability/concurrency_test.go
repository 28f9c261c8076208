package reliability

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConcurrentClients: 100 clients mixing reads and writes (a few seconds; 30 s with
// FOLLOWUP_LONG=1): no 5xx, no "database is locked", no transport error, every write kept.
func TestConcurrentClients(t *testing.T) {
	db := filepath.Join(t.TempDir(), "concurrent.db")
	p := start(t, db, "")
	l := &load{t: t, base: p.base, keys: followUpKeys(t, p.base), readFrac: 70}
	stop := make(chan struct{})
	wait := l.run(100, stop)
	time.Sleep(pick(3*time.Second, 30*time.Second))
	close(stop)
	wait()
	if err := p.stop(20 * time.Second); err != nil {
		t.Errorf("stop: %v", err)
	}
	acks := l.acked()
	t.Logf("%d responses, %d acknowledged writes", l.served.Load(), len(acks))
	l.check()
	if n := l.failures.Load(); n > 0 {
		t.Errorf("%d transport errors", n)
	}
	if strings.Contains(strings.ToLower(p.stderr.String()), "locked") {
		t.Errorf("the server logged a locked database:\n%s", p.stderr)
	}
	checkDatabase(t, db, acks)
}
