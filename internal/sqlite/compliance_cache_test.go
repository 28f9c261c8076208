package sqlite_test

import (
	"context"
	"encoding/json"
	"reflect"
	"sync"
	"testing"

	"followup/internal/followup"
)

func implementedCount(t *testing.T, c followup.Compliance) int {
	t.Helper()
	return c.Overall.Counts[string(followup.Implemented)]
}

// A cached summary is served until the next write, by this store or by another process.
func TestComplianceCacheFollowsWrites(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	q := followup.ComplianceQuery{}
	first, err := f.store.ReportCompliance(ctx, slug, q)
	must(t, err)
	again, err := f.store.ReportCompliance(ctx, slug, q)
	must(t, err)
	if !reflect.DeepEqual(first, again) {
		t.Fatal("two reads without a write differ")
	}

	f.assess(t, key("R1", "FR"), followup.Implemented, "2026-11-01")
	f.adopt(t, "2026-11-20")
	after, err := f.store.ReportCompliance(ctx, slug, q)
	must(t, err)
	if implementedCount(t, after) != 1 {
		t.Fatalf("after an adoption by this store: %v", after.Overall.Counts)
	}

	// Another store on the same file stands for another process (the command line).
	other := openStore(t, f.path)
	if _, err := other.CreateAssessment(f.as("system"), key("R1", "DE"), followup.AssessmentInput{Status: followup.Implemented, AssessedOn: date("2026-11-01")}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Adopt(f.as("system"), slug, followup.AdoptionInput{AdoptedOn: date("2026-11-21")}); err != nil {
		t.Fatal(err)
	}
	later, err := f.store.ReportCompliance(ctx, slug, q)
	must(t, err)
	if implementedCount(t, later) != 2 {
		t.Fatalf("after an adoption by another process: %v", later.Overall.Counts)
	}
	uncached, err := f.store.UncachedCompliance(ctx, slug, q)
	must(t, err)
	if !reflect.DeepEqual(later, uncached) {
		t.Fatal("the cached summary differs from the computed one")
	}
	// The past picture is its own entry and does not change.
	past, err := f.store.ReportCompliance(ctx, slug, followup.ComplianceQuery{AsOf: date("2026-11-20")})
	must(t, err)
	if implementedCount(t, past) != 1 {
		t.Fatalf("as of 2026-11-20: %v", past.Overall.Counts)
	}
	// The draft basis is still refused to the public, cache or not.
	if _, err := f.store.ReportCompliance(ctx, slug, followup.ComplianceQuery{Basis: followup.BasisDraft}); err == nil {
		t.Fatal("the public got the draft basis")
	}
}

// Concurrent readers and writers: every reader gets a summary that some state of the data had,
// and none of them races (run with -race).
func TestComplianceCacheConcurrent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				c, err := f.store.ReportCompliance(ctx, slug, followup.ComplianceQuery{})
				if err != nil {
					t.Error(err)
					return
				}
				if n := c.Overall.Total; n != 4 {
					t.Errorf("total %d, want 4", n)
					return
				}
			}
		}()
	}
	for _, p := range []string{"FR", "DE", "HU"} {
		f.assess(t, key("R1", p), followup.PartiallyImplemented, "2026-11-01")
	}
	f.adopt(t, "2026-11-20")
	close(stop)
	wg.Wait()
	c, err := f.store.ReportCompliance(ctx, slug, followup.ComplianceQuery{})
	must(t, err)
	if got := c.Overall.Counts[string(followup.PartiallyImplemented)]; got != 3 {
		t.Fatalf("after the writes: %v", c.Overall.Counts)
	}
}

// The encoded summary is byte for byte what encoding/json makes of the summary, and follows
// writes like the summary does.
func TestComplianceJSONMatchesEncoding(t *testing.T) {
	f := newFixture(t)
	ctx := f.as("rapporteur")
	// Each write is an assessment and its adoption, a day after the previous adoption.
	on := date("2026-11-10")
	for _, q := range []followup.ComplianceQuery{{}, {Basis: followup.BasisDraft}, {AsOf: date("2026-11-20")}} {
		for round := range 2 {
			got, err := f.store.ReportComplianceJSON(ctx, slug, q)
			must(t, err)
			c, err := f.store.ReportCompliance(ctx, slug, q)
			must(t, err)
			want, err := json.Marshal(c)
			must(t, err)
			if string(got) != string(want) {
				t.Fatalf("%+v round %d:\n got %s\nwant %s", q, round, got, want)
			}
			f.assess(t, key("R1", "FR"), followup.NotImplemented, on.String())
			f.adopt(t, on.AddDays(1).String())
			on = on.AddDays(2)
		}
	}
	if _, err := f.store.ReportComplianceJSON(context.Background(), slug, followup.ComplianceQuery{Basis: followup.BasisDraft}); err == nil {
		t.Fatal("the public got the draft basis as JSON")
	}
}
