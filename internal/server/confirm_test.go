package server_test

import (
	"net/url"
	"strings"
	"testing"
)

// "Run now" and "Deactivate" ask first: a GET shows what will happen and a button that posts;
// nothing happens until it is pressed.
func TestConfirmationPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.browser()
	admin.login("admin")
	jobs := admin.get("/manage/jobs").expect(t, 200, "jobs")
	if strings.Contains(jobs.body, `<form method="post" action="/manage/jobs/reminders/run"`) || !strings.Contains(jobs.body, `href="/manage/jobs/reminders/run"`) {
		t.Error("the jobs page runs a job in one click")
	}
	p := admin.get("/manage/jobs/reminders/run").expect(t, 200, "confirm the reminders")
	for _, want := range []string{"Run “Reminders” now?", "It e-mails every Party’s users", `<form method="post" action="/manage/jobs/reminders/run"`, `href="/manage/jobs">Cancel</a>`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the confirmation lacks %q: %s", want, between(p.body, "<main", "</main>"))
		}
	}
	if runs, err := e.store.ListJobRuns(sysCtx(), "reminders", 10); err != nil || len(runs) != 0 {
		t.Fatalf("showing the confirmation ran the job: %v %v", runs, err)
	}
	if p := admin.do("GET", "/manage/jobs/reminders/run", nil, map[string]string{"Accept-Language": "fr"}); !strings.Contains(p.body, "Exécuter « Rappels » maintenant ?") {
		t.Errorf("French confirmation: %s", between(p.body, "<h1", "</h1>"))
	}
	admin.get("/manage/jobs/nope/run").expect(t, 404, "an unknown job")
	admin.follow(admin.post("/manage/jobs/reminders/run", url.Values{}))
	if runs, err := e.store.ListJobRuns(sysCtx(), "reminders", 10); err != nil || len(runs) != 1 {
		t.Fatalf("the confirmed run: %v %v", runs, err)
	}

	users := admin.get("/manage/users").expect(t, 200, "users")
	if strings.Contains(users.body, `action="/manage/users/party-fr@example.org/deactivate"`) || !strings.Contains(users.body, `href="/manage/users/party-fr@example.org/deactivate"`) {
		t.Error("the users page deactivates in one click")
	}
	p = admin.get("/manage/users/party-fr@example.org/deactivate").expect(t, 200, "confirm the deactivation")
	if !strings.Contains(p.body, "Deactivate party-fr@example.org?") || !strings.Contains(p.body, `<form method="post" action="/manage/users/party-fr@example.org/deactivate"`) {
		t.Errorf("the deactivation's confirmation: %s", between(p.body, "<main", "</main>"))
	}
	fr := e.browser()
	fr.login("party-fr") // still active: the confirmation page changed nothing
	admin.get("/manage/users/nobody@example.org/deactivate").expect(t, 404, "an unknown user")
	admin.get("/manage/users/party-fr@example.org/password").expect(t, 404, "no confirmation for a password reset")
	for _, who := range []string{"secretariat", "party-fr"} {
		b := e.browser()
		b.login(who)
		b.get("/manage/jobs/reminders/run").expect(t, 403, who+" confirming a job")
		b.get("/manage/users/party-de@example.org/deactivate").expect(t, 403, who+" confirming a deactivation")
	}
	admin.post("/manage/users/party-fr@example.org/deactivate", url.Values{}).expect(t, 303, "deactivate")
	fr.get("/desk").expect(t, 303, "the deactivated user's desk")
}
