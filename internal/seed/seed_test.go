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
	return seed.Services{Parties: s, Reports: s, FollowUps: s, Users: s, Clock: followup.FixedClock(today), Location: time.UTC}
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

func day(s string) followup.Date { return followup.MustDate(s) }

// The refugee round: every Party but these seven.
var notInRefugeeRound = []string{"AM", "AZ", "EE", "GB", "IE", "NO", "TN"}

// Published assessments: 41 Parties × 5 urge recommendations, but for North Macedonia and
// the Republic of Moldova on family reunification (no grade). Demo: 15 in the two adopted
// waves and one draft.
const (
	publishedAssessments = 41*5 - 2
	demoAssessments      = 3*3 + 3*2 + 1
)

func TestLoadCreatesTheSeedData(t *testing.T) {
	s := openStore(t)
	res := load(t, s)
	want := seed.Result{Parties: 48, Reports: 6, Recommendations: 15 + 4 + 8,
		Assessments: publishedAssessments + demoAssessments, Users: 7, Tokens: 7}
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
	for _, p := range parties {
		if !code.MatchString(p.Code) || strings.TrimSpace(p.NameEN) == "" || strings.TrimSpace(p.NameFR) == "" {
			t.Errorf("Party %+v", p)
		}
	}
	if no, err := s.FindParty(ctx, "NO"); err != nil || no.NameEN != "Norway" || no.NameFR != "Norvège" {
		t.Errorf("NO = %+v, %v; want Norway", no, err)
	}
	if ie, err := s.FindParty(ctx, "IE"); err != nil || ie.JoinedOn != day("2021-04-01") {
		t.Errorf("IE = %+v, %v; want joined on 2021-04-01", ie, err)
	}
	if fr, err := s.FindParty(ctx, "FR"); err != nil || !fr.JoinedOn.IsZero() {
		t.Errorf("FR = %+v, %v; want no joining date (not established)", fr, err)
	}

	reports, err := s.ListReports(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, r := range reports {
		slugs = append(slugs, r.Slug)
		if r.Fictional() != (r.Slug == seed.DemoReport) {
			t.Errorf("report %s: fictional = %v", r.Slug, r.Fictional())
		}
	}
	slices.Sort(slugs)
	wantSlugs := []string{seed.DemoReport, seed.TransitZonesReport, seed.RefugeeReport, seed.CircleOfTrustReport,
		seed.CircleOfTrustStrategiesReport, seed.ICTReport}
	slices.Sort(wantSlugs)
	if !slices.Equal(slugs, wantSlugs) {
		t.Errorf("reports %v, want %v", slugs, wantSlugs)
	}
	// The seeded reports are the Committee's published ones: the public reads them.
	for _, r := range reports {
		if !r.Published() {
			t.Errorf("seeded report %s is a draft", r.Slug)
		}
		if _, err := s.FindReport(context.Background(), r.Slug); err != nil {
			t.Errorf("the public cannot read seeded report %s: %v", r.Slug, err)
		}
	}

	ref, err := s.FindReport(ctx, seed.RefugeeReport)
	if err != nil {
		t.Fatal(err)
	}
	if ref.Kind != followup.SpecialReport || ref.DocRef != "T-ES(2016)17 final" || ref.AdoptedOn != day("2017-03-03") ||
		ref.TitleFR == "" || ref.Source == "" || !ref.FollowupDueOn.IsZero() || len(ref.Parties) != 41 {
		t.Errorf("refugee report = %+v", ref)
	}
	for _, c := range notInRefugeeRound {
		if slices.Contains(ref.Parties, c) {
			t.Errorf("the refugee report covers %s", c)
		}
	}
	recs, err := s.ListRecommendations(ctx, seed.RefugeeReport, false)
	if err != nil {
		t.Fatal(err)
	}
	cats := map[followup.Category][]string{}
	for _, r := range recs {
		cats[r.Category] = append(cats[r.Category], r.Label)
		if r.FollowupCount != 41 || !r.EffectiveDueOn.IsZero() || r.TextFR == "" || r.Source == "" {
			t.Errorf("%s: %d follow-ups, due %s, French text %q, source %q", r.Label, r.FollowupCount, r.EffectiveDueOn, r.TextFR, r.Source)
		}
	}
	slices.Sort(cats[followup.Consider])
	if want := []string{"R11", "R12", "R13", "R15", "R17", "R31", "R32", "R35", "R37", "R7"}; !slices.Equal(cats[followup.Consider], want) {
		t.Errorf("consider recommendations %v, want %v", cats[followup.Consider], want)
	}
	if len(cats[followup.Urge]) != 5 || len(cats[followup.Invite]) != 0 {
		t.Errorf("urge %v, invite %v; want 5 urge and no invite", cats[followup.Urge], cats[followup.Invite])
	}
	r7, err := s.FindRecommendation(ctx, seed.RefugeeReport, "R7")
	if err != nil || !strings.Contains(r7.Source, "T-ES(2021)25") {
		t.Errorf("R7 = %+v, %v; want its compliance report in the source", r7, err)
	}

	// The first round: R2 addressed to Belgium and Luxembourg only, the others to the 26.
	cot, err := s.FindReport(ctx, seed.CircleOfTrustReport)
	if err != nil || len(cot.Parties) != 26 || cot.AdoptedOn != day("2015-12-04") || slices.Contains(cot.Parties, "DE") {
		t.Errorf("circle-of-trust report = %+v, %v", cot, err)
	}
	for label, n := range map[string]int{"R1": 26, "R2": 2, "R3": 26, "R4": 26} {
		r, err := s.FindRecommendation(ctx, seed.CircleOfTrustReport, label)
		if err != nil || r.FollowupCount != n {
			t.Errorf("%s: %+v, %v; want %d follow-ups", label, r, err, n)
		}
	}
	if r2, _ := s.FindRecommendation(ctx, seed.CircleOfTrustReport, "R2"); !slices.Equal(r2.AddressedTo, []string{"BE", "LU"}) {
		t.Errorf("R2 is addressed to %v, want BE and LU", r2.AddressedTo)
	}

	for slug, check := range map[string]func(followup.Report) bool{
		seed.TransitZonesReport: func(r followup.Report) bool {
			return r.Kind == followup.VisitReport && r.DocRef == "T-ES(2017)11 final" && r.AdoptedOn == day("2018-01-30") &&
				slices.Equal(r.Parties, []string{"HU"}) && strings.Contains(r.Source, "not established")
		},
		seed.CircleOfTrustStrategiesReport: func(r followup.Report) bool {
			return r.DocRef == "T-ES(2017)12 final" && r.AdoptedOn == day("2018-01-31") && len(r.Parties) == 26
		},
		// Every Party had joined by 10 March 2022, Armenia and Ireland included.
		seed.ICTReport: func(r followup.Report) bool {
			return r.DocRef == "T-ES(2022)02" && r.AdoptedOn == day("2022-03-10") && len(r.Parties) == 48 &&
				strings.Contains(r.Source, "IV-3")
		},
	} {
		r, err := s.FindReport(ctx, slug)
		if err != nil || !check(r) || r.RecommendationCount != 0 {
			t.Errorf("%s = %+v, %v", slug, r, err)
		}
	}

	users, err := s.ListUsers(ctx)
	if err != nil || len(users) != 7 {
		t.Errorf("%d users, %v; want 7", len(users), err)
	}
	for _, l := range seed.Logins() {
		u, err := s.FindUserByEmail(ctx, l.Email)
		if err != nil || string(u.Role) != l.Role || u.Party != l.Party || !u.Active {
			t.Errorf("%s = %+v, %v; want role %s, Party %q, active", l.Email, u, err, l.Role, l.Party)
		}
	}
}

// The seeded entry-into-force dates decide which Parties a report covers by default: Armenia,
// Azerbaijan, Ireland and Tunisia had not joined by 2017 or 2018.
func TestDefaultCoverageFollowsEntryIntoForce(t *testing.T) {
	s := openStore(t)
	load(t, s)
	ctx := admin()
	for _, tc := range []struct {
		on       string
		n        int
		excluded []string
	}{
		{"2017-03-03", 44, []string{"AM", "AZ", "IE", "TN"}},
		{"2018-01-30", 44, []string{"AM", "AZ", "IE", "TN"}},
		{"2020-03-01", 45, []string{"AM", "AZ", "IE"}},
		{"2021-04-01", 48, nil},
	} {
		slug := "coverage-" + tc.on
		r, err := s.CreateReport(ctx, followup.ReportInput{Slug: slug, Title: "Coverage", Kind: followup.ImplementationReport, AdoptedOn: day(tc.on)})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Parties) != tc.n {
			t.Errorf("a report of %s covers %d Parties, want %d", tc.on, len(r.Parties), tc.n)
		}
		for _, c := range tc.excluded {
			if slices.Contains(r.Parties, c) {
				t.Errorf("a report of %s covers %s", tc.on, c)
			}
		}
	}
}

// realFollowUps returns every follow-up of every report that is not fictional, with its
// submissions and assessments as the committee sees them.
func realFollowUps(t *testing.T, s *sqlstore.Store) []followup.FollowUp {
	t.Helper()
	ctx := admin()
	reports, err := s.ListReports(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	var out []followup.FollowUp
	for _, r := range reports {
		if r.Fictional() {
			continue
		}
		f := followup.FollowUpFilter{Report: r.Slug, Limit: 500}
		for {
			page, err := s.ListFollowUps(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				full, err := s.FindFollowUp(ctx, followup.FollowUpKey{Report: it.Report, Label: it.Label, Party: it.Party})
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, full)
			}
			if page.NextCursor == nil {
				break
			}
			f.Cursor = *page.NextCursor
		}
	}
	return out
}

// No real report holds anything the Committee did not publish: every follow-up of every real
// report holds exactly the outcome of the facts table (seed.PublishedStatus), adopted on the
// published day with its source, or nothing at all; and no submission.
func TestRealReportsHoldOnlyPublishedOutcomes(t *testing.T) {
	s := openStore(t)
	load(t, s)
	fus := realFollowUps(t, s)
	if n := 41*15 + 26*3 + 2; len(fus) != n {
		t.Errorf("%d follow-ups on the real reports, want %d", len(fus), n)
	}
	assessments := 0
	for _, f := range fus {
		key := followup.FollowUpKey{Report: f.Report, Label: f.Label, Party: f.Party}
		if len(f.Submissions) != 0 {
			t.Errorf("%s holds %d submissions: none is published", key, len(f.Submissions))
		}
		want, on, ok := seed.PublishedStatus(f.Report, f.Label, f.Party)
		if !ok {
			for _, a := range f.Assessments {
				t.Errorf("%s holds an assessment %s (%q): the facts give no grade", key, a.Status, a.Comment)
			}
			if f.Status != nil {
				t.Errorf("%s has the adopted status %s: the facts give no grade", key, *f.Status)
			}
			continue
		}
		if len(f.Assessments) != 1 {
			t.Errorf("%s holds %d assessments, want the published one", key, len(f.Assessments))
			continue
		}
		a := f.Assessments[0]
		assessments++
		if a.Status != want || a.AdoptedOn != on || a.AssessedOn != on || a.Source != "A press summary of the Committee's report (evaluation adopted on 6 June 2019)" ||
			a.Comment == "" || a.CommentFR == "" {
			t.Errorf("%s: assessment %+v, want %s adopted on %s with its source and comments", key, a, want, on)
		}
		if f.Status == nil || *f.Status != want {
			t.Errorf("%s: adopted status %v, want %s", key, f.Status, want)
		}
	}
	if assessments != publishedAssessments {
		t.Errorf("%d published assessments, want %d", assessments, publishedAssessments)
	}
}

func TestLoadIsIdempotent(t *testing.T) {
	s := openStore(t)
	load(t, s)
	before, err := s.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res := load(t, s); res != (seed.Result{}) {
		t.Errorf("the second Load created %+v, want nothing", res)
	}
	// A later day changes nothing either: the demonstration is dated when it is created.
	later := services(s)
	later.Clock = followup.FixedClock(today.AddDate(0, 3, 0))
	if res, err := seed.Load(context.Background(), later); err != nil || res != (seed.Result{}) {
		t.Errorf("a Load three months later created %+v, %v; want nothing", res, err)
	}
	// Every write bumps the data version: the same version means nothing was written.
	if after, err := s.DataVersion(context.Background()); err != nil || after != before {
		t.Errorf("data version %d before, %d after (%v)", before, after, err)
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
	want := seed.Result{Parties: 47, Reports: 6, Recommendations: 27, Assessments: publishedAssessments + demoAssessments, Users: 6, Tokens: 6}
	if res != want {
		t.Errorf("Load created %+v, want %+v", res, want)
	}
	// The existing admin keeps its own credentials: no demo token was made for it.
	if _, err := s.AuthenticateToken(context.Background(), seed.Logins()[0].Token); err == nil {
		t.Error("the demo admin token works for a user the seed did not create")
	}
}

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

func counts(kv ...any) followup.Counts {
	c := followup.NewCounts()
	for i := 0; i < len(kv); i += 2 {
		c[kv[i].(string)] = kv[i+1].(int)
	}
	return c
}

// The demonstration's history: two adoptions months apart, a draft assessment only the
// committee sees, an open draft submission, things to do for every role.
func TestDemoActivity(t *testing.T) {
	s := openStore(t)
	load(t, s)
	ctx := admin()
	now := followup.DateOf(today, time.UTC)
	public := context.Background()
	demoCounts := func(asOf followup.Date, basis followup.Basis, c context.Context) followup.Counts {
		t.Helper()
		comp, err := s.ReportCompliance(c, seed.DemoReport, followup.ComplianceQuery{AsOf: asOf, Basis: basis})
		if err != nil {
			t.Fatal(err)
		}
		return comp.Overall.Counts
	}
	// 8 recommendations × 3 Parties = 24 follow-ups.
	for _, tc := range []struct {
		asOf followup.Date
		want followup.Counts
	}{
		{now.AddDays(-371), counts("pending", 24)},
		{now.AddDays(-370), counts("implemented", 3, "partially_implemented", 3, "not_implemented", 2, "no_information", 1, "pending", 15)},
		{now.AddDays(-190), counts("implemented", 5, "partially_implemented", 5, "not_implemented", 3, "no_information", 2, "pending", 9)},
		{now, counts("implemented", 5, "partially_implemented", 5, "not_implemented", 3, "no_information", 2, "pending", 9)},
	} {
		got := demoCounts(tc.asOf, followup.BasisAdopted, public)
		checkCounts(t, "demo as of "+tc.asOf.String(), &followup.Tally{Counts: got}, tc.want)
	}
	// The committee's working picture has Germany's D4 implemented (a draft).
	draft := demoCounts(now, followup.BasisDraft, ctx)
	if draft["implemented"] != 6 || draft["partially_implemented"] != 4 {
		t.Errorf("draft picture %v, want Germany's D4 as a draft implemented", draft)
	}

	states := map[string]followup.State{}
	page, err := s.ListFollowUps(ctx, followup.FollowUpFilter{Report: seed.DemoReport, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range page.Items {
		states[f.Label+"/"+f.Party] = f.State
		full, err := s.FindFollowUp(ctx, followup.FollowUpKey{Report: f.Report, Label: f.Label, Party: f.Party})
		if err != nil {
			t.Fatal(err)
		}
		for _, sub := range full.Submissions {
			if !strings.HasPrefix(sub.Text, seed.DemoNotice) {
				t.Errorf("%s/%s: submission %q is not marked fictional", f.Label, f.Party, sub.Text)
			}
		}
		for _, a := range full.Assessments {
			if !strings.HasPrefix(a.Comment, seed.DemoNotice) || !strings.HasPrefix(a.CommentFR, seed.DemoNoticeFR) {
				t.Errorf("%s/%s: assessment %q is not marked fictional", f.Label, f.Party, a.Comment)
			}
		}
	}
	for key, want := range map[string]followup.State{
		"D4/DE": followup.Assessed,  // ready for the Secretariat to adopt
		"D1/FR": followup.Submitted, // in the rapporteurs' queue
		"D6/HU": followup.Submitted,
		"D7/FR": followup.AwaitingSubmission,
	} {
		if states[key] != want {
			t.Errorf("%s is %s, want %s", key, states[key], want)
		}
	}
	de, err := s.FindFollowUp(ctx, followup.FollowUpKey{Report: seed.DemoReport, Label: "D7", Party: "DE"})
	if err != nil || len(de.Submissions) != 1 || !de.Submissions[0].Draft {
		t.Errorf("DE/D7 = %+v, %v; want one draft submission", de, err)
	}
	queue, err := s.AssessmentQueue(ctx, followup.QueueFilter{Report: seed.DemoReport})
	if err != nil || len(queue) < 2 {
		t.Errorf("the rapporteurs' queue holds %d demo items (%v), want at least 2", len(queue), err)
	}
	// France's desk: deadlines coming up and one overdue.
	open := true
	fr, err := s.ListFollowUps(ctx, followup.FollowUpFilter{Report: seed.DemoReport, Party: "FR", Open: &open})
	if err != nil {
		t.Fatal(err)
	}
	upcoming, overdue := 0, 0
	for _, f := range fr.Items {
		if f.DueOn.After(now) && !f.DueOn.After(now.AddDays(60)) {
			upcoming++
		}
		if f.Overdue {
			overdue++
		}
	}
	if upcoming < 2 || overdue < 1 {
		t.Errorf("France's desk has %d deadlines coming up and %d overdue, want at least 2 and 1", upcoming, overdue)
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
