package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// The audit log, API and page, shows each reader only the entries of records it may see: the
// rapporteurs never a Party's unsent draft, only admins the accounts and the outbox, nobody
// outside the committee anything (401/403).
func TestAuditLogByRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "UNSENT-DRAFT of France", "draft": true}).json(t)["id"]
	e.expect(200, "PATCH", fmt.Sprintf("/api/v1/followups/rep/R1/FR/submissions/%v", id), "party-fr", map[string]any{"text": "Sent text", "draft": false})
	e.expect(201, "POST", "/api/v1/reports", "secretariat", map[string]any{"slug": "hidden", "title": "Hidden draft report", "kind": "other",
		"adopted_on": "2020-01-01", "parties": []string{"FR"}})
	for who, code := range map[string]int{"": 401, "party-fr": 403, "party-de": 403} {
		e.expect(code, "GET", "/api/v1/audit", who, nil)
	}
	for _, tc := range []struct {
		who           string
		draft, submit bool // the unsent draft, and the draft text in the submission's "before"
		users         bool // the accounts of others
	}{
		{"rapporteur", false, false, false},
		{"secretariat", true, true, false},
		{"admin", true, true, true},
	} {
		r := e.expect(200, "GET", "/api/v1/audit?limit=1000", tc.who, nil)
		body := string(r.body)
		if got := strings.Contains(body, "UNSENT-DRAFT"); got != tc.draft {
			t.Errorf("%s reads the unsent draft: %v, want %v", tc.who, got, tc.draft)
		}
		if got := strings.Contains(body, `"entity_key":"party-de@example.org"`); got != tc.users {
			t.Errorf("%s reads another user's account entries: %v, want %v", tc.who, got, tc.users)
		}
		if !strings.Contains(body, `"action":"submission.submit"`) || !strings.Contains(body, `"entity_key":"hidden"`) {
			t.Errorf("%s does not read the submission or the draft report", tc.who)
		}
		if n, err := strconv.Atoi(r.header.Get("X-Total-Count")); err != nil || n != len(r.list(t)) {
			t.Errorf("%s: X-Total-Count %q for %d entries", tc.who, r.header.Get("X-Total-Count"), len(r.list(t)))
		}
	}
	// Paging through the API with the cursor gives every entry once.
	seen := map[float64]bool{}
	path := "/api/v1/audit?limit=4"
	total := 0
	for pages := 0; path != ""; pages++ {
		r := e.expect(200, "GET", path, "rapporteur", nil)
		total, _ = strconv.Atoi(r.header.Get("X-Total-Count"))
		for _, en := range r.list(t) {
			id := en.(map[string]any)["id"].(float64)
			if seen[id] {
				t.Fatalf("entry %v on two pages", id)
			}
			seen[id] = true
		}
		path = ""
		if next := r.header.Get("X-Next-Cursor"); next != "" {
			path = "/api/v1/audit?limit=4&cursor=" + next
		}
		if pages > 100 {
			t.Fatal("the pages do not end")
		}
	}
	if len(seen) != total {
		t.Errorf("the pages hold %d entries, the total says %d", len(seen), total)
	}
	for _, c := range []struct{ query, field string }{{"from=2026-11-29&to=2026-11-28", "to"}, {"from=28/11/2026", "from"}, {"cursor=abc", "cursor"}, {"limit=0", "limit"}} {
		if code, field := e.expect(422, "GET", "/api/v1/audit?"+c.query, "admin", nil).errorOf(t); code != "invalid" || field != c.field {
			t.Errorf("%s: %s %s", c.query, code, field)
		}
	}
	if r := e.expect(200, "GET", "/api/v1/audit?from=2026-11-29", "admin", nil); r.header.Get("X-Total-Count") != "0" {
		t.Errorf("entries after today: %s", r.header.Get("X-Total-Count"))
	}

	// The page: the same entries for the same reader.
	rap := e.browser()
	rap.login("rapporteur")
	if p := rap.get("/manage/audit").expect(t, 200, "audit page"); strings.Contains(p.body, "UNSENT-DRAFT") || strings.Contains(p.body, "party-de@example.org</code>") {
		t.Error("the rapporteur's audit page shows a draft or an account")
	}
	fr := e.browser()
	fr.login("party-fr")
	fr.get("/manage/audit").expect(t, 403, "a Party's user on the audit page")
}

// The audit page says how many entries there are ("Latest 200 of 212"), pages to older ones
// with a cursor, filters by days, and links each entry to its record.
func TestAuditPagePagesFiltersAndLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "v0", "draft": true}).json(t)["id"]
	for i := 1; i <= 200; i++ {
		e.expect(200, "PATCH", fmt.Sprintf("/api/v1/followups/rep/R1/FR/submissions/%v", id), "party-fr", map[string]any{"text": fmt.Sprint("v", i)})
	}
	total := e.auditCount()
	if total <= 200 {
		t.Fatalf("only %d entries", total)
	}
	sec := e.browser()
	sec.login("secretariat")
	p := sec.get("/manage/audit").expect(t, 200, "audit page")
	// The Secretariat does not read the accounts of others: its total is the admin's less those.
	admin := e.browser()
	admin.login("admin")
	if a := admin.get("/manage/audit").expect(t, 200, "admin's audit page"); !strings.Contains(a.body, fmt.Sprintf("Latest 200 of %d", total)) {
		t.Errorf("the admin's count: %s", between(a.body, `id="audit-count">`, "</p>"))
	}
	count := between(p.body, `id="audit-count">`, "</p>")
	if !strings.HasPrefix(count, "Latest 200 of ") {
		t.Fatalf("the count: %q", count)
	}
	secTotal, _ := strconv.Atoi(strings.TrimPrefix(count, "Latest 200 of "))
	if n := strings.Count(p.body, `class="audit-entry"`); n != 200 {
		t.Errorf("%d entries on the first page", n)
	}
	older := between(p.body, `<a href="`+"/manage/audit?", `" id="audit-older"`)
	if older == "" {
		t.Fatal("no link to older entries")
	}
	q, err := url.ParseQuery(strings.ReplaceAll(older, "&amp;", "&"))
	if err != nil || q.Get("cursor") == "" {
		t.Fatalf("the link to older entries: %q", older)
	}
	p2 := sec.get("/manage/audit?"+q.Encode()).expect(t, 200, "older entries")
	if !strings.Contains(p2.body, fmt.Sprintf("%d older entries of %d", secTotal-200, secTotal)) || !strings.Contains(p2.body, `id="audit-newest"`) ||
		strings.Contains(p2.body, `id="audit-older"`) {
		t.Errorf("the second page: %s", between(p2.body, `id="audit-count">`, "</nav>"))
	}
	first := between(p.body, `class="audit-entry" data-id="`, `"`)
	if strings.Contains(p2.body, `data-id="`+first+`"`) {
		t.Error("the second page repeats the first")
	}
	// Each entry links to its record.
	for _, want := range []string{`href="/followups/rep/R1/FR" class="record-link"`, `href="/reports/rep" class="record-link"`,
		`href="/reports/rep/recommendations/R2" class="record-link"`, `href="/parties/FR" class="record-link"`} {
		if !strings.Contains(p.body+p2.body, want) {
			t.Errorf("no entry links with %s", want)
		}
	}
	// Days.
	if p := sec.get("/manage/audit?from=2026-11-29").expect(t, 200, "after today"); !strings.Contains(p.body, "Latest 0 of 0") || !strings.Contains(p.body, "No entry matches.") {
		t.Errorf("entries after today: %s", between(p.body, `id="audit-count">`, "</tbody>"))
	}
	if p := sec.get("/manage/audit?from=2026-11-28&to=2026-11-28").expect(t, 200, "today"); !strings.Contains(p.body, fmt.Sprintf("Latest 200 of %d", secTotal)) ||
		!strings.Contains(p.body, `value="2026-11-28"`) {
		t.Errorf("today's entries: %s", between(p.body, `id="audit-count">`, "</p>"))
	}
	bad := sec.get("/manage/audit?from=2026-11-28&to=2026-11-01")
	bad.expect(t, http.StatusUnprocessableEntity, "a range that ends before it starts")
	if !strings.Contains(bad.body, `id="a-to-err">Enter an end date on or after the start date.</p>`) {
		t.Errorf("no message next to the end date: %s", between(bad.body, `id="audit-filters"`, "</form>"))
	}
}
