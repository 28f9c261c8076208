package seed

import (
	"slices"
	"strings"
	"testing"

	"followup/internal/followup"
)

// Plain unit tests of the seed tables: no store.

func TestPartyTable(t *testing.T) {
	if len(partyTable) != 48 {
		t.Fatalf("the table has %d Parties, want 48", len(partyTable))
	}
	seen := map[string]bool{}
	for _, r := range partyTable {
		p := r.party()
		if err := p.Validate(); err != nil {
			t.Errorf("Party %s: %v", r.code, err)
		}
		if p.Code != r.code {
			t.Errorf("Party %s: the code is not in normal form (%s)", r.code, p.Code)
		}
		if seen[r.code] {
			t.Errorf("Party %s appears twice", r.code)
		}
		seen[r.code] = true
	}
	if n := len(refugeeRoundParties()); n != 41 {
		t.Errorf("%d Parties are flagged for the refugee round, want 41", n)
	}
	for _, c := range []string{"AM", "AZ", "EE", "IE", "NO", "TN", "GB"} {
		if slices.Contains(refugeeRoundParties(), c) {
			t.Errorf("%s is not covered by the refugee round", c)
		}
	}
	// The first round: the 26 Parties the facts flag round1.
	wantRound1 := []string{"AL", "AT", "BE", "BA", "BG", "HR", "DK", "FI", "FR", "GR", "IS", "IT", "LT", "LU", "MT", "MD",
		"ME", "NL", "MK", "PT", "RO", "SM", "RS", "ES", "TR", "UA"}
	if got := round1Parties(); !slices.Equal(got, wantRound1) {
		t.Errorf("round 1 Parties %v, want %v", got, wantRound1)
	}
	if partyName("NO") != "Norway" || partyNameFR("NO") != "Norvège" {
		t.Errorf("NO is %q / %q, want Norway / Norvège", partyName("NO"), partyNameFR("NO"))
	}
	joined := map[string]string{"AM": "2021-01-01", "AZ": "2020-04-01", "HU": "2015-12-01", "IE": "2021-04-01", "TN": "2020-02-01"}
	for _, r := range partyTable {
		if got := r.party().JoinedOn.String(); got != joined[r.code] {
			t.Errorf("Party %s joined on %q, want %q", r.code, got, joined[r.code])
		}
	}
}

func TestLogins(t *testing.T) {
	logins := Logins()
	if len(logins) != 7 {
		t.Fatalf("%d logins, want 7", len(logins))
	}
	roles := map[string]int{}
	emails, tokens := map[string]bool{}, map[string]bool{}
	for i, l := range logins {
		in := demoUsers[i].input()
		if err := in.Validate(); err != nil {
			t.Errorf("%s: %v", l.Email, err)
		}
		if in.Email != l.Email || in.Party != l.Party {
			t.Errorf("%s: not in normal form (%s, %s)", l.Email, in.Email, in.Party)
		}
		if !strings.HasSuffix(l.Email, "@example.org") {
			t.Errorf("%s is not at example.org", l.Email)
		}
		if len(l.Token) < 24 {
			t.Errorf("%s: the token %q is shorter than 24 characters", l.Email, l.Token)
		}
		if emails[l.Email] || tokens[l.Token] {
			t.Errorf("%s: duplicate e-mail address or token", l.Email)
		}
		emails[l.Email], tokens[l.Token] = true, true
		roles[l.Role]++
	}
	for _, r := range followup.Roles {
		if roles[string(r)] == 0 {
			t.Errorf("no demo login has the role %s", r)
		}
	}
	logins[0].Email = "changed"
	if Logins()[0].Email == "changed" {
		t.Error("Logins returns the package's own slice")
	}
}

// Every real report and recommendation is valid, in English and French, with its source, and
// claims nothing the facts do not give: no deadline, no article, no link.
func TestRealReportSeeds(t *testing.T) {
	today := followup.MustDate("2026-11-28")
	counts := map[string]map[followup.Category]int{}
	for _, rs := range realReportSeeds() {
		in := rs.input
		if err := in.Validate(today); err != nil {
			t.Errorf("report %s: %v", in.Slug, err)
		}
		r := followup.Report{Slug: in.Slug, Kind: in.Kind}
		if r.Fictional() {
			t.Errorf("real report %s would be marked fictional", in.Slug)
		}
		if in.TitleFR == "" || in.RoundFR == "" || in.Source == "" {
			t.Errorf("report %s lacks a French title, a French round or a source: %+v", in.Slug, in)
		}
		if !in.FollowupDueOn.IsZero() || in.URL != "" {
			t.Errorf("report %s has a deadline %s or a link %q that the facts do not give", in.Slug, in.FollowupDueOn, in.URL)
		}
		counts[in.Slug] = map[followup.Category]int{}
		labels := map[string]bool{}
		for _, rec := range rs.recommendations {
			if err := rec.Validate(); err != nil {
				t.Errorf("%s/%s: %v", in.Slug, rec.Label, err)
			}
			if labels[rec.Label] {
				t.Errorf("%s/%s: duplicate label", in.Slug, rec.Label)
			}
			labels[rec.Label] = true
			if !strings.HasPrefix(rec.Text, "Summary: ") || !strings.HasPrefix(rec.TextFR, "Résumé : ") {
				t.Errorf("%s/%s: the texts are not marked as summaries: %q / %q", in.Slug, rec.Label, rec.Text, rec.TextFR)
			}
			if rec.Source == "" {
				t.Errorf("%s/%s: no source", in.Slug, rec.Label)
			}
			if len(rec.Articles) != 0 || !rec.DueOn.IsZero() || rec.URL != "" {
				t.Errorf("%s/%s: articles %v, deadline %s or link %q are not established", in.Slug, rec.Label, rec.Articles, rec.DueOn, rec.URL)
			}
			counts[in.Slug][rec.Category]++
		}
	}
	if c := counts[RefugeeReport]; c[followup.Consider] != 10 || c[followup.Urge] != 5 || c[followup.Invite] != 0 {
		t.Errorf("refugee report categories %v, want 10 consider and 5 urge", c)
	}
	if c := counts[CircleOfTrustReport]; c[followup.Urge] != 2 || c[followup.Invite] != 2 || c[followup.Consider] != 0 {
		t.Errorf("circle-of-trust report categories %v, want R1, R2 urge and R3, R4 invite", c)
	}
	for _, slug := range []string{TransitZonesReport, CircleOfTrustStrategiesReport, ICTReport} {
		if n := counts[slug][followup.Urge] + counts[slug][followup.Consider] + counts[slug][followup.Invite]; n != 0 {
			t.Errorf("%s has %d recommendations: the facts establish none", slug, n)
		}
	}
	// No guessed R-number for an urge recommendation, and R12 does not carry the guess of its topic.
	for _, rec := range refugeeReportSeed().recommendations {
		if rec.Category == followup.Urge && strings.HasPrefix(rec.Label, "R") {
			t.Errorf("urge recommendation labelled %s: the report's number is not established", rec.Label)
		}
		if rec.Label == "R12" && (strings.Contains(rec.Text, "prosecution") || !strings.Contains(rec.Text, "not established")) {
			t.Errorf("R12: %q", rec.Text)
		}
	}
}

// PublishedStatus says what the facts file says of the 2019 evaluation, and nothing else.
func TestPublishedStatus(t *testing.T) {
	for _, tc := range []struct {
		report, label, party string
		want                 followup.Status
		ok                   bool
	}{
		{RefugeeReport, labelUrgeScreening, "FI", followup.PartiallyImplemented, true},
		{RefugeeReport, labelUrgeScreening, "MD", followup.PartiallyImplemented, true},
		{RefugeeReport, labelUrgeScreening, "FR", followup.Implemented, true},
		{RefugeeReport, labelUrgeFamily, "MK", "", false}, // "not yet in compliance", no grade
		{RefugeeReport, labelUrgeFamily, "MD", "", false},
		{RefugeeReport, labelUrgeFamily, "FI", followup.Implemented, true},
		{RefugeeReport, labelUrge3, "MK", followup.Implemented, true},
		{RefugeeReport, labelUrge5, "UA", followup.Implemented, true},
		{RefugeeReport, "R7", "FR", "", false}, // consider: per-Party outcomes null
		{RefugeeReport, "R37", "HU", "", false},
		{CircleOfTrustReport, "R1", "FR", "", false},
		{DemoReport, "D1", "FR", "", false},
	} {
		got, on, ok := PublishedStatus(tc.report, tc.label, tc.party)
		if got != tc.want || ok != tc.ok || (ok && on != followup.MustDate("2019-06-06")) {
			t.Errorf("PublishedStatus(%s, %s, %s) = %q %s %v, want %q %v", tc.report, tc.label, tc.party, got, on, ok, tc.want, tc.ok)
		}
	}
	if len(refugeeUrgeOutcomes2019) != len(urgeLabels) {
		t.Errorf("%d urge outcomes for %d urge recommendations", len(refugeeUrgeOutcomes2019), len(urgeLabels))
	}
	for _, cr := range []string{"R7", "R11", "R12", "R13", "R15", "R17", "R31", "R32", "R35", "R37"} {
		if _, ok := considerComplianceReports[cr]; !ok {
			t.Errorf("no compliance-report entry for %s", cr)
		}
	}
}

// The demonstration's dates keep the history rules (nothing before the report, assessments
// before their adoption, adoptions in order) on any day the seed runs, and its deadlines put
// something on the Party desks in the coming weeks.
func TestDemoTables(t *testing.T) {
	today := followup.MustDate("2026-11-28")
	rs := demoReportSeed(today)
	if err := rs.input.Validate(today); err != nil {
		t.Fatal(err)
	}
	r := followup.Report{Slug: rs.input.Slug, Kind: rs.input.Kind}
	if !r.Fictional() || !strings.Contains(rs.input.Title, "(fictional)") || !strings.Contains(rs.input.TitleFR, "(fictif)") {
		t.Errorf("the demonstration report %+v is not marked fictional", rs.input)
	}
	labels := map[string]bool{}
	upcoming := 0
	for _, rec := range rs.recommendations {
		if err := rec.Validate(); err != nil {
			t.Errorf("%s: %v", rec.Label, err)
		}
		labels[rec.Label] = true
		if !strings.HasPrefix(rec.Text, DemoNotice) || !strings.HasPrefix(rec.TextFR, DemoNoticeFR) {
			t.Errorf("%s: %q does not begin with the fictional notice", rec.Label, rec.Text)
		}
		if rec.DueOn.After(today) && !rec.DueOn.After(today.AddDays(60)) {
			upcoming++
		}
	}
	if upcoming < 2 {
		t.Errorf("%d deadlines in the coming 60 days, want at least 2", upcoming)
	}
	last := demoAdoptedDay
	for _, w := range demoWaves {
		if w.submitDay <= demoAdoptedDay || w.assessDay+len(demoParties)*2+len(w.labels) > w.adoptDay || w.adoptDay <= last {
			t.Errorf("wave %v: dates out of order", w.labels)
		}
		last = w.adoptDay
		for _, l := range w.labels {
			if !labels[l] || len(w.statuses[l]) != len(demoParties) {
				t.Errorf("wave label %s: unknown or %q has not one status per Party", l, w.statuses[l])
			}
			for i := 0; i < len(w.statuses[l]); i++ {
				if _, ok := demoStatusLetters[w.statuses[l][i]]; !ok {
					t.Errorf("%s: unknown status letter %q", l, w.statuses[l][i])
				}
			}
		}
	}
	for _, st := range demoAfter {
		if !labels[st.label] || !slices.Contains(demoParties, st.party) || st.day > 0 || (st.kind != demoDraftSubmission && st.day <= last) {
			t.Errorf("step %+v: unknown, in the future or before the last adoption", st)
		}
	}
	for _, p := range demoParties {
		found := false
		for _, l := range Logins() {
			found = found || l.Party == p
		}
		if !found {
			t.Errorf("demo Party %s has no demo user", p)
		}
	}
}
