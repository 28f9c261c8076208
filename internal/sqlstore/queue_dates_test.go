package sqlstore_test

import (
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/sqlstore"
)

// submissionDatesMigration is the migration that keeps the date of each follow-up's latest
// submission.
const submissionDatesMigration = 15

// queueDates writes the queue as "R1/HU 2026-11-01 (recorded 2026-11-26)" lines, in its order.
func queueDates(t *testing.T, items []followup.QueueItem) []string {
	t.Helper()
	var out []string
	for _, q := range items {
		out = append(out, q.Label+"/"+q.Party+" "+q.SubmittedOn.String()+" (recorded "+q.LastSubmittedAt.UTC().Format(time.DateOnly)+")")
	}
	return out
}

func wantLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s:\n%q\nwant\n%q", what, got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s, line %d: %q, want %q", what, i, got[i], want[i])
		}
	}
}

// The queue dates each submission by the date the Party gave it (the event date), not by when
// it was recorded, and lists the oldest by that date first: a draft submitted late with an
// earlier date, a submission dated weeks back. A later submission dates the follow-up anew; a
// stakeholder's information does not.
func TestAssessmentQueueBySubmissionDate(t *testing.T) {
	t.Parallel()
	clock := &movingClock{t: today.AddDate(0, 0, -10)}
	f := newFixtureWith(t, sqlstore.Options{Clock: clock, Location: time.UTC, PasswordCost: bcrypt.MinCost})
	day := 24 * time.Hour
	draft := mustV[followup.Submission](t)(f.store.CreateSubmission(f.as("hu"), key("R1", "HU"), followup.SubmissionInput{Text: "Draft.", Draft: true}))
	clock.add(5 * day) // 23 November
	mustV[followup.Submission](t)(f.store.CreateSubmission(f.as("secretariat"), key("R1", "DE"), followup.SubmissionInput{Text: "Measures of Germany."}))
	clock.add(2 * day) // 25 November
	mustV[followup.Submission](t)(f.store.CreateSubmission(f.as("fr"), key("R1", "FR"), followup.SubmissionInput{Text: "Measures of France.", SubmittedOn: date("2026-11-08")}))
	clock.add(day) // 26 November
	mustV[followup.Submission](t)(f.store.UpdateSubmission(f.as("hu"), key("R1", "HU"), draft.ID,
		followup.SubmissionPatch{Draft: ptr(false), SubmittedOn: ptr(date("2026-11-01"))}))
	clock.add(2 * day) // 28 November
	rap := f.as("rapporteur")
	queue := mustV[[]followup.QueueItem](t)(f.store.AssessmentQueue(rap, followup.QueueFilter{}))
	wantLines(t, "the queue", queueDates(t, queue), []string{
		"R1/HU 2026-11-01 (recorded 2026-11-26)",
		"R1/FR 2026-11-08 (recorded 2026-11-25)",
		"R1/DE 2026-11-23 (recorded 2026-11-23)",
	})
	if n := queue[1].DaysWaiting(f.store.Today()); n != 20 {
		t.Errorf("France's submission waits %d days, want 20", n)
	}

	// France adds to its submission today: the follow-up waits from today's date.
	mustV[followup.Submission](t)(f.store.CreateSubmission(f.as("fr"), key("R1", "FR"), followup.SubmissionInput{Text: "More measures."}))
	// A stakeholder's information on Germany's follow-up, dated earlier, is not Germany's.
	u := mustV[followup.User](t)(f.store.CreateUser(f.as("system"), followup.UserInput{Email: email("ngo"), Name: "NGO desk",
		Role: followup.RoleStakeholder, Organisation: "NGO", Password: password}))
	ngo := followup.WithActor(t.Context(), u.Actor())
	mustV[followup.Submission](t)(f.store.CreateSubmission(ngo, key("R1", "DE"), followup.SubmissionInput{Text: "Our view.", SubmittedOn: date("2026-10-01")}))
	queue = mustV[[]followup.QueueItem](t)(f.store.AssessmentQueue(rap, followup.QueueFilter{}))
	wantLines(t, "the queue after France's addition", queueDates(t, queue), []string{
		"R1/HU 2026-11-01 (recorded 2026-11-26)",
		"R1/DE 2026-11-23 (recorded 2026-11-23)",
		"R1/FR 2026-11-28 (recorded 2026-11-28)",
	})
}

// The follow-ups waiting when the dates begin to be kept get the date of their latest
// submission of the Party's account: a draft or a stakeholder's information does not count.
func TestMigrationDatesTheSubmissionsWaiting(t *testing.T) {
	t.Parallel()
	path, conn := databaseWithout(t, submissionDatesMigration)
	raw := rawSQL{t, conn}
	exec, id := raw.exec, raw.id
	const created = "2026-09-01T10:00:00Z"
	for _, code := range []string{"DE", "FR", "HU"} {
		exec(`INSERT INTO parties (code, name_en, name_fr, created_at) VALUES (?, ?, ?, ?)`, code, code, code, created)
	}
	report := id(`INSERT INTO reports (slug, title, kind, adopted_on, published_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		"legacy", "A report", "special_report", "2026-01-01", "2026-01-01", created, created)
	rec := id(`INSERT INTO recommendations (report_id, position, label, category, text, archived, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		report, 1, "R1", "urge", "Act.", false, created, created)
	followUp := func(party, state, lastAt string) int64 {
		t.Helper()
		var at any
		if lastAt != "" {
			at = lastAt
		}
		return id(`INSERT INTO followups (recommendation_id, party_code, active, state, has_submission, submitted_since_adoption, last_submitted_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, rec, party, true, state, lastAt != "", lastAt != "", at, created, created)
	}
	submission := func(fu int64, on string, draft bool, organisation any, createdAt, updatedAt string) {
		t.Helper()
		var day any
		if on != "" {
			day = on
		}
		exec(`INSERT INTO submissions (followup_id, text, draft, submitted_on, author_name, organisation, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			fu, "Text.", draft, day, "Author", organisation, createdAt, updatedAt)
	}
	// France: a submission, then one recorded later but dated earlier, then a draft.
	fr := followUp("FR", "submitted", "2026-11-20T10:00:00Z")
	submission(fr, "2026-10-01", false, nil, "2026-10-02T10:00:00Z", "2026-10-02T10:00:00Z")
	submission(fr, "2026-09-15", false, nil, "2026-11-20T10:00:00Z", "2026-11-20T10:00:00Z")
	submission(fr, "", true, nil, "2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z")
	// Germany: a draft written first and submitted last, then a stakeholder's information.
	de := followUp("DE", "submitted", "2026-11-22T10:00:00Z")
	submission(de, "2026-11-02", false, nil, "2026-10-01T10:00:00Z", "2026-11-22T10:00:00Z")
	submission(de, "2026-11-10", false, nil, "2026-11-05T10:00:00Z", "2026-11-05T10:00:00Z")
	submission(de, "2026-11-21", false, "NGO", "2026-11-21T10:00:00Z", "2026-11-21T10:00:00Z")
	// Hungary: nothing submitted.
	followUp("HU", "awaiting_submission", "")
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}

	store := openStore(t, path)
	rap := followup.WithActor(t.Context(), followup.Actor{UserID: 1, Role: followup.RoleRapporteur})
	queue := mustV[[]followup.QueueItem](t)(store.AssessmentQueue(rap, followup.QueueFilter{}))
	wantLines(t, "the queue", queueDates(t, queue), []string{
		"R1/FR 2026-09-15 (recorded 2026-11-20)",
		"R1/DE 2026-11-02 (recorded 2026-11-22)",
	})
}
