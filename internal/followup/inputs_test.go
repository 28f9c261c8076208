package followup_test

import (
	"strings"
	"testing"

	"followup/internal/followup"
)

func TestRoleValid(t *testing.T) {
	for _, r := range []followup.Role{"admin", "secretariat", "rapporteur", "party"} {
		if !r.Valid() {
			t.Errorf("%q is not valid", r)
		}
	}
	for _, r := range []followup.Role{"", "Admin", "public", "anonymous"} {
		if r.Valid() {
			t.Errorf("%q is valid", r)
		}
	}
}

func TestUserInputValidate(t *testing.T) {
	pw := "correct horse battery"
	tests := []struct {
		name  string
		in    followup.UserInput
		field string
		want  followup.UserInput // checked when field == ""
	}{
		{"admin", followup.UserInput{Email: " Ann@Example.ORG ", Name: " Ann ", Role: followup.RoleAdmin, Password: pw}, "",
			followup.UserInput{Email: "ann@example.org", Name: "Ann", Role: followup.RoleAdmin, Password: pw}},
		{"secretariat", followup.UserInput{Email: "s@coe.int", Name: "S", Role: followup.RoleSecretariat, Password: pw}, "",
			followup.UserInput{Email: "s@coe.int", Name: "S", Role: followup.RoleSecretariat, Password: pw}},
		{"rapporteur", followup.UserInput{Email: "r@coe.int", Name: "R", Role: followup.RoleRapporteur, Password: pw}, "",
			followup.UserInput{Email: "r@coe.int", Name: "R", Role: followup.RoleRapporteur, Password: pw}},
		{"party user, code normalised", followup.UserInput{Email: "p@gouv.fr", Name: "P", Role: followup.RoleParty, Party: " fr", Password: pw}, "",
			followup.UserInput{Email: "p@gouv.fr", Name: "P", Role: followup.RoleParty, Party: "FR", Password: pw}},
		{"password of 12 bytes", followup.UserInput{Email: "a@b", Name: "A", Role: followup.RoleAdmin, Password: "vessel amber"}, "",
			followup.UserInput{Email: "a@b", Name: "A", Role: followup.RoleAdmin, Password: "vessel amber"}},
		{"password of 72 bytes", followup.UserInput{Email: "a@b", Name: "A", Role: followup.RoleAdmin, Password: strings.Repeat("p", 71) + "q"}, "",
			followup.UserInput{Email: "a@b", Name: "A", Role: followup.RoleAdmin, Password: strings.Repeat("p", 71) + "q"}},

		{"no email", followup.UserInput{Name: "A", Role: followup.RoleAdmin, Password: pw}, "email", followup.UserInput{}},
		{"no at sign", followup.UserInput{Email: "ann.example.org", Name: "A", Role: followup.RoleAdmin, Password: pw}, "email", followup.UserInput{}},
		{"nothing before @", followup.UserInput{Email: "@example.org", Name: "A", Role: followup.RoleAdmin, Password: pw}, "email", followup.UserInput{}},
		{"nothing after @", followup.UserInput{Email: "ann@", Name: "A", Role: followup.RoleAdmin, Password: pw}, "email", followup.UserInput{}},
		{"space inside", followup.UserInput{Email: "ann smith@example.org", Name: "A", Role: followup.RoleAdmin, Password: pw}, "email", followup.UserInput{}},
		{"display name form", followup.UserInput{Email: "Ann <ann@example.org>", Name: "A", Role: followup.RoleAdmin, Password: pw}, "email", followup.UserInput{}},
		{"two addresses", followup.UserInput{Email: "a@b.org,c@d.org", Name: "A", Role: followup.RoleAdmin, Password: pw}, "email", followup.UserInput{}},
		{"no name", followup.UserInput{Email: "a@b.org", Name: "  ", Role: followup.RoleAdmin, Password: pw}, "name", followup.UserInput{}},
		{"no role", followup.UserInput{Email: "a@b.org", Name: "A", Password: pw}, "role", followup.UserInput{}},
		{"unknown role", followup.UserInput{Email: "a@b.org", Name: "A", Role: "editor", Password: pw}, "role", followup.UserInput{}},
		{"party role without Party", followup.UserInput{Email: "a@b.org", Name: "A", Role: followup.RoleParty, Password: pw}, "party", followup.UserInput{}},
		{"party role with bad Party", followup.UserInput{Email: "a@b.org", Name: "A", Role: followup.RoleParty, Party: "FRA", Password: pw}, "party", followup.UserInput{}},
		{"admin bound to a Party", followup.UserInput{Email: "a@b.org", Name: "A", Role: followup.RoleAdmin, Party: "FR", Password: pw}, "party", followup.UserInput{}},
		{"rapporteur bound to a Party", followup.UserInput{Email: "a@b.org", Name: "A", Role: followup.RoleRapporteur, Party: "DE", Password: pw}, "party", followup.UserInput{}},
		{"secretariat bound to a Party", followup.UserInput{Email: "a@b.org", Name: "A", Role: followup.RoleSecretariat, Party: "DE", Password: pw}, "party", followup.UserInput{}},
		{"no password", followup.UserInput{Email: "a@b.org", Name: "A", Role: followup.RoleAdmin}, "password", followup.UserInput{}},
		{"password of 11 bytes", followup.UserInput{Email: "a@b.org", Name: "A", Role: followup.RoleAdmin, Password: "12345678901"}, "password", followup.UserInput{}},
		{"password of 73 bytes", followup.UserInput{Email: "a@b.org", Name: "A", Role: followup.RoleAdmin, Password: strings.Repeat("p", 72) + "q"}, "password", followup.UserInput{}},
		{"password of spaces", followup.UserInput{Email: "a@b.org", Name: "A", Role: followup.RoleAdmin, Password: strings.Repeat(" ", 12)}, "password", followup.UserInput{}},
		{"common password", followup.UserInput{Email: "a@b.org", Name: "A", Role: followup.RoleAdmin, Password: "Password1234"}, "password", followup.UserInput{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.Validate()
			if tt.field != "" {
				wantDomainErr(t, err, followup.EInvalid, tt.field)
				return
			}
			wantDomainErr(t, err, "", "")
			if in != tt.want {
				t.Errorf("got %+v, want %+v", in, tt.want)
			}
		})
	}
}

func TestUserActor(t *testing.T) {
	u := followup.User{ID: 7, Email: "p@gouv.fr", Name: "P", Role: followup.RoleParty, Party: "FR", Active: true}
	want := followup.Actor{UserID: 7, Email: "p@gouv.fr", Name: "P", Role: followup.RoleParty, Party: "FR"}
	if got := u.Actor(); got != want {
		t.Errorf("Actor() = %+v, want %+v", got, want)
	}
	if u.Actor().Anonymous() {
		t.Error("a user's actor is anonymous")
	}
}

func TestSubmissionInputValidate(t *testing.T) {
	today := day("2019-06-06")
	tests := []struct {
		name     string
		in       followup.SubmissionInput
		field    string
		wantText string
		wantOn   string // "" for the zero Date
	}{
		{"defaults to today", followup.SubmissionInput{Text: " Measures taken. "}, "", "Measures taken.", "2019-06-06"},
		{"given date kept", followup.SubmissionInput{Text: "M", SubmittedOn: day("2019-01-10")}, "", "M", "2019-01-10"},
		{"today given", followup.SubmissionInput{Text: "M", SubmittedOn: today}, "", "M", "2019-06-06"},
		{"future date", followup.SubmissionInput{Text: "M", SubmittedOn: today.AddDays(1)}, "submitted_on", "", ""},
		{"draft has no date", followup.SubmissionInput{Text: "M", Draft: true}, "", "M", ""},
		{"draft date dropped", followup.SubmissionInput{Text: "M", Draft: true, SubmittedOn: day("2019-01-10")}, "", "M", ""},
		{"draft with future date is fine: dropped", followup.SubmissionInput{Text: "M", Draft: true, SubmittedOn: today.AddDays(30)}, "", "M", ""},
		{"empty text", followup.SubmissionInput{Text: ""}, "text", "", ""},
		{"blank text", followup.SubmissionInput{Text: " \n "}, "text", "", ""},
		{"blank draft", followup.SubmissionInput{Text: " ", Draft: true}, "text", "", ""},
		{"text of 100000 runes", followup.SubmissionInput{Text: strings.Repeat("é", 100000)}, "", strings.Repeat("é", 100000), "2019-06-06"},
		{"text too long", followup.SubmissionInput{Text: strings.Repeat("x", 100001)}, "text", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.Validate(today)
			if tt.field != "" {
				wantDomainErr(t, err, followup.EInvalid, tt.field)
				return
			}
			wantDomainErr(t, err, "", "")
			if in.Text != tt.wantText {
				t.Errorf("text %q, want %q", in.Text, tt.wantText)
			}
			if in.SubmittedOn.String() != tt.wantOn {
				t.Errorf("submitted_on %q, want %q", in.SubmittedOn, tt.wantOn)
			}
		})
	}
}

func TestStatusValid(t *testing.T) {
	for _, s := range []followup.Status{"implemented", "partially_implemented", "not_implemented", "no_information", "not_applicable"} {
		if !s.Valid() {
			t.Errorf("%q is not valid", s)
		}
	}
	for _, s := range []followup.Status{"", "pending", "Implemented", "partial", "done"} {
		if s.Valid() {
			t.Errorf("%q is valid", s)
		}
	}
	want := []followup.Status{followup.Implemented, followup.PartiallyImplemented, followup.NotImplemented, followup.NoInformation, followup.NotApplicable}
	if len(followup.Statuses) != len(want) {
		t.Fatalf("Statuses = %v", followup.Statuses)
	}
	for i := range want {
		if followup.Statuses[i] != want[i] {
			t.Errorf("Statuses[%d] = %q, want %q", i, followup.Statuses[i], want[i])
		}
	}
}

func TestAssessmentInputValidate(t *testing.T) {
	today := day("2019-06-06")
	tests := []struct {
		name        string
		in          followup.AssessmentInput
		field       string
		wantOn      string
		wantComment string
	}{
		{"defaults to today", followup.AssessmentInput{Status: followup.Implemented, Comment: " Done. "}, "", "2019-06-06", "Done."},
		{"given date", followup.AssessmentInput{Status: followup.NoInformation, AssessedOn: day("2018-12-01")}, "", "2018-12-01", ""},
		{"today", followup.AssessmentInput{Status: followup.NotApplicable, AssessedOn: today}, "", "2019-06-06", ""},
		{"partially", followup.AssessmentInput{Status: followup.PartiallyImplemented}, "", "2019-06-06", ""},
		{"not implemented", followup.AssessmentInput{Status: followup.NotImplemented}, "", "2019-06-06", ""},
		{"future date", followup.AssessmentInput{Status: followup.Implemented, AssessedOn: today.AddDays(1)}, "assessed_on", "", ""},
		{"no status", followup.AssessmentInput{}, "status", "", ""},
		{"unknown status", followup.AssessmentInput{Status: "done"}, "status", "", ""},
		{"pending is not a status", followup.AssessmentInput{Status: followup.Status(followup.Pending)}, "status", "", ""},
		{"comment of 20000 runes", followup.AssessmentInput{Status: followup.Implemented, Comment: strings.Repeat("é", 20000)}, "", "2019-06-06", strings.Repeat("é", 20000)},
		{"comment too long", followup.AssessmentInput{Status: followup.Implemented, Comment: strings.Repeat("c", 20001)}, "comment", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.Validate(today)
			if tt.field != "" {
				wantDomainErr(t, err, followup.EInvalid, tt.field)
				return
			}
			wantDomainErr(t, err, "", "")
			if in.AssessedOn.String() != tt.wantOn {
				t.Errorf("assessed_on %q, want %q", in.AssessedOn, tt.wantOn)
			}
			if in.Comment != tt.wantComment {
				t.Errorf("comment %q, want %q", in.Comment, tt.wantComment)
			}
			if in.Status != tt.in.Status {
				t.Errorf("status changed to %q", in.Status)
			}
		})
	}
}

func TestAssessmentAdopted(t *testing.T) {
	if (followup.Assessment{Status: followup.Implemented}).Adopted() {
		t.Error("an assessment with no adoption date is adopted")
	}
	if !(followup.Assessment{Status: followup.Implemented, AdoptedOn: day("2019-06-06")}).Adopted() {
		t.Error("an assessment with an adoption date is not adopted")
	}
}

func TestAdoptionInputValidate(t *testing.T) {
	today := day("2019-06-06")
	tests := []struct {
		name   string
		in     followup.AdoptionInput
		field  string
		wantOn string
	}{
		{"defaults to today", followup.AdoptionInput{}, "", "2019-06-06"},
		{"given date", followup.AdoptionInput{AdoptedOn: day("2019-03-01")}, "", "2019-03-01"},
		{"today given", followup.AdoptionInput{AdoptedOn: today}, "", "2019-06-06"},
		{"labels", followup.AdoptionInput{Labels: []string{"R7", "IV-3", "xv"}}, "", "2019-06-06"},
		{"future date", followup.AdoptionInput{AdoptedOn: today.AddDays(1)}, "adopted_on", ""},
		{"bad label", followup.AdoptionInput{Labels: []string{"R7", "R8/9"}}, "labels", ""},
		{"empty label", followup.AdoptionInput{Labels: []string{""}}, "labels", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.Validate(today)
			if tt.field != "" {
				wantDomainErr(t, err, followup.EInvalid, tt.field)
				return
			}
			wantDomainErr(t, err, "", "")
			if in.AdoptedOn.String() != tt.wantOn {
				t.Errorf("adopted_on %q, want %q", in.AdoptedOn, tt.wantOn)
			}
			if !sameStrings(in.Labels, tt.in.Labels) {
				t.Errorf("labels changed to %v", in.Labels)
			}
		})
	}
}

func TestCheckAdoption(t *testing.T) {
	key := followup.FollowUpKey{Report: "refugee-crisis", Label: "R7", Party: "FR"}
	a := followup.Assessment{Status: followup.Implemented, AssessedOn: day("2019-03-01")}
	tests := []struct {
		name      string
		previous  followup.Date
		adoptedOn followup.Date
		ok        bool
	}{
		{"first adoption after the assessment", followup.Date{}, day("2019-06-06"), true},
		{"first adoption on the assessment day", followup.Date{}, day("2019-03-01"), true},
		{"adoption before the assessment", followup.Date{}, day("2019-02-28"), false},
		{"after an earlier adoption", day("2019-01-01"), day("2019-06-06"), true},
		{"the day after an earlier adoption", day("2019-06-05"), day("2019-06-06"), true},
		{"same day as the earlier adoption", day("2019-06-06"), day("2019-06-06"), false},
		{"before the earlier adoption", day("2019-06-07"), day("2019-06-06"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := followup.CheckAdoption(key, a, tt.previous, tt.adoptedOn)
			if tt.ok {
				wantDomainErr(t, err, "", "")
				return
			}
			wantDomainErr(t, err, followup.EInvalid, "adopted_on")
			if !strings.Contains(followup.ErrorMessage(err), "refugee-crisis/R7/FR") {
				t.Errorf("message %q does not name the follow-up", followup.ErrorMessage(err))
			}
			if tt.previous == tt.adoptedOn && !strings.Contains(followup.ErrorMessage(err), "same day") {
				t.Errorf("message %q does not say that a second adoption on the same day is refused", followup.ErrorMessage(err))
			}
		})
	}
}

func TestFollowUpKeyString(t *testing.T) {
	k := followup.FollowUpKey{Report: "hungary-transit-zones", Label: "IV-3", Party: "HU"}
	if got := k.String(); got != "hungary-transit-zones/IV-3/HU" {
		t.Errorf("String() = %q", got)
	}
}

func TestFollowUpFilterValidate(t *testing.T) {
	tests := []struct {
		name      string
		in        followup.FollowUpFilter
		field     string
		wantParty string
		wantLimit int
	}{
		{"empty: default limit", followup.FollowUpFilter{}, "", "", 100},
		{"limit 0 is the default", followup.FollowUpFilter{Limit: 0}, "", "", 100},
		{"limit 1", followup.FollowUpFilter{Limit: 1}, "", "", 1},
		{"limit 50 kept", followup.FollowUpFilter{Limit: 50}, "", "", 50},
		{"limit 1000", followup.FollowUpFilter{Limit: 1000}, "", "", 1000},
		{"limit 1001", followup.FollowUpFilter{Limit: 1001}, "limit", "", 0},
		{"negative limit", followup.FollowUpFilter{Limit: -1}, "limit", "", 0},
		{"party normalised", followup.FollowUpFilter{Party: " fr "}, "", "FR", 100},
		{"bad party", followup.FollowUpFilter{Party: "FRA"}, "party", "", 0},
		{"category", followup.FollowUpFilter{Category: followup.Urge}, "", "", 100},
		{"bad category", followup.FollowUpFilter{Category: "urgent"}, "category", "", 0},
		{"state", followup.FollowUpFilter{State: followup.Assessed}, "", "", 100},
		{"every state is accepted", followup.FollowUpFilter{State: followup.AwaitingSubmission}, "", "", 100},
		{"bad state", followup.FollowUpFilter{State: "closed"}, "state", "", 0},
		{"open and overdue flags", followup.FollowUpFilter{Open: ptrTo(true), Overdue: ptrTo(false), Report: "r", Cursor: "10"}, "", "", 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.in
			err := f.Validate()
			if tt.field != "" {
				wantDomainErr(t, err, followup.EInvalid, tt.field)
				return
			}
			wantDomainErr(t, err, "", "")
			if f.Party != tt.wantParty {
				t.Errorf("party %q, want %q", f.Party, tt.wantParty)
			}
			if f.Limit != tt.wantLimit {
				t.Errorf("limit %d, want %d", f.Limit, tt.wantLimit)
			}
			if f.Category != tt.in.Category || f.State != tt.in.State || f.Report != tt.in.Report || f.Cursor != tt.in.Cursor ||
				f.Open != tt.in.Open || f.Overdue != tt.in.Overdue {
				t.Errorf("other fields changed: %+v", f)
			}
		})
	}
}

// A page's adoption names what it adopts: nothing ticked is not everything.
func TestCheckAdoptionSelection(t *testing.T) {
	for _, tc := range []struct {
		labels []string
		all    bool
		ok     bool
	}{
		{nil, false, false},
		{[]string{}, false, false},
		{[]string{"R1"}, false, true},
		{nil, true, true},
		{[]string{"R1"}, true, true},
	} {
		err := followup.CheckAdoptionSelection(tc.labels, tc.all)
		if (err == nil) != tc.ok {
			t.Errorf("CheckAdoptionSelection(%v, %v) = %v", tc.labels, tc.all, err)
		}
		if err != nil && (followup.ErrorCode(err) != followup.EInvalid || followup.ErrorField(err) != "labels") {
			t.Errorf("CheckAdoptionSelection(%v, %v): %v is not invalid labels", tc.labels, tc.all, err)
		}
	}
}
