// Package bench holds the benchmarks of the tracker at 100 times the Lanzarote Committee's
// size (see BENCHMARKS.md). It has no code of its own: everything is in _test.go files, as
// Benchmark functions only, so that `make test` never builds the data set.
//
// The data set is the synthetic one of `followup seed --synthetic` with the default sizes (200
// Parties, 50 reports, 40 recommendations each: about 375,000 follow-ups). It is built once per
// test process into a temporary folder, or once and for all at the path given by the
// FOLLOWUP_BENCH_DB environment variable (the file is reused when it exists).
//
// With FOLLOWUP_BENCH_POSTGRES set to the URL of a PostgreSQL server, the engine benchmarks run
// once per engine (engine=sqlite, engine=postgres; see forEachEngine in engines_test.go), on a
// copy of the same data set that the first run makes with COPY and later runs reuse.
//
// To add a benchmark (pages, reminders, exports): write a Benchmark function in a new file of
// this package, call benchStore(b) for a store on the data set (or benchDBPath(b) for its path),
// time the thing with b.Loop, and measure its ceiling — the least work that gives the same
// answer, such as the raw SQL or a bare handler — in the same function with ceiling(b, ...),
// which reports both figures and their ratio (see compliance_test.go).
package bench
