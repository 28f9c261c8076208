package sqlstore_test

import (
	"reflect"
	"slices"
	"testing"

	"followup/internal/followup"
)

func TestCreateReportDefaultParties(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// The fixture's report was adopted on 2018-03-01: IT (joined 2019-01-01) is left out, DE
	// (joining date unknown) is in.
	r, err := f.store.FindReport(f.as("anon"), slug)
	must(t, err)
	wantStrings(t, "parties of "+slug, r.Parties, []string{"DE", "FR", "HU"})
	if r.RecommendationCount != 2 || r.AdoptedOn.String() != "2018-03-01" || r.FollowupDueOn.String() != "2026-11-27" ||
		r.Kind != followup.SpecialReport || r.DocRef != "T-ES(2017)11" || r.Archived {
		t.Fatalf("FindReport = %+v", r)
	}

	for _, tc := range []struct {
		adopted string
		want    []string
	}{
		{"2018-12-31", []string{"DE", "FR", "HU"}},
		{"2019-01-01", []string{"DE", "FR", "HU", "IT"}}, // joined that very day
		{"2015-02-28", []string{"DE", "FR"}},             // before HU joined
		{"2009-12-31", []string{"DE"}},                   // only the Party with no known date
	} {
		s := "report-" + tc.adopted
		r, err := f.store.CreateReport(f.as("secretariat"), followup.ReportInput{Slug: s, Title: "Report " + tc.adopted,
			Kind: followup.ImplementationReport, AdoptedOn: date(tc.adopted)})
		must(t, err)
		wantStrings(t, "parties of "+s, r.Parties, tc.want)
		found, err := f.store.FindReport(f.as("rapporteur"), s)
		must(t, err)
		wantStrings(t, "stored parties of "+s, found.Parties, tc.want)
		if found.FollowupDueOn.IsZero() != true || found.RecommendationCount != 0 {
			t.Fatalf("FindReport(%s) = %+v", s, found)
		}
	}

	// Explicit parties, any case, duplicates dropped.
	r, err = f.store.CreateReport(f.as("admin"), followup.ReportInput{Slug: "visit-it", Title: "Visit", Kind: followup.VisitReport,
		AdoptedOn: date("2016-01-01"), Parties: []string{"it", "FR", "fr"}})
	must(t, err)
	wantStrings(t, "explicit parties", r.Parties, []string{"FR", "IT"})
}

func TestCreateReportRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	in := func(mod func(*followup.ReportInput)) followup.ReportInput {
		r := followup.ReportInput{Slug: "new-report", Title: "New", Kind: followup.OtherReport, AdoptedOn: date("2020-01-01")}
		mod(&r)
		return r
	}
	for _, tc := range []struct {
		name  string
		who   string
		in    followup.ReportInput
		code  string
		field string
	}{
		{"unknown Party", "secretariat", in(func(r *followup.ReportInput) { r.Parties = []string{"FR", "AT"} }), followup.EInvalid, "parties"},
		{"malformed Party", "secretariat", in(func(r *followup.ReportInput) { r.Parties = []string{"FRA"} }), followup.EInvalid, "parties"},
		{"duplicate slug", "secretariat", in(func(r *followup.ReportInput) { r.Slug = slug }), followup.EConflict, ""},
		{"bad slug", "secretariat", in(func(r *followup.ReportInput) { r.Slug = "Bad Slug" }), followup.EInvalid, "slug"},
		{"bad kind", "secretariat", in(func(r *followup.ReportInput) { r.Kind = "memo" }), followup.EInvalid, "kind"},
		{"future adoption", "secretariat", in(func(r *followup.ReportInput) { r.AdoptedOn = date("2026-11-29") }), followup.EInvalid, "adopted_on"},
		{"deadline before adoption", "secretariat", in(func(r *followup.ReportInput) { r.FollowupDueOn = date("2019-12-31") }), followup.EInvalid, "followup_due_on"},
		{"no Party had joined", "secretariat", in(func(r *followup.ReportInput) {
			r.AdoptedOn = date("2009-01-01")
			r.Slug = "too-early"
		}), "", ""}, // DE has no joining date, so it is always in: this one succeeds (checked below)
		{"rapporteur", "rapporteur", in(func(*followup.ReportInput) {}), followup.EForbidden, ""},
		{"party user", "hu", in(func(*followup.ReportInput) {}), followup.EForbidden, ""},
		{"anonymous", "anon", in(func(*followup.ReportInput) {}), followup.EUnauthorized, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.code == "" {
				r, err := f.store.CreateReport(f.as(tc.who), tc.in)
				must(t, err)
				wantStrings(t, "parties", r.Parties, []string{"DE"})
				return
			}
			before := f.dump(t)
			_, err := f.store.CreateReport(f.as(tc.who), tc.in)
			wantErr(t, err, tc.code, tc.field)
			f.unchanged(t, before)
		})
	}
}

func TestUpdateReportPatch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	audits := f.auditCount(t)
	r, err := f.store.UpdateReport(f.as("secretariat"), slug, followup.ReportPatch{
		Title: ptr("  Refugee crisis  "), Round: ptr("special"), FollowupDueOn: ptr(date("2027-01-31")),
	})
	must(t, err)
	if r.Title != "Refugee crisis" || r.Round != "special" || r.FollowupDueOn.String() != "2027-01-31" ||
		r.DocRef != "T-ES(2017)11" || r.Kind != followup.SpecialReport || r.AdoptedOn.String() != "2018-03-01" || r.Archived {
		t.Fatalf("UpdateReport = %+v", r)
	}
	wantStrings(t, "parties", r.Parties, []string{"DE", "FR", "HU"})
	found, err := f.store.FindReport(f.as("anon"), slug)
	must(t, err)
	if found.Title != "Refugee crisis" || found.Round != "special" || found.FollowupDueOn.String() != "2027-01-31" {
		t.Fatalf("FindReport after update = %+v", found)
	}
	// The new deadline flows to the recommendations without their own.
	rec, err := f.store.FindRecommendation(f.as("anon"), slug, "R1")
	must(t, err)
	if rec.EffectiveDueOn.String() != "2027-01-31" {
		t.Fatalf("R1 effective_due_on = %s, want 2027-01-31", rec.EffectiveDueOn)
	}
	if got := f.auditCount(t); got != audits+1 {
		t.Fatalf("audit entries = %d, want %d", got, audits+1)
	}
	e := f.lastAudit(t)
	if e.Action != "report.update" || e.EntityKey != slug || e.Actor != "secretariat@coe.test" || e.Before == nil || e.After == nil {
		t.Fatalf("audit entry = %+v", e)
	}

	// Clearing the deadline: a pointer to the zero Date.
	r, err = f.store.UpdateReport(f.as("secretariat"), slug, followup.ReportPatch{FollowupDueOn: ptr(followup.Date{})})
	must(t, err)
	if !r.FollowupDueOn.IsZero() {
		t.Fatalf("followup_due_on = %s, want cleared", r.FollowupDueOn)
	}

	for _, tc := range []struct {
		name  string
		who   string
		slug  string
		p     followup.ReportPatch
		code  string
		field string
	}{
		{"unknown report", "secretariat", "nope", followup.ReportPatch{Title: ptr("x")}, followup.ENotFound, ""},
		{"empty title", "secretariat", slug, followup.ReportPatch{Title: ptr(" ")}, followup.EInvalid, "title"},
		{"unknown Party", "secretariat", slug, followup.ReportPatch{Parties: &[]string{"DE", "FR", "HU", "AT"}}, followup.EInvalid, "parties"},
		{"no Party", "secretariat", slug, followup.ReportPatch{Parties: &[]string{}}, followup.EInvalid, "parties"},
		{"rapporteur", "rapporteur", slug, followup.ReportPatch{Title: ptr("x")}, followup.EForbidden, ""},
		{"party user", "fr", slug, followup.ReportPatch{Title: ptr("x")}, followup.EForbidden, ""},
		{"anonymous", "anon", slug, followup.ReportPatch{Title: ptr("x")}, followup.EUnauthorized, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump(t)
			_, err := f.store.UpdateReport(f.as(tc.who), tc.slug, tc.p)
			wantErr(t, err, tc.code, tc.field)
			f.unchanged(t, before)
		})
	}
}

func TestUpdateReportPartiesSyncsFollowUps(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	sec := f.as("secretariat")
	followupCount := func(label string) int {
		t.Helper()
		rec, err := f.store.FindRecommendation(f.as("anon"), slug, label)
		must(t, err)
		return rec.FollowupCount
	}
	listKeys := func() []string {
		t.Helper()
		page, err := f.store.ListFollowUps(sec, followup.FollowUpFilter{Report: slug})
		must(t, err)
		return keys(page.Items)
	}
	wantStrings(t, "follow-ups", listKeys(), []string{"R1/DE", "R1/FR", "R1/HU", "R2/HU"})

	// DE has a submission that must survive its removal and return.
	de := f.submit(t, "secretariat", key("R1", "DE"), "Germany's account", false)

	// Add IT, drop DE.
	r, err := f.store.UpdateReport(sec, slug, followup.ReportPatch{Parties: &[]string{"it", "FR", "HU"}})
	must(t, err)
	wantStrings(t, "parties", r.Parties, []string{"FR", "HU", "IT"})
	if n := followupCount("R1"); n != 3 {
		t.Fatalf("R1 followup_count = %d, want 3", n)
	}
	if n := followupCount("R2"); n != 1 {
		t.Fatalf("R2 followup_count = %d, want 1", n)
	}
	wantStrings(t, "follow-ups", listKeys(), []string{"R1/FR", "R1/HU", "R2/HU", "R1/IT"})
	gone := f.find(t, "secretariat", key("R1", "DE"))
	if gone.Active {
		t.Fatalf("R1/DE is still active after DE left the report")
	}
	if got := f.count(t, `SELECT count(*) FROM followups`); got != 5 {
		t.Fatalf("followups rows = %d, want 5 (R1/DE kept, R1/IT added)", got)
	}
	_, err = f.store.CreateSubmission(sec, key("R1", "DE"), followup.SubmissionInput{Text: "late"})
	wantErr(t, err, followup.EInvalid, "party")

	// DE comes back: the same row, with its submission.
	_, err = f.store.UpdateReport(sec, slug, followup.ReportPatch{Parties: &[]string{"DE", "FR", "HU", "IT"}})
	must(t, err)
	back := f.find(t, "secretariat", key("R1", "DE"))
	if !back.Active || len(back.Submissions) != 1 || back.Submissions[0].ID != de.ID || back.State != followup.Submitted {
		t.Fatalf("R1/DE after returning = %+v", back)
	}
	if got := f.count(t, `SELECT count(*) FROM followups`); got != 5 {
		t.Fatalf("followups rows = %d, want 5 (no new row for DE)", got)
	}
	if n := followupCount("R1"); n != 4 {
		t.Fatalf("R1 followup_count = %d, want 4", n)
	}
	if got := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'followup.deactivate' AND entity_key = ?`, slug+"/R1/DE"); got != 1 {
		t.Fatalf("followup.deactivate entries for R1/DE = %d, want 1", got)
	}
	if got := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'followup.activate' AND entity_key = ?`, slug+"/R1/DE"); got != 1 {
		t.Fatalf("followup.activate entries for R1/DE = %d, want 1", got)
	}

	// HU is explicitly addressed by R2: it cannot be removed, and nothing changes.
	before := f.dump(t)
	_, err = f.store.UpdateReport(sec, slug, followup.ReportPatch{Parties: &[]string{"DE", "FR", "IT"}, Title: ptr("changed")})
	wantErr(t, err, followup.EInvalid, "parties")
	f.unchanged(t, before)
	r, err = f.store.FindReport(f.as("anon"), slug)
	must(t, err)
	wantStrings(t, "parties after refused removal", r.Parties, []string{"DE", "FR", "HU", "IT"})
}

func TestArchiveReport(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	sec := f.as("secretariat")
	_, err := f.store.CreateReport(sec, followup.ReportInput{Slug: "other-2020", Title: "Other", Kind: followup.OtherReport, AdoptedOn: date("2020-05-05")})
	must(t, err)
	_, err = f.store.PublishReport(sec, "other-2020")
	must(t, err)
	slugs := func(includeArchived bool) []string {
		t.Helper()
		list, err := f.store.ListReports(f.as("anon"), includeArchived)
		must(t, err)
		var out []string
		for _, r := range list {
			out = append(out, r.Slug)
		}
		return out
	}
	wantStrings(t, "reports (newest first)", slugs(false), []string{"other-2020", slug})

	r, err := f.store.UpdateReport(sec, slug, followup.ReportPatch{Archived: ptr(true)})
	must(t, err)
	if !r.Archived {
		t.Fatalf("UpdateReport did not archive: %+v", r)
	}
	wantStrings(t, "reports without archived", slugs(false), []string{"other-2020"})
	wantStrings(t, "reports with archived", slugs(true), []string{"other-2020", slug})
	found, err := f.store.FindReport(f.as("anon"), slug)
	must(t, err)
	if !found.Archived {
		t.Fatalf("FindReport of an archived report: archived = false")
	}
	// An archived report takes no new recommendation and no submission.
	_, err = f.store.CreateRecommendation(sec, slug, followup.RecommendationInput{Label: "R3", Category: followup.Invite, Text: "x"})
	wantErr(t, err, followup.EConflict, "")
	_, err = f.store.CreateSubmission(sec, key("R1", "FR"), followup.SubmissionInput{Text: "x"})
	wantErr(t, err, followup.EConflict, "")
	// And its follow-ups leave the lists.
	page, err := f.store.ListFollowUps(sec, followup.FollowUpFilter{Report: slug})
	must(t, err)
	if len(page.Items) != 0 {
		t.Fatalf("ListFollowUps of an archived report = %q, want none", keys(page.Items))
	}

	_, err = f.store.UpdateReport(sec, slug, followup.ReportPatch{Archived: ptr(false)})
	must(t, err)
	wantStrings(t, "reports after un-archiving", slugs(false), []string{"other-2020", slug})
}

func TestCreateRecommendation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	recs, err := f.store.ListRecommendations(f.as("anon"), slug, false)
	must(t, err)
	if len(recs) != 2 {
		t.Fatalf("ListRecommendations = %d, want 2", len(recs))
	}
	r1, r2 := recs[0], recs[1]
	if r1.Label != "R1" || r1.Category != followup.Urge || r1.FollowupCount != 3 || len(r1.AddressedTo) != 0 ||
		!slices.Equal(r1.Articles, []string{"4", "11"}) || !r1.DueOn.IsZero() || r1.EffectiveDueOn.String() != "2026-11-27" || r1.Report != slug {
		t.Fatalf("R1 = %+v", r1)
	}
	if r2.Label != "R2" || r2.Category != followup.Consider || r2.FollowupCount != 1 || !slices.Equal(r2.AddressedTo, []string{"HU"}) ||
		r2.DueOn.String() != "2027-06-30" || r2.EffectiveDueOn.String() != "2027-06-30" {
		t.Fatalf("R2 = %+v", r2)
	}
	if got := f.count(t, `SELECT count(*) FROM followups WHERE active = TRUE`); got != 4 {
		t.Fatalf("active follow-ups = %d, want 4", got)
	}
	page, err := f.store.ListFollowUps(f.as("anon"), followup.FollowUpFilter{Report: slug})
	must(t, err)
	wantStrings(t, "follow-ups", keys(page.Items), []string{"R1/DE", "R1/FR", "R1/HU", "R2/HU"})
	for _, it := range page.Items {
		if it.State != followup.AwaitingSubmission || it.Status != nil || !it.Open || !it.Active {
			t.Fatalf("new follow-up %s/%s = %+v", it.Label, it.Party, it)
		}
	}

	// A new one, addressed to two Parties in any case.
	r3, err := f.store.CreateRecommendation(f.as("secretariat"), slug, followup.RecommendationInput{Label: "IV-3",
		Category: followup.Invite, Text: "Summary: train the border staff.", AddressedTo: []string{"hu", "DE"}})
	must(t, err)
	if r3.FollowupCount != 2 || !slices.Equal(r3.AddressedTo, []string{"DE", "HU"}) || r3.EffectiveDueOn.String() != "2026-11-27" {
		t.Fatalf("IV-3 = %+v", r3)
	}
	// What CreateRecommendation returns (and records in the audit log) is what is read back.
	back, err := f.store.FindRecommendation(f.as("anon"), slug, "IV-3")
	must(t, err)
	if !reflect.DeepEqual(r3, back) {
		t.Fatalf("created %+v\nread back %+v", r3, back)
	}
	e := f.lastAudit(t)
	if e.Action != "recommendation.create" || e.EntityKey != slug+"/IV-3" || e.Actor != "secretariat@coe.test" {
		t.Fatalf("audit entry = %+v", e)
	}
	report, err := f.store.FindReport(f.as("anon"), slug)
	must(t, err)
	if report.RecommendationCount != 3 {
		t.Fatalf("recommendation_count = %d, want 3", report.RecommendationCount)
	}

	for _, tc := range []struct {
		name  string
		who   string
		slug  string
		in    followup.RecommendationInput
		code  string
		field string
	}{
		{"duplicate label", "secretariat", slug, followup.RecommendationInput{Label: "R1", Category: followup.Urge, Text: "again"}, followup.EConflict, "label"},
		{"addressee outside the report", "secretariat", slug, followup.RecommendationInput{Label: "R9", Category: followup.Urge, Text: "x", AddressedTo: []string{"IT"}}, followup.EInvalid, "addressed_to"},
		{"unknown addressee", "secretariat", slug, followup.RecommendationInput{Label: "R9", Category: followup.Urge, Text: "x", AddressedTo: []string{"ZZ"}}, followup.EInvalid, "addressed_to"},
		{"malformed addressee", "secretariat", slug, followup.RecommendationInput{Label: "R9", Category: followup.Urge, Text: "x", AddressedTo: []string{"H"}}, followup.EInvalid, "addressed_to"},
		{"bad category", "secretariat", slug, followup.RecommendationInput{Label: "R9", Category: "demand", Text: "x"}, followup.EInvalid, "category"},
		{"no text", "secretariat", slug, followup.RecommendationInput{Label: "R9", Category: followup.Urge, Text: " "}, followup.EInvalid, "text"},
		{"bad label", "secretariat", slug, followup.RecommendationInput{Label: "R/9", Category: followup.Urge, Text: "x"}, followup.EInvalid, "label"},
		{"bad article", "secretariat", slug, followup.RecommendationInput{Label: "R9", Category: followup.Urge, Text: "x", Articles: []string{"art. 4"}}, followup.EInvalid, "articles"},
		{"unknown report", "secretariat", "nope", followup.RecommendationInput{Label: "R9", Category: followup.Urge, Text: "x"}, followup.ENotFound, ""},
		{"rapporteur", "rapporteur", slug, followup.RecommendationInput{Label: "R9", Category: followup.Urge, Text: "x"}, followup.EForbidden, ""},
		{"party user", "hu", slug, followup.RecommendationInput{Label: "R9", Category: followup.Urge, Text: "x"}, followup.EForbidden, ""},
		{"anonymous", "anon", slug, followup.RecommendationInput{Label: "R9", Category: followup.Urge, Text: "x"}, followup.EUnauthorized, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump(t)
			_, err := f.store.CreateRecommendation(f.as(tc.who), tc.slug, tc.in)
			wantErr(t, err, tc.code, tc.field)
			f.unchanged(t, before)
		})
	}
	_, err = f.store.FindRecommendation(f.as("anon"), slug, "R9")
	wantErr(t, err, followup.ENotFound, "")
	_, err = f.store.FindRecommendation(f.as("anon"), "nope", "R1")
	wantErr(t, err, followup.ENotFound, "")
}

func TestUpdateRecommendationAddresseesKeepHistory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	sec := f.as("secretariat")
	sub := f.submit(t, "hu", key("R2", "HU"), "Hungary's account", false)
	f.assess(t, key("R2", "HU"), followup.NotImplemented, "2026-11-20")
	rowsBefore := f.count(t, `SELECT count(*) FROM followups`)

	// R2 moves from HU to FR: HU's follow-up is de-activated, not deleted.
	rec, err := f.store.UpdateRecommendation(sec, slug, "R2", followup.RecommendationPatch{AddressedTo: &[]string{"fr"}})
	must(t, err)
	if !slices.Equal(rec.AddressedTo, []string{"FR"}) || rec.FollowupCount != 1 {
		t.Fatalf("R2 after readdressing = %+v", rec)
	}
	hu := f.find(t, "secretariat", key("R2", "HU"))
	if hu.Active || len(hu.Submissions) != 1 || hu.Submissions[0].ID != sub.ID || len(hu.Assessments) != 1 {
		t.Fatalf("R2/HU after leaving = %+v", hu)
	}
	if fr := f.find(t, "secretariat", key("R2", "FR")); !fr.Active || fr.State != followup.AwaitingSubmission {
		t.Fatalf("R2/FR = %+v", fr)
	}
	// A de-activated follow-up takes no more submissions or assessments.
	_, err = f.store.CreateSubmission(f.as("hu"), key("R2", "HU"), followup.SubmissionInput{Text: "more"})
	wantErr(t, err, followup.EInvalid, "party")
	_, err = f.store.CreateAssessment(f.as("rapporteur"), key("R2", "HU"), followup.AssessmentInput{Status: followup.Implemented})
	wantErr(t, err, followup.EInvalid, "party")

	// Back to HU (and FR): the same follow-up returns with its history.
	rec, err = f.store.UpdateRecommendation(sec, slug, "R2", followup.RecommendationPatch{AddressedTo: &[]string{"HU", "FR"}})
	must(t, err)
	if !slices.Equal(rec.AddressedTo, []string{"FR", "HU"}) || rec.FollowupCount != 2 {
		t.Fatalf("R2 after readdressing back = %+v", rec)
	}
	hu = f.find(t, "secretariat", key("R2", "HU"))
	if !hu.Active || len(hu.Submissions) != 1 || hu.Submissions[0].ID != sub.ID || hu.Submissions[0].Text != "Hungary's account" ||
		len(hu.Assessments) != 1 || hu.State != followup.Assessed {
		t.Fatalf("R2/HU after returning = %+v", hu)
	}
	if got := f.count(t, `SELECT count(*) FROM followups`); got != rowsBefore+1 {
		t.Fatalf("followups rows = %d, want %d (only R2/FR is new)", got, rowsBefore+1)
	}
	var actions []string
	rows, err := f.raw.Query(`SELECT action FROM audit_log WHERE entity_key = ? ORDER BY id`, slug+"/R2/HU")
	must(t, err)
	for rows.Next() {
		var a string
		must(t, rows.Scan(&a))
		actions = append(actions, a)
	}
	rows.Close()
	wantStrings(t, "R2/HU follow-up audit", actions, []string{"followup.create", "followup.deactivate", "followup.activate"})

	// Addressed to all: every Party of the report.
	rec, err = f.store.UpdateRecommendation(sec, slug, "R2", followup.RecommendationPatch{AddressedTo: &[]string{}})
	must(t, err)
	if len(rec.AddressedTo) != 0 || rec.FollowupCount != 3 {
		t.Fatalf("R2 addressed to all = %+v", rec)
	}

	for _, tc := range []struct {
		name  string
		who   string
		label string
		p     followup.RecommendationPatch
		code  string
		field string
	}{
		{"addressee outside the report", "secretariat", "R2", followup.RecommendationPatch{AddressedTo: &[]string{"IT"}}, followup.EInvalid, "addressed_to"},
		{"bad category", "secretariat", "R2", followup.RecommendationPatch{Category: ptr(followup.Category("x"))}, followup.EInvalid, "category"},
		{"unknown label", "secretariat", "R9", followup.RecommendationPatch{Text: ptr("x")}, followup.ENotFound, ""},
		{"rapporteur", "rapporteur", "R2", followup.RecommendationPatch{Text: ptr("x")}, followup.EForbidden, ""},
		{"party user", "hu", "R2", followup.RecommendationPatch{Text: ptr("x")}, followup.EForbidden, ""},
		{"anonymous", "anon", "R2", followup.RecommendationPatch{Text: ptr("x")}, followup.EUnauthorized, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump(t)
			_, err := f.store.UpdateRecommendation(f.as(tc.who), slug, tc.label, tc.p)
			wantErr(t, err, tc.code, tc.field)
			f.unchanged(t, before)
		})
	}
}

func TestEffectiveDueOn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	sec := f.as("secretariat")
	for _, tc := range []struct {
		name      string
		p         followup.RecommendationPatch
		due, want string
	}{
		{"own deadline", followup.RecommendationPatch{DueOn: ptr(date("2027-03-01"))}, "2027-03-01", "2027-03-01"},
		{"cleared: the report's", followup.RecommendationPatch{DueOn: ptr(followup.Date{})}, "", "2026-11-27"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := f.store.UpdateRecommendation(sec, slug, "R2", tc.p)
			must(t, err)
			if rec.DueOn.String() != tc.due || rec.EffectiveDueOn.String() != tc.want {
				t.Fatalf("due_on = %q, effective_due_on = %q; want %q, %q", rec.DueOn, rec.EffectiveDueOn, tc.due, tc.want)
			}
			if fu := f.find(t, "anon", key("R2", "HU")); fu.DueOn.String() != tc.want {
				t.Fatalf("follow-up due_on = %s, want %s", fu.DueOn, tc.want)
			}
		})
	}
}
