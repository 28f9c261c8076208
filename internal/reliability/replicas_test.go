package reliability

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// The replica tests run several `followup serve` processes on one PostgreSQL database. They need
// a PostgreSQL server on which they may create databases, named by FOLLOWUP_TEST_POSTGRES (see
// .ci/postgres), and are skipped without one.

const postgresVar = "FOLLOWUP_TEST_POSTGRES"

// newPostgresDatabase creates an empty database for the test, dropped when it ends, and returns
// its URL.
func newPostgresDatabase(t *testing.T) string {
	t.Helper()
	admin := os.Getenv(postgresVar)
	if admin == "" {
		t.Skipf("several replicas need one PostgreSQL database: set %s to the URL of a PostgreSQL server the tests may create databases on, e.g. %s=postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable (eval \"$(bash .ci/postgres start)\")", postgresVar, postgresVar)
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "followup_replicas_" + hex.EncodeToString(b)
	if _, err := db.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create a database on %s: %v", postgresVar, err)
	}
	t.Cleanup(func() {
		d, err := sql.Open("pgx", admin)
		if err == nil {
			_, _ = d.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			d.Close()
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func openPostgres(t *testing.T, database string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", database)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// health is what /healthz answers.
type health struct {
	Status    string `json:"status"`
	Engine    string `json:"engine"`
	Scheduler struct {
		Leader bool  `json:"leader"`
		Term   int64 `json:"term"`
	} `json:"scheduler"`
}

func (p *proc) health() (health, error) {
	var h health
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(p.base + "/healthz")
	if err != nil {
		return h, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&h)
	return h, err
}

// sink is an SMTP server that records every message it receives by Message-ID, with the
// replica slot whose port it came in on and when.
type sink struct {
	mu       sync.Mutex
	received map[string][]delivery
}

type delivery struct {
	slot int
	at   time.Time
}

type sinkBackend struct {
	s    *sink
	slot int
}

func (b sinkBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{b}, nil }

type sinkSession struct{ b sinkBackend }

func (s *sinkSession) Reset()                               {}
func (s *sinkSession) Logout() error                        { return nil }
func (s *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }

func (s *sinkSession) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, m.Body)
	box := s.b.s
	box.mu.Lock()
	defer box.mu.Unlock()
	id := m.Header.Get("Message-Id")
	box.received[id] = append(box.received[id], delivery{s.b.slot, time.Now()})
	return nil
}

// listen serves the sink on a free port for a replica slot and returns the port.
func (s *sink) listen(t *testing.T, slot int) int {
	t.Helper()
	srv := smtp.NewServer(sinkBackend{s, slot})
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

// cluster is three `followup serve` replicas on one PostgreSQL database, each on its own port
// (slot), each sending its e-mail to the sink on a port of its own.
type cluster struct {
	t     *testing.T
	db    string
	dir   string
	env   []string
	addrs []string
	smtp  []int
	procs []*proc
	mu    sync.Mutex
	kills []kill // the SIGKILLs so far
}

type kill struct {
	slot int
	at   time.Time
}

func (c *cluster) options(slot int, demo bool) serveOptions {
	return serveOptions{db: c.db, addr: c.addrs[slot], demo: demo, dir: c.dir,
		env: append([]string{"FOLLOWUP_SMTP_PORT=" + strconv.Itoa(c.smtp[slot])}, c.env...)}
}

// leader waits until exactly one replica says it leads, under a term above after, and
// returns its slot and term.
func (c *cluster) leader(after int64, within time.Duration) (int, int64) {
	c.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		slot, term, leaders := -1, int64(0), 0
		for i, p := range c.procs {
			if p == nil {
				continue
			}
			if h, err := p.health(); err == nil && h.Scheduler.Leader {
				slot, term = i, h.Scheduler.Term
				leaders++
			}
		}
		if leaders > 1 {
			c.t.Fatalf("%d replicas say they lead at once", leaders)
		}
		if leaders == 1 && term > after {
			return slot, term
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatalf("no replica took the scheduler lease over (term > %d) within %s", after, within)
	return -1, 0
}

// TestReplicasOnPostgres runs three `followup serve` replicas on one PostgreSQL database, each on
// its own port, and drives clients writing submissions and assessments through all three while
// the secretariat keeps adding overdue recommendations (so that the reminders job, run every
// second, keeps writing messages) and the leader of the scheduled jobs is SIGKILLed twice and
// restarted each time. Then: no acknowledged write is lost; no reminder point is in two
// messages, and the mail server receives no message twice; one leader at a time, by the job
// runs' terms and times; a new leader within 60 s of each kill. The load lasts 6 s (20 s with
// -long) and, beyond that, until both takeovers have happened and the restarted replicas serve.
func TestReplicasOnPostgres(t *testing.T) {
	database := newPostgresDatabase(t)
	duration, clients := pick(6*time.Second, 20*time.Second), pick(20, 50)
	// Short: a lease of 3 s renewed every second, so that a takeover takes seconds; long: the
	// defaults (30 s, renewed every 10 s), whose takeover must come within 60 s.
	ttl, renew := pick("3s", "30s"), pick("1s", "10s")
	box := &sink{received: map[string][]delivery{}}
	c := &cluster{t: t, db: database, dir: t.TempDir(), addrs: make([]string, 3), smtp: make([]int, 3), procs: make([]*proc, 3)}
	c.env = []string{"FOLLOWUP_SCHEDULER_LEASE_TTL=" + ttl, "FOLLOWUP_SCHEDULER_LEASE_RENEW=" + renew,
		"FOLLOWUP_JOBS_REMINDERS_SCHEDULE=@every 1s", "FOLLOWUP_JOBS_MAINTENANCE_ENABLED=false",
		"FOLLOWUP_SMTP_HOST=127.0.0.1", "FOLLOWUP_SMTP_TLS=none", "FOLLOWUP_BACKUP_DIR=" + c.dir}
	for i := range 3 {
		c.addrs[i] = freeAddr(t)
		c.smtp[i] = box.listen(t, i)
	}
	// The first replica loads the demo data into the empty database; the others join it.
	c.procs[0] = startServe(t, c.options(0, true))
	for i := 1; i < 3; i++ {
		c.procs[i] = startServe(t, c.options(i, false))
	}
	defer func() {
		for _, p := range c.procs {
			if p != nil {
				p.kill()
			}
		}
	}()
	if h, err := c.procs[1].health(); err != nil || h.Engine != "postgres" || h.Status != "ok" {
		t.Fatalf("/healthz = %+v, %v", h, err)
	}
	leaderSlot, term := c.leader(0, 60*time.Second)

	checkSessionsAcrossReplicas(t, c)

	bases := make([]string, 3)
	for i, a := range c.addrs {
		bases[i] = "http://" + a
	}
	l := &load{t: t, bases: bases, keys: followUpKeys(t, bases[0]), readFrac: 20}
	stop := make(chan struct{})
	wait := l.run(clients, stop)
	var recs atomic.Int64
	recsDone := addRecommendations(t, bases, stop, &recs)
	began := time.Now()

	var takeovers []time.Duration
	for k := range 2 {
		time.Sleep(time.Until(began.Add(duration * time.Duration(k+1) / 3)))
		killed := leaderSlot
		c.mu.Lock()
		c.kills = append(c.kills, kill{killed, time.Now()})
		c.mu.Unlock()
		at := time.Now()
		c.procs[killed].kill()
		c.procs[killed] = nil
		leaderSlot, term = c.leader(term, 90*time.Second)
		took := time.Since(at)
		takeovers = append(takeovers, took)
		t.Logf("kill %d: replica %d SIGKILLed; replica %d took the lease over under term %d after %s", k+1, killed, leaderSlot, term, took.Round(10*time.Millisecond))
		if took > 60*time.Second {
			t.Errorf("the takeover took %s, want within 60 s", took)
		}
		c.procs[killed] = startServe(t, c.options(killed, false))
	}
	// The load goes on for the rest of the duration, and for two reminders runs at least after
	// the last takeover.
	time.Sleep(max(time.Until(began.Add(duration)), 2500*time.Millisecond))
	close(stop)
	wait()
	<-recsDone
	time.Sleep(2 * time.Second) // a last reminders run and its delivery
	for i, p := range c.procs {
		if err := p.stop(30 * time.Second); err != nil {
			t.Errorf("replica %d stop: %v\n%s", i, err, p.stderr)
		}
		c.procs[i] = nil
	}
	acks := l.acked()
	t.Logf("%d clients for %s: %d responses, %d acknowledged writes, %d requests lost to the kills; %d recommendations added",
		clients, time.Since(began).Round(time.Second), l.served.Load(), len(acks), l.failures.Load(), recs.Load())
	l.check()
	db := openPostgres(t, database)
	checkAcknowledgedPostgres(t, db, acks)
	checkOneLeaderAtATime(t, db, term)
	checkRemindersOnce(t, db, box, c.kills)
	t.Logf("takeovers after the kills: %v (lease %s, renewed every %s)", takeovers, ttl, renew)
}

// addRecommendations adds, as the Secretariat, a recommendation due 40 days ago to the demo
// report every 250 ms, through the replicas in turn, until stop: each one makes the next
// reminders run remind the Parties' users and tell the Secretariat (escalation after 30 days).
func addRecommendations(t *testing.T, bases []string, stop <-chan struct{}, n *atomic.Int64) <-chan struct{} {
	done := make(chan struct{})
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Now().In(paris).AddDate(0, 0, -40).Format("2006-01-02")
	go func() {
		defer close(done)
		c := newClient()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(250 * time.Millisecond):
			}
			body := map[string]any{"label": fmt.Sprintf("X%d", i), "category": "consider", "text": "Summary: an invented recommendation of the replica test.", "due_on": due}
			status, resp, err := call(c, http.MethodPost, bases[i%len(bases)]+"/api/v1/reports/"+report+"/recommendations", tokenSecretariat, body)
			if err == nil && status == http.StatusCreated {
				n.Add(1)
			} else if err == nil && status >= 500 {
				t.Errorf("add a recommendation: %d %s", status, resp)
			}
		}
	}()
	return done
}

// checkSessionsAcrossReplicas signs in on one replica: the session is valid on the other two;
// signing out on a third ends it on all of them.
func checkSessionsAcrossReplicas(t *testing.T, c *cluster) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: noRedirect}
	base := func(i int) string { return "http://" + c.addrs[i] }
	resp, err := browser.PostForm(base(0)+"/login", url.Values{"email": {"party-fr@example.org"}, "password": {"demo-party-fr-pass"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		t.Fatalf("sign-in on replica 0: %d", resp.StatusCode)
	}
	u, _ := url.Parse(base(0))
	signedIn := jar.Cookies(u) // cookies are per host, not per port: the same for every replica
	desk := func(i int, cookies []*http.Cookie) int {
		req, _ := http.NewRequest(http.MethodGet, base(i)+"/desk", nil)
		for _, ck := range cookies {
			req.AddCookie(ck)
		}
		resp, err := (&http.Client{Timeout: 10 * time.Second, CheckRedirect: noRedirect}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && !strings.Contains(string(body), "France") {
			t.Errorf("the desk on replica %d does not show France's", i)
		}
		return resp.StatusCode
	}
	for i := range 3 {
		if code := desk(i, signedIn); code != http.StatusOK {
			t.Fatalf("the session made on replica 0, on replica %d: %d, want 200", i, code)
		}
	}
	resp, err = browser.PostForm(base(2)+"/logout", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for i := range 3 {
		if code := desk(i, signedIn); code == http.StatusOK {
			t.Errorf("the session signed out on replica 2 still opens the desk on replica %d", i)
		}
	}
}

// checkAcknowledgedPostgres checks that every write acknowledged with 201, through whichever
// replica, is in the database as acknowledged, with its audit entry.
func checkAcknowledgedPostgres(t *testing.T, db *sql.DB, acks []ack) {
	t.Helper()
	if len(acks) == 0 {
		t.Fatal("no acknowledged writes: the load did not run")
	}
	missing := 0
	for _, a := range acks {
		var q string
		switch a.kind {
		case "submission":
			q = `SELECT count(*) FROM submissions s JOIN followups f ON f.id = s.followup_id JOIN recommendations c ON c.id = f.recommendation_id
				WHERE s.id = $1 AND s.text = $2 AND s.draft = FALSE AND c.label || '/' || f.party_code = $3
				AND EXISTS (SELECT 1 FROM audit_log l WHERE l.entity = 'submission' AND l.followup_id = s.followup_id AND l.entity_key LIKE '%#' || s.id)`
		case "assessment":
			q = `SELECT count(*) FROM assessments a JOIN followups f ON f.id = a.followup_id JOIN recommendations c ON c.id = f.recommendation_id
				WHERE a.id = $1 AND a.comment = $2 AND c.label || '/' || f.party_code = $3
				AND EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'assessment.create' AND l.followup_id = a.followup_id AND l.entity_key LIKE '%#' || a.id)`
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
}

// checkOneLeaderAtATime reads the scheduled runs (term > 0): each term has one holder, terms
// grow with the start times, and a run of a term finished before any run of a later term
// began. lastTerm is the term of the last leader seen.
func checkOneLeaderAtATime(t *testing.T, db *sql.DB, lastTerm int64) {
	t.Helper()
	rows, err := db.Query(`SELECT id, job, holder, term, started_at, coalesce(finished_at, ''), error, counts FROM job_runs WHERE term > 0 ORDER BY started_at, id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type run struct {
		id                int64
		job, holder       string
		term              int64
		started, finished string
		err, counts       string
	}
	var runs []run
	for rows.Next() {
		var r run
		if err := rows.Scan(&r.id, &r.job, &r.holder, &r.term, &r.started, &r.finished, &r.err, &r.counts); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	holders := map[int64]string{}
	messages := map[int64]int{}
	var prev run
	unfinished := 0
	for i, r := range runs {
		if h, ok := holders[r.term]; ok && h != r.holder {
			t.Errorf("term %d has two holders: %s and %s", r.term, h, r.holder)
		}
		holders[r.term] = r.holder
		if i > 0 && r.term < prev.term {
			t.Errorf("run %d (term %d) started at %s, after run %d of the later term %d", r.id, r.term, r.started, prev.id, prev.term)
		}
		if r.err != "" {
			t.Errorf("run %d of %s under term %d failed: %s", r.id, r.job, r.term, r.err)
		}
		if r.finished == "" {
			unfinished++
		}
		var counts map[string]int
		_ = json.Unmarshal([]byte(r.counts), &counts)
		messages[r.term] += counts["messages"]
		prev = r
	}
	for _, a := range runs {
		for _, b := range runs {
			if a.term < b.term && a.finished != "" && a.finished > b.started {
				t.Errorf("run %d (term %d, %s) ended at %s, after run %d of term %d began at %s: two leaders at once",
					a.id, a.term, a.holder, a.finished, b.id, b.term, b.started)
			}
		}
	}
	if len(holders) < 3 || holders[lastTerm] == "" {
		t.Errorf("runs under the terms %v, want at least 3 (two takeovers) up to term %d", holders, lastTerm)
	}
	if messages[lastTerm] == 0 {
		t.Errorf("the reminders wrote no message under the last term %d (messages by term: %v)", lastTerm, messages)
	}
	t.Logf("%d scheduled runs under %d terms (%d left unfinished by the kills); messages written by term: %v", len(runs), len(holders), unfinished, messages)
}

// checkRemindersOnce checks that no reminder point went to anyone twice (in two messages of the
// outbox) and that the mail server received no message twice. A replica SIGKILLed after the
// mail server accepted a message and before it marked it sent leaves the message pending under
// its claim, which outlasts the test (the deliverers hold a claim for 5 minutes): such a
// message must have come from a killed replica before its kill, and is counted, not resent.
func checkRemindersOnce(t *testing.T, db *sql.DB, box *sink, kills []kill) {
	t.Helper()
	rows, err := db.Query(`SELECT id, kind, recipient, items, status, coalesce(claimed_until, '') FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type message struct {
		status       string
		claimedUntil string
	}
	outbox := map[int64]message{}
	seen := map[string]int64{}
	sent, twice := 0, 0
	for rows.Next() {
		var id int64
		var kind, recipient, items string
		var m message
		if err := rows.Scan(&id, &kind, &recipient, &items, &m.status, &m.claimedUntil); err != nil {
			t.Fatal(err)
		}
		outbox[id] = m
		if m.status == "sent" {
			sent++
		}
		var list []struct {
			Report, Label, Party, Point string
			DueOn                       string `json:"due_on"`
		}
		_ = json.Unmarshal([]byte(items), &list)
		if kind == "rapporteur_digest" {
			continue // keyed by day: lists what awaits assessment, again each day
		}
		for _, it := range list {
			k := kind + " " + recipient + " " + it.Report + "/" + it.Label + "/" + it.Party + "@" + it.DueOn + "#" + it.Point
			if first, dup := seen[k]; dup {
				twice++
				if twice <= 5 {
					t.Errorf("%s is in messages %d and %d", k, first, id)
				}
			}
			seen[k] = id
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if twice > 0 {
		t.Errorf("%d reminder points are in two messages", twice)
	}
	box.mu.Lock()
	defer box.mu.Unlock()
	received := map[int64]delivery{}
	for messageID, ds := range box.received {
		id := outboxID(messageID)
		if id == 0 {
			t.Errorf("the mail server received a message with the Message-ID %q, which names no outbox message", messageID)
			continue
		}
		if len(ds) > 1 {
			var from []string
			for _, d := range ds {
				from = append(from, fmt.Sprintf("replica %d at %s", d.slot, d.at.Format("15:04:05.000")))
			}
			t.Errorf("outbox message %d was received %d times: %s", id, len(ds), strings.Join(from, ", "))
		}
		received[id] = ds[0]
	}
	unmarked := 0
	for id, m := range outbox {
		d, got := received[id]
		switch {
		case m.status == "sent" && !got:
			t.Errorf("outbox message %d is marked sent but the mail server never received it", id)
		case m.status != "sent" && got:
			// Accepted, never marked: its sender must have been killed after sending it.
			explained := false
			for _, k := range kills {
				if d.slot == k.slot && d.at.Before(k.at) {
					explained = true
				}
			}
			if !explained || m.status != "pending" || m.claimedUntil == "" {
				t.Errorf("outbox message %d (%s, claimed until %q) was received from replica %d at %s but not marked sent, and no kill of that replica explains it (kills: %+v)",
					id, m.status, m.claimedUntil, d.slot, d.at.Format(time.RFC3339Nano), kills)
			}
			unmarked++
		}
	}
	t.Logf("outbox: %d messages (%d marked sent, %d pending at the end; %d reminder points); the mail server received %d distinct messages; %d of them were sent by a replica killed before it could mark them, and stay under its claim",
		len(outbox), sent, len(outbox)-sent, len(seen), len(received), unmarked)
	if sent == 0 || len(received) == 0 {
		t.Errorf("no message sent (%d) or received (%d): the reminders or the delivery did not run", sent, len(received))
	}
}

// outboxID reads the outbox id from a Message-ID of notify.SMTPMailer, <outbox-ID.HASH@followup>;
// 0 when it is not one.
func outboxID(messageID string) int64 {
	rest, ok := strings.CutPrefix(strings.Trim(messageID, "<>"), "outbox-")
	if !ok {
		return 0
	}
	num, _, ok := strings.Cut(rest, ".")
	if !ok {
		return 0
	}
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// Three replicas started at once on an empty database migrate it without error, five times.
func TestReplicasMigrateAnEmptyDatabaseAtOnce(t *testing.T) {
	for round := range 5 {
		database := newPostgresDatabase(t)
		dir := t.TempDir()
		var procs []*proc
		for range 3 {
			procs = append(procs, launch(t, serveOptions{db: database, dir: dir, env: []string{"FOLLOWUP_BACKUP_DIR=" + dir}}))
		}
		for _, p := range procs {
			p.waitHealthy()
		}
		for i, p := range procs {
			if err := p.stop(20 * time.Second); err != nil {
				t.Errorf("round %d, replica %d: %v\n%s", round, i, err, p.stderr)
			}
			if strings.Contains(strings.ToLower(p.stderr.String()), "error") {
				t.Errorf("round %d, replica %d logged an error:\n%s", round, i, p.stderr)
			}
		}
		db := openPostgres(t, database)
		var n, distinct int
		if err := db.QueryRowContext(context.Background(), `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&n, &distinct); err != nil {
			t.Fatal(err)
		}
		if n != distinct || n < 7 {
			t.Errorf("round %d: schema_migrations holds %d rows for %d versions, want each of the 7 or more once", round, n, distinct)
		}
		db.Close()
	}
}
