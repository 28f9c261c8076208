package reliability

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"followup/internal/sqlite"
)

var longFlag = flag.Bool("long", false, "run the reliability tests at full length (also FOLLOWUP_LONG=1)")

// long reports whether the tests run at full length.
func long() bool { return *longFlag || os.Getenv("FOLLOWUP_LONG") == "1" }

// pick returns the short or the long value.
func pick[T any](short, full T) T {
	if long() {
		return full
	}
	return short
}

// The demo tokens (internal/seed): `serve --demo` loads them into an empty database.
const (
	tokenSecretariat = "demo-token-secretariat-0000000000"
	tokenRapporteur  = "demo-token-rapporteur-00000000000"
	tokenPartyFR     = "demo-token-party-fr-00000000000000"
	report           = "refugee-crisis-2017"
)

var binPath string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "followup-reliability-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "followup")
	// The real binary, without the race detector: the tests are about the process, its
	// database and its signals, and the race detector would only slow the server down.
	out, err := exec.Command("go", "build", "-tags", sqlite.BuildTags, "-o", binPath, "followup/cmd/followup").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is one run of `followup serve`.
type proc struct {
	t      testing.TB
	cmd    *exec.Cmd
	base   string
	stderr *lockedBuffer
	done   chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// cleanEnv is the environment without FOLLOWUP_* variables, which the program would refuse
// (FOLLOWUP_LONG is the tests').
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FOLLOWUP_") {
			env = append(env, kv)
		}
	}
	return append(env, "FOLLOWUP_LOG_LEVEL=warn")
}

// freeAddr returns a free loopback address.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start runs `followup serve --demo` on dbPath and addr (a free loopback port when "") and
// waits until it answers /healthz.
func start(t testing.TB, dbPath, addr string) *proc {
	t.Helper()
	return startServe(t, serveOptions{db: dbPath, addr: addr, demo: true, dir: filepath.Dir(dbPath)})
}

// serveOptions are how a test runs `followup serve`.
type serveOptions struct {
	db   string   // a file path or a postgres:// URL
	addr string   // a free loopback port when ""
	demo bool     // --demo
	dir  string   // the working folder
	env  []string // FOLLOWUP_* settings, added to cleanEnv
}

// startServe runs `followup serve` and waits until it answers /healthz.
func startServe(t testing.TB, o serveOptions) *proc {
	t.Helper()
	p := launch(t, o)
	p.waitHealthy()
	return p
}

// launch runs `followup serve` without waiting for it.
func launch(t testing.TB, o serveOptions) *proc {
	t.Helper()
	if o.addr == "" {
		o.addr = freeAddr(t)
	}
	p := &proc{t: t, base: "http://" + o.addr, stderr: &lockedBuffer{}, done: make(chan error, 1)}
	args := []string{"serve", "--db", o.db, "--listen", o.addr}
	if o.demo {
		args = append(args, "--demo")
	}
	p.cmd = exec.Command(binPath, args...)
	p.cmd.Dir = o.dir
	p.cmd.Env = append(cleanEnv(), o.env...)
	p.cmd.Stdout = io.Discard
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	return p
}

// waitHealthy waits until the process answers /healthz, and fails the test if it exits first
// or takes more than 30 s.
func (p *proc) waitHealthy() {
	t := p.t
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(p.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case err := <-p.done:
			p.done <- err // for kill and stop
			t.Fatalf("followup serve exited at start: %v\n%s", err, p.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	p.kill()
	t.Fatalf("followup serve did not answer within 30 s\n%s", p.stderr)
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *proc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop sends SIGTERM and returns the exit error (nil for status 0).
func (p *proc) stop(timeout time.Duration) error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		return err
	case <-time.After(timeout):
		p.kill()
		return fmt.Errorf("still running %s after SIGTERM", timeout)
	}
}

// client is an HTTP client for one load goroutine.
func newClient() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
}

// call sends a JSON request and returns the status and body; err is a transport error.
func call(c *http.Client, method, url, token string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// followUpKeys lists the follow-ups of the demo report as "label/party".
func followUpKeys(t testing.TB, base string) []string {
	t.Helper()
	status, body, err := call(http.DefaultClient, http.MethodGet, base+"/api/v1/followups?limit=1000&report="+report, tokenSecretariat, nil)
	if err != nil || status != http.StatusOK {
		t.Fatalf("list follow-ups: %d %v %s", status, err, body)
	}
	var page struct {
		Items []struct{ Label, Party string }
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, it := range page.Items {
		keys = append(keys, it.Label+"/"+it.Party)
	}
	if len(keys) < 100 {
		t.Fatalf("only %d follow-ups in %s", len(keys), report)
	}
	return keys
}

// ack is a write the server acknowledged with 201.
type ack struct {
	kind string // "submission" or "assessment"
	key  string // label/party
	id   int64
	text string // the submission's text or the assessment's comment
}

// openDB opens the database file directly, read-only.
func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_query_only=true&_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// checkDatabase checks a database after the server is gone: SQLite's integrity check, every
// acknowledged write present as acknowledged, nothing half-written (the derived followups
// columns agree with the rows they are derived from) and the audit log in step with the rows.
func checkDatabase(t testing.TB, path string, acks []ack) {
	t.Helper()
	db := openDB(t, path)
	var integrity string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check: %q %v", integrity, err)
	}
	missing := 0
	for _, a := range acks {
		var q string
		switch a.kind {
		case "submission":
			q = `SELECT count(*) FROM submissions s JOIN followups f ON f.id = s.followup_id JOIN recommendations c ON c.id = f.recommendation_id
				WHERE s.id = ? AND s.text = ? AND s.draft = 0 AND c.label || '/' || f.party_code = ?`
		case "assessment":
			q = `SELECT count(*) FROM assessments a JOIN followups f ON f.id = a.followup_id JOIN recommendations c ON c.id = f.recommendation_id
				WHERE a.id = ? AND a.comment = ? AND c.label || '/' || f.party_code = ?`
		}
		var n int
		if err := db.QueryRow(q, a.id, a.text, a.key).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			missing++
			if missing <= 5 {
				t.Errorf("acknowledged %s %d on %s (%q) is missing", a.kind, a.id, a.key, a.text)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged writes are missing", missing, len(acks))
	}
	checks := map[string]string{
		"has_submission is whether a submitted submission exists": `SELECT count(*) FROM followups f WHERE f.has_submission !=
			EXISTS (SELECT 1 FROM submissions s WHERE s.followup_id = f.id AND s.draft = 0)`,
		"last_submitted_at is set exactly when something was submitted": `SELECT count(*) FROM followups f
			WHERE (f.last_submitted_at IS NOT NULL) != f.has_submission`,
		"status is the latest adopted assessment's": `SELECT count(*) FROM followups f WHERE coalesce(f.status, '') != coalesce((
			SELECT a.status FROM assessments a WHERE a.followup_id = f.id AND a.adopted_on IS NOT NULL ORDER BY a.adopted_on DESC, a.id DESC LIMIT 1), '')`,
		"awaiting_submission: nothing submitted, nothing assessed": `SELECT count(*) FROM followups f WHERE f.state = 'awaiting_submission'
			AND (f.has_submission OR EXISTS (SELECT 1 FROM assessments a WHERE a.followup_id = f.id))`,
		"assessed: the latest assessment is not adopted": `SELECT count(*) FROM followups f WHERE f.state = 'assessed'
			AND coalesce((SELECT a.adopted_on IS NULL FROM assessments a WHERE a.followup_id = f.id ORDER BY a.id DESC LIMIT 1), 0) = 0`,
		"adopted: the latest assessment is adopted": `SELECT count(*) FROM followups f WHERE f.state = 'adopted'
			AND coalesce((SELECT a.adopted_on IS NOT NULL FROM assessments a WHERE a.followup_id = f.id ORDER BY a.id DESC LIMIT 1), 0) = 0`,
		"submitted: the latest submission is newer than the latest assessment": `SELECT count(*) FROM followups f WHERE f.state = 'submitted'
			AND f.has_submission = 0`,
		"every submission has its audit entry": `SELECT count(*) FROM submissions s WHERE NOT EXISTS (SELECT 1 FROM audit_log l
			WHERE l.entity = 'submission' AND l.followup_id = s.followup_id AND l.entity_key LIKE '%#' || s.id)`,
		"every assessment has its audit entry": `SELECT count(*) FROM assessments a WHERE NOT EXISTS (SELECT 1 FROM audit_log l
			WHERE l.action = 'assessment.create' AND l.followup_id = a.followup_id AND l.entity_key LIKE '%#' || a.id)`,
		"every adopted assessment has its adoption entry": `SELECT count(*) FROM assessments a WHERE a.adopted_on IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM audit_log l WHERE l.action = 'assessment.adopt' AND l.followup_id = a.followup_id AND l.entity_key LIKE '%#' || a.id)`,
		"no audit entry without its row": `SELECT count(*) FROM audit_log l WHERE
			(l.entity = 'submission' AND NOT EXISTS (SELECT 1 FROM submissions s WHERE l.entity_key LIKE '%#' || s.id AND s.followup_id = l.followup_id))
			OR (l.entity = 'assessment' AND NOT EXISTS (SELECT 1 FROM assessments a WHERE l.entity_key LIKE '%#' || a.id AND a.followup_id = l.followup_id))`,
	}
	for what, q := range checks {
		var bad int
		if err := db.QueryRow(q).Scan(&bad); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if bad != 0 {
			t.Errorf("%s: %d rows break it", what, bad)
		}
	}
}
