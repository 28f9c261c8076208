package bench

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/seed"
	"followup/internal/sqlite"
	"followup/internal/sqlstore"
)

// Options of the data set: the sizes of the issue, seed 1.
var benchOptions = seed.SyntheticOptions{Parties: 200, Reports: 50, RecommendationsPerReport: 40, Seed: 1}

// The reports the benchmarks ask about: a middle one, with three adopted rounds, and the past
// date of the "as of" figures (between the rounds of many reports).
var (
	benchSlug = seed.SyntheticReportSlug(25)
	benchPast = followup.MustDate("2019-06-30")
)

var (
	datasetOnce sync.Once
	datasetPath string
	datasetErr  error
	datasetDir  string
)

// benchDBPath returns the path of the synthetic database, building it the first time.
func benchDBPath(b testing.TB) string {
	b.Helper()
	datasetOnce.Do(func() {
		path := os.Getenv("FOLLOWUP_BENCH_DB")
		if path == "" {
			dir, err := os.MkdirTemp("", "followup-bench-")
			if err != nil {
				datasetErr = err
				return
			}
			datasetDir = dir
			path = filepath.Join(dir, "synthetic.db")
		}
		datasetPath = path
		if _, err := os.Stat(path); err == nil {
			return // built by an earlier run
		}
		start := time.Now()
		datasetErr = buildDataset(path)
		if datasetErr == nil {
			b.Logf("built the synthetic data set at %s in %s", path, time.Since(start).Round(time.Second))
		}
	})
	if datasetErr != nil {
		b.Fatalf("synthetic data set: %v", datasetErr)
	}
	return datasetPath
}

func buildDataset(path string) error {
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	tmp := path + ".building"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	store, err := sqlite.Open(ctx, tmp, sqlstore.Options{})
	if err != nil {
		return err
	}
	err = store.InTransaction(ctx, func(ctx context.Context) error {
		_, err := seed.Synthetic(ctx, store, benchOptions)
		return err
	})
	if err != nil {
		store.Close()
		return err
	}
	if err := store.Close(); err != nil { // checkpoints the WAL into the file
		return err
	}
	return os.Rename(tmp, path)
}

var (
	storeOnce sync.Once
	store     *sqlstore.Store
	storeErr  error
)

// benchStore returns a store on the synthetic data set, shared by the benchmarks of the process.
func benchStore(b testing.TB) *sqlstore.Store {
	b.Helper()
	path := benchDBPath(b)
	storeOnce.Do(func() {
		store, storeErr = sqlite.Open(context.Background(), path, sqlstore.Options{Location: time.UTC})
	})
	if storeErr != nil {
		b.Fatal(storeErr)
	}
	return store
}

func TestMain(m *testing.M) {
	code := m.Run()
	if store != nil {
		store.Close()
	}
	if datasetDir != "" {
		os.RemoveAll(datasetDir)
	}
	os.Exit(code)
}

// measure runs op and its ceiling (the same answer with the least work: the raw SQL, a bare
// handler) alternately, so that both see the same machine, and reports the mean wall time of
// each and their ratio (ms/op, ceiling-ms/op, x-ceiling), and the same for the CPU time of the
// benchmark's thread (cpu-ms/op, ceiling-cpu-ms/op, x-ceiling-cpu), which other processes on a
// shared machine disturb much less. SQLite runs on the calling thread; the garbage collector's
// background work does not, so the CPU figures slightly flatter the Go side. Go's own ns/op is
// of the pair.
func measure(b *testing.B, op, ceil func() error) {
	b.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var opTime, ceilTime, opCPU, ceilCPU time.Duration
	n := 0
	for b.Loop() {
		t0, c0 := time.Now(), threadCPU()
		if err := op(); err != nil {
			b.Fatal(err)
		}
		t1, c1 := time.Now(), threadCPU()
		if err := ceil(); err != nil {
			b.Fatal(err)
		}
		opTime += t1.Sub(t0)
		ceilTime += time.Since(t1)
		opCPU += c1 - c0
		ceilCPU += threadCPU() - c1
		n++
	}
	ms := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(n) / 1e6 }
	b.ReportMetric(ms(opTime), "ms/op")
	b.ReportMetric(ms(ceilTime), "ceiling-ms/op")
	b.ReportMetric(float64(opTime)/float64(ceilTime), "x-ceiling")
	b.ReportMetric(ms(opCPU), "cpu-ms/op")
	b.ReportMetric(ms(ceilCPU), "ceiling-cpu-ms/op")
	if ceilCPU > 0 {
		b.ReportMetric(float64(opCPU)/float64(ceilCPU), "x-ceiling-cpu")
	}
}

// threadCPU returns the CPU time the calling OS thread has used.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rusageThread is RUSAGE_THREAD (Linux).
const rusageThread = 1
