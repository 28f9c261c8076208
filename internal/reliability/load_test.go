package reliability

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// load drives the server with concurrent writers (and readers) and records what it
// acknowledged.
type load struct {
	t        testing.TB
	base     string
	bases    []string // when set, each request goes to one of them at random (replicas)
	keys     []string
	mu       sync.Mutex
	acks     []ack
	served   atomic.Int64 // responses received
	failures atomic.Int64 // transport errors (the server was down)
	bad      atomic.Int64 // 5xx or "database is locked"
	badMsgs  []string
	readFrac int // percentage of reads
	adopt    bool
}

var statuses = []string{"implemented", "partially_implemented", "not_implemented", "no_information", "not_applicable"}

func (l *load) noteBad(format string, args ...any) {
	l.bad.Add(1)
	l.mu.Lock()
	if len(l.badMsgs) < 10 {
		l.badMsgs = append(l.badMsgs, fmt.Sprintf(format, args...))
	}
	l.mu.Unlock()
}

// acked returns a copy of the acknowledged writes so far.
func (l *load) acked() []ack {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]ack(nil), l.acks...)
}

// one sends one request of the mix and records the outcome.
func (l *load) one(c *http.Client, rng *rand.Rand, worker, seq int) {
	key := l.keys[rng.IntN(len(l.keys))]
	base := l.base
	if len(l.bases) > 0 {
		base = l.bases[rng.IntN(len(l.bases))]
	}
	fu := base + "/api/v1/followups/" + report + "/" + key
	label, party, _ := strings.Cut(key, "/")
	var (
		method, url, token string
		body               any
		kind, text         string
	)
	switch x := rng.IntN(100); {
	case x < l.readFrac:
		method = http.MethodGet
		switch rng.IntN(5) {
		case 0:
			url = base + "/api/v1/followups?report=" + report + "&limit=50"
		case 1:
			url, token = fu, tokenSecretariat
		case 2:
			url = base + "/api/v1/reports/" + report + "/compliance"
		case 3:
			url, token = fu+"/history", tokenRapporteur
		default:
			url, token = base+"/api/v1/followups?party=FR", tokenPartyFR
		}
	case l.adopt && x < l.readFrac+3:
		method, url, token, body = http.MethodPost, base+"/api/v1/reports/"+report+"/adopt", tokenSecretariat, map[string]any{}
	case x < l.readFrac+(100-l.readFrac)*6/10:
		kind, text = "submission", fmt.Sprintf("w%d-%d: measures taken (%s)", worker, seq, label)
		method, url, body = http.MethodPost, fu+"/submissions", map[string]any{"text": text}
		token = tokenSecretariat
		if party == "FR" {
			token = tokenPartyFR
		}
	default:
		kind, text = "assessment", fmt.Sprintf("w%d-%d: assessed", worker, seq)
		method, url, token = http.MethodPost, fu+"/assessments", tokenRapporteur
		body = map[string]any{"status": statuses[rng.IntN(len(statuses))], "comment": text}
	}
	status, resp, err := call(c, method, url, token, body)
	if err != nil {
		l.failures.Add(1)
		return
	}
	l.served.Add(1)
	if status >= 500 || strings.Contains(string(resp), "locked") {
		l.noteBad("%s %s: %d %s", method, url, status, resp)
		return
	}
	if kind != "" && status == http.StatusCreated {
		var out struct{ ID int64 }
		if err := json.Unmarshal(resp, &out); err != nil || out.ID == 0 {
			l.noteBad("%s %s: 201 with %s", method, url, resp)
			return
		}
		l.mu.Lock()
		l.acks = append(l.acks, ack{kind: kind, key: key, id: out.ID, text: text})
		l.mu.Unlock()
	} else if kind != "" {
		l.noteBad("%s %s: %d %s", method, url, status, resp)
	}
}

// run starts n workers that send requests until stop is closed, and returns a function that
// waits for them.
func (l *load) run(n int, stop <-chan struct{}) (wait func()) {
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			for seq := 0; ; seq++ {
				select {
				case <-stop:
					return
				default:
				}
				before := l.failures.Load()
				l.one(c, rng, w, seq)
				if l.failures.Load() != before {
					time.Sleep(10 * time.Millisecond) // the server is down: do not spin
				}
			}
		}()
	}
	return wg.Wait
}

func (l *load) check() {
	l.t.Helper()
	if n := l.bad.Load(); n > 0 {
		l.t.Errorf("%d bad answers (5xx, database locked, refused writes), e.g.:\n%s", n, strings.Join(l.badMsgs, "\n"))
	}
}
