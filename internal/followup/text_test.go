package followup_test

import (
	"strings"
	"testing"

	"followup/internal/followup"
)

// textField is one text field of a domain input: set builds a valid input with the field set
// to v, validates it and returns the field as validated.
type textField struct {
	input, field string
	max          int
	multiline    bool
	set          func(v string) (string, error)
}

func textFields() []textField {
	today := day("2026-11-28")
	pw := "a long test password"
	report := func(f func(in *followup.ReportInput, v string), get func(in followup.ReportInput) string) func(string) (string, error) {
		return func(v string) (string, error) {
			in := followup.ReportInput{Slug: "rep", Title: "Report", Kind: followup.OtherReport, AdoptedOn: day("2024-01-01")}
			f(&in, v)
			err := in.Validate(today)
			return get(in), err
		}
	}
	reportPatch := func(f func(p *followup.ReportPatch, v *string), get func(r followup.Report) string) func(string) (string, error) {
		return func(v string) (string, error) {
			r := followup.Report{Slug: "rep", Title: "Report", Kind: followup.OtherReport, AdoptedOn: day("2024-01-01"), Parties: []string{"FR"}}
			var p followup.ReportPatch
			f(&p, &v)
			after, err := p.Apply(r, today)
			return get(after), err
		}
	}
	user := func(f func(in *followup.UserInput, v string), get func(in followup.UserInput) string) func(string) (string, error) {
		return func(v string) (string, error) {
			in := followup.UserInput{Email: "ann@example.org", Name: "Ann", Role: followup.RoleAdmin, Password: pw}
			f(&in, v)
			err := in.Validate()
			return get(in), err
		}
	}
	return []textField{
		{"Party", "name_en", 200, false, func(v string) (string, error) {
			p := followup.Party{Code: "FR", NameEN: v, NameFR: "France"}
			err := p.Validate()
			return p.NameEN, err
		}},
		{"Party", "name_fr", 200, false, func(v string) (string, error) {
			p := followup.Party{Code: "FR", NameEN: "France", NameFR: v}
			err := p.Validate()
			return p.NameFR, err
		}},
		{"ReportInput", "title", 500, false, report(func(in *followup.ReportInput, v string) { in.Title = v },
			func(in followup.ReportInput) string { return in.Title })},
		{"ReportInput", "round", 200, false, report(func(in *followup.ReportInput, v string) { in.Round = v },
			func(in followup.ReportInput) string { return in.Round })},
		{"ReportInput", "doc_ref", 100, false, report(func(in *followup.ReportInput, v string) { in.DocRef = v },
			func(in followup.ReportInput) string { return in.DocRef })},
		{"ReportPatch", "title", 500, false, reportPatch(func(p *followup.ReportPatch, v *string) { p.Title = v },
			func(r followup.Report) string { return r.Title })},
		{"ReportPatch", "round", 200, false, reportPatch(func(p *followup.ReportPatch, v *string) { p.Round = v },
			func(r followup.Report) string { return r.Round })},
		{"ReportPatch", "doc_ref", 100, false, reportPatch(func(p *followup.ReportPatch, v *string) { p.DocRef = v },
			func(r followup.Report) string { return r.DocRef })},
		{"RecommendationInput", "label", 32, false, func(v string) (string, error) {
			in := followup.RecommendationInput{Label: v, Category: followup.Urge, Text: "Do it."}
			err := in.Validate()
			return in.Label, err
		}},
		{"RecommendationInput", "text", 20000, true, func(v string) (string, error) {
			in := followup.RecommendationInput{Label: "R1", Category: followup.Urge, Text: v}
			err := in.Validate()
			return in.Text, err
		}},
		{"RecommendationPatch", "text", 20000, true, func(v string) (string, error) {
			rec := followup.Recommendation{Report: "rep", Label: "R1", Category: followup.Urge, Text: "Do it."}
			after, err := followup.RecommendationPatch{Text: &v}.Apply(rec)
			return after.Text, err
		}},
		{"AdoptionInput", "labels", 32, false, func(v string) (string, error) {
			in := followup.AdoptionInput{Labels: []string{"R1", v}}
			err := in.Validate(today)
			return in.Labels[1], err
		}},
		{"SubmissionInput", "text", 100000, true, func(v string) (string, error) {
			in := followup.SubmissionInput{Text: v}
			err := in.Validate(today)
			return in.Text, err
		}},
		{"SubmissionInput (draft)", "text", 100000, true, func(v string) (string, error) {
			in := followup.SubmissionInput{Text: v, Draft: true}
			err := in.Validate(today)
			return in.Text, err
		}},
		{"AssessmentInput", "comment", 20000, true, func(v string) (string, error) {
			in := followup.AssessmentInput{Status: followup.Implemented, Comment: v}
			err := in.Validate(today)
			return in.Comment, err
		}},
		{"UserInput", "name", 200, false, user(func(in *followup.UserInput, v string) { in.Name = v },
			func(in followup.UserInput) string { return in.Name })},
		{"token", "name", 200, false, func(v string) (string, error) {
			return followup.NormalizeTokenName("name", v)
		}},
	}
}

// Every text field of every input refuses control characters, invalid UTF-8 and line
// separators, keeps line breaks and tabs only where the text may have several lines, and has a
// length limit, accepted at the limit and refused one character past it.
func TestTextFields(t *testing.T) {
	type textCase struct {
		name  string
		value string
		ok    bool
		want  string // the stored value when ok; the value itself when empty
	}
	for _, f := range textFields() {
		ml := f.multiline
		cases := []textCase{
			{"plain", "plain words", true, ""},
			{"accents and symbols", "Türkiye – «ça» ✔", true, ""},
			{"at the limit", strings.Repeat("é", f.max), true, ""},
			{"one past the limit", strings.Repeat("é", f.max+1), false, ""},
			{"ASCII one past the limit", strings.Repeat("x", f.max+1), false, ""},
			{"NUL", "a\x00b", false, ""},
			{"bell", "a\x07b", false, ""},
			{"vertical tab", "a\vb", false, ""},
			{"form feed", "a\fb", false, ""},
			{"escape", "a\x1b[31mb", false, ""},
			{"delete", "a\x7fb", false, ""},
			{"C1 control", "a\u0085b", false, ""},
			{"line separator", "a\u2028b", false, ""},
			{"paragraph separator", "a\u2029b", false, ""},
			{"invalid UTF-8", "a\xffb", false, ""},
			{"cut UTF-8 sequence", "a\xc3", false, ""},
			{"tab inside", "a\tb", ml, ""},
			{"newline inside", "a\nb", ml, ""},
			{"CR LF inside", "a\r\nb", ml, "a\nb"},
			{"CR inside", "a\rb", ml, "a\nb"},
			{"surrounding spaces are trimmed", "  a b \n", true, "a b"},
		}
		if f.field == "label" || f.field == "labels" {
			cases = cases[1:] // a label is free text but has its own rules on what it may contain
			cases[0] = textCase{"accents", "R-é1", true, ""}
			cases[len(cases)-1] = textCase{"surrounding spaces are refused", " R1 ", false, ""}
		}
		for _, c := range cases {
			t.Run(f.input+"."+f.field+"/"+c.name, func(t *testing.T) {
				value := c.value
				got, err := f.set(value)
				if !c.ok {
					if err == nil {
						t.Fatalf("%.40q accepted", value)
					}
					wantDomainErr(t, err, followup.EInvalid, f.field)
					if msg := followup.ErrorMessage(err); msg == "" || strings.ContainsRune(msg, 0) {
						t.Errorf("message %q", msg)
					}
					// Pages say why in their language: the reason, and the facts it names.
					reason, facts := followup.ErrorReason(err)
					wantFacts := map[string]int{followup.ReasonTooLong: 2, followup.ReasonControl: 1, followup.ReasonNotOneLine: 1,
						followup.ReasonNotUTF8: 0}
					if n, ok := wantFacts[reason]; (!ok || n != len(facts)) && f.field != "label" && f.field != "labels" {
						t.Errorf("reason %q with facts %v", reason, facts)
					}
					return
				}
				wantDomainErr(t, err, "", "")
				want := c.want
				if want == "" {
					want = value
				}
				if got != want {
					t.Errorf("stored %.40q, want %.40q", got, want)
				}
			})
		}
	}
}

// The messages say what is wrong and where.
func TestTextFieldMessages(t *testing.T) {
	p := followup.Party{Code: "FR", NameEN: "Fra\x00nce", NameFR: "France"}
	if msg := followup.ErrorMessage(p.Validate()); !strings.Contains(msg, "U+0000") || !strings.Contains(msg, "character 4") {
		t.Errorf("NUL: %q", msg)
	}
	p = followup.Party{Code: "FR", NameEN: "France", NameFR: "Fran\tce"}
	if msg := followup.ErrorMessage(p.Validate()); !strings.Contains(msg, "tab") || !strings.Contains(msg, "one line") {
		t.Errorf("tab in a one-line field: %q", msg)
	}
	in := followup.ReportInput{Slug: "rep", Title: "T", Kind: followup.OtherReport, AdoptedOn: day("2024-01-01"), DocRef: strings.Repeat("x", 101)}
	if msg := followup.ErrorMessage(in.Validate(day("2026-01-01"))); !strings.Contains(msg, "101") || !strings.Contains(msg, "100") {
		t.Errorf("too long: %q", msg)
	}
	sub := followup.SubmissionInput{Text: "a\vb"}
	if msg := followup.ErrorMessage(sub.Validate(day("2026-01-01"))); !strings.Contains(msg, "U+000B") || !strings.Contains(msg, "line breaks and tabs") {
		t.Errorf("vertical tab in a text: %q", msg)
	}
	sub = followup.SubmissionInput{Text: "a\xffb"}
	if msg := followup.ErrorMessage(sub.Validate(day("2026-01-01"))); !strings.Contains(msg, "UTF-8") {
		t.Errorf("invalid UTF-8: %q", msg)
	}
}

// An e-mail address has at most 254 characters and no control characters (its other rules are
// in TestUserInputValidate).
func TestEmailText(t *testing.T) {
	domain := "@example.org"
	cases := []struct {
		name, email string
		ok          bool
	}{
		{"at the limit", strings.Repeat("a", 254-len(domain)) + domain, true},
		{"one past the limit", strings.Repeat("a", 255-len(domain)) + domain, false},
		{"accented, at the limit", strings.Repeat("é", 254-len(domain)) + domain, true},
		{"accented, one past the limit", strings.Repeat("é", 255-len(domain)) + domain, false},
		{"tab inside", "ann\t@example.org", false},
		{"newline inside", "ann\n@example.org", false},
		{"NUL", "ann\x00@example.org", false},
		{"delete", "ann\x7f@example.org", false},
		{"invalid UTF-8", "ann\xff@example.org", false},
		{"line separator", "ann\u2028@example.org", false},
		{"surrounding spaces are trimmed", " ann@example.org\n", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := followup.UserInput{Email: c.email, Name: "Ann", Role: followup.RoleAdmin, Password: "a long test password"}
			err := in.Validate()
			if !c.ok {
				wantDomainErr(t, err, followup.EInvalid, "email")
				return
			}
			wantDomainErr(t, err, "", "")
			if in.Email != strings.ToLower(strings.TrimSpace(c.email)) {
				t.Errorf("stored %q", in.Email)
			}
		})
	}
}
