package server_test

import (
	"net/url"
	"strings"
	"testing"
)

// A saved draft shows on the Party's desk, to its users and to the Secretariat only; the
// follow-up page has one editor; "Submit to the Committee…" saves the text and asks for
// confirmation on a page that shows it, and only the confirmation submits.
func TestDeskDraftBadgeAndOneEditor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fr := e.browser()
	fr.login("party-fr")
	const badge = "Draft saved on 28 November 2026 09:00 UTC, not yet sent"
	if p := fr.get("/desk").expect(t, 200, "desk"); strings.Contains(p.body, "not yet sent") {
		t.Fatal("a badge before any draft")
	}

	// One editor on the follow-up page, empty.
	p := fr.get("/followups/rep/R1/FR").expect(t, 200, "follow-up")
	if n := strings.Count(p.body, "<textarea"); n != 1 {
		t.Errorf("the follow-up page has %d text areas for the Party, want one editor", n)
	}
	for _, want := range []string{`id="submission-editor"`, `id="editor-text"`, `id="save-draft"`, `id="review-submission"`, "Submit to the Committee…"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the editor lacks %s", want)
		}
	}
	if strings.Contains(p.body, `name="draft_id"`) {
		t.Error("the editor edits a draft before any was saved")
	}

	fr.post("/followups/rep/R1/FR/submissions", url.Values{"text": {"First words"}, "action": {"draft"}}).expect(t, 303, "save a draft")
	p = fr.get("/followups/rep/R1/FR").expect(t, 200, "follow-up with a draft")
	if n := strings.Count(p.body, "<textarea"); n != 1 {
		t.Errorf("with a draft, the follow-up page has %d text areas, want one", n)
	}
	if !strings.Contains(between(p.body, `id="editor-text"`, "</textarea>"), "First words") || !strings.Contains(p.body, `name="draft_id"`) ||
		!strings.Contains(p.body, `id="draft-saved"`) {
		t.Errorf("the editor does not hold the draft: %s", between(p.body, `id="submission-editor"`, "</form>"))
	}

	// The badge: the Party's users and the Secretariat; not the rapporteurs, not another Party.
	if p := fr.get("/desk").expect(t, 200, "desk"); !strings.Contains(between(p.body, `/followups/rep/R1/FR"`, "</tr>"), badge) {
		t.Errorf("the desk does not show the draft: %s", between(p.body, "<tbody>", "</tbody>"))
	}
	sec := e.browser()
	sec.login("secretariat")
	if p := sec.get("/desk?party=FR").expect(t, 200, "France's desk for the Secretariat"); !strings.Contains(p.body, badge) {
		t.Error("the Secretariat does not see France's draft on its desk")
	}
	rap := e.browser()
	rap.login("rapporteur")
	if p := rap.get("/desk?party=FR").expect(t, 200, "France's desk for a rapporteur"); strings.Contains(p.body, "not yet sent") ||
		!strings.Contains(p.body, "/followups/rep/R1/FR") {
		t.Error("a rapporteur's view of France's desk shows the draft, or not the follow-up")
	}
	de := e.browser()
	de.login("party-de")
	if p := de.get("/desk").expect(t, 200, "Germany's desk"); strings.Contains(p.body, "not yet sent") {
		t.Error("Germany's desk shows a draft")
	}
	de.get("/desk?party=FR").expect(t, 403, "France's desk for Germany")
	e.browser().get("/desk?party=FR").expect(t, 303, "France's desk for the public")
	// The API says the same: draft_saved_at for those who may read the draft only.
	for who, want := range map[string]bool{"party-fr": true, "secretariat": true, "admin": true, "rapporteur": false, "": false} {
		body := string(e.expect(200, "GET", "/api/v1/followups?party=FR&report=rep", who, nil).body)
		if got := strings.Contains(body, `"draft_saved_at":"2026-11-28T09:00:00Z"`); got != want {
			t.Errorf("list as %q: draft_saved_at shown %v, want %v", who, got, want)
		}
		body = string(e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", who, nil).body)
		if got := strings.Contains(body, `"draft_saved_at"`); got != want {
			t.Errorf("follow-up as %q: draft_saved_at shown %v, want %v", who, got, want)
		}
	}

	// Review: an empty text is refused next to the field, and nothing is written.
	before := e.auditCount()
	p = fr.post("/followups/rep/R1/FR/submissions", url.Values{"text": {"  "}, "action": {"review"}, "draft_id": {draftID(t, fr)}})
	p.expect(t, 422, "review an empty text")
	if !strings.Contains(p.body, `id="editor-text-err"`) {
		t.Errorf("no message next to the text: %s", between(p.body, `id="submission-editor"`, "</form>"))
	}
	if n := e.auditCount() - before; n != 0 {
		t.Errorf("a refused review wrote %d entries", n)
	}
	id := draftID(t, fr)
	p = fr.post("/followups/rep/R1/FR/submissions", url.Values{"text": {"Final words"}, "submitted_on": {"2026-11-20"}, "action": {"review"}, "draft_id": {id}})
	p.expect(t, 303, "review")
	confirmPath := "/followups/rep/R1/FR/submissions/" + id + "/confirm?submitted_on=2026-11-20"
	if loc := p.header.Get("Location"); loc != confirmPath {
		t.Fatalf("review goes to %q, want %q", loc, confirmPath)
	}
	if f := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "party-fr", nil).json(t); f["state"] != "awaiting_submission" {
		t.Fatalf("review submitted: state %v", f["state"])
	}
	before = e.auditCount()
	c := fr.get(confirmPath).expect(t, 200, "confirmation")
	for _, want := range []string{`id="confirm-text">Final words</div>`, `id="confirm-submission"`, `id="confirm-submit"`, `id="back-to-editor"`,
		`href="/followups/rep/R1/FR#submission-editor"`, "20 November 2026", "Submit R1 · France to the Committee?"} {
		if !strings.Contains(c.body, want) {
			t.Errorf("the confirmation lacks %q: %s", want, between(c.body, "<main", "</main>"))
		}
	}
	if strings.Contains(c.body, "<script") {
		t.Error("the confirmation uses a script")
	}
	if n := e.auditCount() - before; n != 0 {
		t.Errorf("showing the confirmation wrote %d entries", n)
	}
	rap.get(confirmPath).expect(t, 403, "a rapporteur's confirmation")
	de.get(confirmPath).expect(t, 403, "Germany's confirmation of France's draft")

	// Confirm: the draft as shown is submitted, on the date chosen.
	action := "/followups/" + between(c.body, `<form method="post" action="/followups/`, `"`)
	if action != "/followups/rep/R1/FR/submissions/"+id {
		t.Fatalf("the confirmation posts to %q", action)
	}
	fields := url.Values{}
	form := between(c.body, `id="confirm-submission"`, "</form>")
	for _, name := range []string{"action", "submitted_on"} {
		fields.Set(name, between(form, `name="`+name+`" value="`, `"`))
	}
	fr.post(action, fields).expect(t, 303, "confirm")
	f := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "party-fr", nil).json(t)
	subs, _ := f["submissions"].([]any)
	if f["state"] != "submitted" || len(subs) != 1 || subs[0].(map[string]any)["text"] != "Final words" ||
		subs[0].(map[string]any)["submitted_on"] != "2026-11-20" || f["draft_saved_at"] != nil {
		t.Errorf("after confirming: %v", f)
	}
	if p := fr.get("/desk").expect(t, 200, "desk"); strings.Contains(p.body, "not yet sent") {
		t.Error("the desk still shows a draft after it was sent")
	}
	fr.get(confirmPath).expect(t, 409, "the confirmation of a sent submission")
}

// draftID reads the id of the draft the follow-up page's editor edits.
func draftID(t *testing.T, b *browser) string {
	t.Helper()
	p := b.get("/followups/rep/R1/FR").expect(t, 200, "follow-up")
	id := between(p.body, `name="draft_id" value="`, `"`)
	if id == "" {
		t.Fatal("the editor edits no draft")
	}
	return id
}
