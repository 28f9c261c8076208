package sqlstore_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"followup/internal/followup"
)

// auditWorld writes one entry of every kind the tracker records and names each by what it is,
// for the visibility tests: "kind" → the ids of its entries.
func auditWorld(t *testing.T) (*fixture, map[string][]int64) {
	t.Helper()
	f := newFixture(t)
	sys, sec, admin := f.as("system"), f.as("secretariat"), f.as("admin")
	kinds := map[string][]int64{}
	last := int64(0)
	mark := func(kind string) {
		t.Helper()
		var ids []int64
		rows, err := f.raw.Query(`SELECT id FROM audit_log WHERE id > ? ORDER BY id`, last)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 0 {
			t.Fatalf("%s wrote no entry", kind)
		}
		kinds[kind] = append(kinds[kind], ids...)
		last = ids[len(ids)-1]
	}
	mark("setup") // the fixture: Parties, the published report, its recommendations and follow-ups, users

	_, err := f.store.UpdateReport(sec, slug, followup.ReportPatch{Round: ptr("Second round")})
	must(t, err)
	mark("report.update")
	_, err = f.store.UpdateRecommendation(sec, slug, "R2", followup.RecommendationPatch{AddressedTo: &[]string{"HU", "FR"}})
	must(t, err)
	mark("recommendation.update (with a follow-up created)")
	_, err = f.store.UpdateRecommendation(sec, slug, "R2", followup.RecommendationPatch{AddressedTo: &[]string{"HU"}})
	must(t, err)
	mark("recommendation.update (with a follow-up stopped)")

	fr := key("R1", "FR")
	d := f.submit(t, "fr", fr, "DRAFT-SECRET of France", true)
	mark("submission.draft FR")
	_, err = f.store.UpdateSubmission(f.as("fr"), fr, d.ID, followup.SubmissionPatch{Text: ptr("DRAFT-SECRET edited")})
	must(t, err)
	mark("submission.edit_draft FR")
	_, err = f.store.UpdateSubmission(f.as("fr"), fr, d.ID, followup.SubmissionPatch{Text: ptr("Sent by France"), Draft: ptr(false)})
	must(t, err)
	mark("submission.submit FR")
	f.submit(t, "hu", key("R1", "HU"), "DRAFT-SECRET of Hungary", true)
	mark("submission.draft HU")
	f.submit(t, "hu", key("R2", "HU"), "Sent by Hungary", false)
	mark("submission.submit HU")
	f.assess(t, fr, followup.NotImplemented, "2026-11-20")
	mark("assessment.create FR")
	f.adopt(t, "2026-11-21", "R1")
	mark("assessment.adopt and followup.due FR")
	f.assess(t, key("R2", "HU"), followup.PartiallyImplemented, "2026-11-22")
	mark("assessment.create HU")

	const draft = "draft-2025"
	_, err = f.store.CreateReport(sec, followup.ReportInput{Slug: draft, Title: "Unpublished", Kind: followup.OtherReport,
		AdoptedOn: date("2025-01-01"), Parties: []string{"FR", "HU"}})
	must(t, err)
	mark("draft report.create")
	_, err = f.store.CreateRecommendation(sec, draft, followup.RecommendationInput{Label: "D1", Category: followup.Urge, Text: "Act."})
	must(t, err)
	mark("draft recommendation.create and followup.create")
	dk := followup.FollowUpKey{Report: draft, Label: "D1", Party: "FR"}
	f.submit(t, "secretariat", dk, "DRAFT-SECRET under a draft report", true)
	mark("draft submission.draft FR")
	f.submit(t, "secretariat", dk, "Sent under a draft report", false)
	mark("draft submission.submit FR")
	_, err = f.store.CreateAssessment(f.as("rapporteur"), dk, followup.AssessmentInput{Status: followup.NoInformation, AssessedOn: date("2026-01-05")})
	must(t, err)
	mark("draft assessment.create FR")
	_, err = f.store.Adopt(sec, draft, followup.AdoptionInput{AdoptedOn: date("2026-01-06")})
	must(t, err)
	mark("draft assessment.adopt FR")

	_, err = f.store.CreateParty(sys, followup.Party{Code: "PT", NameEN: "Portugal", NameFR: "Portugal"})
	must(t, err)
	mark("party.create")
	_, err = f.store.CreateUser(admin, followup.UserInput{Email: "new@coe.test", Name: "New", Role: followup.RoleRapporteur, Password: password})
	must(t, err)
	mark("user.create")
	must(t, f.store.SetUserLang(f.as("rapporteur"), email("rapporteur"), "fr"))
	mark("user.lang of the rapporteur")
	_, err = f.store.CreateToken(admin, email("secretariat"), "script", "")
	must(t, err)
	mark("token.create of the Secretariat")
	_, err = f.store.CreateCalendarToken(f.as("fr"), email("fr"))
	must(t, err)
	mark("calendar_token.create of France's user")
	must(t, f.store.SetUserActive(admin, "new@coe.test", false))
	mark("user.deactivate")

	_, err = f.store.EnqueueReminders(sys, f.store.Today(), followup.DefaultReminderRules(), itemsRenderer{})
	must(t, err)
	msgs, err := f.store.ClaimOutbox(sys, today, time.Minute, 1)
	must(t, err)
	if len(msgs) != 1 {
		t.Fatalf("%d messages claimed", len(msgs))
	}
	must(t, f.store.MarkFailedAttempt(sys, msgs[0].ID, msgs[0].Claim, 1, today, true, "550 no such user"))
	must(t, f.store.RetryOutbox(admin, msgs[0].ID))
	mark("outbox.retry")
	return f, kinds
}

// Every role against every kind of entry: the audit log shows each entry to those who may see
// the record it describes, counts and pages those only, and shows them as the reader may see
// them; the follow-up histories of the Parties' users and the public follow the same rules.
func TestAuditLogVisibilityByRole(t *testing.T) {
	t.Parallel()
	f, kinds := auditWorld(t)
	all := map[int64]string{}
	for kind, ids := range kinds {
		for _, id := range ids {
			all[id] = kind
		}
	}
	// Who sees which kind, written out: "A" admin, "S" Secretariat, "R" rapporteur.
	committee := map[string]string{
		"report.update": "ASR", "recommendation.update (with a follow-up created)": "ASR",
		"recommendation.update (with a follow-up stopped)": "ASR",
		"submission.draft FR":                              "AS", "submission.edit_draft FR": "AS", "submission.submit FR": "ASR",
		"submission.draft HU": "AS", "submission.submit HU": "ASR",
		"assessment.create FR": "ASR", "assessment.adopt and followup.due FR": "ASR", "assessment.create HU": "ASR",
		"draft report.create": "ASR", "draft recommendation.create and followup.create": "ASR",
		"draft submission.draft FR": "AS", "draft submission.submit FR": "ASR", "draft assessment.create FR": "ASR",
		"draft assessment.adopt FR": "ASR", "party.create": "ASR",
		"user.create": "A", "user.lang of the rapporteur": "AR", "token.create of the Secretariat": "AS",
		"calendar_token.create of France's user": "A", "user.deactivate": "A", "outbox.retry": "A",
	}
	for kind := range kinds {
		if _, ok := committee[kind]; !ok && kind != "setup" {
			t.Fatalf("no expectation for %q", kind)
		}
	}
	for _, who := range []string{"admin", "secretariat", "rapporteur"} {
		t.Run(who, func(t *testing.T) {
			letter := strings.ToUpper(who[:1])
			var want []int64
			for id, kind := range all {
				if kind == "setup" {
					continue // checked below, by entity
				}
				if strings.Contains(committee[kind], letter) {
					want = append(want, id)
				}
			}
			ctx := f.as(who)
			var got []followup.AuditEntry
			page, err := f.store.ListAudit(ctx, followup.AuditFilter{Limit: 7})
			must(t, err)
			total := page.Total
			for {
				got = append(got, page.Items...)
				if page.NextCursor == nil {
					break
				}
				if page.Total != total {
					t.Fatalf("the total changed from page to page: %d, %d", total, page.Total)
				}
				page, err = f.store.ListAudit(ctx, followup.AuditFilter{Limit: 7, Cursor: *page.NextCursor})
				must(t, err)
			}
			if len(got) != total {
				t.Fatalf("the pages hold %d entries, the total says %d", len(got), total)
			}
			var ids []int64
			for i, e := range got {
				if i > 0 && e.ID >= got[i-1].ID {
					t.Fatalf("not newest first at %d", i)
				}
				if all[e.ID] != "setup" {
					ids = append(ids, e.ID)
				} else if e.Entity == "user" && who != "admin" && !strings.EqualFold(e.EntityKey, email(who)) {
					t.Errorf("%s reads the account entry %s %s", who, e.Action, e.EntityKey)
				}
				if e.Actor == "" {
					t.Errorf("%s does not read who did entry %d", who, e.ID)
				}
				j, _ := json.Marshal(e)
				if who == "rapporteur" && strings.Contains(string(j), "DRAFT-SECRET") {
					t.Errorf("the rapporteur reads a Party's unsent draft in entry %d (%s): %s", e.ID, all[e.ID], j)
				}
			}
			slices.Sort(ids)
			slices.Sort(want)
			if !slices.Equal(ids, want) {
				t.Errorf("%s reads %s\nwant %s", who, describeIDs(ids, all), describeIDs(want, all))
			}
			// The store's filter is the domain's rule: the same entries as VisibleAudit over all.
			everything, err := f.store.ListAudit(f.as("system"), followup.AuditFilter{Limit: 1000})
			must(t, err)
			var ruled []int64
			for _, e := range followup.VisibleAudit(f.users[who].Actor(), everything.Items) {
				ruled = append(ruled, e.ID)
			}
			var shown []int64
			for _, e := range got {
				shown = append(shown, e.ID)
			}
			if !slices.Equal(shown, ruled) {
				t.Errorf("the store's filter and followup.VisibleAudit disagree for %s:\nstore %v\nrule  %v", who, shown, ruled)
			}
		})
	}

	// The Parties' users and the public read follow-ups' histories by the same rules.
	history := func(who string, k followup.FollowUpKey) (string, []followup.AuditEntry) {
		t.Helper()
		h, err := f.store.FollowUpHistory(f.as(who), k)
		if err != nil {
			return followup.ErrorCode(err), nil
		}
		return "", h
	}
	kindsOf := func(h []followup.AuditEntry) []string {
		seen := map[string]bool{}
		for _, e := range h {
			seen[all[e.ID]] = true
		}
		var out []string
		for k := range seen {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	fr := key("R1", "FR")
	for _, tc := range []struct {
		who  string
		k    followup.FollowUpKey
		code string
		want []string
	}{
		{"fr", fr, "", []string{"assessment.adopt and followup.due FR", "setup", "submission.draft FR", "submission.edit_draft FR", "submission.submit FR"}},
		{"anon", fr, "", []string{"assessment.adopt and followup.due FR", "setup"}},
		{"hu", fr, followup.EForbidden, nil},
		{"hu", key("R2", "HU"), "", []string{"setup", "submission.submit HU"}},
		{"anon", key("R2", "HU"), "", []string{"setup"}},
		{"fr", key("R2", "FR"), "", []string{"recommendation.update (with a follow-up created)", "recommendation.update (with a follow-up stopped)"}},
		{"fr", followup.FollowUpKey{Report: "draft-2025", Label: "D1", Party: "FR"}, followup.ENotFound, nil},
		{"anon", followup.FollowUpKey{Report: "draft-2025", Label: "D1", Party: "FR"}, followup.ENotFound, nil},
	} {
		code, h := history(tc.who, tc.k)
		if code != tc.code {
			t.Errorf("history of %s as %s: %q, want %q", tc.k, tc.who, code, tc.code)
			continue
		}
		if got := kindsOf(h); !slices.Equal(got, tc.want) && tc.code == "" {
			t.Errorf("history of %s as %s: %q, want %q", tc.k, tc.who, got, tc.want)
		}
		for _, e := range h {
			if e.Actor != "" || (tc.who == "anon" && (e.ActorName != "" || e.ActorRole != "")) {
				t.Errorf("history of %s as %s tells who did entry %d: %+v", tc.k, tc.who, e.ID, e)
			}
		}
	}
}

func describeIDs(ids []int64, kinds map[int64]string) string {
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, "\n  %d %s", id, kinds[id])
	}
	return b.String()
}

// The audit log's days are the configured zone's, both ends included; a range that ends before
// it starts is refused, naming the field.
func TestAuditLogDateRange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := f.as("admin")
	all, err := f.store.ListAudit(ctx, followup.AuditFilter{})
	must(t, err)
	for _, tc := range []struct {
		from, to string
		n        int
	}{
		{"2026-11-28", "2026-11-28", all.Total},
		{"2026-11-28", "", all.Total},
		{"", "2026-11-28", all.Total},
		{"2026-11-29", "", 0},
		{"", "2026-11-27", 0},
	} {
		fl := followup.AuditFilter{}
		if tc.from != "" {
			fl.From = date(tc.from)
		}
		if tc.to != "" {
			fl.To = date(tc.to)
		}
		page, err := f.store.ListAudit(ctx, fl)
		must(t, err)
		if page.Total != tc.n || len(page.Items) != min(tc.n, 200) {
			t.Errorf("from %q to %q: %d entries of %d, want %d", tc.from, tc.to, len(page.Items), page.Total, tc.n)
		}
	}
	_, err = f.store.ListAudit(ctx, followup.AuditFilter{From: date("2026-11-28"), To: date("2026-11-27")})
	wantErr(t, err, followup.EInvalid, "to")
	_, err = f.store.ListAudit(ctx, followup.AuditFilter{Cursor: "x"})
	wantErr(t, err, followup.EInvalid, "cursor")
}
