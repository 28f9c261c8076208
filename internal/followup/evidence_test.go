package followup_test

import (
	"strings"
	"testing"

	"followup/internal/followup"
)

var (
	anonymous   = followup.Actor{}
	admin       = followup.Actor{UserID: 1, Role: followup.RoleAdmin}
	secretariat = followup.Actor{UserID: 2, Role: followup.RoleSecretariat}
	rapporteur  = followup.Actor{UserID: 3, Role: followup.RoleRapporteur}
	partyFR     = followup.Actor{UserID: 4, Role: followup.RoleParty, Party: "FR"}
	partyDE     = followup.Actor{UserID: 5, Role: followup.RoleParty, Party: "DE"}
	ngo         = followup.Actor{UserID: 6, Role: followup.RoleStakeholder, Organisation: "ECPAT"}
	otherNGO    = followup.Actor{UserID: 7, Role: followup.RoleStakeholder, Organisation: "Ombudsperson"}
)

// Who sees a submission of France's follow-up, by who sent it and where it stands: a draft, a
// submission not published, a published one; the Party's own account or a stakeholder's.
func TestCanSeeSubmission(t *testing.T) {
	actors := []struct {
		name string
		a    followup.Actor
	}{{"anonymous", anonymous}, {"admin", admin}, {"secretariat", secretariat}, {"rapporteur", rapporteur},
		{"own Party", partyFR}, {"other Party", partyDE}, {"stakeholder that sent it", ngo}, {"other stakeholder", otherNGO}}
	cases := []struct {
		name  string
		facts followup.SubmissionFacts
		sees  []bool // in the order of actors
	}{
		{"Party draft", followup.SubmissionFacts{Party: "FR", Draft: true},
			[]bool{false, true, true, false, true, false, false, false}},
		{"Party submission", followup.SubmissionFacts{Party: "FR"},
			[]bool{false, true, true, true, true, false, false, false}},
		{"Party submission published", followup.SubmissionFacts{Party: "FR", Published: true},
			[]bool{true, true, true, true, true, true, true, true}},
		{"stakeholder draft", followup.SubmissionFacts{Party: "FR", Organisation: "ECPAT", Draft: true},
			[]bool{false, true, true, false, false, false, true, false}},
		{"stakeholder submission", followup.SubmissionFacts{Party: "FR", Organisation: "ECPAT"},
			[]bool{false, true, true, true, false, false, true, false}},
		{"stakeholder submission published", followup.SubmissionFacts{Party: "FR", Organisation: "ECPAT", Published: true},
			[]bool{true, true, true, true, true, true, true, true}},
	}
	for _, c := range cases {
		for i, a := range actors {
			if got := a.a.CanSeeSubmission(c.facts); got != c.sees[i] {
				t.Errorf("%s: %s sees it = %v, want %v", c.name, a.name, got, c.sees[i])
			}
		}
	}
}

func TestCanEditAndPublish(t *testing.T) {
	partyDraft := followup.SubmissionFacts{Party: "FR", Draft: true}
	ngoDraft := followup.SubmissionFacts{Party: "FR", Organisation: "ECPAT", Draft: true}
	cases := []struct {
		name       string
		a          followup.Actor
		party, ngo bool // may edit the Party's draft, the stakeholder's draft
		publish    bool
		inform     bool // may send information as a stakeholder
		request    bool // may ask for clarification
	}{
		{"anonymous", anonymous, false, false, false, false, false},
		{"admin", admin, true, false, true, false, true},
		{"secretariat", secretariat, true, false, true, false, true},
		{"rapporteur", rapporteur, false, false, false, false, true},
		{"own Party", partyFR, true, false, false, false, false},
		{"other Party", partyDE, false, false, false, false, false},
		{"stakeholder", ngo, false, true, false, true, false},
		{"other stakeholder", otherNGO, false, false, false, true, false},
		{"stakeholder without organisation", followup.Actor{UserID: 9, Role: followup.RoleStakeholder}, false, false, false, false, false},
	}
	for _, c := range cases {
		if got := c.a.CanEditSubmission(partyDraft); got != c.party {
			t.Errorf("%s edits the Party's draft = %v, want %v", c.name, got, c.party)
		}
		if got := c.a.CanEditSubmission(ngoDraft); got != c.ngo {
			t.Errorf("%s edits the stakeholder's draft = %v, want %v", c.name, got, c.ngo)
		}
		if got := c.a.CanPublish(); got != c.publish {
			t.Errorf("%s publishes = %v, want %v", c.name, got, c.publish)
		}
		if got := c.a.CanSubmitInformation("FR"); got != c.inform {
			t.Errorf("%s sends information = %v, want %v", c.name, got, c.inform)
		}
		if got := c.a.CanRequestClarification(); got != c.request {
			t.Errorf("%s asks for clarification = %v, want %v", c.name, got, c.request)
		}
		// A stakeholder never gets a Party's or the committee's rights.
		if c.a.Role == followup.RoleStakeholder {
			if c.a.CanSubmit("FR") || c.a.CanSeeSubmissions("FR") || c.a.CanSeeDraftSubmissions("FR") || c.a.IsCommittee() ||
				c.a.CanSeeDrafts() || c.a.CanManage() || c.a.CanAssess() || c.a.CanAnswerRequest("FR") || c.a.CanSeeOpenRequests("FR") {
				t.Errorf("%s has a Party's or the committee's rights", c.name)
			}
		}
	}
}

func TestCanSeeRequest(t *testing.T) {
	cases := []struct {
		name              string
		a                 followup.Actor
		before, published bool
	}{
		{"anonymous", anonymous, false, true},
		{"rapporteur", rapporteur, true, true},
		{"secretariat", secretariat, true, true},
		{"own Party", partyFR, true, true},
		{"other Party", partyDE, false, true},
		{"stakeholder", ngo, false, true},
	}
	for _, c := range cases {
		if got := c.a.CanSeeRequest("FR", false); got != c.before {
			t.Errorf("%s sees an unpublished request = %v, want %v", c.name, got, c.before)
		}
		if got := c.a.CanSeeRequest("FR", true); got != c.published {
			t.Errorf("%s sees a request with a published answer = %v, want %v", c.name, got, c.published)
		}
		want := c.before
		if got := followup.ShownState(followup.Submitted, true, c.a.CanSeeOpenRequests("FR")); (got == followup.ClarificationRequested) != want {
			t.Errorf("%s reads state %s", c.name, got)
		}
	}
	if got := followup.ShownState(followup.Adopted, false, true); got != followup.Adopted {
		t.Errorf("without an open request the state is %s", got)
	}
}

func TestSanitizeFileName(t *testing.T) {
	cases := map[string]string{
		"reply.pdf":                       "reply.pdf",
		"../../etc/passwd":                "passwd",
		`C:\Users\desk\Réponse 2024.docx`: "Réponse 2024.docx",
		"bad\x00name\r\n.pdf":             "badname.pdf",
		"invoice\u202Efdp.exe":            "invoicefdp.exe",
		"  spaced   out  .pdf ":           "spaced out .pdf",
		"a<b>c:d|e?.txt":                  "a_b_c_d_e_.txt",
		"...":                             "file",
		"":                                "file",
		"\xff\xfe.pdf":                    "pdf",
	}
	for in, want := range cases {
		if got := followup.SanitizeFileName(in); got != want {
			t.Errorf("SanitizeFileName(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("é", 300) + ".pdf"
	got := followup.SanitizeFileName(long)
	if n := len([]rune(got)); n != followup.MaxFileNameLength || !strings.HasSuffix(got, ".pdf") {
		t.Errorf("a long name became %d characters: %q", n, got)
	}
}

func TestCheckFiles(t *testing.T) {
	file := func(size int64, typ string) followup.FileUpload {
		return followup.FileUpload{Name: "a.pdf", Size: size, ContentType: typ}
	}
	cases := []struct {
		name  string
		files []followup.FileUpload
		code  string
	}{
		{"one PDF", []followup.FileUpload{file(1000, followup.TypePDF)}, ""},
		{"20 MiB exactly", []followup.FileUpload{file(20<<20, followup.TypePDF)}, ""},
		{"20 MiB + 1", []followup.FileUpload{file(20<<20+1, followup.TypePDF)}, followup.ETooLarge},
		{"over the total", []followup.FileUpload{file(20<<20, followup.TypePDF), file(20<<20, followup.TypePDF), file(11<<20, followup.TypePDF)}, followup.ETooLarge},
		{"not an accepted type", []followup.FileUpload{file(10, "text/html")}, followup.EUnsupportedMedia},
		{"empty", []followup.FileUpload{file(0, followup.TypeText)}, followup.EInvalid},
		{"too many", make([]followup.FileUpload, 11), followup.EInvalid},
	}
	for _, c := range cases {
		err := followup.CheckFiles(c.files)
		if got := followup.ErrorCode(err); got != c.code {
			t.Errorf("%s: code %q (%v), want %q", c.name, got, err, c.code)
		}
		if err != nil && followup.ErrorField(err) != "files" {
			t.Errorf("%s: field %q, want files", c.name, followup.ErrorField(err))
		}
	}
}

func TestRequestInputAndAnswer(t *testing.T) {
	today := followup.MustDate("2026-11-28")
	for _, c := range []struct {
		in    followup.RequestInput
		field string
	}{
		{followup.RequestInput{Question: "Which law?", DueOn: today}, ""},
		{followup.RequestInput{Question: " ", DueOn: today}, "question"},
		{followup.RequestInput{Question: "Which law?"}, "due_on"},
		{followup.RequestInput{Question: "Which law?", DueOn: today.AddDays(-1)}, "due_on"},
		{followup.RequestInput{Question: "a\x07b", DueOn: today}, "question"},
	} {
		err := c.in.Validate(today)
		if followup.ErrorField(err) != c.field || (c.field == "") != (err == nil) {
			t.Errorf("%+v: %v, want field %q", c.in, err, c.field)
		}
	}
	open := followup.ClarificationRequest{ID: 5}
	answered := followup.ClarificationRequest{ID: 5, AnsweredBy: 9, AnsweredOn: today}
	if err := followup.CheckAnswer(5, open, true, false); err != nil {
		t.Errorf("answering an open request: %v", err)
	}
	for name, err := range map[string]error{
		"answered":    followup.CheckAnswer(5, answered, true, false),
		"missing":     followup.CheckAnswer(5, followup.ClarificationRequest{}, false, false),
		"stakeholder": followup.CheckAnswer(5, open, true, true),
	} {
		if followup.ErrorField(err) != "answers_request" {
			t.Errorf("%s: %v, want an error on answers_request", name, err)
		}
	}
}

func TestStakeholderUserInput(t *testing.T) {
	in := followup.UserInput{Email: "ngo@example.org", Name: "NGO", Role: followup.RoleStakeholder, Organisation: " ECPAT ", Password: "a long test password"}
	if err := in.Validate(); err != nil || in.Organisation != "ECPAT" {
		t.Fatalf("%v, organisation %q", err, in.Organisation)
	}
	in = followup.UserInput{Email: "ngo@example.org", Name: "NGO", Role: followup.RoleStakeholder, Password: "a long test password"}
	if err := in.Validate(); followup.ErrorField(err) != "organisation" {
		t.Errorf("a stakeholder without organisation: %v", err)
	}
	in = followup.UserInput{Email: "r@example.org", Name: "R", Role: followup.RoleRapporteur, Organisation: "X", Password: "a long test password"}
	if err := in.Validate(); followup.ErrorField(err) != "organisation" {
		t.Errorf("a rapporteur with an organisation: %v", err)
	}
}
