package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/export"
	"followup/internal/followup"
	"followup/internal/importer"
	"followup/internal/notify"
	"followup/internal/scheduler"
	"followup/internal/server"
	"followup/internal/sniff"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
	"followup/web"
)

// replica is one process serving the database: its scheduler (started) and its server.
type replica struct {
	sched *scheduler.Scheduler
	srv   *server.Server
}

func newReplica(t *testing.T, store *sqlstore.Store, holder string) *replica {
	t.Helper()
	r, err := notify.NewRenderer(web.EmailFS, "templates/email", "http://tracker.test")
	if err != nil {
		t.Fatal(err)
	}
	clock := followup.FixedClock(today)
	sched, err := scheduler.New(scheduler.Options{Runs: store, Leases: store, Holder: holder, RenewEvery: 20 * time.Millisecond,
		Location: time.UTC, Clock: clock, Entries: []scheduler.Entry{
			{Job: scheduler.Reminders{Store: store, Renderer: r, Rules: followup.DefaultReminderRules(), Location: time.UTC}, Spec: "0 8 * * *", Enabled: true},
		}})
	if err != nil {
		t.Fatal(err)
	}
	svc := store.Services()
	svc.Jobs, svc.Exporter, svc.Parser, svc.Detector = sched, export.Encoder{}, importer.Parser{}, sniff.Detector{}
	return &replica{sched: sched, srv: newServer(t, server.Options{Services: svc, Clock: clock, Location: time.UTC, Engine: store.Engine()})}
}

func (r *replica) health(t *testing.T) string {
	t.Helper()
	w := httptest.NewRecorder()
	r.srv.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("/healthz: %d %s", w.Code, w.Body)
	}
	var v map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("/healthz: %v: %s", err, w.Body)
	}
	return w.Body.String()
}

// waitHealth waits until /healthz answers want.
func (r *replica) waitHealth(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	got := r.health(t)
	for got != want && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		got = r.health(t)
	}
	if got != want {
		t.Fatalf("/healthz = %s, want %s", got, want)
	}
}

// Two replicas on one database: /healthz names the engine and tells which one leads the
// scheduled jobs, under which term; when the leader stops, the other takes over under the
// next term. The answer costs no query: it stays the same once the database is gone.
func TestHealthTellsTheEngineAndTheSchedulerLeader(t *testing.T) {
	store := storetest.Open(t, sqlstore.Options{Clock: followup.FixedClock(today), Location: time.UTC, PasswordCost: bcrypt.MinCost})
	engine := store.Engine()
	first, second := newReplica(t, store, "replica-1"), newReplica(t, store, "replica-2")
	follower := `{"status":"ok","engine":"` + engine + `","scheduler":{"leader":false}}`
	if got := first.health(t); got != follower {
		t.Fatalf("/healthz before the scheduler starts = %s, want %s", got, follower)
	}
	first.sched.Start()
	first.waitHealth(t, `{"status":"ok","engine":"`+engine+`","scheduler":{"leader":true,"term":1}}`)
	second.sched.Start()
	defer second.sched.Stop(t.Context())
	time.Sleep(100 * time.Millisecond) // several of the second one's attempts
	if got := second.health(t); got != follower {
		t.Fatalf("/healthz of the second replica = %s, want %s", got, follower)
	}
	if err := first.sched.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := first.health(t); got != follower {
		t.Errorf("/healthz of the stopped replica = %s, want %s", got, follower)
	}
	leader := `{"status":"ok","engine":"` + engine + `","scheduler":{"leader":true,"term":2}}`
	second.waitHealth(t, leader)
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	if got := second.health(t); got != leader {
		t.Errorf("/healthz with the database closed = %s, want %s (no query)", got, leader)
	}
}
