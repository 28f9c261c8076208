package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// "Today" is reckoned in the configured zone; instants are stored in UTC.
func TestTodayInConfiguredZoneAndUTCStamps(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CET", 3600)
	// 23:30 UTC on the 27th is 00:30 on the 28th in Paris.
	clock := followup.FixedClock(time.Date(2026, 11, 28, 0, 30, 0, 0, paris))
	path := storetest.NewDatabase(t)
	store := storetest.OpenAt(t, path, sqlstore.Options{Clock: clock, Location: paris, PasswordCost: bcrypt.MinCost})
	if got := store.Today().String(); got != "2026-11-28" {
		t.Fatalf("Today = %s, want 2026-11-28", got)
	}
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	_, err := store.CreateParty(ctx, followup.Party{Code: "FR", NameEN: "France", NameFR: "France"})
	must(t, err)
	_, err = store.CreateReport(ctx, followup.ReportInput{Slug: "r", Title: "R", Kind: followup.OtherReport,
		AdoptedOn: date("2026-11-28"), FollowupDueOn: date("2026-11-28")})
	must(t, err)
	_, err = store.CreateRecommendation(ctx, "r", followup.RecommendationInput{Label: "R1", Category: followup.Urge, Text: "x"})
	must(t, err)
	k := followup.FollowUpKey{Report: "r", Label: "R1", Party: "FR"}
	sub, err := store.CreateSubmission(ctx, k, followup.SubmissionInput{Text: "x"})
	must(t, err)
	if sub.SubmittedOn.String() != "2026-11-28" {
		t.Fatalf("submitted_on = %s, want 2026-11-28 (Paris day)", sub.SubmittedOn)
	}
	if !sub.CreatedAt.Equal(time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC)) || sub.CreatedAt.Location() != time.UTC {
		t.Fatalf("created_at = %v, want 2026-11-27T23:30:00Z", sub.CreatedAt)
	}
	raw := newRaw(t, path)
	var stamp string
	must(t, raw.QueryRow(`SELECT created_at FROM submissions WHERE id = ?`, sub.ID).Scan(&stamp))
	if !strings.HasPrefix(stamp, "2026-11-27T23:30:00") || !strings.HasSuffix(stamp, "Z") {
		t.Fatalf("stored created_at = %q, want UTC 2026-11-27T23:30:00Z", stamp)
	}
	// Due today (Paris): not overdue yet.
	fu, err := store.FindFollowUp(ctx, k)
	must(t, err)
	if fu.Overdue {
		t.Fatalf("due today is overdue: %+v", fu)
	}
}
