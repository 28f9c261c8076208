package followup_test

import (
	"strings"
	"testing"

	"followup/internal/followup"
)

func TestNormalizePartyCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"FR", "FR", true},
		{"fr", "FR", true},
		{"Fr", "FR", true},
		{" de ", "DE", true},
		{"\tgb\n", "GB", true},
		{"FRA", "", false},
		{"F1", "", false},
		{"F", "", false},
		{"", "", false},
		{"  ", "", false},
		{"F R", "", false},
		{"É1", "", false},
		{"ÉS", "", false},
		{"12", "", false},
		{"F-", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := followup.NormalizePartyCode("party", tt.in)
			if !tt.ok {
				wantDomainErr(t, err, followup.EInvalid, "party")
				if got != "" {
					t.Errorf("rejected code returned %q", got)
				}
				return
			}
			wantDomainErr(t, err, "", "")
			if got != tt.want {
				t.Errorf("NormalizePartyCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizePartyCodes(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
		ok   bool
	}{
		{"nil", nil, []string{}, true},
		{"normalised and deduplicated, first order kept", []string{"fr", " de", "FR", "De ", "it"}, []string{"FR", "DE", "IT"}, true},
		{"one bad code fails the list", []string{"FR", "FRA"}, nil, false},
		{"empty code", []string{"FR", ""}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := followup.NormalizePartyCodes("addressed_to", tt.in)
			if !tt.ok {
				wantDomainErr(t, err, followup.EInvalid, "addressed_to")
				if got != nil {
					t.Errorf("got %v with an error", got)
				}
				return
			}
			wantDomainErr(t, err, "", "")
			if got == nil || !sameStrings(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestPartyValidate(t *testing.T) {
	tests := []struct {
		name  string
		in    followup.Party
		field string
		want  followup.Party
	}{
		{"ok and normalised", followup.Party{Code: " fr", NameEN: " France ", NameFR: "France\n"}, "",
			followup.Party{Code: "FR", NameEN: "France", NameFR: "France"}},
		{"bad code", followup.Party{Code: "FRA", NameEN: "France", NameFR: "France"}, "code", followup.Party{}},
		{"no English name", followup.Party{Code: "FR", NameEN: "  ", NameFR: "France"}, "name_en", followup.Party{}},
		{"no French name", followup.Party{Code: "FR", NameEN: "France"}, "name_fr", followup.Party{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.in
			err := p.Validate()
			if tt.field != "" {
				wantDomainErr(t, err, followup.EInvalid, tt.field)
				return
			}
			wantDomainErr(t, err, "", "")
			if p != tt.want {
				t.Errorf("got %+v, want %+v", p, tt.want)
			}
		})
	}
}

func TestPartyName(t *testing.T) {
	p := followup.Party{Code: "DE", NameEN: "Germany", NameFR: "Allemagne"}
	noFR := followup.Party{Code: "DE", NameEN: "Germany"}
	tests := []struct {
		p    followup.Party
		lang string
		want string
	}{
		{p, "fr", "Allemagne"},
		{p, "en", "Germany"},
		{p, "", "Germany"},
		{p, "de", "Germany"},
		{p, "FR", "Germany"},
		{noFR, "fr", "Germany"},
	}
	for _, tt := range tests {
		if got := tt.p.Name(tt.lang); got != tt.want {
			t.Errorf("Name(%q) = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestValidateSlug(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"refugee-crisis", true},
		{"r1", true},
		{"2017-special-report", true},
		{"a", true},
		{strings.Repeat("a", 80), true},
		{strings.Repeat("a", 81), false},
		{"", false},
		{"Refugee", false},
		{"refugee crisis", false},
		{"refugee--crisis", false},
		{"-refugee", false},
		{"refugee-", false},
		{"refugee_crisis", false},
		{"réfugiés", false},
		{"a/b", false},
		{"a.b", false},
	}
	for _, tt := range tests {
		err := followup.ValidateSlug("slug", tt.in)
		if tt.ok {
			if err != nil {
				t.Errorf("ValidateSlug(%q) = %v, want ok", tt.in, err)
			}
			continue
		}
		if followup.ErrorCode(err) != followup.EInvalid || followup.ErrorField(err) != "slug" {
			t.Errorf("ValidateSlug(%q) = %v, want invalid slug", tt.in, err)
		}
	}
}

func TestValidateLabel(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"R7", "R7", true},
		{"roman with hyphen", "IV-3", true},
		{"lower roman", "xv", true},
		{"inner space", "R 7", true},
		{"accented", "Rec. é", true},
		{"dot inside", "1.2", true},
		{"32 characters", strings.Repeat("x", 32), true},
		{"32 runes of 2 bytes", strings.Repeat("é", 32), true},
		{"33 characters", strings.Repeat("x", 33), false},
		{"33 runes", strings.Repeat("é", 33), false},
		{"empty", "", false},
		{"slash", "R7/8", false},
		{"question mark", "R7?", false},
		{"hash", "R#7", false},
		{"percent", "50%", false},
		{"newline", "R7\nR8", false},
		{"tab", "R\t7", false},
		{"NUL", "R\x007", false},
		{"DEL", "R\x7f", false},
		{"leading space", " R7", false},
		{"trailing space", "R7 ", false},
		{"only a space", " ", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := followup.ValidateLabel("label", tt.in)
			if tt.ok {
				wantDomainErr(t, err, "", "")
				return
			}
			wantDomainErr(t, err, followup.EInvalid, "label")
		})
	}
}

func TestReportKindValid(t *testing.T) {
	for _, k := range []followup.ReportKind{"implementation_report", "special_report", "visit_report", "other"} {
		if !k.Valid() {
			t.Errorf("%q is not valid", k)
		}
	}
	for _, k := range []followup.ReportKind{"", "Special_Report", "report", "others"} {
		if k.Valid() {
			t.Errorf("%q is valid", k)
		}
	}
	if len(followup.ReportKinds) != 4 || followup.ReportKinds[0] != followup.ImplementationReport {
		t.Errorf("ReportKinds = %v", followup.ReportKinds)
	}
}

func TestReportFictional(t *testing.T) {
	for _, tc := range []struct {
		slug string
		kind followup.ReportKind
		want bool
	}{
		{"demo-fictional", followup.OtherReport, true},
		{"demo-2", followup.OtherReport, true},
		{"demo-2024", followup.ImplementationReport, false}, // a real kind is never fictional
		{"refugee-crisis-2017", followup.SpecialReport, false},
		{"other-demo", followup.OtherReport, false},
		{"demonstration", followup.OtherReport, false},
	} {
		r := followup.Report{Slug: tc.slug, Kind: tc.kind}
		if got := r.Fictional(); got != tc.want {
			t.Errorf("%s (%s): Fictional() = %v, want %v", tc.slug, tc.kind, got, tc.want)
		}
	}
}

func validReport() followup.ReportInput {
	return followup.ReportInput{
		Slug: "refugee-crisis", Title: "Special report on the refugee crisis", Kind: followup.SpecialReport,
		Round: "special", DocRef: "T-ES(2017)11", AdoptedOn: day("2017-03-03"), FollowupDueOn: day("2018-03-03"),
		Parties: []string{"fr", "DE"},
	}
}

func TestReportInputValidate(t *testing.T) {
	today := day("2019-06-06")
	tests := []struct {
		name   string
		modify func(*followup.ReportInput)
		field  string
	}{
		{"valid", func(*followup.ReportInput) {}, ""},
		{"no slug", func(in *followup.ReportInput) { in.Slug = "" }, "slug"},
		{"bad slug", func(in *followup.ReportInput) { in.Slug = "Refugee Crisis" }, "slug"},
		{"no title", func(in *followup.ReportInput) { in.Title = "   " }, "title"},
		{"title of 500 runes", func(in *followup.ReportInput) { in.Title = strings.Repeat("é", 500) }, ""},
		{"title too long", func(in *followup.ReportInput) { in.Title = strings.Repeat("t", 501) }, "title"},
		{"no kind", func(in *followup.ReportInput) { in.Kind = "" }, "kind"},
		{"unknown kind", func(in *followup.ReportInput) { in.Kind = "white_paper" }, "kind"},
		{"no adoption date", func(in *followup.ReportInput) { in.AdoptedOn = followup.Date{} }, "adopted_on"},
		{"adopted today", func(in *followup.ReportInput) { in.AdoptedOn = today; in.FollowupDueOn = followup.Date{} }, ""},
		{"adopted tomorrow", func(in *followup.ReportInput) { in.AdoptedOn = today.AddDays(1); in.FollowupDueOn = followup.Date{} }, "adopted_on"},
		{"no deadline", func(in *followup.ReportInput) { in.FollowupDueOn = followup.Date{} }, ""},
		{"deadline on the adoption day", func(in *followup.ReportInput) { in.FollowupDueOn = in.AdoptedOn }, ""},
		{"deadline in the future", func(in *followup.ReportInput) { in.FollowupDueOn = today.AddDays(400) }, ""},
		{"deadline before adoption", func(in *followup.ReportInput) { in.FollowupDueOn = in.AdoptedOn.AddDays(-1) }, "followup_due_on"},
		{"bad Party", func(in *followup.ReportInput) { in.Parties = []string{"FR", "XYZ"} }, "parties"},
		{"no Parties (means all)", func(in *followup.ReportInput) { in.Parties = nil }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validReport()
			tt.modify(&in)
			wantDomainErr(t, in.Validate(today), invalidIf(tt.field), tt.field)
		})
	}
}

func TestReportInputValidateNormalises(t *testing.T) {
	in := validReport()
	in.Slug = "  refugee-crisis "
	in.Title = "\tSpecial report  "
	in.Parties = []string{"fr", " de", "FR", "it", "De"}
	wantDomainErr(t, in.Validate(day("2019-06-06")), "", "")
	if in.Slug != "refugee-crisis" || in.Title != "Special report" {
		t.Errorf("slug %q title %q not trimmed", in.Slug, in.Title)
	}
	if !sameStrings(in.Parties, []string{"FR", "DE", "IT"}) {
		t.Errorf("Parties = %v, want [FR DE IT]", in.Parties)
	}
}

func storedReport() followup.Report {
	return followup.Report{
		Slug: "refugee-crisis", Title: "Special report", Kind: followup.SpecialReport, Round: "special",
		DocRef: "T-ES(2017)11", AdoptedOn: day("2017-03-03"), FollowupDueOn: day("2018-03-03"),
		Parties: []string{"DE", "FR"}, RecommendationCount: 12,
	}
}

func TestReportPatchApply(t *testing.T) {
	today := day("2019-06-06")
	tests := []struct {
		name  string
		patch followup.ReportPatch
		field string
		check func(t *testing.T, r followup.Report)
	}{
		{"empty patch changes nothing", followup.ReportPatch{}, "", func(t *testing.T, r followup.Report) {
			want := storedReport()
			if r.Title != want.Title || r.Kind != want.Kind || r.Round != want.Round || r.DocRef != want.DocRef ||
				r.AdoptedOn != want.AdoptedOn || r.FollowupDueOn != want.FollowupDueOn ||
				!sameStrings(r.Parties, want.Parties) || r.Archived || r.Slug != want.Slug || r.RecommendationCount != 12 {
				t.Errorf("got %+v, want %+v", r, want)
			}
		}},
		{"title trimmed, rest untouched", followup.ReportPatch{Title: ptrTo("  New title ")}, "", func(t *testing.T, r followup.Report) {
			if r.Title != "New title" || r.DocRef != "T-ES(2017)11" || r.FollowupDueOn != day("2018-03-03") {
				t.Errorf("got %+v", r)
			}
		}},
		{"round and doc ref trimmed", followup.ReportPatch{Round: ptrTo(" 2nd "), DocRef: ptrTo(" T-ES(2019)01 ")}, "", func(t *testing.T, r followup.Report) {
			if r.Round != "2nd" || r.DocRef != "T-ES(2019)01" {
				t.Errorf("round %q doc ref %q", r.Round, r.DocRef)
			}
		}},
		{"clear the round", followup.ReportPatch{Round: ptrTo("")}, "", func(t *testing.T, r followup.Report) {
			if r.Round != "" {
				t.Errorf("round %q", r.Round)
			}
		}},
		{"kind", followup.ReportPatch{Kind: ptrTo(followup.VisitReport)}, "", func(t *testing.T, r followup.Report) {
			if r.Kind != followup.VisitReport {
				t.Errorf("kind %q", r.Kind)
			}
		}},
		{"clear the deadline with a zero Date", followup.ReportPatch{FollowupDueOn: &followup.Date{}}, "", func(t *testing.T, r followup.Report) {
			if !r.FollowupDueOn.IsZero() || r.AdoptedOn != day("2017-03-03") {
				t.Errorf("deadline %v adopted %v", r.FollowupDueOn, r.AdoptedOn)
			}
		}},
		{"move the deadline", followup.ReportPatch{FollowupDueOn: ptrTo(day("2020-01-31"))}, "", func(t *testing.T, r followup.Report) {
			if r.FollowupDueOn != day("2020-01-31") {
				t.Errorf("deadline %v", r.FollowupDueOn)
			}
		}},
		{"Parties normalised", followup.ReportPatch{Parties: &[]string{"it", "fr", "IT"}}, "", func(t *testing.T, r followup.Report) {
			if !sameStrings(r.Parties, []string{"IT", "FR"}) {
				t.Errorf("Parties %v", r.Parties)
			}
		}},
		{"archive", followup.ReportPatch{Archived: ptrTo(true)}, "", func(t *testing.T, r followup.Report) {
			if !r.Archived || r.Title != "Special report" {
				t.Errorf("got %+v", r)
			}
		}},
		{"empty Parties rejected", followup.ReportPatch{Parties: &[]string{}}, "parties", nil},
		{"bad Party rejected", followup.ReportPatch{Parties: &[]string{"FR", "F1"}}, "parties", nil},
		{"clearing the adoption date rejected", followup.ReportPatch{AdoptedOn: &followup.Date{}}, "adopted_on", nil},
		{"adoption in the future rejected", followup.ReportPatch{AdoptedOn: ptrTo(today.AddDays(1))}, "adopted_on", nil},
		{"adoption after the existing deadline rejected", followup.ReportPatch{AdoptedOn: ptrTo(day("2018-04-01"))}, "followup_due_on", nil},
		{"adoption and deadline moved together", followup.ReportPatch{AdoptedOn: ptrTo(day("2018-04-01")), FollowupDueOn: ptrTo(day("2019-04-01"))}, "",
			func(t *testing.T, r followup.Report) {
				if r.AdoptedOn != day("2018-04-01") || r.FollowupDueOn != day("2019-04-01") {
					t.Errorf("adopted %v deadline %v", r.AdoptedOn, r.FollowupDueOn)
				}
			}},
		{"blank title rejected", followup.ReportPatch{Title: ptrTo("  ")}, "title", nil},
		{"unknown kind rejected", followup.ReportPatch{Kind: ptrTo(followup.ReportKind("memo"))}, "kind", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := storedReport()
			got, err := tt.patch.Apply(orig, today)
			if tt.field != "" {
				wantDomainErr(t, err, followup.EInvalid, tt.field)
				// On error the report comes back as it was.
				if got.Title != orig.Title || got.AdoptedOn != orig.AdoptedOn || !sameStrings(got.Parties, orig.Parties) || got.Archived {
					t.Errorf("report changed on error: %+v", got)
				}
				return
			}
			wantDomainErr(t, err, "", "")
			tt.check(t, got)
		})
	}
}

func TestReportPatchApplyDoesNotTouchInput(t *testing.T) {
	r := storedReport()
	parties := []string{"fr", "de"}
	if _, err := (followup.ReportPatch{Parties: &parties}).Apply(r, day("2019-06-06")); err != nil {
		t.Fatal(err)
	}
	if !sameStrings(r.Parties, []string{"DE", "FR"}) {
		t.Errorf("the original report's Parties changed: %v", r.Parties)
	}
}

func TestCategoryValid(t *testing.T) {
	for _, c := range []followup.Category{"urge", "consider", "invite"} {
		if !c.Valid() {
			t.Errorf("%q is not valid", c)
		}
	}
	for _, c := range []followup.Category{"", "Urge", "recommend", "encourage"} {
		if c.Valid() {
			t.Errorf("%q is valid", c)
		}
	}
	if len(followup.Categories) != 3 || followup.Categories[0] != followup.Urge || followup.Categories[1] != followup.Consider ||
		followup.Categories[2] != followup.Invite {
		t.Errorf("Categories = %v, want [urge consider invite]", followup.Categories)
	}
}

func validRecommendation() followup.RecommendationInput {
	return followup.RecommendationInput{
		Label: "R7", Category: followup.Consider, Text: "Summary: ensure that refugee children are protected.",
		Articles: []string{"12", "4"}, AddressedTo: nil,
	}
}

func TestRecommendationInputValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*followup.RecommendationInput)
		field  string
	}{
		{"valid", func(*followup.RecommendationInput) {}, ""},
		{"no label", func(in *followup.RecommendationInput) { in.Label = "" }, "label"},
		{"label with slash", func(in *followup.RecommendationInput) { in.Label = "R7/1" }, "label"},
		{"label with leading space", func(in *followup.RecommendationInput) { in.Label = " R7" }, "label"},
		{"no category", func(in *followup.RecommendationInput) { in.Category = "" }, "category"},
		{"unknown category", func(in *followup.RecommendationInput) { in.Category = "require" }, "category"},
		{"each category: urge", func(in *followup.RecommendationInput) { in.Category = followup.Urge }, ""},
		{"each category: invite", func(in *followup.RecommendationInput) { in.Category = followup.Invite }, ""},
		{"empty text", func(in *followup.RecommendationInput) { in.Text = "" }, "text"},
		{"blank text", func(in *followup.RecommendationInput) { in.Text = " \n\t" }, "text"},
		{"text of 20000 runes", func(in *followup.RecommendationInput) { in.Text = strings.Repeat("é", 20000) }, ""},
		{"text too long", func(in *followup.RecommendationInput) { in.Text = strings.Repeat("x", 20001) }, "text"},
		{"article abc", func(in *followup.RecommendationInput) { in.Articles = []string{"12", "abc"} }, "articles"},
		{"empty article", func(in *followup.RecommendationInput) { in.Articles = []string{""} }, "articles"},
		{"article with roman numeral", func(in *followup.RecommendationInput) { in.Articles = []string{"IV"} }, "articles"},
		{"article too long", func(in *followup.RecommendationInput) { in.Articles = []string{"1234"} }, "articles"},
		{"article with paragraph and letter", func(in *followup.RecommendationInput) { in.Articles = []string{"12.2", "5b", "30.10a"} }, ""},
		{"article with three-digit paragraph", func(in *followup.RecommendationInput) { in.Articles = []string{"1.234"} }, "articles"},
		{"article 0", func(in *followup.RecommendationInput) { in.Articles = []string{"0"} }, "articles"},
		{"article with a leading zero", func(in *followup.RecommendationInput) { in.Articles = []string{"023"} }, "articles"},
		{"article 0 with a paragraph", func(in *followup.RecommendationInput) { in.Articles = []string{"0.1"} }, "articles"},
		{"article upper-case letter", func(in *followup.RecommendationInput) { in.Articles = []string{"5B"} }, "articles"},
		{"bad addressee", func(in *followup.RecommendationInput) { in.AddressedTo = []string{"FRA"} }, "addressed_to"},
		{"addressees", func(in *followup.RecommendationInput) { in.AddressedTo = []string{"hu"} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validRecommendation()
			tt.modify(&in)
			wantDomainErr(t, in.Validate(), invalidIf(tt.field), tt.field)
		})
	}
}

func TestRecommendationInputValidateNormalises(t *testing.T) {
	in := validRecommendation()
	in.Text = "  Summary.\n"
	in.Articles = []string{" 12", "4", "12 ", "4", "12.2"}
	in.AddressedTo = []string{"hu", "HU", " fr"}
	wantDomainErr(t, in.Validate(), "", "")
	if in.Text != "Summary." {
		t.Errorf("text %q", in.Text)
	}
	if !sameStrings(in.Articles, []string{"12", "4", "12.2"}) {
		t.Errorf("articles %#v, want [12 4 12.2]", in.Articles)
	}
	if !sameStrings(in.AddressedTo, []string{"HU", "FR"}) {
		t.Errorf("addressed_to %#v, want [HU FR]", in.AddressedTo)
	}
	if in.Label != "R7" {
		t.Errorf("label changed to %q", in.Label)
	}
}

func storedRecommendation() followup.Recommendation {
	return followup.Recommendation{
		Report: "refugee-crisis", Label: "R7", Category: followup.Consider, Text: "Summary.",
		Articles: []string{"12"}, AddressedTo: []string{"FR"}, DueOn: day("2018-06-01"), FollowupCount: 1,
	}
}

func TestRecommendationPatchApply(t *testing.T) {
	tests := []struct {
		name  string
		patch followup.RecommendationPatch
		field string
		check func(t *testing.T, r followup.Recommendation)
	}{
		{"empty patch", followup.RecommendationPatch{}, "", func(t *testing.T, r followup.Recommendation) {
			if r.Label != "R7" || r.Category != followup.Consider || r.Text != "Summary." || !sameStrings(r.Articles, []string{"12"}) ||
				!sameStrings(r.AddressedTo, []string{"FR"}) || r.DueOn != day("2018-06-01") || r.Archived || r.FollowupCount != 1 ||
				r.Report != "refugee-crisis" {
				t.Errorf("got %+v", r)
			}
		}},
		{"category only", followup.RecommendationPatch{Category: ptrTo(followup.Urge)}, "", func(t *testing.T, r followup.Recommendation) {
			if r.Category != followup.Urge || r.Text != "Summary." || r.DueOn != day("2018-06-01") {
				t.Errorf("got %+v", r)
			}
		}},
		{"text trimmed", followup.RecommendationPatch{Text: ptrTo(" New text ")}, "", func(t *testing.T, r followup.Recommendation) {
			if r.Text != "New text" || r.Category != followup.Consider {
				t.Errorf("got %+v", r)
			}
		}},
		{"articles deduplicated", followup.RecommendationPatch{Articles: &[]string{"4", "4", " 5 "}}, "", func(t *testing.T, r followup.Recommendation) {
			if !sameStrings(r.Articles, []string{"4", "5"}) {
				t.Errorf("articles %v", r.Articles)
			}
		}},
		{"addressees normalised", followup.RecommendationPatch{AddressedTo: &[]string{"de", "fr", "DE"}}, "", func(t *testing.T, r followup.Recommendation) {
			if !sameStrings(r.AddressedTo, []string{"DE", "FR"}) {
				t.Errorf("addressed_to %v", r.AddressedTo)
			}
		}},
		{"addressees emptied (all Parties)", followup.RecommendationPatch{AddressedTo: &[]string{}}, "", func(t *testing.T, r followup.Recommendation) {
			if len(r.AddressedTo) != 0 {
				t.Errorf("addressed_to %v", r.AddressedTo)
			}
		}},
		{"clear the due date", followup.RecommendationPatch{DueOn: &followup.Date{}}, "", func(t *testing.T, r followup.Recommendation) {
			if !r.DueOn.IsZero() {
				t.Errorf("due %v", r.DueOn)
			}
		}},
		{"set the due date", followup.RecommendationPatch{DueOn: ptrTo(day("2020-12-31"))}, "", func(t *testing.T, r followup.Recommendation) {
			if r.DueOn != day("2020-12-31") {
				t.Errorf("due %v", r.DueOn)
			}
		}},
		{"archive", followup.RecommendationPatch{Archived: ptrTo(true)}, "", func(t *testing.T, r followup.Recommendation) {
			if !r.Archived {
				t.Error("not archived")
			}
		}},
		{"unknown category", followup.RecommendationPatch{Category: ptrTo(followup.Category("must"))}, "category", nil},
		{"empty text", followup.RecommendationPatch{Text: ptrTo("")}, "text", nil},
		{"bad article", followup.RecommendationPatch{Articles: &[]string{"abc"}}, "articles", nil},
		{"bad addressee", followup.RecommendationPatch{AddressedTo: &[]string{"XXX"}}, "addressed_to", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := storedRecommendation()
			got, err := tt.patch.Apply(orig)
			if tt.field != "" {
				wantDomainErr(t, err, followup.EInvalid, tt.field)
				if got.Category != orig.Category || got.Text != orig.Text || got.Archived {
					t.Errorf("recommendation changed on error: %+v", got)
				}
				return
			}
			wantDomainErr(t, err, "", "")
			tt.check(t, got)
		})
	}
}

func TestAddresseesWithin(t *testing.T) {
	report := []string{"DE", "FR", "HU", "IT"}
	tests := []struct {
		name        string
		addressedTo []string
		want        []string
		ok          bool
	}{
		{"one", []string{"HU"}, []string{"HU"}, true},
		{"subset, order kept", []string{"IT", "DE"}, []string{"IT", "DE"}, true},
		{"all listed", []string{"DE", "FR", "HU", "IT"}, []string{"DE", "FR", "HU", "IT"}, true},
		{"nil means all", nil, report, true},
		{"empty means all", []string{}, report, true},
		{"outsider", []string{"FR", "GB"}, nil, false},
		{"only an outsider", []string{"NO"}, nil, false},
		{"lower case is not normalised here", []string{"fr"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := followup.AddresseesWithin(tt.addressedTo, report)
			if !tt.ok {
				wantDomainErr(t, err, followup.EInvalid, "addressed_to")
				if got != nil {
					t.Errorf("got %v with an error", got)
				}
				return
			}
			wantDomainErr(t, err, "", "")
			if !sameStrings(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	// The message names the outsider.
	_, err := followup.AddresseesWithin([]string{"GB"}, report)
	if !strings.Contains(followup.ErrorMessage(err), "GB") {
		t.Errorf("message %q does not name GB", followup.ErrorMessage(err))
	}
	// A report with no Parties has room for no addressee.
	if _, err := followup.AddresseesWithin([]string{"FR"}, nil); followup.ErrorCode(err) != followup.EInvalid {
		t.Errorf("addressee of a report without Parties: %v", err)
	}
}
