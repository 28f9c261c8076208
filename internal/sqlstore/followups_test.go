package sqlstore_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"followup/internal/followup"
)

func TestFollowUpStateMachine(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := key("R1", "FR")
	var draftID int64
	steps := []struct {
		name string
		do   func(t *testing.T)
		want followup.State
	}{
		{"new", func(*testing.T) {}, followup.AwaitingSubmission},
		{"draft submission does not move it", func(t *testing.T) {
			s := f.submit(t, "fr", k, "first draft", true)
			if !s.Draft || !s.SubmittedOn.IsZero() || s.Author != "User fr" {
				t.Fatalf("draft = %+v", s)
			}
			draftID = s.ID
		}, followup.AwaitingSubmission},
		{"editing the draft does not move it", func(t *testing.T) {
			s, err := f.store.UpdateSubmission(f.as("fr"), k, draftID, followup.SubmissionPatch{Text: ptr("second draft")})
			must(t, err)
			if s.ID != draftID || s.Text != "second draft" || !s.Draft || !s.SubmittedOn.IsZero() {
				t.Fatalf("edited draft = %+v", s)
			}
		}, followup.AwaitingSubmission},
		{"submitting the draft", func(t *testing.T) {
			s, err := f.store.UpdateSubmission(f.as("fr"), k, draftID, followup.SubmissionPatch{Draft: ptr(false)})
			must(t, err)
			if s.Draft || s.Text != "second draft" || s.SubmittedOn.String() != "2026-11-28" {
				t.Fatalf("submitted draft = %+v", s)
			}
		}, followup.Submitted},
		{"a submitted text cannot be edited", func(t *testing.T) {
			before := f.dump(t)
			_, err := f.store.UpdateSubmission(f.as("fr"), k, draftID, followup.SubmissionPatch{Text: ptr("rewritten")})
			wantErr(t, err, followup.EConflict, "")
			_, err = f.store.UpdateSubmission(f.as("secretariat"), k, draftID, followup.SubmissionPatch{Draft: ptr(true)})
			wantErr(t, err, followup.EConflict, "")
			f.unchanged(t, before)
		}, followup.Submitted},
		{"assess", func(t *testing.T) { f.assess(t, k, followup.NotImplemented, "2026-11-20") }, followup.Assessed},
		{"adopt", func(t *testing.T) {
			if n := f.adopt(t, "2026-11-25"); n != 1 {
				t.Fatalf("adopted %d, want 1", n)
			}
		}, followup.Adopted},
		{"a draft after adoption does not move it", func(t *testing.T) { f.submit(t, "fr", k, "next draft", true) }, followup.Adopted},
		{"new submission after adoption", func(t *testing.T) { f.submit(t, "fr", k, "new measures", false) }, followup.Submitted},
		{"assess again", func(t *testing.T) { f.assess(t, k, followup.Implemented, "2026-11-27") }, followup.Assessed},
		{"adopt again", func(t *testing.T) {
			if n := f.adopt(t, "2026-11-28"); n != 1 {
				t.Fatalf("adopted %d, want 1", n)
			}
		}, followup.Adopted},
	}
	for _, st := range steps {
		st.do(t)
		if got := f.state(t, k); got != st.want {
			t.Fatalf("after %q: state %s, want %s", st.name, got, st.want)
		}
	}
	fu := f.find(t, "secretariat", k)
	if fu.Status == nil || *fu.Status != followup.Implemented || fu.AdoptedOn.String() != "2026-11-28" || fu.Open {
		t.Fatalf("final follow-up = %+v", fu)
	}
	wantStrings(t, "submissions", submissionTexts(fu.Submissions), []string{"second draft", "next draft", "new measures"})

	// An assessment needs no submission.
	de := key("R1", "DE")
	f.assess(t, de, followup.NoInformation, "2026-11-28")
	if got := f.state(t, de); got != followup.Assessed {
		t.Fatalf("R1/DE assessed without a submission: state %s, want assessed", got)
	}
	if n := f.adopt(t, "2026-11-28", "R1"); n != 1 {
		t.Fatalf("adopted %d, want 1", n)
	}
	if got := f.state(t, de); got != followup.Adopted {
		t.Fatalf("R1/DE: state %s, want adopted", got)
	}

	// A submission made after an assessment but before its adoption keeps the follow-up in
	// the rapporteurs' queue.
	hu := key("R1", "HU")
	f.assess(t, hu, followup.NoInformation, "2026-11-28")
	f.submit(t, "hu", hu, "late answer", false)
	if n := f.adopt(t, "2026-11-28", "R1"); n != 1 {
		t.Fatalf("adopted %d, want 1", n)
	}
	if got := f.state(t, hu); got != followup.Submitted {
		t.Fatalf("R1/HU: state %s, want submitted", got)
	}

	// Unknown submission id.
	_, err := f.store.UpdateSubmission(f.as("fr"), k, 999, followup.SubmissionPatch{Text: ptr("x")})
	wantErr(t, err, followup.ENotFound, "")
}

func TestUpdateSubmissionOfAnotherFollowUp(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := f.submit(t, "hu", key("R1", "HU"), "draft of R1", true)
	before := f.dump(t)
	// The id exists, but under another follow-up of the same Party.
	_, err := f.store.UpdateSubmission(f.as("hu"), key("R2", "HU"), s.ID, followup.SubmissionPatch{Text: ptr("moved")})
	wantErr(t, err, followup.ENotFound, "")
	// Another Party's user may not touch it at all.
	_, err = f.store.UpdateSubmission(f.as("fr"), key("R1", "HU"), s.ID, followup.SubmissionPatch{Text: ptr("hijacked")})
	wantErr(t, err, followup.EForbidden, "")
	_, err = f.store.UpdateSubmission(f.as("rapporteur"), key("R1", "HU"), s.ID, followup.SubmissionPatch{Draft: ptr(false)})
	wantErr(t, err, followup.EForbidden, "")
	_, err = f.store.UpdateSubmission(f.as("anon"), key("R1", "HU"), s.ID, followup.SubmissionPatch{Draft: ptr(false)})
	wantErr(t, err, followup.EUnauthorized, "")
	f.unchanged(t, before)
	// The secretariat may submit it on the Party's behalf.
	got, err := f.store.UpdateSubmission(f.as("secretariat"), key("R1", "HU"), s.ID, followup.SubmissionPatch{Draft: ptr(false), SubmittedOn: ptr(date("2026-11-01"))})
	must(t, err)
	if got.Draft || got.SubmittedOn.String() != "2026-11-01" {
		t.Fatalf("submitted by the secretariat = %+v", got)
	}
}

// visibilityFixture builds R1/FR with: a submitted submission, a draft, an adopted assessment,
// a submission after the adoption and a newer draft assessment. R1/DE is assessed (draft)
// without any submission.
func visibilityFixture(t *testing.T) *fixture {
	f := newFixture(t)
	k := key("R1", "FR")
	f.submit(t, "fr", k, "sub1", false)
	f.submit(t, "fr", k, "sub2 draft", true)
	f.assess(t, k, followup.NotImplemented, "2026-10-15")
	if n := f.adopt(t, "2026-10-20"); n != 1 {
		t.Fatalf("adopted %d, want 1", n)
	}
	f.submit(t, "fr", k, "sub3", false)
	f.assess(t, k, followup.PartiallyImplemented, "2026-11-27")
	f.assess(t, key("R1", "DE"), followup.NoInformation, "2026-11-27")
	return f
}

func TestFindFollowUpVisibility(t *testing.T) {
	t.Parallel()
	f := visibilityFixture(t)
	k := key("R1", "FR")
	for _, tc := range []struct {
		who         string
		code        string
		state       followup.State
		submissions []string
		assessments []string
	}{
		{"anon", "", followup.Submitted, nil, []string{"not_implemented"}},
		{"fr", "", followup.Submitted, []string{"sub1", "sub2 draft", "sub3"}, []string{"not_implemented"}},
		{"rapporteur", "", followup.Assessed, []string{"sub1", "sub3"}, []string{"not_implemented", "partially_implemented"}},
		{"secretariat", "", followup.Assessed, []string{"sub1", "sub2 draft", "sub3"}, []string{"not_implemented", "partially_implemented"}},
		{"admin", "", followup.Assessed, []string{"sub1", "sub2 draft", "sub3"}, []string{"not_implemented", "partially_implemented"}},
		{"hu", followup.EForbidden, "", nil, nil},
	} {
		t.Run(tc.who, func(t *testing.T) {
			fu, err := f.store.FindFollowUp(f.as(tc.who), k)
			if tc.code != "" {
				wantErr(t, err, tc.code, "")
				return
			}
			must(t, err)
			if fu.State != tc.state {
				t.Fatalf("state = %s, want %s", fu.State, tc.state)
			}
			wantStrings(t, "submissions", submissionTexts(fu.Submissions), tc.submissions)
			wantStrings(t, "assessments", assessmentStatuses(fu.Assessments), tc.assessments)
			// Everyone sees the adopted status, never the draft one.
			if fu.Status == nil || *fu.Status != followup.NotImplemented || fu.AdoptedOn.String() != "2026-10-20" {
				t.Fatalf("status = %v adopted %s, want not_implemented adopted 2026-10-20", fu.Status, fu.AdoptedOn)
			}
			for _, a := range fu.Assessments {
				if a.Status == followup.NotImplemented && a.AdoptedOn.String() != "2026-10-20" {
					t.Fatalf("adopted assessment = %+v", a)
				}
			}
		})
	}
	// The same Party code in lower case is the same follow-up; another Party's is refused
	// whatever its case.
	if fu := f.find(t, "fr", key("R1", "fr")); fu.Party != "FR" || len(fu.Submissions) != 3 {
		t.Fatalf("R1/fr as fr = %+v", fu)
	}
	_, err := f.store.FindFollowUp(f.as("hu"), key("R1", "fr"))
	wantErr(t, err, followup.EForbidden, "")
	// Assessed without a submission: the public sees it still awaiting one.
	if fu := f.find(t, "anon", key("R1", "DE")); fu.State != followup.AwaitingSubmission || len(fu.Assessments) != 0 {
		t.Fatalf("R1/DE as anonymous = %+v", fu)
	}
	if fu := f.find(t, "rapporteur", key("R1", "DE")); fu.State != followup.Assessed || len(fu.Assessments) != 1 {
		t.Fatalf("R1/DE as rapporteur = %+v", fu)
	}
}

func TestListFollowUpsVisibility(t *testing.T) {
	t.Parallel()
	f := visibilityFixture(t)
	for _, tc := range []struct {
		name   string
		who    string
		filter followup.FollowUpFilter
		code   string
		want   []string
		states []followup.State
	}{
		{"party user defaults to its Party", "fr", followup.FollowUpFilter{}, "", []string{"R1/FR"}, []followup.State{followup.Submitted}},
		{"party user, own Party in lower case", "hu", followup.FollowUpFilter{Party: "hu"}, "", []string{"R1/HU", "R2/HU"}, nil},
		{"party user, other Party", "fr", followup.FollowUpFilter{Party: "HU"}, followup.EForbidden, nil, nil},
		{"party user, other Party in lower case", "fr", followup.FollowUpFilter{Party: "de"}, followup.EForbidden, nil, nil},
		{"anonymous, all", "anon", followup.FollowUpFilter{}, "", []string{"R1/DE", "R1/FR", "R1/HU", "R2/HU"},
			[]followup.State{followup.AwaitingSubmission, followup.Submitted, followup.AwaitingSubmission, followup.AwaitingSubmission}},
		{"anonymous, assessed", "anon", followup.FollowUpFilter{State: followup.Assessed}, "", nil, nil},
		{"party, assessed", "fr", followup.FollowUpFilter{State: followup.Assessed}, "", nil, nil},
		{"anonymous, submitted (draft assessment hidden)", "anon", followup.FollowUpFilter{State: followup.Submitted}, "", []string{"R1/FR"}, nil},
		{"anonymous, awaiting (draft assessment hidden)", "anon", followup.FollowUpFilter{State: followup.AwaitingSubmission}, "", []string{"R1/DE", "R1/HU", "R2/HU"}, nil},
		{"party, submitted", "fr", followup.FollowUpFilter{State: followup.Submitted}, "", []string{"R1/FR"}, nil},
		{"rapporteur, assessed", "rapporteur", followup.FollowUpFilter{State: followup.Assessed}, "", []string{"R1/DE", "R1/FR"}, nil},
		{"rapporteur, submitted", "rapporteur", followup.FollowUpFilter{State: followup.Submitted}, "", nil, nil},
		{"secretariat, awaiting", "secretariat", followup.FollowUpFilter{State: followup.AwaitingSubmission}, "", []string{"R1/HU", "R2/HU"}, nil},
		{"category", "anon", followup.FollowUpFilter{Category: followup.Consider}, "", []string{"R2/HU"}, nil},
		{"bad state", "anon", followup.FollowUpFilter{State: "done"}, followup.EInvalid, nil, nil},
		{"bad category", "anon", followup.FollowUpFilter{Category: "must"}, followup.EInvalid, nil, nil},
		{"bad party", "anon", followup.FollowUpFilter{Party: "FRA"}, followup.EInvalid, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := f.store.ListFollowUps(f.as(tc.who), tc.filter)
			if tc.code != "" {
				if followup.ErrorCode(err) != tc.code {
					t.Fatalf("error %v, want %s", err, tc.code)
				}
				return
			}
			must(t, err)
			wantStrings(t, "follow-ups", keys(page.Items), tc.want)
			if page.NextCursor != nil {
				t.Fatalf("next_cursor = %q, want nil", *page.NextCursor)
			}
			for i, st := range tc.states {
				if page.Items[i].State != st {
					t.Fatalf("%s: state %s, want %s", keys(page.Items)[i], page.Items[i].State, st)
				}
			}
			for _, it := range page.Items {
				if it.Submissions != nil || it.Assessments != nil {
					t.Fatalf("a list item carries submissions or assessments: %+v", it)
				}
			}
		})
	}
}

// A follow-up that was adopted and then re-assessed, with no submission since, is "adopted" for
// everyone outside the Committee until the new assessment is adopted: its public state must
// not change because a draft assessment was made.
func TestDraftAssessmentAfterAdoptionDoesNotLeak(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		submitted bool           // a submission before the first assessment
		wrong     followup.State // the state the leak shows instead of adopted
	}{
		{"with an earlier submission", true, followup.Submitted},
		{"never submitted", false, followup.AwaitingSubmission},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			k := key("R1", "FR")
			if tc.submitted {
				f.submit(t, "fr", k, "sub1", false)
			}
			f.assess(t, k, followup.NotImplemented, "2026-11-01")
			f.adopt(t, "2026-11-02")
			for _, who := range []string{"anon", "fr"} {
				if got := f.find(t, who, k).State; got != followup.Adopted {
					t.Fatalf("as %s before the draft: state %s, want adopted", who, got)
				}
			}
			f.assess(t, k, followup.Implemented, "2026-11-27") // a draft: only the Committee may know
			if got := f.state(t, k); got != followup.Assessed {
				t.Fatalf("committee state %s, want assessed", got)
			}
			for _, who := range []string{"anon", "fr"} {
				fu := f.find(t, who, k)
				if fu.State != followup.Adopted {
					t.Errorf("as %s after a draft assessment: state %s, want adopted (the draft's existence leaks)", who, fu.State)
				}
				page, err := f.store.ListFollowUps(f.as(who), followup.FollowUpFilter{Party: "FR", State: followup.Adopted})
				must(t, err)
				if got := keys(page.Items); len(got) != 1 || got[0] != "R1/FR" {
					t.Errorf("as %s, state=adopted lists %q, want [R1/FR]", who, got)
				}
				page, err = f.store.ListFollowUps(f.as(who), followup.FollowUpFilter{Party: "FR", State: tc.wrong})
				must(t, err)
				if got := keys(page.Items); len(got) != 0 {
					t.Errorf("as %s, state=%s lists %q, want none", who, tc.wrong, got)
				}
			}
		})
	}
}

func TestWritePermissions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// Something to adopt, so that a refused adoption would have had work to do.
	f.assess(t, key("R1", "DE"), followup.NotImplemented, "2026-11-27")
	sub := func(p string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := f.store.CreateSubmission(ctx, key("R1", p), followup.SubmissionInput{Text: "measures"})
			return err
		}
	}
	draft := func(ctx context.Context) error {
		_, err := f.store.CreateSubmission(ctx, key("R1", "HU"), followup.SubmissionInput{Text: "measures", Draft: true})
		return err
	}
	assess := func(ctx context.Context) error {
		_, err := f.store.CreateAssessment(ctx, key("R1", "FR"), followup.AssessmentInput{Status: followup.Implemented})
		return err
	}
	adopt := func(ctx context.Context) error {
		_, err := f.store.Adopt(ctx, slug, followup.AdoptionInput{AdoptedOn: date("2026-11-28")})
		return err
	}
	for _, tc := range []struct {
		name string
		who  string
		op   func(ctx context.Context) error
		code string
	}{
		{"party submits for another Party", "fr", sub("HU"), followup.EForbidden},
		{"party drafts for another Party", "fr", draft, followup.EForbidden},
		{"party submits for another Party, lower case", "fr", sub("hu"), followup.EForbidden},
		{"rapporteur submits", "rapporteur", sub("FR"), followup.EForbidden},
		{"anonymous submits", "anon", sub("FR"), followup.EUnauthorized},
		{"party assesses", "fr", assess, followup.EForbidden},
		{"secretariat assesses", "secretariat", assess, followup.EForbidden},
		{"anonymous assesses", "anon", assess, followup.EUnauthorized},
		{"party adopts", "fr", adopt, followup.EForbidden},
		{"rapporteur adopts", "rapporteur", adopt, followup.EForbidden},
		{"anonymous adopts", "anon", adopt, followup.EUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump(t)
			audits := f.auditCount(t)
			wantErr(t, tc.op(f.as(tc.who)), tc.code, "")
			f.unchanged(t, before)
			if got := f.auditCount(t); got != audits {
				t.Fatalf("audit entries %d, want %d", got, audits)
			}
		})
	}
	for _, tc := range []struct {
		name   string
		who    string
		op     func(ctx context.Context) error
		action string
	}{
		{"party submits for itself", "fr", sub("FR"), "submission.submit"},
		{"party submits for itself, lower case", "fr", sub("fr"), "submission.submit"},
		{"secretariat submits for any Party", "secretariat", sub("HU"), "submission.submit"},
		{"admin submits for any Party", "admin", sub("DE"), "submission.submit"},
		{"rapporteur assesses", "rapporteur", assess, "assessment.create"},
		{"admin assesses", "admin", assess, "assessment.create"},
		{"secretariat adopts", "secretariat", adopt, "assessment.adopt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			audits := f.auditCount(t)
			must(t, tc.op(f.as(tc.who)))
			if got := f.auditCount(t); got <= audits {
				t.Fatalf("audit entries %d, want more than %d", got, audits)
			}
			if e := f.lastAudit(t); e.Action != tc.action || e.Actor != email(tc.who) {
				t.Fatalf("audit entry = %+v, want %s by %s", e, tc.action, email(tc.who))
			}
		})
	}
	// The admin adopts too: an assessment of R1/HU (R1/FR and R1/DE were adopted today already).
	f.assess(t, key("R1", "HU"), followup.NoInformation, "2026-11-28")
	n, err := f.store.Adopt(f.as("admin"), slug, followup.AdoptionInput{AdoptedOn: date("2026-11-28")})
	must(t, err)
	if n != 1 {
		t.Fatalf("admin adopted %d, want 1", n)
	}
}

func TestSubmissionTargets(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		name  string
		who   string
		k     followup.FollowUpKey
		in    followup.SubmissionInput
		code  string
		field string
	}{
		{"Party not addressed", "secretariat", key("R2", "FR"), followup.SubmissionInput{Text: "x"}, followup.EInvalid, "party"},
		{"own Party not addressed", "fr", key("R2", "FR"), followup.SubmissionInput{Text: "x"}, followup.EInvalid, "party"},
		{"Party outside the report", "secretariat", key("R1", "IT"), followup.SubmissionInput{Text: "x"}, followup.EInvalid, "party"},
		{"unknown Party", "secretariat", key("R1", "AT"), followup.SubmissionInput{Text: "x"}, followup.ENotFound, ""},
		{"malformed Party", "secretariat", key("R1", "A1"), followup.SubmissionInput{Text: "x"}, followup.ENotFound, ""},
		{"unknown report", "secretariat", followup.FollowUpKey{Report: "nope", Label: "R1", Party: "FR"}, followup.SubmissionInput{Text: "x"}, followup.ENotFound, ""},
		{"unknown label", "secretariat", key("R9", "FR"), followup.SubmissionInput{Text: "x"}, followup.ENotFound, ""},
		{"empty text", "fr", key("R1", "FR"), followup.SubmissionInput{Text: "  "}, followup.EInvalid, "text"},
		{"future date", "fr", key("R1", "FR"), followup.SubmissionInput{Text: "x", SubmittedOn: date("2026-11-29")}, followup.EInvalid, "submitted_on"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump(t)
			_, err := f.store.CreateSubmission(f.as(tc.who), tc.k, tc.in)
			wantErr(t, err, tc.code, tc.field)
			f.unchanged(t, before)
		})
	}
	for _, tc := range []struct {
		name  string
		k     followup.FollowUpKey
		in    followup.AssessmentInput
		code  string
		field string
	}{
		{"Party not addressed", key("R2", "DE"), followup.AssessmentInput{Status: followup.Implemented}, followup.EInvalid, "party"},
		{"unknown Party", key("R1", "AT"), followup.AssessmentInput{Status: followup.Implemented}, followup.ENotFound, ""},
		{"unknown label", key("R9", "FR"), followup.AssessmentInput{Status: followup.Implemented}, followup.ENotFound, ""},
		{"unknown report", followup.FollowUpKey{Report: "nope", Label: "R1", Party: "FR"}, followup.AssessmentInput{Status: followup.Implemented}, followup.ENotFound, ""},
		{"unknown status", key("R1", "FR"), followup.AssessmentInput{Status: "done"}, followup.EInvalid, "status"},
		{"future date", key("R1", "FR"), followup.AssessmentInput{Status: followup.Implemented, AssessedOn: date("2026-12-01")}, followup.EInvalid, "assessed_on"},
	} {
		t.Run("assessment "+tc.name, func(t *testing.T) {
			before := f.dump(t)
			_, err := f.store.CreateAssessment(f.as("rapporteur"), tc.k, tc.in)
			wantErr(t, err, tc.code, tc.field)
			f.unchanged(t, before)
		})
	}
	_, err := f.store.FindFollowUp(f.as("anon"), key("R9", "FR"))
	wantErr(t, err, followup.ENotFound, "")
	_, err = f.store.FindFollowUp(f.as("anon"), followup.FollowUpKey{Report: "nope", Label: "R1", Party: "FR"})
	wantErr(t, err, followup.ENotFound, "")
	_, err = f.store.FindFollowUp(f.as("anon"), key("R1", "AT"))
	wantErr(t, err, followup.ENotFound, "")
}

func TestAdoption(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fr := key("R1", "FR")
	a1 := f.assess(t, fr, followup.NotImplemented, "2026-11-01")
	a2 := f.assess(t, fr, followup.PartiallyImplemented, "2026-11-02")
	if n := f.adopt(t, "2026-11-10"); n != 1 {
		t.Fatalf("adopted %d, want 1", n)
	}
	adoptedOn := func(id int64) string {
		t.Helper()
		var s *string
		must(t, f.raw.QueryRow(`SELECT adopted_on FROM assessments WHERE id = ?`, id).Scan(&s))
		if s == nil {
			return ""
		}
		return *s
	}
	if got := adoptedOn(a2.ID); got != "2026-11-10" {
		t.Fatalf("latest assessment adopted_on = %q, want 2026-11-10", got)
	}
	if got := adoptedOn(a1.ID); got != "" {
		t.Fatalf("superseded assessment adopted_on = %q, want none", got)
	}
	fu := f.find(t, "anon", fr)
	if fu.Status == nil || *fu.Status != followup.PartiallyImplemented || fu.AdoptedOn.String() != "2026-11-10" {
		t.Fatalf("R1/FR after adoption = %+v", fu)
	}
	wantStrings(t, "public assessments", assessmentStatuses(fu.Assessments), []string{"partially_implemented"})
	audits := f.auditCount(t)
	if n := f.adopt(t, "2026-11-11"); n != 0 {
		t.Fatalf("adopting again adopted %d, want 0", n)
	}
	if got := f.auditCount(t); got != audits {
		t.Fatalf("adopting nothing wrote %d audit entries", got-audits)
	}

	// Labels filter.
	f.assess(t, key("R1", "DE"), followup.NotImplemented, "2026-11-20")
	f.assess(t, key("R2", "HU"), followup.NotImplemented, "2026-11-20")
	if n := f.adopt(t, "2026-11-21", "R2"); n != 1 {
		t.Fatalf("adopting R2 adopted %d, want 1", n)
	}
	if st := f.state(t, key("R1", "DE")); st != followup.Assessed {
		t.Fatalf("R1/DE state %s after adopting R2 only, want assessed", st)
	}
	if st := f.state(t, key("R2", "HU")); st != followup.Adopted {
		t.Fatalf("R2/HU state %s, want adopted", st)
	}

	// Unknown label: nothing adopted.
	before := f.dump(t)
	_, err := f.store.Adopt(f.as("secretariat"), slug, followup.AdoptionInput{AdoptedOn: date("2026-11-21"), Labels: []string{"R1", "R9"}})
	wantErr(t, err, followup.EInvalid, "labels")
	f.unchanged(t, before)

	// Other refusals, nothing adopted.
	for _, tc := range []struct {
		name  string
		slug  string
		in    followup.AdoptionInput
		code  string
		field string
	}{
		{"unknown report", "nope", followup.AdoptionInput{AdoptedOn: date("2026-11-21")}, followup.ENotFound, ""},
		{"future date", slug, followup.AdoptionInput{AdoptedOn: date("2026-11-29")}, followup.EInvalid, "adopted_on"},
		{"before the assessment", slug, followup.AdoptionInput{AdoptedOn: date("2026-11-19")}, followup.EInvalid, "adopted_on"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump(t)
			_, err := f.store.Adopt(f.as("secretariat"), tc.slug, tc.in)
			wantErr(t, err, tc.code, tc.field)
			f.unchanged(t, before)
		})
	}
	if n := f.adopt(t, "2026-11-21"); n != 1 {
		t.Fatalf("adopting R1/DE adopted %d, want 1", n)
	}
}

func TestAdoptionIsAllOrNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// Adoption goes in report order: R1/DE (fine on 2026-11-10) comes before R2/HU (assessed
	// on 2026-11-20, after the adoption date).
	f.assess(t, key("R1", "DE"), followup.NotImplemented, "2026-11-01")
	f.assess(t, key("R2", "HU"), followup.NotImplemented, "2026-11-20")
	before := f.dump(t)
	_, err := f.store.Adopt(f.as("secretariat"), slug, followup.AdoptionInput{AdoptedOn: date("2026-11-10")})
	wantErr(t, err, followup.EInvalid, "adopted_on")
	f.unchanged(t, before)
	if got := f.count(t, `SELECT count(*) FROM assessments WHERE adopted_on IS NOT NULL`); got != 0 {
		t.Fatalf("%d assessments adopted, want 0", got)
	}
	if st := f.state(t, key("R1", "DE")); st != followup.Assessed {
		t.Fatalf("R1/DE state %s, want assessed", st)
	}
	// Adopting only R1 on that date works.
	if n := f.adopt(t, "2026-11-10", "R1"); n != 1 {
		t.Fatalf("adopted %d, want 1", n)
	}
}

func TestAdoptionBeforeAnEarlierAdoption(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := key("R1", "FR")
	f.assess(t, k, followup.NotImplemented, "2026-01-10")
	if n := f.adopt(t, "2026-02-01"); n != 1 {
		t.Fatalf("adopted %d, want 1", n)
	}
	// A new assessment cannot be dated before the latest adoption; on its day it can.
	before := f.dump(t)
	_, err := f.store.CreateAssessment(f.as("rapporteur"), k, followup.AssessmentInput{Status: followup.Implemented, AssessedOn: date("2026-01-15")})
	wantErr(t, err, followup.EInvalid, "assessed_on")
	f.unchanged(t, before)
	f.assess(t, k, followup.Implemented, "2026-02-01")
	before = f.dump(t)
	_, err = f.store.Adopt(f.as("secretariat"), slug, followup.AdoptionInput{AdoptedOn: date("2026-01-20")})
	wantErr(t, err, followup.EInvalid, "adopted_on")
	f.unchanged(t, before)
	// A second adoption on the day of the earlier one would change that day's outcome.
	_, err = f.store.Adopt(f.as("secretariat"), slug, followup.AdoptionInput{AdoptedOn: date("2026-02-01")})
	wantErr(t, err, followup.EInvalid, "adopted_on")
	f.unchanged(t, before)
	if n := f.adopt(t, "2026-02-02"); n != 1 {
		t.Fatalf("adopted %d, want 1", n)
	}
	if fu := f.find(t, "anon", k); fu.Status == nil || *fu.Status != followup.Implemented {
		t.Fatalf("R1/FR = %+v", fu)
	}
	// The picture of the earlier adoption's day is still that adoption's.
	c, err := f.store.ReportCompliance(f.as("anon"), slug, followup.ComplianceQuery{AsOf: date("2026-02-01")})
	must(t, err)
	if c.Overall.Counts[string(followup.NotImplemented)] != 1 || c.Overall.Counts[string(followup.Implemented)] != 0 ||
		c.Overall.Counts[followup.Pending] != 3 || c.Overall.Score == nil || *c.Overall.Score != 0 {
		t.Fatalf("compliance as of 2026-02-01 = %+v (score %v)", c.Overall.Counts, c.Overall.Score)
	}
}

func TestOpenAndOverdue(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	flags := func(k followup.FollowUpKey) (open, overdue bool) {
		t.Helper()
		fu := f.find(t, "secretariat", k)
		return fu.Open, fu.Overdue
	}
	check := func(step string, k followup.FollowUpKey, open, overdue bool) {
		t.Helper()
		if o, d := flags(k); o != open || d != overdue {
			t.Fatalf("%s: %s open=%v overdue=%v, want open=%v overdue=%v", step, k, o, d, open, overdue)
		}
	}
	fr, de, hu, r2 := key("R1", "FR"), key("R1", "DE"), key("R1", "HU"), key("R2", "HU")
	// Due yesterday (the report's deadline), nothing submitted.
	check("new", fr, true, true)
	// R2 is due on 2027-06-30.
	check("new", r2, true, false)
	f.submit(t, "fr", fr, "draft", true)
	check("after a draft", fr, true, true)
	f.submit(t, "fr", fr, "measures", false)
	check("after a submission", fr, true, false)
	f.assess(t, fr, followup.NotImplemented, "2026-11-27")
	check("after an assessment", fr, true, false)
	// The adoption leaves it open with a new deadline (a year on): not overdue until then.
	before := f.dump(t)
	_, err := f.store.Adopt(f.as("secretariat"), slug, followup.AdoptionInput{AdoptedOn: date("2026-11-27"), NextDueOn: date("2026-11-27")})
	wantErr(t, err, followup.EInvalid, "next_due_on")
	f.unchanged(t, before)
	f.adopt(t, "2026-11-27")
	check("after adoption", fr, true, false)
	if st := f.find(t, "anon", fr); st.State != followup.Adopted || st.Overdue || st.DueOn != date("2027-11-27") {
		t.Fatalf("as anonymous: %+v", st)
	}
	f.submit(t, "fr", fr, "more measures", false)
	check("after a new submission", fr, true, false)

	// Implemented closes it: never overdue.
	f.assess(t, de, followup.Implemented, "2026-11-28")
	f.adopt(t, "2026-11-28")
	check("implemented", de, false, false)
	// Not applicable closes it too.
	f.assess(t, hu, followup.NotApplicable, "2026-11-28")
	f.adopt(t, "2026-11-28")
	check("not applicable", hu, false, false)

	all, err := f.store.ListFollowUps(f.as("secretariat"), followup.FollowUpFilter{Report: slug})
	must(t, err)
	wantStrings(t, "all", keys(all.Items), []string{"R1/DE", "R1/FR", "R1/HU", "R2/HU"})
	for _, tc := range []struct {
		name   string
		filter followup.FollowUpFilter
		want   []string
		match  func(followup.FollowUp) bool
	}{
		{"overdue", followup.FollowUpFilter{Overdue: ptr(true)}, nil, func(f followup.FollowUp) bool { return f.Overdue }},
		{"not overdue", followup.FollowUpFilter{Overdue: ptr(false)}, []string{"R1/DE", "R1/FR", "R1/HU", "R2/HU"}, func(f followup.FollowUp) bool { return !f.Overdue }},
		{"open", followup.FollowUpFilter{Open: ptr(true)}, []string{"R1/FR", "R2/HU"}, func(f followup.FollowUp) bool { return f.Open }},
		{"closed", followup.FollowUpFilter{Open: ptr(false)}, []string{"R1/DE", "R1/HU"}, func(f followup.FollowUp) bool { return !f.Open }},
		{"open and not overdue", followup.FollowUpFilter{Open: ptr(true), Overdue: ptr(false)}, []string{"R1/FR", "R2/HU"}, func(f followup.FollowUp) bool { return f.Open && !f.Overdue }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := f.store.ListFollowUps(f.as("anon"), tc.filter)
			must(t, err)
			wantStrings(t, tc.name, keys(page.Items), tc.want)
			var agree []string
			for _, it := range all.Items {
				if tc.match(it) {
					agree = append(agree, it.Label+"/"+it.Party)
				}
			}
			wantStrings(t, tc.name+" (from the items' flags)", keys(page.Items), agree)
		})
	}

	// A later adoption with no submission since gives R1/FR a new deadline, which the lists
	// filter on (the recommendation's passed long ago).
	f.assess(t, fr, followup.PartiallyImplemented, "2026-11-28")
	_, err = f.store.Adopt(f.as("secretariat"), slug, followup.AdoptionInput{AdoptedOn: date("2026-11-28"), NextDueOn: date("2027-03-31")})
	must(t, err)
	check("after the second adoption", fr, true, false)
	if got := f.find(t, "fr", fr).DueOn; got != date("2027-03-31") {
		t.Fatalf("due on %s after an adoption that set 2027-03-31", got)
	}
	page, err := f.store.ListFollowUps(f.as("fr"), followup.FollowUpFilter{Overdue: ptr(false), Open: ptr(true)})
	must(t, err)
	wantStrings(t, "open and not overdue for FR", keys(page.Items), []string{"R1/FR"})
	page, err = f.store.ListFollowUps(f.as("fr"), followup.FollowUpFilter{Overdue: ptr(true)})
	must(t, err)
	wantStrings(t, "overdue for FR", keys(page.Items), nil)
}

// A follow-up with no deadline at all is never overdue, so overdue=false must list it.
func TestOverdueFalseListsFollowUpsWithoutDeadline(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	sec := f.as("secretariat")
	_, err := f.store.CreateReport(sec, followup.ReportInput{Slug: "no-deadline", Title: "No deadline", Kind: followup.OtherReport,
		AdoptedOn: date("2020-01-01"), Parties: []string{"FR"}})
	must(t, err)
	_, err = f.store.CreateRecommendation(sec, "no-deadline", followup.RecommendationInput{Label: "R1", Category: followup.Invite, Text: "x"})
	must(t, err)
	fu, err := f.store.FindFollowUp(sec, followup.FollowUpKey{Report: "no-deadline", Label: "R1", Party: "FR"})
	must(t, err)
	if !fu.DueOn.IsZero() || fu.Overdue || !fu.Open {
		t.Fatalf("follow-up without deadline = %+v", fu)
	}
	page, err := f.store.ListFollowUps(sec, followup.FollowUpFilter{Report: "no-deadline", Overdue: ptr(true)})
	must(t, err)
	wantStrings(t, "overdue=true", keys(page.Items), nil)
	page, err = f.store.ListFollowUps(sec, followup.FollowUpFilter{Report: "no-deadline", Overdue: ptr(false)})
	must(t, err)
	wantStrings(t, "overdue=false (item has overdue=false)", keys(page.Items), []string{"R1/FR"})
}

func TestPagination(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := f.store.CreateRecommendation(f.as("secretariat"), slug, followup.RecommendationInput{Label: "R3", Category: followup.Invite,
		Text: "x", AddressedTo: []string{"FR"}})
	must(t, err)
	var pages [][]string
	seen := map[string]bool{}
	cursor := ""
	for i := 0; i < 10; i++ {
		page, err := f.store.ListFollowUps(f.as("anon"), followup.FollowUpFilter{Limit: 2, Cursor: cursor})
		must(t, err)
		ks := keys(page.Items)
		pages = append(pages, ks)
		for _, k := range ks {
			if seen[k] {
				t.Fatalf("%s appears twice across pages %q", k, pages)
			}
			seen[k] = true
		}
		if page.NextCursor == nil {
			break
		}
		if *page.NextCursor == "" {
			t.Fatalf("empty next_cursor")
		}
		cursor = *page.NextCursor
	}
	if len(pages) != 3 || len(pages[0]) != 2 || len(pages[1]) != 2 || len(pages[2]) != 1 {
		t.Fatalf("pages = %q, want 3 pages of 2, 2 and 1", pages)
	}
	var flat []string
	for _, p := range pages {
		flat = append(flat, p...)
	}
	wantStrings(t, "all pages", flat, []string{"R1/DE", "R1/FR", "R1/HU", "R2/HU", "R3/FR"})

	// Exactly a page's worth: no next page.
	page, err := f.store.ListFollowUps(f.as("anon"), followup.FollowUpFilter{Limit: 5})
	must(t, err)
	if len(page.Items) != 5 || page.NextCursor != nil {
		t.Fatalf("limit 5 over 5: %d items, next %v", len(page.Items), page.NextCursor)
	}
	// Default limit.
	page, err = f.store.ListFollowUps(f.as("anon"), followup.FollowUpFilter{})
	must(t, err)
	if len(page.Items) != 5 || page.NextCursor != nil {
		t.Fatalf("default limit: %d items, next %v", len(page.Items), page.NextCursor)
	}
	for _, tc := range []struct {
		filter followup.FollowUpFilter
		field  string
	}{
		{followup.FollowUpFilter{Cursor: "abc"}, "cursor"},
		{followup.FollowUpFilter{Cursor: "-1"}, "cursor"},
		{followup.FollowUpFilter{Cursor: "1.5"}, "cursor"},
		{followup.FollowUpFilter{Limit: -1}, "limit"},
		{followup.FollowUpFilter{Limit: 1001}, "limit"},
	} {
		_, err := f.store.ListFollowUps(f.as("anon"), tc.filter)
		wantErr(t, err, followup.EInvalid, tc.field)
	}
}

func TestFollowUpHistory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := key("R1", "FR")
	d := f.submit(t, "fr", k, "DRAFT-SECRET", true)
	_, err := f.store.UpdateSubmission(f.as("fr"), k, d.ID, followup.SubmissionPatch{Text: ptr("final text"), Draft: ptr(false)})
	must(t, err)
	f.assess(t, k, followup.NotImplemented, "2026-11-27")
	f.adopt(t, "2026-11-28")
	f.submit(t, "secretariat", k, "on behalf", false)

	// Who: the committee reads the address and the name; the Party's users the name only; the
	// public nothing of who.
	type entry struct{ action, actor, name string }
	const (
		sys  = "System"
		frN  = "User fr"
		rapN = "User rapporteur"
		secN = "User secretariat"
	)
	for _, tc := range []struct {
		who  string
		code string
		want []entry
	}{
		{"secretariat", "", []entry{{"followup.create", "system", sys}, {"submission.draft", "fr@coe.test", frN}, {"submission.submit", "fr@coe.test", frN},
			{"assessment.create", "rapporteur@coe.test", rapN}, {"assessment.adopt", "secretariat@coe.test", secN}, {"followup.due", "secretariat@coe.test", secN}, {"submission.submit", "secretariat@coe.test", secN}}},
		{"rapporteur", "", []entry{{"followup.create", "system", sys}, {"submission.submit", "fr@coe.test", frN},
			{"assessment.create", "rapporteur@coe.test", rapN}, {"assessment.adopt", "secretariat@coe.test", secN}, {"followup.due", "secretariat@coe.test", secN}, {"submission.submit", "secretariat@coe.test", secN}}},
		{"fr", "", []entry{{"followup.create", "", sys}, {"submission.draft", "", frN}, {"submission.submit", "", frN},
			{"assessment.adopt", "", secN}, {"followup.due", "", secN}, {"submission.submit", "", secN}}},
		{"anon", "", []entry{{"followup.create", "", ""}, {"assessment.adopt", "", ""}, {"followup.due", "", ""}}},
		{"hu", followup.EForbidden, nil},
	} {
		t.Run(tc.who, func(t *testing.T) {
			h, err := f.store.FollowUpHistory(f.as(tc.who), k)
			if tc.code != "" {
				wantErr(t, err, tc.code, "")
				return
			}
			must(t, err)
			var got []entry
			for i, e := range h {
				got = append(got, entry{e.Action, e.Actor, e.ActorName})
				if i > 0 && e.ID <= h[i-1].ID {
					t.Fatalf("history not in order: %d after %d", e.ID, h[i-1].ID)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("history = %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("history[%d] = %+v, want %+v (all: %+v)", i, got[i], tc.want[i], got)
				}
			}
		})
	}
}

// The entry of a draft's submission carries the draft as "before": those who may not read
// drafts (the rapporteur) must not read it there either.
func TestFollowUpHistoryDoesNotLeakDrafts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := key("R1", "FR")
	d := f.submit(t, "fr", k, "DRAFT-SECRET", true)
	_, err := f.store.UpdateSubmission(f.as("fr"), k, d.ID, followup.SubmissionPatch{Text: ptr("final text"), Draft: ptr(false)})
	must(t, err)
	if got := f.find(t, "rapporteur", k); len(got.Submissions) != 1 || got.Submissions[0].Text != "final text" {
		t.Fatalf("rapporteur's submissions = %+v", got.Submissions)
	}
	h, err := f.store.FollowUpHistory(f.as("rapporteur"), k)
	must(t, err)
	for _, e := range h {
		j, err := json.Marshal(e)
		must(t, err)
		if strings.Contains(string(j), "DRAFT-SECRET") {
			t.Errorf("the rapporteur reads the draft's text in the %s entry: %s", e.Action, j)
		}
	}
}
