package scheduler

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/storetest"
)

// funcJob is a job made of a function.
type funcJob struct {
	name string
	fn   func(ctx context.Context, now time.Time) (followup.JobCounts, error)
}

func (j funcJob) Name() string { return j.name }
func (j funcJob) Run(ctx context.Context, now time.Time) (followup.JobCounts, error) {
	return j.fn(ctx, now)
}

// newScheduler builds a scheduler on the world's store that holds the scheduler's lease, as
// the one process of the test (the schedulers of one test are that process restarted). It
// takes the lease without the catch-up that the lease loop starts on a new term: the tests
// call CatchUp themselves.
func newScheduler(t *testing.T, w *world, entries ...Entry) *Scheduler {
	t.Helper()
	s, err := New(Options{Entries: entries, Runs: w.store, Leases: w.store, Holder: "test-process", Location: paris, Clock: w.clock})
	if err != nil {
		t.Fatal(err)
	}
	s.campaign(context.Background())
	if !s.Leadership().Leader {
		t.Fatalf("the test's scheduler does not hold the lease: %+v", s.Leadership())
	}
	return s
}

func TestPanicIsRecoveredAndRecorded(t *testing.T) {
	w := newWorld(t)
	s := newScheduler(t, w, Entry{Job: funcJob{"boom", func(context.Context, time.Time) (followup.JobCounts, error) {
		panic("the job broke")
	}}, Spec: "0 8 * * *", Enabled: true})
	// What cron runs: the job wrapped by Recover and SkipIfStillRunning. Without Recover the
	// panic would end the test binary.
	s.cron.Entry(s.entry("boom").id).WrappedJob.Run()
	run, ok, err := w.store.LastJobRun(context.Background(), "boom")
	if err != nil || !ok {
		t.Fatalf("no run recorded: %v", err)
	}
	if !strings.Contains(run.Error, "panic: the job broke") || run.FinishedAt.IsZero() {
		t.Errorf("recorded run %+v, want the panic as its error and a finish time", run)
	}
	// The scheduler still works after the panic.
	s.cron.Entry(s.entry("boom").id).WrappedJob.Run()
	runs, _ := w.store.ListJobRuns(context.Background(), "boom", 10)
	if len(runs) != 2 {
		t.Errorf("%d runs recorded, want 2", len(runs))
	}
}

func TestLongJobIsNotStartedTwice(t *testing.T) {
	w := newWorld(t)
	var started atomic.Int32
	release := make(chan struct{})
	s := newScheduler(t, w, Entry{Job: funcJob{"slow", func(context.Context, time.Time) (followup.JobCounts, error) {
		started.Add(1)
		<-release
		return followup.JobCounts{"done": 1}, nil
	}}, Spec: "* * * * *", Enabled: true})
	wrapped := s.cron.Entry(s.entry("slow").id).WrappedJob
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); wrapped.Run() }()
	for started.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	wrapped.Run() // skipped at once: the first run goes on
	wrapped.Run()
	close(release)
	wg.Wait()
	if n := started.Load(); n != 1 {
		t.Errorf("started %d times, want 1", n)
	}
	runs, _ := w.store.ListJobRuns(context.Background(), "slow", 10)
	if len(runs) != 1 || runs[0].Counts["done"] != 1 {
		t.Errorf("runs %+v, want one with done=1", runs)
	}
}

func TestCatchUpAfterDowntimeOnce(t *testing.T) {
	w := newWorld(t)
	var nows []time.Time
	job := funcJob{"daily", func(_ context.Context, now time.Time) (followup.JobCounts, error) {
		nows = append(nows, now)
		return nil, nil
	}}
	entries := []Entry{{Job: job, Spec: "0 8 * * *", Enabled: true}}
	s := newScheduler(t, w, entries...)
	// A first start has no history: nothing to catch up.
	w.clock.Set(at("2025-03-01").Add(2 * time.Hour))
	if ran, err := s.CatchUp(context.Background(), w.clock.Now()); err != nil || len(ran) != 0 {
		t.Fatalf("first start: ran %v, %v", ran, err)
	}
	if _, err := s.RunNow(context.Background(), "daily", at("2025-03-01")); err != nil {
		t.Fatal(err)
	}
	// The server is down from 1 March 10:00 to 5 March 12:00: four activations missed.
	restart := at("2025-03-05").Add(4 * time.Hour)
	w.clock.Set(restart)
	s2 := newScheduler(t, w, entries...)
	missed, ok, err := s2.Missed(context.Background(), "daily", restart)
	if err != nil || !ok || !missed.Equal(at("2025-03-05")) {
		t.Fatalf("Missed = %v %v %v, want 5 March 08:00", missed, ok, err)
	}
	ran, err := s2.CatchUp(context.Background(), restart)
	if err != nil || len(ran) != 1 {
		t.Fatalf("catch-up ran %v, %v; want the daily job once", ran, err)
	}
	if len(nows) != 2 || !nows[1].Equal(restart) {
		t.Errorf("job ran as of %v, want the restart time last", nows)
	}
	last, _, _ := w.store.LastJobRun(context.Background(), "daily")
	if !last.ScheduledFor.Equal(at("2025-03-05")) {
		t.Errorf("catch-up recorded for %v, want the missed activation", last.ScheduledFor)
	}
	// A second restart the same day catches nothing up.
	s3 := newScheduler(t, w, entries...)
	if ran, err := s3.CatchUp(context.Background(), restart.Add(time.Hour)); err != nil || len(ran) != 0 {
		t.Errorf("second restart ran %v, %v; want nothing", ran, err)
	}
	// Disabled jobs are not caught up.
	s4 := newScheduler(t, w, Entry{Job: job, Spec: "0 8 * * *", Enabled: false})
	if ran, _ := s4.CatchUp(context.Background(), at("2025-03-09")); len(ran) != 0 {
		t.Errorf("disabled job caught up: %v", ran)
	}
}

func TestCatchUpRemindersSendsOnlyTheLatestPoint(t *testing.T) {
	w := newWorld(t)
	s := newScheduler(t, w, Entry{Job: remindersJob(t, w), Spec: "0 8 * * *", Enabled: true})
	w.clock.Set(at("2025-06-20"))
	if _, err := s.RunNow(context.Background(), JobReminders, at("2025-06-20")); err != nil {
		t.Fatal(err)
	}
	before := len(outbox(t, w.store)) // due-30 for France and Germany
	// Down from 21 June to 1 July 09:00: due-7 and due-0 were missed; the catch-up sends due-0.
	w.clock.Set(at("2025-07-01").Add(time.Hour))
	s2 := newScheduler(t, w, Entry{Job: remindersJob(t, w), Spec: "0 8 * * *", Enabled: true})
	s2.Start()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		if last, _, _ := w.store.LastJobRun(ctx, JobReminders); last.ScheduledFor.Equal(at("2025-07-01")) && !last.FinishedAt.IsZero() {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the catch-up did not run")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := s2.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	ms := outbox(t, w.store)[before:]
	if len(ms) != 2 {
		t.Fatalf("%d messages after the catch-up, want 2", len(ms))
	}
	for _, m := range ms {
		if len(m.Items) != 1 || m.Items[0].Point != "due-0" {
			t.Errorf("%s", summary(m))
		}
	}
}

func TestMaintenanceBackupOpensAndKeepsN(t *testing.T) {
	w := newWorld(t)
	dir := filepath.Join(t.TempDir(), "backups")
	// A database file on SQLite, a pg_dump archive on PostgreSQL.
	suffix := map[string]string{"sqlite": ".db", "postgres": ".dump"}[w.store.Engine()]
	job := Maintenance{Store: w.store, Dir: dir, Keep: 2, Location: paris, Suffix: suffix}
	for i, day := range []string{"2025-03-01", "2025-03-02", "2025-03-03"} {
		c, err := job.Run(context.Background(), at(day))
		if err != nil {
			t.Fatal(err)
		}
		if c["backups"] != 1 || c["removed"] != max(0, i-1) {
			t.Errorf("%s: counts %v", day, c)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 || entries[0].Name() != "followup-20250302-080000"+suffix {
		t.Fatalf("backups %v, want the two latest", entries)
	}
	if storetest.Postgres() {
		// A pg_dump archive: pg_restore reads its table of contents.
		out, err := exec.Command("pg_restore", "--list", filepath.Join(dir, entries[1].Name())).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "TABLE DATA public parties") {
			t.Fatalf("pg_restore --list: %v\n%s", err, out)
		}
		return
	}
	b := openStore(t, filepath.Join(dir, entries[1].Name()), w.clock)
	var result string
	if err := b.IntegrityCheck(context.Background(), &result); err != nil || result != "ok" {
		t.Fatalf("integrity_check = %q, %v", result, err)
	}
	ps, err := b.ListParties(context.Background())
	if err != nil || len(ps) != 2 {
		t.Errorf("the backup holds %d Parties, %v; want 2", len(ps), err)
	}
}

// The maintenance job deletes the import uploads nobody came back to once they expired, with
// their files.
func TestMaintenanceDeletesExpiredImportUploads(t *testing.T) {
	w := newWorld(t)
	sec, err := w.store.FindUserByEmail(sys(), "sec@coe.example")
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("label,category,text\nR9,urge,A ninth thing.\n")
	up, err := w.store.CreateImportUpload(followup.WithActor(context.Background(), sec.Actor()), followup.ImportUploadInput{
		Report: "sim-2025", Kind: followup.ImportRecommendations, Name: "r.csv", Format: followup.ImportCSV, Size: int64(len(data)),
		Runner: "elsewhere", MaxHeld: 1 << 20}, strings.NewReader(string(data)), at("2025-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	job := Maintenance{Store: w.store, Dir: filepath.Join(t.TempDir(), "backups"), Keep: 1, Location: paris,
		Suffix: BackupSuffix(w.store.Engine())}
	for _, c := range []struct {
		after time.Duration
		want  int
	}{{followup.ImportUploadTTL - time.Second, 0}, {followup.ImportUploadTTL, 1}, {2 * followup.ImportUploadTTL, 0}} {
		counts, err := job.Run(context.Background(), at("2025-03-01").Add(c.after))
		if err != nil {
			t.Fatal(err)
		}
		if counts["import_uploads_removed"] != c.want {
			t.Errorf("%s after the upload: %d removed, want %d", c.after, counts["import_uploads_removed"], c.want)
		}
	}
	raw := storetest.Raw(t, w.path)
	var n int
	if err := raw.QueryRow(`SELECT count(*) FROM import_upload_chunks WHERE upload_id = ?`, up.ID).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d pieces left (%v)", n, err)
	}
}

func TestSnapshotAndDigest(t *testing.T) {
	w := newWorld(t)
	w.submit(t, "R1", "DE", "2025-07-10")
	w.submit(t, "R2", "FR", "2025-07-11")
	snap := Snapshot{Store: w.store, Location: paris}
	c, err := snap.Run(context.Background(), at("2025-07-11"))
	if err != nil || c["snapshots"] != 3 { // overall, DE, FR
		t.Fatalf("snapshot %v %v", c, err)
	}
	if c, _ := snap.Run(context.Background(), at("2025-07-11")); c["snapshots"] != 0 {
		t.Errorf("second snapshot of the day stored %v", c)
	}
	got, err := w.store.ComplianceSnapshots(context.Background(), "sim-2025", "")
	if err != nil || len(got) != 1 || got[0].Counts[followup.Pending] != 4 || got[0].Score != nil {
		t.Errorf("snapshots %+v %v", got, err)
	}
	digest := Digest{Store: w.store, Renderer: renderer(t), Location: paris}
	if c, err := digest.Run(context.Background(), at("2025-07-14")); err != nil || c["messages"] != 1 {
		t.Fatalf("digest %v %v", c, err)
	}
	if c, _ := digest.Run(context.Background(), at("2025-07-14")); c["messages"] != 0 {
		t.Errorf("second digest of the day %v", c)
	}
	m := outbox(t, w.store)[0]
	if m.Recipient != "rap@coe.example" || m.Kind != followup.KindRapporteurDigest || len(m.Items) != 2 ||
		m.Items[0].Party != "DE" || !strings.Contains(m.Subject, "2 submissions awaiting assessment") {
		t.Errorf("digest %s %q %+v", m.Recipient, m.Subject, m.Items)
	}
}

// A run that started and never finished (its process died) did not do its activation: the
// catch-up at the next start runs it again.
func TestCatchUpRunsAnActivationWhoseRunNeverFinished(t *testing.T) {
	w := newWorld(t)
	var nows []time.Time
	job := funcJob{"daily", func(_ context.Context, now time.Time) (followup.JobCounts, error) {
		nows = append(nows, now)
		return nil, nil
	}}
	entries := []Entry{{Job: job, Spec: "0 8 * * *", Enabled: true}}
	s := newScheduler(t, w, entries...)
	if _, err := s.RunNow(context.Background(), "daily", at("2025-03-01")); err != nil {
		t.Fatal(err)
	}
	// The run of 2 March 08:00 starts, and the process dies before it ends.
	if _, err := w.store.StartJobRun(context.Background(), followup.JobRun{Job: "daily", ScheduledFor: at("2025-03-02"), StartedAt: at("2025-03-02")}); err != nil {
		t.Fatal(err)
	}
	restart := at("2025-03-02").Add(2 * time.Hour)
	w.clock.Set(restart)
	s2 := newScheduler(t, w, entries...)
	missed, ok, err := s2.Missed(context.Background(), "daily", restart)
	if err != nil || !ok || !missed.Equal(at("2025-03-02")) {
		t.Fatalf("Missed = %v %v %v, want 2 March 08:00 (its run never finished)", missed, ok, err)
	}
	if ran, err := s2.CatchUp(context.Background(), restart); err != nil || len(ran) != 1 || len(nows) != 2 {
		t.Fatalf("catch-up ran %v (%d runs in all), %v; want the daily job once more", ran, len(nows), err)
	}
	// Once its catch-up finished, the activation is done: the next start catches nothing up.
	s3 := newScheduler(t, w, entries...)
	if ran, err := s3.CatchUp(context.Background(), restart.Add(time.Hour)); err != nil || len(ran) != 0 {
		t.Errorf("after the catch-up ran %v, %v; want nothing", ran, err)
	}
}
