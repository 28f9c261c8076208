package server_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/server"
	"followup/internal/sqlstore"
	"followup/internal/storetest"
)

// inFrench asks for a page in French.
var inFrench = map[string]string{"Accept-Language": "fr"}

// wantAll fails for each of wants that the page lacks.
func wantAll(t *testing.T, what string, p page, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(p.body, w) {
			t.Errorf("%s lacks %q:\n%.3000s", what, w, between(p.body, "<main", "</main>"))
		}
	}
}

// wantNone fails for each of unwanted that the page shows.
func wantNone(t *testing.T, what string, p page, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(p.body, w) {
			t.Errorf("%s shows %q", what, w)
		}
	}
}

// The account page, for every role: who the user is, and the language of their e-mails.
func TestAccountPageForEachRole(t *testing.T) {
	t.Parallel()
	e := newEvidenceEnv(t)
	for who, wants := range map[string][]string{
		"party-fr":    {"<dd>France desk</dd>", "<dd>Party</dd>", "<dd>France</dd>"},
		"party-de":    {"<dd>Germany desk</dd>", "<dd>Party</dd>", "<dd>Germany</dd>"},
		"rapporteur":  {"<dd>Rapporteur</dd>", "<dd>rapporteur</dd>"},
		"secretariat": {"<dd>Secretariat</dd>"},
		"admin":       {"<dd>Admin</dd>", "<dd>administrator</dd>"},
		ngo:           {"<dd>ECPAT desk</dd>", "<dd>stakeholder</dd>"},
	} {
		b := e.browser()
		b.login(who)
		p := b.get("/account").expect(t, 200, who+"'s account")
		wantAll(t, who+"'s account", p, append(wants, "<h1>Your account</h1>", "<dd>"+who+"@example.org</dd>",
			`name="mail_lang" value="en" checked`, `name="mail_lang" value="fr">`, `href="/account/password"`)...)
		fr := b.do("GET", "/account", nil, inFrench)
		wantAll(t, who+"'s French account", fr, "<h1>Votre compte</h1>", `value="en" checked`)
	}
}

// A Party's desk, for its own users and for the committee who open it: the open follow-ups,
// the open requests for clarification, and the calendar feed for the Party's own users only.
func TestDeskPageForEachRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/requests", "rapporteur", map[string]any{"question": "Which law applies?", "due_on": "2027-01-31"})
	own := []string{`href="/followups/rep/R1/FR"`, "Test report", "Which law applies?", "31 January 2027", "30 September 2018", "Overdue"}
	for _, c := range []struct {
		who, path string
		wants     []string
		unwanted  []string
	}{
		{"party-fr", "/desk", append([]string{"<h1>Desk of France</h1>", "Calendar feed", "You have no active feed address."}, own...), nil},
		{"party-de", "/desk", []string{"<h1>Desk of Germany</h1>", `href="/followups/rep/R1/DE"`, "No request for clarification waits for your answer.", "Calendar feed"},
			[]string{"Which law applies?", "/followups/rep/R1/FR"}},
		{"rapporteur", "/desk?party=FR", append([]string{"<h1>Desk of France, as its users see it</h1>"}, own...), []string{"Calendar feed"}},
		{"secretariat", "/desk?party=FR", append([]string{"<h1>Desk of France, as its users see it</h1>"}, own...), []string{"Calendar feed"}},
		{"admin", "/desk?party=HU", []string{"<h1>Desk of Hungary, as its users see it</h1>", `href="/followups/rep/R1/HU"`, `href="/followups/rep/R2/HU"`},
			[]string{"Calendar feed", "Which law applies?"}},
	} {
		b := e.browser()
		b.login(c.who)
		p := b.get(c.path).expect(t, 200, c.who+" "+c.path)
		wantAll(t, c.who+" "+c.path, p, c.wants...)
		wantNone(t, c.who+" "+c.path, p, c.unwanted...)
	}
	fr := e.browser()
	fr.login("party-fr")
	p := fr.do("GET", "/desk", nil, inFrench)
	wantAll(t, "the French desk", p, "<h1>Bureau : France</h1>", "Flux de calendrier", "31 janvier 2027")
}

// The rapporteurs' queue, for every committee role: the submission waiting, its Party, report
// and deadline, and the report filter.
func TestQueuePageForEachRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Measures of France."})
	for _, who := range []string{"rapporteur", "secretariat", "admin"} {
		b := e.browser()
		b.login(who)
		p := b.get("/queue").expect(t, 200, who+"'s queue")
		wantAll(t, who+"'s queue", p, "<h1>Submissions awaiting assessment</h1>", "1 follow-up awaiting assessment",
			`<option value="rep">Test report</option>`, `<td>France</td>`, `href="/followups/rep/R1/FR"`, "<td>Test report</td>",
			"30 September 2018", "submitted today")
		wantNone(t, who+"'s queue", p, "/followups/rep/R1/DE")
		none := b.get("/queue?report=nope").expect(t, 200, who+"'s queue of another report")
		wantAll(t, who+"'s empty queue", none, "No submission awaits an assessment.")
		fr := b.do("GET", "/queue?report=rep", nil, inFrench)
		wantAll(t, who+"'s French queue", fr, "<h1>Contributions en attente d’évaluation</h1>", `<option value="rep" selected>Test report (en anglais)</option>`,
			"1 suivi en attente d’évaluation", "30 septembre 2018")
	}
}

// The Secretariat's dashboard, for the Secretariat and the administrators: each report with
// the assessments ready to adopt and its actions; the users' page for administrators only.
func TestManagePageForEachRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Measures of France."})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "comment": "Done."})
	rows := []string{"<h1>Secretariat desk</h1>", `<a href="/reports/rep">Test report</a>`, "3 March 2017", `<strong class="badge due">1</strong>`,
		`href="/manage/reports/rep/edit"`, `href="/manage/reports/rep/recommendations/new"`, `href="/manage/reports/rep/adopt"`, `href="/manage/audit"`}
	for who, users := range map[string]bool{"secretariat": false, "admin": true} {
		b := e.browser()
		b.login(who)
		p := b.get("/manage").expect(t, 200, who+"'s dashboard")
		wantAll(t, who+"'s dashboard", p, rows...)
		if got := strings.Contains(p.body, `href="/manage/users"`); got != users {
			t.Errorf("%s's dashboard links to the users' page: %v, want %v", who, got, users)
		}
		fr := b.do("GET", "/manage", nil, inFrench)
		wantAll(t, who+"'s French dashboard", fr, "<h1>Bureau du Secrétariat</h1>", "Nouveau rapport", "3 mars 2017", ">Modifier</a>")
	}
}

// The administrators' pages of jobs and e-mails, in French: the job with its run, the outbox
// with its filter and a failed message, the message's preview.
func TestAdminPagesInFrench(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.browser()
	admin.login("admin")
	admin.post("/manage/jobs/reminders/run", url.Values{}).expect(t, 303, "run the reminders")
	id := strconv.FormatInt(failOne(t, e), 10)
	jobs := admin.do("GET", "/manage/jobs", nil, inFrench).expect(t, 200, "jobs")
	wantAll(t, "the French jobs page", jobs, "<h1>Tâches planifiées</h1>", "<code>0 8 * * *</code> (UTC)", "Exécuter maintenant",
		"28 novembre 2026 09:00 UTC", "Cette tâche ne s’est encore jamais exécutée.")
	box := admin.do("GET", "/manage/outbox?status=failed&kind=reminder", nil, inFrench).expect(t, 200, "outbox")
	wantAll(t, "the French outbox", box, "<h1>Courriels sortants</h1>", `<option value="failed" selected>Échec</option>`,
		`<option value="reminder" selected>Rappel</option>`, `href="/manage/outbox/`+id+`"`, "550 mailbox &lt;unavailable&gt;",
		`<input type="hidden" name="next" value="/manage/outbox?status=failed&amp;kind=reminder">`, "Renvoyer")
	bad := admin.do("GET", "/manage/outbox?kind=postcard", nil, inFrench).expect(t, 422, "an unknown kind")
	wantAll(t, "the outbox with an unknown kind", bad, `<p class="field-error">`)
	wantNone(t, "the outbox with an unknown kind", bad, "<table")
	m := admin.do("GET", "/manage/outbox/"+id, nil, inFrench).expect(t, 200, "message")
	wantAll(t, "the French message", m, "<h1>Message "+id+"</h1>", "Aperçu (texte)", `<pre class="mail-body">`, "Destinataire",
		`action="/manage/outbox/`+id+`/retry"`, `href="/followups/rep/R1/`)
}

// The queue counts a submission's wait from the date the Party gave it, not from the time it
// was recorded, shows that date, and says when it was recorded where that was another day;
// the oldest submission by its date comes first.
func TestQueueWaitsFromTheSubmissionDate(t *testing.T) {
	t.Parallel()
	path := storetest.NewDatabase(t)
	clock := &movingClock{t: today.AddDate(0, 0, -5)}
	store := storetest.OpenAt(t, path, sqlstore.Options{Clock: clock, Location: time.UTC, PasswordCost: bcrypt.MinCost})
	ctx := sysCtx()
	for _, p := range []followup.Party{{Code: "FR", NameEN: "France", NameFR: "France"}, {Code: "DE", NameEN: "Germany", NameFR: "Allemagne"}} {
		must(t, func() error { _, err := store.CreateParty(ctx, p); return err })
	}
	must(t, func() error {
		_, err := store.CreateReport(ctx, followup.ReportInput{Slug: "rep", Title: "Test report", Kind: followup.SpecialReport,
			AdoptedOn: followup.MustDate("2017-03-03"), FollowupDueOn: followup.MustDate("2018-09-30"), Parties: []string{"FR", "DE"}})
		return err
	})
	must(t, func() error { _, err := store.PublishReport(ctx, "rep"); return err })
	must(t, func() error {
		_, err := store.CreateRecommendation(ctx, "rep", followup.RecommendationInput{Label: "R1", Category: followup.Urge, Text: "Act."})
		return err
	})
	must(t, func() error {
		_, err := store.CreateUser(ctx, followup.UserInput{Email: "rapporteur@example.org", Name: "Rapporteur", Role: followup.RoleRapporteur, Password: testPassword})
		return err
	})
	submit := func(party string, on followup.Date) {
		t.Helper()
		must(t, func() error {
			_, err := store.CreateSubmission(ctx, followup.FollowUpKey{Report: "rep", Label: "R1", Party: party}, followup.SubmissionInput{Text: "Measures.", SubmittedOn: on})
			return err
		})
	}
	submit("DE", followup.Date{}) // five days ago, dated that day
	clock.advance(2 * 24 * time.Hour)
	submit("FR", followup.MustDate("2026-11-08")) // three days ago, dated twenty days ago
	clock.advance(3 * 24 * time.Hour)
	e := &testEnv{t: t, store: store, tokens: map[string]string{}}
	e.srv = newServer(t, server.Options{Services: testServices(t, store, clock), Clock: clock, Location: time.UTC})
	b := e.browser()
	b.login("rapporteur")
	p := b.get("/queue").expect(t, 200, "queue")
	rows := strings.Split(between(p.body, "<tbody>", "</tbody>"), "<tr>")[1:]
	if len(rows) != 2 || !strings.Contains(rows[0], "/followups/rep/R1/FR") || !strings.Contains(rows[1], "/followups/rep/R1/DE") {
		t.Fatalf("France, whose submission is dated earlier, does not come first:\n%s", strings.Join(rows, "\n"))
	}
	for i, wants := range [][]string{
		{`<td>8 November 2026 <span class="muted">recorded 25 November 2026 09:00 UTC</span></td>`, "<td>waiting 20 days</td>"},
		{"<td>23 November 2026</td>", "<td>waiting 5 days</td>"},
	} {
		for _, want := range wants {
			if !strings.Contains(rows[i], want) {
				t.Errorf("row %d lacks %q:\n%s", i, want, rows[i])
			}
		}
	}
	if strings.Contains(rows[1], "recorded") {
		t.Errorf("Germany's submission, recorded on its date, says when it was recorded:\n%s", rows[1])
	}
	p = b.do("GET", "/queue", nil, inFrench)
	wantAll(t, "the French queue", p, "<td>8 novembre 2026 <span class=\"muted\">enregistrée le 25 novembre 2026 09:00 UTC</span></td>",
		"<td>en attente depuis 20 jours</td>", "<td>en attente depuis 5 jours</td>")
}
