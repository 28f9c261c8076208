package server_test

import (
	"context"
	"encoding/json"
	"reflect"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/server"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// cacheWorld is a store with one report (R1 to FR and DE) and the cache in front of it.
type cacheWorld struct {
	t     *testing.T
	db    string
	store *sqlstore.Store
	cache *server.ComplianceCache
}

func newCacheWorld(t *testing.T, capacity int) *cacheWorld {
	t.Helper()
	opts := sqlstore.Options{Clock: followup.FixedClock(today), Location: time.UTC, PasswordCost: bcrypt.MinCost}
	db := storetest.NewDatabase(t)
	s := storetest.OpenAt(t, db, opts)
	ctx := sysCtx()
	for _, p := range []followup.Party{{Code: "FR", NameEN: "France", NameFR: "France"}, {Code: "DE", NameEN: "Germany", NameFR: "Allemagne"}} {
		must(t, func() error { _, err := s.CreateParty(ctx, p); return err })
	}
	must(t, func() error {
		_, err := s.CreateReport(ctx, followup.ReportInput{Slug: "rep", Title: "Report", Kind: followup.SpecialReport,
			AdoptedOn: followup.MustDate("2020-01-10"), Parties: []string{"FR", "DE"}})
		return err
	})
	must(t, func() error { _, err := s.PublishReport(ctx, "rep"); return err })
	must(t, func() error {
		_, err := s.CreateRecommendation(ctx, "rep", followup.RecommendationInput{Label: "R1", Category: followup.Urge, Text: "One."})
		return err
	})
	today := func() followup.Date { return followup.DateOf(time.Time(followup.FixedClock(today)), time.UTC) }
	return &cacheWorld{t: t, db: db, store: s, cache: server.NewComplianceCache(s, s, today, capacity)}
}

// adopt assesses a follow-up as implemented and adopts it, through store (which stands for
// another process when it is not the cached one).
func (w *cacheWorld) adopt(store *sqlstore.Store, party, on string) {
	w.t.Helper()
	ctx := sysCtx()
	must(w.t, func() error {
		_, err := store.CreateAssessment(ctx, followup.FollowUpKey{Report: "rep", Label: "R1", Party: party},
			followup.AssessmentInput{Status: followup.Implemented, AssessedOn: followup.MustDate(on)})
		return err
	})
	must(w.t, func() error {
		_, err := store.Adopt(ctx, "rep", followup.AdoptionInput{AdoptedOn: followup.MustDate(on)})
		return err
	})
}

func (w *cacheWorld) implemented(q followup.ComplianceQuery) int {
	w.t.Helper()
	c, err := w.cache.ReportCompliance(context.Background(), "rep", q)
	if err != nil {
		w.t.Fatal(err)
	}
	return c.Overall.Counts[string(followup.Implemented)]
}

// A cached summary is served until the next write, by this store or by another process.
func TestComplianceCacheFollowsWrites(t *testing.T) {
	w := newCacheWorld(t, 0)
	ctx := context.Background()
	q := followup.ComplianceQuery{}
	first, err := w.cache.ReportCompliance(ctx, "rep", q)
	must(t, func() error { return err })
	again, err := w.cache.ReportCompliance(ctx, "rep", q)
	must(t, func() error { return err })
	if !reflect.DeepEqual(first, again) || w.cache.Len() != 1 {
		t.Fatalf("two reads without a write differ, or were not cached (%d entries)", w.cache.Len())
	}

	w.adopt(w.store, "FR", "2026-11-01")
	if n := w.implemented(q); n != 1 {
		t.Fatalf("after an adoption by this store: %d implemented, want 1", n)
	}
	// Another store on the same database stands for another process or replica.
	other := storetest.OpenAt(t, w.db, sqlstore.Options{Clock: followup.FixedClock(today), Location: time.UTC, PasswordCost: bcrypt.MinCost})
	w.adopt(other, "DE", "2026-11-21")
	if n := w.implemented(q); n != 2 {
		t.Fatalf("after an adoption by another process: %d implemented, want 2", n)
	}
	computed, err := w.store.ReportCompliance(ctx, "rep", q)
	must(t, func() error { return err })
	cached, _ := w.cache.ReportCompliance(ctx, "rep", q)
	if !reflect.DeepEqual(cached, computed) {
		t.Fatal("the cached summary differs from the computed one")
	}
	// The past picture is its own entry and does not change.
	if n := w.implemented(followup.ComplianceQuery{AsOf: followup.MustDate("2026-11-20")}); n != 1 {
		t.Fatalf("as of 2026-11-20: %d implemented, want 1", n)
	}
	// The draft basis is still refused to the public, cache or not.
	if _, err := w.cache.ReportCompliance(ctx, "rep", followup.ComplianceQuery{Basis: followup.BasisDraft}); followup.ErrorCode(err) != followup.EUnauthorized {
		t.Fatalf("the public asked for the draft basis: %v", err)
	}
}

// Concurrent readers and writers: every reader gets a summary that some state of the data had,
// and none of them races (run with -race).
func TestComplianceCacheConcurrent(t *testing.T) {
	w := newCacheWorld(t, 0)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				c, err := w.cache.ReportCompliance(context.Background(), "rep", followup.ComplianceQuery{})
				if err != nil {
					t.Error(err)
					return
				}
				if c.Overall.Total != 2 {
					t.Errorf("total %d, want 2", c.Overall.Total)
					return
				}
			}
		})
	}
	w.adopt(w.store, "FR", "2026-11-01")
	w.adopt(w.store, "DE", "2026-11-02")
	close(stop)
	wg.Wait()
	if n := w.implemented(followup.ComplianceQuery{}); n != 2 {
		t.Fatalf("after the writes: %d implemented, want 2", n)
	}
}

// The encoded summary is byte for byte what encoding/json makes of the summary, and follows
// writes like the summary does.
func TestComplianceJSONMatchesEncoding(t *testing.T) {
	w := newCacheWorld(t, 0)
	ctx := followup.WithActor(context.Background(), followup.Actor{UserID: 9, Role: followup.RoleRapporteur})
	for i, q := range []followup.ComplianceQuery{{}, {Basis: followup.BasisDraft}, {AsOf: followup.MustDate("2026-11-20")}} {
		for round := range 2 {
			got, err := w.cache.ReportComplianceJSON(ctx, "rep", q)
			must(t, func() error { return err })
			c, err := w.store.ReportCompliance(ctx, "rep", q)
			must(t, func() error { return err })
			want, err := json.Marshal(c)
			must(t, func() error { return err })
			if string(got) != string(want) {
				t.Fatalf("%+v round %d:\n got %s\nwant %s", q, round, got, want)
			}
			w.adopt(w.store, []string{"FR", "DE"}[round], "2026-11-1"+string(rune('0'+i*2+round)))
		}
	}
}

// Many different dates asked for once each do not push out a summary read all the time: the
// cache evicts the least recently used entry, not everything.
func TestComplianceCacheEvictsLeastRecentlyUsed(t *testing.T) {
	w := newCacheWorld(t, 4)
	ctx := context.Background()
	hot := followup.ComplianceQuery{}
	hotFirst, err := w.cache.ReportCompliance(ctx, "rep", hot)
	must(t, func() error { return err })
	day := followup.MustDate("2026-01-01")
	for i := range 40 {
		if _, err := w.cache.ReportCompliance(ctx, "rep", followup.ComplianceQuery{AsOf: day.AddDays(i)}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.cache.ReportCompliance(ctx, "rep", hot); err != nil { // read between every cold date
			t.Fatal(err)
		}
	}
	if n := w.cache.Len(); n != 4 {
		t.Fatalf("%d entries, want the capacity, 4", n)
	}
	hotLater, err := w.cache.ReportCompliance(ctx, "rep", hot)
	must(t, func() error { return err })
	// The very same cached value (its cells slice) is served: it was never evicted.
	if &hotFirst.Cells[0] != &hotLater.Cells[0] {
		t.Fatal("the often-read summary was evicted by dates read once")
	}
}
