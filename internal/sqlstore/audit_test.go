package sqlstore_test

import (
	"context"
	"encoding/json"
	"testing"

	"followup/internal/followup"
)

func TestEveryWriteIsAudited(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var draftID int64
	for _, tc := range []struct {
		action, entity, key string
		who                 string
		write               func(ctx context.Context) error
		entries             int // audit entries the write adds
	}{
		{"party.create", "party", "AT", "secretariat", func(ctx context.Context) error {
			_, err := f.store.CreateParty(ctx, followup.Party{Code: "AT", NameEN: "Austria", NameFR: "Autriche"})
			return err
		}, 1},
		{"report.create", "report", "visit-at", "secretariat", func(ctx context.Context) error {
			_, err := f.store.CreateReport(ctx, followup.ReportInput{Slug: "visit-at", Title: "Visit", Kind: followup.VisitReport,
				AdoptedOn: date("2020-01-01"), Parties: []string{"AT"}})
			return err
		}, 1},
		{"report.update", "report", "visit-at", "admin", func(ctx context.Context) error {
			_, err := f.store.UpdateReport(ctx, "visit-at", followup.ReportPatch{Round: ptr("3rd")})
			return err
		}, 1},
		// One followup.create for R1/AT, then the recommendation.
		{"recommendation.create", "recommendation", "visit-at/R1", "secretariat", func(ctx context.Context) error {
			_, err := f.store.CreateRecommendation(ctx, "visit-at", followup.RecommendationInput{Label: "R1", Category: followup.Urge, Text: "x"})
			return err
		}, 2},
		{"recommendation.update", "recommendation", slug + "/R2", "secretariat", func(ctx context.Context) error {
			_, err := f.store.UpdateRecommendation(ctx, slug, "R2", followup.RecommendationPatch{Text: ptr("new text")})
			return err
		}, 1},
		{"submission.draft", "submission", slug + "/R1/FR#1", "fr", func(ctx context.Context) error {
			s, err := f.store.CreateSubmission(ctx, key("R1", "FR"), followup.SubmissionInput{Text: "draft", Draft: true})
			draftID = s.ID
			return err
		}, 1},
		{"submission.edit_draft", "submission", slug + "/R1/FR#1", "fr", func(ctx context.Context) error {
			_, err := f.store.UpdateSubmission(ctx, key("R1", "FR"), draftID, followup.SubmissionPatch{Text: ptr("draft 2")})
			return err
		}, 1},
		{"submission.submit", "submission", slug + "/R1/FR#1", "secretariat", func(ctx context.Context) error {
			_, err := f.store.UpdateSubmission(ctx, key("R1", "FR"), draftID, followup.SubmissionPatch{Draft: ptr(false)})
			return err
		}, 1},
		{"submission.submit", "submission", slug + "/R1/HU#2", "hu", func(ctx context.Context) error {
			_, err := f.store.CreateSubmission(ctx, key("R1", "HU"), followup.SubmissionInput{Text: "measures"})
			return err
		}, 1},
		{"assessment.create", "assessment", slug + "/R1/FR#1", "rapporteur", func(ctx context.Context) error {
			_, err := f.store.CreateAssessment(ctx, key("R1", "FR"), followup.AssessmentInput{Status: followup.Implemented})
			return err
		}, 1},
		{"assessment.adopt", "assessment", slug + "/R1/FR#1", "secretariat", func(ctx context.Context) error {
			_, err := f.store.Adopt(ctx, slug, followup.AdoptionInput{})
			return err
		}, 1},
		{"user.create", "user", "sec2@coe.test", "admin", func(ctx context.Context) error {
			_, err := f.store.CreateUser(ctx, followup.UserInput{Email: "sec2@coe.test", Name: "Sec 2", Role: followup.RoleSecretariat, Password: password})
			return err
		}, 1},
		{"token.create", "user", "sec2@coe.test", "admin", func(ctx context.Context) error {
			_, err := f.store.CreateToken(ctx, "sec2@coe.test", "cli", "")
			return err
		}, 1},
	} {
		t.Run(tc.action+" "+tc.key, func(t *testing.T) {
			before := f.auditCount(t)
			must(t, tc.write(f.as(tc.who)))
			if got := f.auditCount(t); got != before+tc.entries {
				t.Fatalf("audit entries %d, want %d", got, before+tc.entries)
			}
			e := f.lastAudit(t)
			if e.Action != tc.action || e.Entity != tc.entity || e.EntityKey != tc.key || e.Actor != email(tc.who) || !e.At.Equal(today) {
				t.Fatalf("audit entry = %+v, want %s %s %s by %s at %s", e, tc.action, tc.entity, tc.key, email(tc.who), today)
			}
			if e.After == nil {
				t.Fatalf("audit entry has no after")
			}
			if !json.Valid(e.After.(json.RawMessage)) {
				t.Fatalf("after is not JSON: %s", e.After)
			}
		})
	}
	var actorID *int64
	must(t, f.raw.QueryRow(`SELECT actor_id FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&actorID))
	if actorID == nil || *actorID != f.users["admin"].ID {
		t.Fatalf("actor_id = %v, want the admin's id %d", actorID, f.users["admin"].ID)
	}
	// System writes are recorded as such.
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE actor_email = 'system' AND actor_id IS NULL AND action = 'party.create'`); n != 4 {
		t.Fatalf("system party.create entries = %d, want 4", n)
	}
}

func TestListAudit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.submit(t, "fr", key("R1", "FR"), "measures", false)
	for _, tc := range []struct {
		who  string
		code string
	}{
		{"admin", ""}, {"secretariat", ""}, {"rapporteur", ""},
		{"fr", followup.EForbidden}, {"hu", followup.EForbidden}, {"anon", followup.EUnauthorized},
	} {
		t.Run(tc.who, func(t *testing.T) {
			page, err := f.store.ListAudit(f.as(tc.who), followup.AuditFilter{})
			entries := page.Items
			if tc.code != "" {
				wantErr(t, err, tc.code, "")
				if entries != nil {
					t.Fatalf("entries returned with the error: %d", len(entries))
				}
				return
			}
			must(t, err)
			// The admin reads everything; the others what they may see of it (audit_scope_test.go).
			if tc.who == "admin" && len(entries) != f.auditCount(t) {
				t.Fatalf("%d entries, want %d", len(entries), f.auditCount(t))
			}
			if page.Total != len(entries) || page.NextCursor != nil {
				t.Fatalf("a page of everything: total %d, %d entries, next %v", page.Total, len(entries), page.NextCursor)
			}
			for i := 1; i < len(entries); i++ {
				if entries[i].ID >= entries[i-1].ID {
					t.Fatalf("not newest first at %d", i)
				}
			}
			if entries[0].Action != "submission.submit" || entries[0].Actor != "fr@coe.test" {
				t.Fatalf("newest entry = %+v", entries[0])
			}
		})
	}
	byActor, err := f.store.ListAudit(f.as("secretariat"), followup.AuditFilter{Actor: "FR@coe.test"})
	must(t, err)
	if len(byActor.Items) != 1 || byActor.Items[0].Action != "submission.submit" {
		t.Fatalf("filter by actor = %+v", byActor)
	}
	byEntity, err := f.store.ListAudit(f.as("secretariat"), followup.AuditFilter{Entity: "party"})
	must(t, err)
	if len(byEntity.Items) != 4 {
		t.Fatalf("filter by entity party = %d entries, want 4", len(byEntity.Items))
	}
	limited, err := f.store.ListAudit(f.as("secretariat"), followup.AuditFilter{Limit: 3})
	must(t, err)
	if len(limited.Items) != 3 || limited.NextCursor == nil || limited.Total <= 3 {
		t.Fatalf("limit 3 = %d entries of %d, next %v", len(limited.Items), limited.Total, limited.NextCursor)
	}
}
