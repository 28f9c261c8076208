package bench

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"syscall"
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/importer"
	"followup/internal/importtest"
	"followup/internal/sqlite"
	"followup/internal/sqlstore"
)

// importRows is the size of the import benchmark: a UN treaty body's history in one file.
const importRows = 50000

// importParties are the States of the benchmark's report (a UN body has 193).
var importParties = importtest.Parties(193)

// importStore opens a store on a new SQLite file with the Parties and an empty report.
func importStore(b *testing.B, dir string, n int) *sqlstore.Store {
	b.Helper()
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	s, err := sqlite.Open(ctx, filepath.Join(dir, fmt.Sprintf("import-%d.db", n)), sqlstore.Options{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	err = s.InTransaction(ctx, func(ctx context.Context) error {
		for _, c := range importParties {
			if _, err := s.CreateParty(ctx, followup.Party{Code: c, NameEN: "State " + c, NameFR: "État " + c}); err != nil {
				return err
			}
		}
		_, err := s.CreateReport(ctx, followup.ReportInput{Slug: "upr", Title: "Universal review", Kind: followup.OtherReport,
			AdoptedOn: followup.MustDate("2022-01-01")})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkImport50k imports one recommendations file of 50,000 rows (each addressed to one
// to three of 193 Parties: about 100,000 follow-ups), CSV and XLSX, into an empty report, as
// `followup import` and the pages do: read as a stream, planned and written row by row in one
// transaction (recommendation, addressees, follow-ups, an audit entry for each). Its ceiling is
// the raw INSERT of the same rows (recommendations, addressees, follow-ups) in one transaction,
// with prepared statements and nothing else. Each run starts from a new database (its set-up
// is in ns/op, not in the figures). Reported: the import (ms/op), its dry run (dry-run-ms/op),
// the raw INSERT (ceiling-ms/op) and the ratio (x-ceiling), and the same for the CPU time of
// the thread they run on (cpu-ms/op, ceiling-cpu-ms/op, x-ceiling-cpu), which other processes
// on a shared machine disturb much less; live-heap-growth-MiB is the most the live Go heap grew
// during the import, sampled every 256 rows (SQLite's own cache, 64 MiB at most, is not in it);
// maxrss-MiB is the peak resident size of the whole benchmark process, which holds the test
// files and their rows in memory.
func BenchmarkImport50k(b *testing.B) {
	parties := importParties
	files := map[importer.Format][]byte{
		importer.CSV:  importtest.CSV(importRows, parties, 50),
		importer.XLSX: importtest.XLSX(importRows, parties, 50),
	}
	var rows []importtest.Row
	if err := importtest.Rows(importRows, parties, 50, func(r importtest.Row) error { rows = append(rows, r); return nil }); err != nil {
		b.Fatal(err)
	}
	p := importer.Parser{Limits: importer.LimitsFor(importRows, 64<<20)}
	for _, format := range []importer.Format{importer.CSV, importer.XLSX} {
		b.Run(string(format), func(b *testing.B) {
			dir := b.TempDir()
			data := files[format]
			ctx := followup.WithActor(context.Background(), followup.SystemActor)
			var importTime, dryTime, rawTime, importCPU, rawCPU time.Duration
			var heapGrowth uint64
			n := 0
			for b.Loop() {
				s := importStore(b, dir, 2*n)
				t0 := time.Now()
				res, err := s.ImportRecommendations(ctx, "upr", p.RecommendationStream(bytes.NewReader(data), format, nil), true)
				if err != nil || res.Created != importRows {
					b.Fatalf("dry run: %v, %d created, errors %v", err, res.Created, res.Errors)
				}
				t1 := time.Now()
				// The live Go heap during the import (as of each garbage collection), less what the
				// benchmark holds before it (the file, its rows): it does not grow with the file.
				runtime.GC()
				base := liveHeap()
				sample := func(followup.ImportProgress) {
					if h := liveHeap(); h > base {
						heapGrowth = max(heapGrowth, h-base)
					}
				}
				runtime.LockOSThread() // SQLite runs on this thread: its CPU time is the import's
				t1, c1 := time.Now(), threadCPU()
				res, err = s.ImportRecommendations(ctx, "upr", p.RecommendationStream(bytes.NewReader(data), format, sample), false)
				importCPU += threadCPU() - c1
				runtime.UnlockOSThread()
				if err != nil || !res.Applied || res.Created != importRows {
					b.Fatalf("import: %v, %d created, errors %v", err, res.Created, res.Errors)
				}
				t2 := time.Now()
				s.Close()

				importStore(b, dir, 2*n+1).Close()
				runtime.LockOSThread()
				t3, c3 := time.Now(), threadCPU()
				if err := rawInsert(filepath.Join(dir, fmt.Sprintf("import-%d.db", 2*n+1)), rows); err != nil {
					b.Fatal(err)
				}
				t4 := time.Now()
				rawCPU += threadCPU() - c3
				runtime.UnlockOSThread()
				dryTime += t1.Sub(t0)
				importTime += t2.Sub(t1)
				rawTime += t4.Sub(t3)
				n++
			}
			ms := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(n) / 1e6 }
			b.ReportMetric(ms(importTime), "ms/op")
			b.ReportMetric(ms(dryTime), "dry-run-ms/op")
			b.ReportMetric(ms(rawTime), "ceiling-ms/op")
			b.ReportMetric(float64(importTime)/float64(rawTime), "x-ceiling")
			b.ReportMetric(ms(importCPU), "cpu-ms/op")
			b.ReportMetric(ms(rawCPU), "ceiling-cpu-ms/op")
			b.ReportMetric(float64(importCPU)/float64(rawCPU), "x-ceiling-cpu")
			b.ReportMetric(float64(heapGrowth)/(1<<20), "live-heap-growth-MiB")
			var ru syscall.Rusage
			if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
				b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MiB")
			}
		})
	}
}

// liveHeap returns the bytes of the Go heap found live by the latest garbage collection.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// rawInsert writes the rows of a recommendations file with the least work: one transaction on
// a connection with the store writer's pragmas, prepared statements, no checks, no audit.
func rawInsert(path string, rows []importtest.Row) error {
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=NORMAL&_cache_size=-65536&_txlock=immediate")
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var report int64
	if err := tx.QueryRow(`SELECT id FROM reports WHERE slug = 'upr'`).Scan(&report); err != nil {
		return err
	}
	insRec, err := tx.Prepare(`INSERT INTO recommendations (report_id, position, label, category, text, text_fr, source, articles, due_on, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
	if err != nil {
		return err
	}
	insTo, err := tx.Prepare(`INSERT INTO recommendation_addressees (recommendation_id, party_code) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	insFu, err := tx.Prepare(`INSERT INTO followups (recommendation_id, party_code, created_at, updated_at) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for i, r := range rows {
		var id int64
		if err := insRec.QueryRow(report, i+1, r.Label(), r.Category(), r[2], r[6], r[7], strings.ReplaceAll(r[3], "; ", ","), r[5], now, now).Scan(&id); err != nil {
			return err
		}
		for _, c := range strings.Split(r.AddressedTo(), "; ") {
			if _, err := insTo.Exec(id, c); err != nil {
				return err
			}
			if _, err := insFu.Exec(id, c, now, now); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}
