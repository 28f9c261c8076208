package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// The reminders job looks only at the follow-ups whose reminder_wake day has come (migration
// 0005). These tests check that this changes nothing to what is sent: after every run, the
// messages the job wrote are exactly those a brute-force evaluation of followup's rules over
// every follow-up gives, whatever happened in between (due dates moved, submissions, adoptions,
// archiving, addressees, users, rules).

// dayClock is a clock the tests move by hand.
type dayClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *dayClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *dayClock) set(d followup.Date) {
	c.mu.Lock()
	c.t = d.Time().Add(8 * time.Hour)
	c.mu.Unlock()
}

// itemsRenderer renders nothing worth reading; the tests compare the items.
type itemsRenderer struct{}

func (itemsRenderer) Render(m *followup.Message) error {
	m.Subject, m.BodyText = m.Kind, fmt.Sprintf("%d items", len(m.Items))
	return nil
}

// bruteForceReminders evaluates the rules over every follow-up of the database, with the marks
// and users as they are, and returns the messages a run on today must write: "kind recipient"
// → the items, each "report/label/party@due#point", sorted.
func bruteForceReminders(t *testing.T, raw *storetest.DB, today followup.Date, rules followup.ReminderRules) map[string][]string {
	t.Helper()
	if err := rules.Validate(); err != nil {
		t.Fatal(err)
	}
	usersOf := map[string][]string{}
	var secretariat []string
	rows, err := raw.Query(`SELECT email, role, coalesce(party_code, '') FROM users WHERE active = TRUE`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var email, role, party string
		if err := rows.Scan(&email, &role, &party); err != nil {
			t.Fatal(err)
		}
		switch followup.Role(role) {
		case followup.RoleParty:
			usersOf[party] = append(usersOf[party], email)
		case followup.RoleSecretariat:
			secretariat = append(secretariat, email)
		}
	}
	rows.Close()

	mark := func(due, point, on sql.NullString) (followup.Date, followup.ReminderPoint) {
		var d, o followup.Date
		if due.Valid {
			d = followup.MustDate(due.String)
		}
		if on.Valid {
			o = followup.MustDate(on.String)
		}
		return d, followup.ReminderPoint{Name: point.String, On: o}
	}
	byParty := map[string][]string{}
	var escalations []string
	rows, err = raw.Query(`SELECT r.slug, c.label, f.party_code, coalesce(f.due_on, c.due_on, r.followup_due_on),
			f.active, r.archived OR r.published_on IS NULL, c.archived, coalesce(f.status, ''), f.submitted_since_adoption, f.status_adopted_on,
			mp.due_on, mp.point, mp.point_on, ms.due_on, ms.point, ms.point_on
		FROM followups f
		JOIN recommendations c ON c.id = f.recommendation_id
		JOIN reports r ON r.id = c.report_id
		LEFT JOIN reminder_marks mp ON mp.followup_id = f.id AND mp.audience = 'party'
		LEFT JOIN reminder_marks ms ON ms.followup_id = f.id AND ms.audience = 'secretariat'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var slug, label, party, status string
		var active, rArchived, cArchived, submitted bool
		var due, adopted, pDue, pPoint, pOn, sDue, sPoint, sOn sql.NullString
		if err := rows.Scan(&slug, &label, &party, &due, &active, &rArchived, &cArchived, &status, &submitted, &adopted,
			&pDue, &pPoint, &pOn, &sDue, &sPoint, &sOn); err != nil {
			t.Fatal(err)
		}
		facts := followup.ReminderFacts{
			Open:                   active && !rArchived && !cArchived && status != string(followup.Implemented) && status != string(followup.NotApplicable),
			SubmittedSinceAdoption: submitted,
		}
		if due.Valid {
			facts.DueOn = followup.MustDate(due.String)
		}
		if adopted.Valid {
			facts.AdoptedOn = followup.MustDate(adopted.String)
		}
		item := func(point string) string {
			return slug + "/" + label + "/" + party + "@" + facts.DueOn.String() + "#" + point
		}
		if p := rules.PartyReminderPoint(facts, today); p.Name != "" {
			if lastDue, last := mark(pDue, pPoint, pOn); followup.ShouldSend(p, facts.DueOn, lastDue, last) {
				byParty[party] = append(byParty[party], item(p.Name))
			}
		}
		if p := rules.EscalationPoint(facts, today); p.Name != "" {
			if lastDue, last := mark(sDue, sPoint, sOn); followup.ShouldSend(p, facts.DueOn, lastDue, last) {
				escalations = append(escalations, item(p.Name))
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{}
	for party, items := range byParty {
		sort.Strings(items)
		for _, u := range usersOf[party] {
			want[followup.KindReminder+" "+u] = items
		}
	}
	if len(escalations) > 0 {
		sort.Strings(escalations)
		for _, u := range secretariat {
			want[followup.KindEscalation+" "+u] = escalations
		}
	}
	return want
}

// outboxSince returns the messages written after the message with id after, like
// bruteForceReminders, and the last id.
func outboxSince(t *testing.T, raw *storetest.DB, after int64) (map[string][]string, int64) {
	t.Helper()
	rows, err := raw.Query(`SELECT id, kind, recipient, items FROM outbox WHERE id > ? AND kind IN ('reminder', 'escalation') ORDER BY id`, after)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string][]string{}
	last := after
	for rows.Next() {
		var kind, recipient, itemsJSON string
		if err := rows.Scan(&last, &kind, &recipient, &itemsJSON); err != nil {
			t.Fatal(err)
		}
		var items []followup.MessageItem
		if err := json.Unmarshal([]byte(itemsJSON), &items); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, it := range items {
			keys = append(keys, it.Report+"/"+it.Label+"/"+it.Party+"@"+it.DueOn.String()+"#"+it.Point)
		}
		sort.Strings(keys)
		k := kind + " " + recipient
		if _, dup := got[k]; dup {
			t.Fatalf("two %s messages to %s in one run", kind, recipient)
		}
		got[k] = keys
	}
	return got, last
}

func diffMessages(want, got map[string][]string) string {
	var b strings.Builder
	seen := map[string]bool{}
	for k, w := range want {
		seen[k] = true
		if g, ok := got[k]; !ok {
			fmt.Fprintf(&b, "missing %s: %v\n", k, w)
		} else if !slices.Equal(g, w) {
			fmt.Fprintf(&b, "%s:\n  got  %v\n  want %v\n", k, g, w)
		}
	}
	for k, g := range got {
		if !seen[k] {
			fmt.Fprintf(&b, "unexpected %s: %v\n", k, g)
		}
	}
	return b.String()
}

// reminderWorld is a small random tracker for the property test.
type reminderWorld struct {
	t     *testing.T
	rng   *rand.Rand
	clock *dayClock
	store *sqlstore.Store
	raw   *storetest.DB
	today followup.Date
	recs  map[string][]string // report slug → labels
	slugs []string
	keys  []followup.FollowUpKey
	users []string // e-mails of the users created
	ops   map[string]int
}

var reminderParties = []string{"AA", "BB", "CC", "DD", "EE"}

func (w *reminderWorld) sys() context.Context {
	return followup.WithActor(context.Background(), followup.SystemActor)
}

// pick returns a random date around today: from back days before to ahead days after.
func (w *reminderWorld) around(back, ahead int) followup.Date {
	return w.today.AddDays(w.rng.IntN(back+ahead+1) - back)
}

func (w *reminderWorld) build() {
	t, ctx := w.t, w.sys()
	for _, code := range reminderParties {
		if _, err := w.store.CreateParty(ctx, followup.Party{Code: code, NameEN: "Party " + code, NameFR: "Partie " + code}); err != nil {
			t.Fatal(err)
		}
	}
	w.recs = map[string][]string{}
	for i := range 3 {
		slug := fmt.Sprintf("report-%d", i)
		adopted := w.today.AddDays(-400 + 100*i)
		in := followup.ReportInput{Slug: slug, Title: "Report " + slug, Kind: followup.ImplementationReport, AdoptedOn: adopted,
			FollowupDueOn: w.today.AddDays(-60 + w.rng.IntN(160)), Parties: reminderParties}
		if _, err := w.store.CreateReport(ctx, in); err != nil {
			t.Fatal(err)
		}
		// The last report stays a draft (no reminders) until a step publishes it.
		if i < 2 {
			if _, err := w.store.PublishReport(ctx, slug); err != nil {
				t.Fatal(err)
			}
		}
		w.slugs = append(w.slugs, slug)
		for j := range 4 {
			label := fmt.Sprintf("R%d", j+1)
			rin := followup.RecommendationInput{Label: label, Category: followup.Urge, Text: "Do " + label + "."}
			if w.rng.IntN(2) == 0 {
				rin.DueOn = w.today.AddDays(-80 + w.rng.IntN(200))
			}
			if w.rng.IntN(3) == 0 {
				rin.AddressedTo = w.someParties()
			}
			if _, err := w.store.CreateRecommendation(ctx, slug, rin); err != nil {
				t.Fatal(err)
			}
			w.recs[slug] = append(w.recs[slug], label)
			for _, p := range reminderParties {
				w.keys = append(w.keys, followup.FollowUpKey{Report: slug, Label: label, Party: p})
			}
		}
	}
	// Users for some Parties only, and no Secretariat user yet: points to nobody are not marked.
	for _, p := range reminderParties[:3] {
		w.addUser(followup.RoleParty, p)
	}
}

func (w *reminderWorld) someParties() []string {
	var out []string
	for _, p := range reminderParties {
		if w.rng.IntN(2) == 0 {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		out = reminderParties[:1]
	}
	return out
}

func (w *reminderWorld) addUser(role followup.Role, party string) {
	email := fmt.Sprintf("u%d-%s@x.test", len(w.users), strings.ToLower(party))
	if party == "" {
		email = fmt.Sprintf("u%d-%s@x.test", len(w.users), role)
	}
	if _, err := w.store.CreateUser(w.sys(), followup.UserInput{Email: email, Name: email, Role: role, Party: party,
		Password: "a long enough password"}); err != nil {
		w.t.Fatal(err)
	}
	w.users = append(w.users, email)
}

// step does one random change through the store's ordinary write paths; an operation the rules
// refuse (an adoption before an assessment, say) changes nothing and is simply not counted.
func (w *reminderWorld) step() {
	ctx := w.sys()
	slug := w.slugs[w.rng.IntN(len(w.slugs))]
	label := w.recs[slug][w.rng.IntN(len(w.recs[slug]))]
	k := w.keys[w.rng.IntN(len(w.keys))]
	var err error
	op := ""
	switch n := w.rng.IntN(100); {
	case n < 22:
		op = "submit"
		_, err = w.store.CreateSubmission(ctx, k, followup.SubmissionInput{Text: "Measures."})
	case n < 40:
		op = "assess"
		statuses := []followup.Status{followup.Implemented, followup.PartiallyImplemented, followup.NotImplemented, followup.NoInformation, followup.NotApplicable}
		_, err = w.store.CreateAssessment(ctx, k, followup.AssessmentInput{Status: statuses[w.rng.IntN(len(statuses))], Comment: "c"})
	case n < 55:
		op = "adopt"
		in := followup.AdoptionInput{}
		if w.rng.IntN(2) == 0 {
			op = "adopt with a next deadline"
			in.NextDueOn = w.today.AddDays(1 + w.rng.IntN(90))
		}
		_, err = w.store.Adopt(ctx, k.Report, in)
	case n < 67:
		op = "recommendation due date"
		due := w.around(90, 120)
		_, err = w.store.UpdateRecommendation(ctx, slug, label, followup.RecommendationPatch{DueOn: &due})
	case n < 74:
		op = "report due date"
		due := w.around(90, 120)
		_, err = w.store.UpdateReport(ctx, slug, followup.ReportPatch{FollowupDueOn: &due})
	case n < 80:
		op = "archive recommendation"
		archived := w.rng.IntN(2) == 0
		_, err = w.store.UpdateRecommendation(ctx, slug, label, followup.RecommendationPatch{Archived: &archived})
	case n < 83:
		op = "archive report"
		archived := w.rng.IntN(3) == 0
		_, err = w.store.UpdateReport(ctx, slug, followup.ReportPatch{Archived: &archived})
	case n < 90:
		op = "addressees"
		to := w.someParties()
		_, err = w.store.UpdateRecommendation(ctx, slug, label, followup.RecommendationPatch{AddressedTo: &to})
	case n < 93:
		op = "new user"
		if w.rng.IntN(3) == 0 {
			w.addUser(followup.RoleSecretariat, "")
		} else {
			w.addUser(followup.RoleParty, reminderParties[w.rng.IntN(len(reminderParties))])
		}
	case n < 98:
		op = "user active"
		if len(w.users) > 0 {
			err = w.store.SetUserActive(ctx, w.users[w.rng.IntN(len(w.users))], w.rng.IntN(2) == 0)
		}
	case n < 99:
		op = "new recommendation"
		label := fmt.Sprintf("N%d", len(w.recs[slug])+1)
		rin := followup.RecommendationInput{Label: label, Category: followup.Consider, Text: "New.", DueOn: w.around(40, 60)}
		if _, err = w.store.CreateRecommendation(ctx, slug, rin); err == nil {
			w.recs[slug] = append(w.recs[slug], label)
			for _, p := range reminderParties {
				w.keys = append(w.keys, followup.FollowUpKey{Report: slug, Label: label, Party: p})
			}
		}
	default:
		op = "publish report"
		_, err = w.store.PublishReport(ctx, slug)
	}
	if err == nil {
		w.ops[op]++
	}
}

// TestRemindersMatchBruteForce: over a random small tracker (fixed seed) and a year of days with
// random changes between the runs, every run of the job writes exactly the messages a
// brute-force evaluation of the rules over every follow-up gives, and looks at far fewer
// follow-ups than there are.
func TestRemindersMatchBruteForce(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed-", seed), func(t *testing.T) {
			path := storetest.NewDatabase(t)
			w := &reminderWorld{t: t, rng: rand.New(rand.NewPCG(seed, 42)), clock: &dayClock{}, ops: map[string]int{},
				today: followup.MustDate("2026-01-05")}
			w.clock.set(w.today)
			w.store = storetest.OpenAt(t, path, sqlstore.Options{Clock: w.clock, Location: time.UTC, PasswordCost: bcrypt.MinCost})
			w.raw = newRaw(t, path)
			w.build()

			rulesA := followup.DefaultReminderRules()
			rulesB := followup.ReminderRules{DaysBefore: []int{14, 1}, OverdueEvery: 10, EscalateAfter: 21}
			rules := rulesA
			var lastID int64
			looked, total, runs, sent := 0, 0, 0, 0
			for day := 0; day < 365; day++ {
				w.today = w.today.AddDays(1)
				w.clock.set(w.today)
				for range w.rng.IntN(4) {
					w.step()
				}
				if w.rng.IntN(60) == 0 {
					if rules.Fingerprint() == rulesA.Fingerprint() {
						rules = rulesB
					} else {
						rules = rulesA
					}
				}
				// Most days run once; some are skipped (the server was down), some run twice,
				// and now and then the job is run by hand for a past day.
				runDays := []followup.Date{w.today}
				switch n := w.rng.IntN(20); {
				case n < 3:
					runDays = nil
				case n < 5:
					runDays = append(runDays, w.today)
				case n < 6:
					runDays = []followup.Date{w.today.AddDays(-1 - w.rng.IntN(20))}
				}
				for _, on := range runDays {
					want := bruteForceReminders(t, w.raw, on, rules)
					c, err := w.store.EnqueueReminders(context.Background(), on, rules, itemsRenderer{})
					if err != nil {
						t.Fatal(err)
					}
					var got map[string][]string
					got, lastID = outboxSince(t, w.raw, lastID)
					if d := diffMessages(want, got); d != "" {
						t.Fatalf("run on %s (clock %s, rules %s, ops so far %v):\n%s", on, w.today, rules.Fingerprint(), w.ops, d)
					}
					if c.Messages != len(got) {
						t.Fatalf("run on %s: counts say %d messages, the outbox got %d", on, c.Messages, len(got))
					}
					looked += c.Candidates
					runs++
					sent += len(got)
				}
				if n := countRows(t, w.raw, `SELECT count(*) FROM followups`); n != countRows(t, w.raw, `SELECT count(*) FROM reminder_wake`) {
					t.Fatalf("%d follow-ups but %d reminder_wake rows", n, countRows(t, w.raw, `SELECT count(*) FROM reminder_wake`))
				}
				total += countRows(t, w.raw, `SELECT count(*) FROM followups`)
			}
			for _, op := range []string{"submit", "assess", "adopt", "adopt with a next deadline", "recommendation due date", "report due date",
				"archive recommendation", "addressees", "new user", "user active", "publish report"} {
				if w.ops[op] == 0 {
					t.Errorf("no %q in the random run: %v", op, w.ops)
				}
			}
			if sent < 50 {
				t.Errorf("only %d messages over the year", sent)
			}
			// The schedule must actually spare work: well under a fifth of the follow-ups a day.
			if looked*5 > total {
				t.Errorf("the job looked at %d follow-ups over %d runs, of %d follow-up-days", looked, runs, total)
			}
			t.Logf("%d runs, %d messages, looked at %d of %d follow-up-days; ops %v", runs, sent, looked, total, w.ops)
		})
	}
}

func countRows(t *testing.T, raw *storetest.DB, query string) int {
	t.Helper()
	var n int
	if err := raw.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReminderWakeReschedules walks one follow-up through a due date moved, a submission and an
// adoption, and checks its reminder_wake day and the messages after each, on the same day.
func TestReminderWakeReschedules(t *testing.T) {
	f := newFixture(t)
	ctx := f.as("system")
	day := date("2026-11-28")
	rules := followup.DefaultReminderRules()
	wake := func(label, party string) string {
		t.Helper()
		var w string
		if err := f.raw.QueryRow(`SELECT w.wake_on FROM reminder_wake w JOIN followups f ON f.id = w.followup_id
			JOIN recommendations c ON c.id = f.recommendation_id WHERE c.label = ? AND f.party_code = ?`, label, party).Scan(&w); err != nil {
			t.Fatal(err)
		}
		return w
	}
	var lastID int64
	run := func(want map[string][]string) {
		t.Helper()
		if d := diffMessages(want, bruteForceReminders(t, f.raw, day, rules)); d != "" {
			t.Fatalf("the test's expectation differs from the brute force:\n%s", d)
		}
		if _, err := f.store.EnqueueReminders(ctx, day, rules, itemsRenderer{}); err != nil {
			t.Fatal(err)
		}
		var got map[string][]string
		got, lastID = outboxSince(t, f.raw, lastID)
		if d := diffMessages(want, got); d != "" {
			t.Fatal(d)
		}
	}
	if w := wake("R1", "FR"); w != "" {
		t.Fatalf("a new follow-up wakes at the next run, got %q", w)
	}
	// Due yesterday: "due-0" to FR and HU; next the first overdue point, a week after the due date.
	run(map[string][]string{
		"reminder fr@coe.test": {slug + "/R1/FR@2026-11-27#due-0"},
		"reminder hu@coe.test": {slug + "/R1/HU@2026-11-27#due-0"},
	})
	if w, w2 := wake("R1", "FR"), wake("R2", "HU"); w != "2026-12-04" || w2 != "2027-05-31" {
		t.Fatalf("wake days R1/FR %s, R2/HU %s; want 2026-12-04 (overdue-7) and 2027-05-31 (due-30)", w, w2)
	}
	run(map[string][]string{}) // the same day again: nothing, and nothing looked at
	// The due date moves to 2026-12-20: "due-30" of the new date is reached already, at once.
	due := date("2026-12-20")
	if _, err := f.store.UpdateRecommendation(ctx, slug, "R1", followup.RecommendationPatch{DueOn: &due}); err != nil {
		t.Fatal(err)
	}
	if w := wake("R1", "FR"); w != "" {
		t.Fatalf("a moved due date wakes the follow-up, got %q", w)
	}
	run(map[string][]string{
		"reminder fr@coe.test": {slug + "/R1/FR@2026-12-20#due-30"},
		"reminder hu@coe.test": {slug + "/R1/HU@2026-12-20#due-30"},
	})
	if w := wake("R1", "FR"); w != "2026-12-13" {
		t.Fatalf("wake day %s, want 2026-12-13 (due-7)", w)
	}
	// A submission stops FR's reminders until something changes.
	f.submit(t, "fr", key("R1", "FR"), "Done.", false)
	run(map[string][]string{})
	if w := wake("R1", "FR"); w != "9999-12-31" {
		t.Fatalf("wake day after a submission %s, want 9999-12-31", w)
	}
	// The adoption of an assessment restarts them, with the deadline the adoption sets (here the
	// same day as the recommendation's); the points before it count as answered.
	f.assess(t, key("R1", "FR"), followup.PartiallyImplemented, "2026-11-28")
	if _, err := f.store.Adopt(f.as("secretariat"), slug, followup.AdoptionInput{AdoptedOn: date("2026-11-28"), Labels: []string{"R1"},
		NextDueOn: date("2026-12-20")}); err != nil {
		t.Fatal(err)
	}
	run(map[string][]string{})
	if w := wake("R1", "FR"); w != "2026-12-13" {
		t.Fatalf("wake day after the adoption %s, want 2026-12-13 (due-7)", w)
	}
	day = date("2026-12-13")
	run(map[string][]string{
		"reminder fr@coe.test": {slug + "/R1/FR@2026-12-20#due-7"},
		"reminder hu@coe.test": {slug + "/R1/HU@2026-12-20#due-7"},
	})
	// Without a date, the next deadline is a year after the adoption: HU's reminders follow it
	// from then on, FR's still the date its adoption set.
	f.assess(t, key("R1", "HU"), followup.NotImplemented, "2026-11-28")
	f.adopt(t, "2026-11-28", "R1")
	if w := wake("R1", "HU"); w != "" {
		t.Fatalf("a new deadline of the follow-up's own wakes it, got %q", w)
	}
	day = date("2026-12-20")
	run(map[string][]string{"reminder fr@coe.test": {slug + "/R1/FR@2026-12-20#due-0"}})
	if w := wake("R1", "HU"); w != "2027-10-29" {
		t.Fatalf("wake day after an adoption without a date %s, want 2027-10-29 (due-30 of 2027-11-28)", w)
	}
	day = date("2027-10-29")
	run(map[string][]string{
		"reminder fr@coe.test":            {slug + "/R1/FR@2026-12-20#overdue-308"},
		"reminder hu@coe.test":            {slug + "/R1/HU@2027-11-28#due-30", slug + "/R2/HU@2027-06-30#overdue-119"},
		"escalation secretariat@coe.test": {slug + "/R1/DE@2026-12-20#escalation-30", slug + "/R1/FR@2026-12-20#escalation-30", slug + "/R2/HU@2027-06-30#escalation-30"},
	})
}

// The reminder_wake triggers fire on a change of a follow-up's own deadline alone, whichever
// code makes it, so that its reminders follow the new date.
func TestReminderWakeOnTheFollowUpsDeadline(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	driver := "sqlite3"
	if storetest.Postgres() {
		driver = "pgx"
	}
	db, err := sql.Open(driver, f.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id int64
	if err := f.raw.QueryRow(`SELECT f.id FROM followups f JOIN recommendations c ON c.id = f.recommendation_id
		WHERE c.label = 'R1' AND f.party_code = 'FR'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	exec := func(q string) {
		t.Helper()
		if _, err := db.Exec(strings.ReplaceAll(q, "ID", fmt.Sprint(id))); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	wake := func() string {
		t.Helper()
		var w string
		if err := f.raw.QueryRow(`SELECT wake_on FROM reminder_wake WHERE followup_id = ?`, id).Scan(&w); err != nil {
			t.Fatal(err)
		}
		return w
	}
	exec(`UPDATE reminder_wake SET wake_on = '9999-12-31' WHERE followup_id = ID`)
	exec(`UPDATE followups SET updated_at = 'x' WHERE id = ID`)
	if w := wake(); w != "9999-12-31" {
		t.Fatalf("a change of nothing the rules read woke the follow-up: %q", w)
	}
	exec(`UPDATE followups SET due_on = '2027-06-30' WHERE id = ID`)
	if w := wake(); w != "" {
		t.Fatalf("a new deadline of the follow-up did not wake it: %q", w)
	}
	exec(`UPDATE reminder_wake SET wake_on = '9999-12-31' WHERE followup_id = ID`)
	exec(`UPDATE followups SET due_on = NULL WHERE id = ID`)
	if w := wake(); w != "" {
		t.Fatalf("clearing the follow-up's deadline did not wake it: %q", w)
	}
}
