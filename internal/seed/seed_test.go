package seed_test

import (
	"golang.org/x/crypto/bcrypt"

	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/seed"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

var today = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// openStore opens a store on a new file. Every store-backed test runs in parallel with the
// others: each has its own database, and Load is slow under the race detector (bcrypt).
func openStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	t.Parallel()
	// The lowest bcrypt cost keeps the six demo users fast under the race detector.
	return storetest.Open(t, sqlstore.Options{Clock: followup.FixedClock(today), Location: time.UTC, PasswordCost: bcrypt.MinCost})
}

func services(s *sqlstore.Store) seed.Services {
	return seed.Services{Parties: s, Reports: s, FollowUps: s, Users: s}
}

func admin() context.Context {
	return followup.WithActor(context.Background(), followup.SystemActor)
}

func load(t *testing.T, s *sqlstore.Store) seed.Result {
	t.Helper()
	res, err := seed.Load(context.Background(), services(s))
	if err != nil {
		t.Fatalf("Load: %v (code %s)", err, followup.ErrorCode(err))
	}
	return res
}

// The refugee round: every Party but these seven.
var notInRefugeeRound = []string{"AM", "AZ", "EE", "GB", "IE", "NO", "TN"}

// snapshot is what the tests compare before and after a second Load.
type snapshot struct {
	parties, reports, users int
	recs                    map[string]int
	overall                 followup.Counts
}

func takeSnapshot(t *testing.T, s *sqlstore.Store) snapshot {
	t.Helper()
	ctx := admin()
	parties, err := s.ListParties(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reports, err := s.ListReports(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	users, err := s.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snap := snapshot{parties: len(parties), reports: len(reports), users: len(users), recs: map[string]int{}}
	for _, r := range reports {
		recs, err := s.ListRecommendations(ctx, r.Slug, true)
		if err != nil {
			t.Fatal(err)
		}
		snap.recs[r.Slug] = len(recs)
	}
	c, err := s.ReportCompliance(ctx, seed.RefugeeReport, followup.ComplianceQuery{Basis: followup.BasisDraft})
	if err != nil {
		t.Fatal(err)
	}
	snap.overall = c.Overall.Counts
	return snap
}

func TestLoadCreatesTheSeedData(t *testing.T) {
	s := openStore(t)
	res := load(t, s)
	want := seed.Result{Parties: 48, Reports: 2, Recommendations: 12 + 6, Users: 6, Tokens: 6}
	if res != want {
		t.Errorf("Load created %+v, want %+v", res, want)
	}
	ctx := admin()

	parties, err := s.ListParties(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(parties) != 48 {
		t.Errorf("%d Parties, want 48", len(parties))
	}
	code := regexp.MustCompile(`^[A-Z]{2}$`)
	seen := map[string]bool{}
	for _, p := range parties {
		if !code.MatchString(p.Code) || seen[p.Code] {
			t.Errorf("bad or duplicate Party code %q", p.Code)
		}
		seen[p.Code] = true
		if strings.TrimSpace(p.NameEN) == "" || strings.TrimSpace(p.NameFR) == "" {
			t.Errorf("Party %s lacks a name: en %q, fr %q", p.Code, p.NameEN, p.NameFR)
		}
	}
	no, err := s.FindParty(ctx, "NO")
	if err != nil || no.NameEN != "Norway" || no.NameFR != "Norvège" {
		t.Errorf("NO = %+v, %v; want Norway", no, err)
	}
	hu, err := s.FindParty(ctx, "hu")
	if err != nil || hu.JoinedOn != followup.MustDate("2015-12-01") {
		t.Errorf("HU = %+v, %v; want joined on 2015-12-01", hu, err)
	}
	if fr, err := s.FindParty(ctx, "FR"); err != nil || !fr.JoinedOn.IsZero() {
		t.Errorf("FR = %+v, %v; want no joining date (not established)", fr, err)
	}

	reports, err := s.ListReports(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 2 {
		t.Errorf("%d reports, want 2", len(reports))
	}

	ref, err := s.FindReport(ctx, seed.RefugeeReport)
	if err != nil {
		t.Fatal(err)
	}
	if ref.Kind != followup.SpecialReport || ref.DocRef != "T-ES(2016)17 final" || ref.AdoptedOn != followup.MustDate("2017-03-03") ||
		ref.Round != "Urgent monitoring round: refugee crisis" || ref.FollowupDueOn.IsZero() {
		t.Errorf("refugee report = %+v", ref)
	}
	if len(ref.Parties) != 41 {
		t.Errorf("the refugee report covers %d Parties, want 41", len(ref.Parties))
	}
	covered := map[string]bool{}
	for _, c := range ref.Parties {
		covered[c] = true
	}
	for _, c := range notInRefugeeRound {
		if covered[c] {
			t.Errorf("the refugee report covers %s", c)
		}
	}
	for _, p := range parties {
		if !covered[p.Code] && !slices.Contains(notInRefugeeRound, p.Code) {
			t.Errorf("the refugee report does not cover %s", p.Code)
		}
	}
	recs, err := s.ListRecommendations(ctx, seed.RefugeeReport, false)
	if err != nil {
		t.Fatal(err)
	}
	cats := map[followup.Category][]string{}
	var urgeDue, considerDue followup.Date
	for _, r := range recs {
		cats[r.Category] = append(cats[r.Category], r.Label)
		if !strings.HasPrefix(r.Text, "Summary: ") {
			t.Errorf("%s: text %q is not marked as a summary", r.Label, r.Text)
		}
		if r.FollowupCount != 41 {
			t.Errorf("%s has %d follow-ups, want 41", r.Label, r.FollowupCount)
		}
		switch r.Category {
		case followup.Urge:
			urgeDue = r.EffectiveDueOn
		case followup.Consider:
			considerDue = r.EffectiveDueOn
		}
	}
	slices.Sort(cats[followup.Consider])
	wantConsider := []string{"R11", "R12", "R13", "R15", "R17", "R31", "R32", "R35", "R37", "R7"}
	if !slices.Equal(cats[followup.Consider], wantConsider) {
		t.Errorf("consider recommendations %v, want %v", cats[followup.Consider], wantConsider)
	}
	if len(cats[followup.Urge]) != 2 || len(cats[followup.Invite]) != 0 {
		t.Errorf("urge %v, invite %v; want 2 urge and no invite", cats[followup.Urge], cats[followup.Invite])
	}
	if urgeDue.IsZero() || !urgeDue.Before(considerDue) {
		t.Errorf("urge due on %s, consider on %s: want urge first", urgeDue, considerDue)
	}

	tz, err := s.FindReport(ctx, seed.TransitZonesReport)
	if err != nil {
		t.Fatal(err)
	}
	if tz.Kind != followup.VisitReport || tz.DocRef != "T-ES(2017)11 final" || tz.AdoptedOn != followup.MustDate("2018-01-30") ||
		!slices.Equal(tz.Parties, []string{"HU"}) {
		t.Errorf("transit-zones report = %+v", tz)
	}
	tzRecs, err := s.ListRecommendations(ctx, seed.TransitZonesReport, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(tzRecs) != 6 {
		t.Errorf("%d transit-zones recommendations, want 6", len(tzRecs))
	}
	for i, r := range tzRecs {
		if !strings.HasPrefix(r.Label, "TZ-") || !strings.HasPrefix(r.Text, "Summary: ") || r.FollowupCount != 1 {
			t.Errorf("transit-zones recommendation %d = %+v", i, r)
		}
	}

	users, err := s.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 6 {
		t.Errorf("%d users, want 6", len(users))
	}
	for _, l := range seed.Logins() {
		u, err := s.FindUserByEmail(ctx, l.Email)
		if err != nil {
			t.Errorf("%s: %v", l.Email, err)
			continue
		}
		if string(u.Role) != l.Role || u.Party != l.Party || !u.Active {
			t.Errorf("%s = %+v, want role %s, Party %q, active", l.Email, u, l.Role, l.Party)
		}
	}
}

func TestLoadIsIdempotent(t *testing.T) {
	s := openStore(t)
	load(t, s)
	before := takeSnapshot(t, s)
	if res := load(t, s); res != (seed.Result{}) {
		t.Errorf("the second Load created %+v, want nothing", res)
	}
	after := takeSnapshot(t, s)
	if before.parties != after.parties || before.reports != after.reports || before.users != after.users {
		t.Errorf("counts changed: before %+v, after %+v", before, after)
	}
	for slug, n := range before.recs {
		if after.recs[slug] != n {
			t.Errorf("%s: %d recommendations before, %d after", slug, n, after.recs[slug])
		}
	}
	for k, n := range before.overall {
		if after.overall[k] != n {
			t.Errorf("compliance count %s: %d before, %d after", k, n, after.overall[k])
		}
	}
}

func TestLoadCompletesPartialData(t *testing.T) {
	s := openStore(t)
	ctx := admin()
	if _, err := s.CreateParty(ctx, followup.Party{Code: "FR", NameEN: "France", NameFR: "France"}); err != nil {
		t.Fatal(err)
	}
	in := followup.UserInput{Email: "admin@example.org", Name: "Someone", Role: followup.RoleAdmin, Password: "an-own-password-1"}
	if _, err := s.CreateUser(ctx, in); err != nil {
		t.Fatal(err)
	}
	res := load(t, s)
	want := seed.Result{Parties: 47, Reports: 2, Recommendations: 18, Users: 5, Tokens: 5}
	if res != want {
		t.Errorf("Load created %+v, want %+v", res, want)
	}
	// The existing admin keeps its own credentials: no demo token was made for it.
	if _, err := s.AuthenticateToken(context.Background(), seed.Logins()[0].Token); err == nil {
		t.Error("the demo admin token works for a user the seed did not create")
	}
}

// Counts expected from the demo data: five Parties (FR, DE, HU, IT, GR) assessed on the two
// urge recommendations (adopted 2019-06-06) and on the ten consider recommendations (five
// adopted 2021-10-15, five 2022-03-18).
var (
	wantUrge = followup.Counts{"implemented": 3, "partially_implemented": 5, "not_implemented": 1,
		"no_information": 1, "not_applicable": 0, "pending": 41*2 - 10}
	wantConsiderWave1 = followup.Counts{"implemented": 6, "partially_implemented": 15, "not_implemented": 2,
		"no_information": 2, "not_applicable": 0, "pending": 41*10 - 25}
	wantConsiderAll = followup.Counts{"implemented": 14, "partially_implemented": 29, "not_implemented": 4,
		"no_information": 3, "not_applicable": 0, "pending": 41*10 - 50}
	allPending = func(n int) followup.Counts {
		c := followup.NewCounts()
		c[followup.Pending] = n
		return c
	}
)

func checkCounts(t *testing.T, what string, got *followup.Tally, want followup.Counts) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: no tally", what)
		return
	}
	for _, k := range followup.CountKeys {
		if got.Counts[k] != want[k] {
			t.Errorf("%s: %s = %d, want %d (all: %v)", what, k, got.Counts[k], want[k], got.Counts)
		}
	}
}

func TestDemoComplianceAsOf(t *testing.T) {
	s := openStore(t)
	load(t, s)
	public := context.Background() // the public sees adopted assessments only

	c, err := s.ReportCompliance(public, seed.RefugeeReport, followup.ComplianceQuery{AsOf: followup.MustDate("2019-06-06")})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, "2019-06-06 urge", c.ByCategory[followup.Urge], wantUrge)
	checkCounts(t, "2019-06-06 consider", c.ByCategory[followup.Consider], allPending(410))

	c, err = s.ReportCompliance(public, seed.RefugeeReport, followup.ComplianceQuery{AsOf: followup.MustDate("2019-06-05")})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, "2019-06-05 urge", c.ByCategory[followup.Urge], allPending(82))

	c, err = s.ReportCompliance(public, seed.RefugeeReport, followup.ComplianceQuery{AsOf: followup.MustDate("2021-12-01")})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, "2021-12-01 urge", c.ByCategory[followup.Urge], wantUrge)
	checkCounts(t, "2021-12-01 consider", c.ByCategory[followup.Consider], wantConsiderWave1)

	c, err = s.ReportCompliance(public, seed.RefugeeReport, followup.ComplianceQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if c.AsOf != followup.DateOf(today, time.UTC) {
		t.Errorf("as of %s, want today", c.AsOf)
	}
	checkCounts(t, "today urge", c.ByCategory[followup.Urge], wantUrge)
	checkCounts(t, "today consider", c.ByCategory[followup.Consider], wantConsiderAll)
	if got := cell(c, "R32", "IT"); got == nil || got.Status == nil || *got.Status != followup.PartiallyImplemented || got.Draft {
		t.Errorf("public IT/R32 cell = %+v, want the adopted partially_implemented", got)
	}

	// The committee's working picture shows the draft assessment left unadopted.
	c, err = s.ReportCompliance(admin(), seed.RefugeeReport, followup.ComplianceQuery{Basis: followup.BasisDraft})
	if err != nil {
		t.Fatal(err)
	}
	if got := cell(c, "R32", "IT"); got == nil || got.Status == nil || *got.Status != followup.Implemented || !got.Draft {
		t.Errorf("draft IT/R32 cell = %+v, want a draft implemented", got)
	}
}

func cell(c followup.Compliance, label, party string) *followup.ComplianceCell {
	for i := range c.Cells {
		if c.Cells[i].Label == label && c.Cells[i].Party == party {
			return &c.Cells[i]
		}
	}
	return nil
}

func TestDemoActivity(t *testing.T) {
	s := openStore(t)
	load(t, s)
	ctx := admin()
	recs, err := s.ListRecommendations(ctx, seed.RefugeeReport, false)
	if err != nil {
		t.Fatal(err)
	}
	var assessments, drafts, draftSubmissions int
	for _, party := range []string{"FR", "DE", "HU", "IT", "GR"} {
		for _, r := range recs {
			key := followup.FollowUpKey{Report: seed.RefugeeReport, Label: r.Label, Party: party}
			f, err := s.FindFollowUp(ctx, key)
			if err != nil {
				t.Errorf("%s: %v", key, err)
				continue
			}
			for _, a := range f.Assessments {
				assessments++
				if !strings.HasPrefix(a.Comment, seed.DemoNotice) {
					t.Errorf("%s: assessment comment %q does not begin with the demo notice", key, a.Comment)
				}
				if !a.Adopted() {
					drafts++
				}
			}
			for _, sub := range f.Submissions {
				if !strings.HasPrefix(sub.Text, "Demonstration data") {
					t.Errorf("%s: submission %q is not marked as demonstration data", key, sub.Text)
				}
				if sub.Draft {
					draftSubmissions++
				}
			}
			if len(f.Assessments) == 0 {
				t.Errorf("%s: no assessment", key)
			}
		}
	}
	if assessments != 5*12+1 || drafts != 1 || draftSubmissions != 1 {
		t.Errorf("%d assessments (%d drafts) and %d draft submissions; want 61 (1 draft) and 1", assessments, drafts, draftSubmissions)
	}
	f, err := s.FindFollowUp(ctx, followup.FollowUpKey{Report: seed.RefugeeReport, Label: "R32", Party: "IT"})
	if err != nil {
		t.Fatal(err)
	}
	if f.State != followup.Assessed {
		t.Errorf("IT/R32 is %s, want assessed (a draft assessment is pending adoption)", f.State)
	}
	// Parties without demo activity are untouched.
	f, err = s.FindFollowUp(ctx, followup.FollowUpKey{Report: seed.RefugeeReport, Label: "R7", Party: "ES"})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Submissions)+len(f.Assessments) != 0 || f.State != followup.AwaitingSubmission {
		t.Errorf("ES/R7 = %+v, want no activity", f)
	}
}

func TestDemoTokensAuthenticate(t *testing.T) {
	s := openStore(t)
	load(t, s)
	for _, l := range seed.Logins() {
		a, err := s.AuthenticateToken(context.Background(), l.Token)
		if err != nil {
			t.Errorf("%s: %v", l.Email, err)
			continue
		}
		if a.Email != l.Email || string(a.Role) != l.Role || a.Party != l.Party || a.Anonymous() {
			t.Errorf("the token of %s stands for %+v, want role %s, Party %q", l.Email, a, l.Role, l.Party)
		}
	}
	if _, err := s.AuthenticateToken(context.Background(), "demo-token-nobody-000000000000000"); err == nil {
		t.Error("an unknown token authenticates")
	}
}
