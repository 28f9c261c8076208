package sqlstore_test

import (
	"encoding/json"
	"testing"

	"followup/internal/followup"
)

// A new report is a draft: the committee sees it and everything under it; to the public and to
// the Parties' users it does not exist (not found, with the message of a missing report), on
// every read and every write, until the Secretariat publishes it.
func TestDraftReportIsTheCommitteesOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	sec := f.as("secretariat")
	const draft = "draft-2020"
	r, err := f.store.CreateReport(sec, followup.ReportInput{Slug: draft, Title: "Unpublished", Kind: followup.OtherReport,
		AdoptedOn: date("2020-01-01"), FollowupDueOn: date("2021-01-01"), Parties: []string{"FR", "HU"}})
	must(t, err)
	if r.Published() {
		t.Fatalf("a new report is published: %+v", r)
	}
	_, err = f.store.CreateRecommendation(sec, draft, followup.RecommendationInput{Label: "D1", Category: followup.Urge, Text: "Act."})
	must(t, err)
	dk := followup.FollowUpKey{Report: draft, Label: "D1", Party: "HU"}
	f.submit(t, "secretariat", dk, "On behalf of Hungary.", false)
	_, err = f.store.CreateAssessment(f.as("rapporteur"), dk, followup.AssessmentInput{Status: followup.NotImplemented, AssessedOn: date("2020-06-01")})
	must(t, err)
	_, err = f.store.SnapshotCompliance(f.as("system"), f.store.Today())
	must(t, err)
	if n := f.count(t, `SELECT count(*) FROM compliance_snapshots cs JOIN reports r ON r.id = cs.report_id WHERE r.slug = ?`, draft); n != 0 {
		t.Errorf("%d snapshots of a draft report", n)
	}

	hidden := func(who string) {
		t.Helper()
		ctx := f.as(who)
		list, err := f.store.ListReports(ctx, true)
		must(t, err)
		for _, r := range list {
			if r.Slug == draft {
				t.Errorf("%s lists the draft report", who)
			}
		}
		notFound := func(what string, err error) {
			t.Helper()
			if followup.ErrorCode(err) != followup.ENotFound {
				t.Errorf("%s as %s: %v, want not found", what, who, err)
			}
		}
		_, err = f.store.FindReport(ctx, draft)
		notFound("FindReport", err)
		_, err = f.store.ListRecommendations(ctx, draft, true)
		notFound("ListRecommendations", err)
		_, err = f.store.FindRecommendation(ctx, draft, "D1")
		notFound("FindRecommendation", err)
		own := dk
		if who == "fr" {
			own.Party = "FR" // another Party's follow-up is refused before it is looked up
		}
		_, err = f.store.FindFollowUp(ctx, own)
		notFound("FindFollowUp", err)
		_, err = f.store.FollowUpHistory(ctx, own)
		notFound("FollowUpHistory", err)
		_, err = f.store.ReportCompliance(ctx, draft, followup.ComplianceQuery{})
		notFound("ReportCompliance", err)
		_, err = f.store.ComplianceSnapshots(ctx, draft, "")
		notFound("ComplianceSnapshots", err)
		page, err := f.store.ListFollowUps(ctx, followup.FollowUpFilter{Report: draft, Party: "HU"})
		if who == "fr" {
			wantErr(t, err, followup.EForbidden, "")
		} else {
			must(t, err)
			if len(page.Items) != 0 {
				t.Errorf("ListFollowUps as %s lists the draft report's follow-ups: %v", who, keys(page.Items))
			}
		}
		if who != "fr" {
			d, err := f.store.PartyDossier(ctx, "HU", followup.ComplianceQuery{})
			must(t, err)
			if _, ok := d.Reports[draft]; ok {
				t.Errorf("the dossier read by %s has the draft report", who)
			}
			for _, fu := range d.FollowUps {
				if fu.Report == draft {
					t.Errorf("the dossier read by %s has %s", who, fu.Label)
				}
			}
		}
	}
	for _, who := range []string{"anon", "fr", "hu"} {
		hidden(who)
	}
	before := f.dump(t)
	_, err = f.store.CreateSubmission(f.as("hu"), dk, followup.SubmissionInput{Text: "Hello?"})
	wantErr(t, err, followup.ENotFound, "")
	f.unchanged(t, before)

	for _, who := range []string{"rapporteur", "secretariat", "admin"} {
		ctx := f.as(who)
		_, err := f.store.FindReport(ctx, draft)
		must(t, err)
		fu := f.find(t, who, dk)
		if len(fu.Assessments) != 1 {
			t.Errorf("%s reads %d assessments of the draft report's follow-up", who, len(fu.Assessments))
		}
		_, err = f.store.ReportCompliance(ctx, draft, followup.ComplianceQuery{Basis: followup.BasisDraft})
		must(t, err)
		d, err := f.store.PartyDossier(ctx, "HU", followup.ComplianceQuery{})
		must(t, err)
		if _, ok := d.Reports[draft]; !ok {
			t.Errorf("the dossier read by %s lacks the draft report", who)
		}
	}

	// Publishing: the Secretariat and admins, once, recorded.
	for who, code := range map[string]string{"anon": followup.EUnauthorized, "fr": followup.EForbidden, "rapporteur": followup.EForbidden} {
		_, err := f.store.PublishReport(f.as(who), draft)
		wantErr(t, err, code, "")
	}
	f.unchanged(t, before)
	r, err = f.store.PublishReport(sec, draft)
	must(t, err)
	if r.PublishedOn != f.store.Today() {
		t.Fatalf("published on %s, want today", r.PublishedOn)
	}
	_, err = f.store.PublishReport(sec, draft)
	wantErr(t, err, followup.EConflict, "")
	e := f.lastAudit(t)
	var was, is followup.Report
	if e.Action != "report.publish" || e.EntityKey != draft || json.Unmarshal(e.Before.(json.RawMessage), &was) != nil ||
		json.Unmarshal(e.After.(json.RawMessage), &is) != nil || was.Published() || is.PublishedOn != r.PublishedOn {
		t.Errorf("audit entry of the publication: %+v", e)
	}
	for _, who := range []string{"anon", "hu"} {
		if _, err := f.store.FindFollowUp(f.as(who), dk); err != nil {
			t.Errorf("FindFollowUp as %s after publishing: %v", who, err)
		}
	}
	_, err = f.store.SnapshotCompliance(f.as("system"), f.store.Today())
	must(t, err)
	if n := f.count(t, `SELECT count(*) FROM compliance_snapshots cs JOIN reports r ON r.id = cs.report_id WHERE r.slug = ?`, draft); n == 0 {
		t.Error("no snapshot of the published report")
	}
}
