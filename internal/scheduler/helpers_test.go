package scheduler

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/notify"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// simClock is a clock the test moves by hand.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *simClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var paris = mustLoc("Europe/Paris")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// at returns 08:00 in Paris on day.
func at(day string) time.Time {
	d := followup.MustDate(day).Time()
	return time.Date(d.Year(), d.Month(), d.Day(), 8, 0, 0, 0, paris)
}

// openStore opens a store on a database of storetest.NewDatabase (an SQLite file or a
// PostgreSQL database, as the test run says); a second one on the same database stands for a
// second process.
func openStore(t *testing.T, database string, clock followup.Clock) *sqlstore.Store {
	t.Helper()
	return storetest.OpenAt(t, database, sqlstore.Options{Clock: clock, Location: paris, PasswordCost: bcrypt.MinCost})
}

func sys() context.Context { return followup.WithActor(context.Background(), followup.SystemActor) }

func renderer(t *testing.T) *notify.Renderer {
	t.Helper()
	r, err := notify.NewRenderer(os.DirFS(filepath.Join("..", "..", "web")), "templates/email", "https://tracker.example.org")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// world is a database with a report due on 2025-06-30 (R1, urge) and 2025-09-30 (R2), covering
// France and Germany, a French-speaking user for France, an English-speaking one for Germany,
// one Secretariat user and one rapporteur.
type world struct {
	path  string
	clock *simClock
	store *sqlstore.Store
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{path: storetest.NewDatabase(t), clock: &simClock{t: at("2025-01-15")}}
	w.store = openStore(t, w.path, w.clock)
	ctx := sys()
	s := w.store
	for _, p := range []followup.Party{{Code: "FR", NameEN: "France", NameFR: "France"}, {Code: "DE", NameEN: "Germany", NameFR: "Allemagne"}} {
		must[followup.Party](t)(s.CreateParty(ctx, p))
	}
	must[followup.Report](t)(s.CreateReport(ctx, followup.ReportInput{Slug: "sim-2025", Title: "Simulated report", Kind: followup.ImplementationReport,
		AdoptedOn: followup.MustDate("2025-01-15"), FollowupDueOn: followup.MustDate("2025-06-30"), Parties: []string{"FR", "DE"}}))
	must[followup.Report](t)(s.PublishReport(ctx, "sim-2025"))
	must[followup.Recommendation](t)(s.CreateRecommendation(ctx, "sim-2025", followup.RecommendationInput{Label: "R1", Category: followup.Urge, Text: "Do one thing."}))
	must[followup.Recommendation](t)(s.CreateRecommendation(ctx, "sim-2025", followup.RecommendationInput{Label: "R2", Category: followup.Consider, Text: "Do another.",
		DueOn: followup.MustDate("2025-09-30")}))
	for _, u := range []followup.UserInput{
		{Email: "desk@fr.example", Name: "Bureau France", Role: followup.RoleParty, Party: "FR"},
		{Email: "desk@de.example", Name: "Germany Desk", Role: followup.RoleParty, Party: "DE"},
		{Email: "sec@coe.example", Name: "Secretariat", Role: followup.RoleSecretariat},
		{Email: "rap@coe.example", Name: "Rapporteur", Role: followup.RoleRapporteur},
	} {
		u.Password = "a long enough password"
		must[followup.User](t)(s.CreateUser(ctx, u))
	}
	if err := s.SetUserLang(ctx, "desk@fr.example", "fr"); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) submit(t *testing.T, label, party, day string) {
	t.Helper()
	w.clock.Set(at(day))
	_, err := w.store.CreateSubmission(sys(), followup.FollowUpKey{Report: "sim-2025", Label: label, Party: party},
		followup.SubmissionInput{Text: "Measures taken."})
	if err != nil {
		t.Fatal(err)
	}
}

func outbox(t *testing.T, s *sqlstore.Store) []followup.Message {
	t.Helper()
	ms, err := s.ListOutbox(sys(), followup.OutboxFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	// oldest first
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	return ms
}
