package sqlstore_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/sqlstore"
)

// picture is what a day's readings show: the compliance cells ("R1/FR:implemented", "R1/HU:"
// for a pending one), and FR's dossier ("R1:active", "R2:inactive").
type picture struct {
	cells   []string
	dossier []string
}

// pictureOf reads a day's compliance summary (adopted basis, as the public) and FR's dossier.
func (f *fixture) pictureOf(t *testing.T, day followup.Date) picture {
	t.Helper()
	c, err := f.store.ReportCompliance(f.as("anon"), slug, followup.ComplianceQuery{AsOf: day})
	must(t, err)
	var p picture
	labels := map[string]bool{}
	for _, cell := range c.Cells {
		st := ""
		if cell.Status != nil {
			st = string(*cell.Status)
		}
		p.cells = append(p.cells, cell.Label+"/"+cell.Party+":"+st)
		labels[cell.Label] = true
	}
	// Every recommendation of the summary has follow-ups in this test: its lines are those of
	// the cells.
	var lines []string
	for _, rt := range c.ByRecommendation {
		lines = append(lines, rt.Label)
		if !labels[rt.Label] {
			t.Errorf("as of %s the summary has a line for %s and no cell of it", day, rt.Label)
		}
	}
	if len(lines) != len(labels) {
		t.Errorf("as of %s the summary's lines %v are not the recommendations of its cells %v", day, lines, p.cells)
	}
	d, err := f.store.PartyDossier(f.as("fr"), "FR", followup.ComplianceQuery{AsOf: day})
	must(t, err)
	for _, fu := range d.FollowUps {
		state := "inactive"
		if fu.Active {
			state = "active"
		}
		p.dossier = append(p.dossier, fu.Label+":"+state)
		if _, ok := d.Recommendations[fu.Report+"/"+fu.Label]; !ok {
			t.Errorf("as of %s the dossier has %s/%s and not its recommendation", day, fu.Label, fu.Party)
		}
	}
	return p
}

// A past day shows what was true then: changing a recommendation's addressees or archiving it
// changes the pictures of the day of the change and after, never those of the days before. A
// Party dropped from the addressees keeps its adopted outcome in the summaries of the days it
// was addressed and is out of those after (its dossier flags it inactive); added back, it is
// in again with that outcome; a Party added later is not in the days before; an archived
// recommendation is in the days before its archiving, out from that day until it is
// un-archived.
func TestPastDaysShowWhatHeldThen(t *testing.T) {
	t.Parallel()
	clock := &dayClock{}
	clock.set(date("2026-03-01"))
	f := newFixtureWith(t, sqlstore.Options{Clock: clock, Location: time.UTC, PasswordCost: bcrypt.MinCost})
	secretariat := f.as("secretariat")
	addressees := func(label string, parties ...string) {
		t.Helper()
		_, err := f.store.UpdateRecommendation(secretariat, slug, label, followup.RecommendationPatch{AddressedTo: &parties})
		must(t, err)
	}
	archive := func(label string, archived bool) {
		t.Helper()
		_, err := f.store.UpdateRecommendation(secretariat, slug, label, followup.RecommendationPatch{Archived: &archived})
		must(t, err)
	}
	// Each step changes something on its day; the picture of that day is then recorded, and
	// the pictures of every day recorded before must stay as they were.
	seen := map[string]picture{}
	var days []string
	for _, step := range []struct {
		day    string
		change func()
		want   picture
	}{
		{"2026-03-01", func() {
			f.assess(t, key("R1", "FR"), followup.Implemented, "2026-03-01")
			f.assess(t, key("R1", "DE"), followup.PartiallyImplemented, "2026-03-01")
		}, picture{
			cells:   []string{"R1/DE:", "R1/FR:", "R1/HU:", "R2/HU:"},
			dossier: []string{"R1:active"},
		}},
		{"2026-03-02", func() { f.adopt(t, "2026-03-02") }, picture{
			cells:   []string{"R1/DE:partially_implemented", "R1/FR:implemented", "R1/HU:", "R2/HU:"},
			dossier: []string{"R1:active"},
		}},
		{"2026-03-10", func() {
			addressees("R1", "DE", "HU")
			addressees("R2", "FR", "HU")
		}, picture{
			cells:   []string{"R1/DE:partially_implemented", "R1/HU:", "R2/FR:", "R2/HU:"},
			dossier: []string{"R1:inactive", "R2:active"},
		}},
		{"2026-03-20", func() { addressees("R1", "DE", "FR", "HU") }, picture{
			cells:   []string{"R1/DE:partially_implemented", "R1/FR:implemented", "R1/HU:", "R2/FR:", "R2/HU:"},
			dossier: []string{"R1:active", "R2:active"},
		}},
		{"2026-04-01", func() { archive("R1", true) }, picture{
			cells:   []string{"R2/FR:", "R2/HU:"},
			dossier: []string{"R2:active"},
		}},
		{"2026-04-10", func() { archive("R1", false) }, picture{
			cells:   []string{"R1/DE:partially_implemented", "R1/FR:implemented", "R1/HU:", "R2/FR:", "R2/HU:"},
			dossier: []string{"R1:active", "R2:active"},
		}},
		// Dropped and added back on one day: the day shows it addressed.
		{"2026-04-20", func() {
			addressees("R1", "DE", "HU")
			addressees("R1", "DE", "FR", "HU")
		}, picture{
			cells:   []string{"R1/DE:partially_implemented", "R1/FR:implemented", "R1/HU:", "R2/FR:", "R2/HU:"},
			dossier: []string{"R1:active", "R2:active"},
		}},
		// Archived and dropped on one day, then un-archived: dropped from that day on.
		{"2026-04-25", func() {
			archive("R1", true)
			addressees("R1", "DE", "HU")
		}, picture{
			cells:   []string{"R2/FR:", "R2/HU:"},
			dossier: []string{"R2:active"},
		}},
		{"2026-04-28", func() { archive("R1", false) }, picture{
			cells:   []string{"R1/DE:partially_implemented", "R1/HU:", "R2/FR:", "R2/HU:"},
			dossier: []string{"R1:inactive", "R2:active"},
		}},
	} {
		clock.set(date(step.day))
		step.change()
		seen[step.day] = step.want
		days = append(days, step.day)
		// The days between two steps read as the earlier one.
		if n := len(days); n > 1 {
			between := date(days[n-2]).AddDays(1)
			if between.Before(date(step.day)) {
				seen[between.String()] = seen[days[n-2]]
				days = append(days[:n-1], between.String(), step.day)
			}
		}
		for _, day := range days {
			want := seen[day]
			got := f.pictureOf(t, date(day))
			if !slices.Equal(got.cells, want.cells) {
				t.Errorf("after the change of %s, the summary as of %s has the cells %v, want %v", step.day, day, got.cells, want.cells)
			}
			if !slices.Equal(got.dossier, want.dossier) {
				t.Errorf("after the change of %s, FR's dossier as of %s has %v, want %v", step.day, day, got.dossier, want.dossier)
			}
		}
		// Today's reading is the day's.
		if got := f.pictureOf(t, followup.Date{}); !slices.Equal(got.cells, step.want.cells) || !slices.Equal(got.dossier, step.want.dossier) {
			t.Errorf("on %s today's picture is %+v, want %+v", step.day, got, step.want)
		}
	}
	if t.Failed() {
		return
	}
	// The draft basis reads the same follow-ups.
	c, err := f.store.ReportCompliance(f.as("rapporteur"), slug, followup.ComplianceQuery{AsOf: date("2026-03-15"), Basis: followup.BasisDraft})
	must(t, err)
	var cells []string
	for _, cell := range c.Cells {
		cells = append(cells, fmt.Sprint(cell.Label, "/", cell.Party))
	}
	if want := []string{"R1/DE", "R1/HU", "R2/FR", "R2/HU"}; !slices.Equal(cells, want) {
		t.Errorf("the draft basis as of 2026-03-15 has %v, want %v", cells, want)
	}
}
