package seed

import (
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
		for _, r := range partyTable {
			if r.code == c && r.refugeeRound {
				t.Errorf("%s is not covered by the refugee round", c)
			}
		}
	}
	if partyName("NO") != "Norway" {
		t.Errorf("NO is %q, want Norway", partyName("NO"))
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
	if len(logins) != 6 {
		t.Fatalf("%d logins, want 6", len(logins))
	}
	roles := map[string]int{}
	emails, tokens := map[string]bool{}, map[string]bool{}
	for _, l := range logins {
		in := followup.UserInput{Email: l.Email, Name: "Demo", Role: followup.Role(l.Role), Party: l.Party, Password: l.Password}
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

func TestReportSeeds(t *testing.T) {
	today := followup.MustDate("2026-11-28")
	counts := map[string]map[followup.Category]int{}
	for _, rs := range reportSeeds() {
		in := rs.input
		if err := in.Validate(today); err != nil {
			t.Errorf("report %s: %v", in.Slug, err)
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
			if !strings.HasPrefix(rec.Text, "Summary: ") {
				t.Errorf("%s/%s: the text does not start with \"Summary: \"", in.Slug, rec.Label)
			}
			if len(rec.Articles) != 0 {
				t.Errorf("%s/%s: articles %v are not established", in.Slug, rec.Label, rec.Articles)
			}
			if !rec.DueOn.IsZero() && rec.DueOn.Before(in.AdoptedOn) {
				t.Errorf("%s/%s: due on %s, before the report's adoption", in.Slug, rec.Label, rec.DueOn)
			}
			counts[in.Slug][rec.Category]++
		}
	}
	if c := counts[RefugeeReport]; c[followup.Consider] != 10 || c[followup.Urge] != 2 || c[followup.Invite] != 0 {
		t.Errorf("refugee report categories %v, want 10 consider and 2 urge", c)
	}
	if c := counts[TransitZonesReport]; c[followup.Urge]+c[followup.Consider]+c[followup.Invite] != 6 {
		t.Errorf("transit-zones report categories %v, want 6 recommendations", c)
	}
	for _, r := range refugeeReportSeed().recommendations {
		if r.Category == followup.Urge && !r.DueOn.Before(considerDue(t)) {
			t.Errorf("urge recommendation %s is due on %s, not before the consider ones", r.Label, r.DueOn)
		}
	}
}

func considerDue(t *testing.T) followup.Date {
	for _, r := range refugeeReportSeed().recommendations {
		if r.Category == followup.Consider {
			return r.DueOn
		}
	}
	t.Fatal("no consider recommendation")
	return followup.Date{}
}

func TestDemoTables(t *testing.T) {
	labels := map[string]followup.Category{}
	for _, r := range refugeeReportSeed().recommendations {
		labels[r.Label] = r.Category
	}
	for _, l := range urgeLabels {
		if labels[l] != followup.Urge {
			t.Errorf("%s is not an urge recommendation", l)
		}
	}
	consider := append(append([]string{}, considerWave1Labels...), considerWave2Labels...)
	if len(consider) != 10 {
		t.Errorf("the waves hold %d consider recommendations, want 10", len(consider))
	}
	for _, l := range consider {
		if labels[l] != followup.Consider {
			t.Errorf("%s is not a consider recommendation", l)
		}
	}
	refugee := map[string]bool{}
	for _, c := range refugeeRoundParties() {
		refugee[c] = true
	}
	for _, p := range demoParties {
		if !refugee[p] {
			t.Errorf("demo Party %s is not covered by the refugee report", p)
		}
		for _, tab := range []struct {
			statuses string
			n        int
		}{{demoUrgeStatuses[p], len(urgeLabels)}, {demoConsiderStatuses[p], len(consider)}} {
			if len(tab.statuses) != tab.n {
				t.Errorf("Party %s: %q has %d statuses, want %d", p, tab.statuses, len(tab.statuses), tab.n)
			}
			for i := 0; i < len(tab.statuses); i++ {
				if _, ok := demoStatusLetters[tab.statuses[i]]; !ok {
					t.Errorf("Party %s: unknown status letter %q", p, tab.statuses[i])
				}
			}
		}
	}
	if !urgeAdoption.Before(considerWave1Adoption) || !considerWave1Adoption.Before(considerWave2Adoption) {
		t.Error("the adoptions are out of order")
	}
}
