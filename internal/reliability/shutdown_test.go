package reliability

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestGracefulShutdown sends SIGTERM while clients are busy and while some requests are in
// the middle of sending their body: those requests must be finished (201, kept), requests
// answered before the signal must all have been answered well, and the process must exit 0.
func TestGracefulShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shutdown.db")
	p := start(t, db, "")
	l := &load{t: t, base: p.base, keys: followUpKeys(t, p.base), readFrac: 60}
	stop := make(chan struct{})
	wait := l.run(20, stop)
	time.Sleep(pick(500*time.Millisecond, 3*time.Second))

	// Slow submissions: headers and half the body now, the rest after SIGTERM.
	const slow = 5
	type result struct {
		status int
		body   string
		err    error
	}
	results := make([]result, slow)
	writers := make([]*io.PipeWriter, slow)
	var wg sync.WaitGroup
	var started atomic.Int32
	for i := range slow {
		pr, pw := io.Pipe()
		writers[i] = pw
		req, _ := http.NewRequest(http.MethodPost, p.base+"/api/v1/followups/"+report+"/"+l.keys[i]+"/submissions", pr)
		req.Header.Set("Authorization", "Bearer "+tokenSecretariat)
		req.Header.Set("Content-Type", "application/json")
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := newClient().Do(req)
			if err != nil {
				results[i].err = err
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			results[i] = result{status: resp.StatusCode, body: string(b)}
		}()
		go func() {
			fmt.Fprintf(pw, `{"text": "in flight during shutdown %d`, i)
			started.Add(1)
		}()
	}
	for started.Load() < slow { // the server has read the first half of every body
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)

	failuresBefore := l.failures.Load()
	stopped := make(chan error, 1)
	go func() { stopped <- p.stop(25 * time.Second) }()
	time.Sleep(300 * time.Millisecond)
	for _, pw := range writers {
		io.WriteString(pw, `"}`)
		pw.Close()
	}
	wg.Wait()
	close(stop)
	wait()
	if err := <-stopped; err != nil {
		t.Errorf("exit after SIGTERM: %v (want status 0)\n%s", err, p.stderr)
	}
	for i, r := range results {
		if r.err != nil || r.status != http.StatusCreated {
			t.Errorf("in-flight request %d: %d %v %s", i, r.status, r.err, r.body)
		}
	}
	if failuresBefore > 0 {
		t.Errorf("%d requests failed before the signal", failuresBefore)
	}
	l.check()
	acks := l.acked()
	t.Logf("%d responses, %d acknowledged writes, %d requests refused once the server had stopped listening",
		l.served.Load(), len(acks), l.failures.Load()-failuresBefore)
	checkDatabase(t, db, acks)
	var n int
	if err := openDB(t, db).QueryRow(`SELECT count(*) FROM submissions WHERE text LIKE 'in flight during shutdown %'`).Scan(&n); err != nil || n != slow {
		t.Errorf("in-flight submissions kept: %d %v, want %d", n, err, slow)
	}
}
