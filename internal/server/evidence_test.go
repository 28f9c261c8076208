package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"slices"
	"strings"
	"testing"

	"followup/internal/followup"
	"followup/internal/notify"
	"followup/internal/sniff/sniffdata"
	"followup/web"
)

// Stakeholders of the evidence tests: two organisations.
const (
	ngo      = "ngo"       // ECPAT
	otherNGO = "ombudsman" // Ombudsperson
)

// newEvidenceEnv is newEnv with two stakeholder users.
func newEvidenceEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newEnv(t)
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	for who, org := range map[string]string{ngo: "ECPAT", otherNGO: "Ombudsperson"} {
		_, err := e.store.CreateUser(ctx, followup.UserInput{Email: who + "@example.org", Name: org + " desk",
			Role: followup.RoleStakeholder, Organisation: org, Password: "a long test password"})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := e.store.CreateToken(ctx, who+"@example.org", "test", "")
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[who] = tok
	}
	return e
}

// file is one file of a multipart request.
type file struct {
	name string
	data []byte
}

// multipart sends a multipart form with fields and files (in the field "files").
func (e *testEnv) multipart(path, as string, fields map[string]string, files ...file) response {
	e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename="%s"`, f.name))
		h.Set("Content-Type", "application/pdf") // what a browser may claim; the content decides
		part, err := w.CreatePart(h)
		if err != nil {
			e.t.Fatal(err)
		}
		_, _ = part.Write(f.data)
	}
	_ = w.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[as])
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// attachmentOf returns the id of the first file of a submission in a response.
func attachmentOf(t *testing.T, r response) (subID, fileID int64) {
	t.Helper()
	v := r.json(t)
	files, _ := v["attachments"].([]any)
	if len(files) == 0 {
		t.Fatalf("no attachments in %s", r.body)
	}
	return int64(v["id"].(float64)), int64(files[0].(map[string]any)["id"].(float64))
}

var everyone = []string{"", "admin", "secretariat", "rapporteur", "party-fr", "party-de", ngo, otherNGO}

// wantSeen checks who may download a file: those listed get it (200), every other one 404.
func (e *testEnv) wantSeen(t *testing.T, stage string, id int64, data []byte, seen ...string) {
	t.Helper()
	may := map[string]bool{}
	for _, who := range seen {
		may[who] = true
	}
	for _, who := range everyone {
		r := e.do("GET", fmt.Sprintf("/api/v1/attachments/%d", id), who, nil)
		want := http.StatusNotFound
		if may[who] {
			want = http.StatusOK
		}
		if r.status != want {
			t.Errorf("%s: file %d as %q: status %d, want %d: %s", stage, id, who, r.status, want, r.body)
			continue
		}
		if want == http.StatusOK && !bytes.Equal(r.body, data) {
			t.Errorf("%s: as %q the file's bytes differ from the upload", stage, who)
		}
	}
}

// A Party's file through its life: a draft's (its Party and the Secretariat), submitted (and
// the committee), published (everyone); and the download's headers.
func TestEvidenceOfAPartyFromDraftToPublication(t *testing.T) {
	t.Parallel()
	e := newEvidenceEnv(t)
	pdf := sniffdata.PDFSaying("Loi n° 2024-12")
	r := e.multipart("/api/v1/followups/rep/R1/FR/submissions", "party-fr",
		map[string]string{"text": "Our reply, with the law.", "draft": "true"}, file{"Réponse officielle 2024.pdf", pdf})
	if r.status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	sub, id := attachmentOf(t, r)
	a := r.json(t)["attachments"].([]any)[0].(map[string]any)
	sum := sha256.Sum256(pdf)
	if a["name"] != "Réponse officielle 2024.pdf" || a["content_type"] != followup.TypePDF ||
		a["size"] != float64(len(pdf)) || a["sha256"] != hex.EncodeToString(sum[:]) {
		t.Errorf("attachment %v", a)
	}
	e.wantSeen(t, "draft", id, pdf, "admin", "secretariat", "party-fr")

	dl := e.expect(200, "GET", fmt.Sprintf("/api/v1/attachments/%d", id), "party-fr", nil)
	for h, want := range map[string]string{
		"Content-Type":           followup.TypePDF,
		"Content-Disposition":    `attachment; filename="R_ponse officielle 2024.pdf"; filename*=UTF-8''R%C3%A9ponse%20officielle%202024.pdf`,
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "private, no-store",
	} {
		if got := dl.header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}

	// Publishing a draft is refused; submitting it keeps the file.
	e.expect(409, "POST", fmt.Sprintf("/api/v1/followups/rep/R1/FR/submissions/%d/publish", sub), "secretariat", nil)
	e.expect(200, "PATCH", fmt.Sprintf("/api/v1/followups/rep/R1/FR/submissions/%d", sub), "party-fr", map[string]any{"draft": false})
	e.wantSeen(t, "submitted", id, pdf, "admin", "secretariat", "rapporteur", "party-fr")
	if subs := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "", nil).json(t)["submissions"].([]any); len(subs) != 0 {
		t.Errorf("the public sees %d submissions before publication", len(subs))
	}

	// Only the Secretariat publishes, once, and it is audited.
	pub := fmt.Sprintf("/api/v1/followups/rep/R1/FR/submissions/%d/publish", sub)
	for who, want := range map[string]int{"": 401, "party-fr": 403, "rapporteur": 403, ngo: 403, "party-de": 403} {
		e.expect(want, "POST", pub, who, nil)
	}
	before := e.auditCount()
	if v := e.expect(200, "POST", pub, "secretariat", nil).json(t); v["published"] != true || v["published_on"] != "2026-11-28" {
		t.Errorf("published: %v", v)
	}
	if e.auditCount() != before+1 {
		t.Error("publication is not audited")
	}
	e.expect(409, "POST", pub, "secretariat", nil)
	e.wantSeen(t, "published", id, pdf, everyone...)
	subs := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "", nil).json(t)["submissions"].([]any)
	if len(subs) != 1 || len(subs[0].(map[string]any)["attachments"].([]any)) != 1 {
		t.Errorf("the public sees %v after publication", subs)
	}
	hist := string(e.expect(200, "GET", "/api/v1/followups/rep/R1/FR/history", "", nil).body)
	if !strings.Contains(hist, "submission.publish") || !strings.Contains(hist, "submission.submit") || strings.Contains(hist, "submission.draft") {
		t.Errorf("public history after publication: %s", hist)
	}
}

// A stakeholder's information: on any Party's follow-up, apart from the Party's, changing
// nothing of the workflow; seen by its organisation and the committee, then everyone once
// published; never by the Party or another stakeholder before.
func TestStakeholderInformation(t *testing.T) {
	t.Parallel()
	e := newEvidenceEnv(t)
	pdf := sniffdata.PDFSaying("Shadow report")
	r := e.multipart("/api/v1/followups/rep/R1/DE/submissions", ngo, map[string]string{"text": "Our findings on Germany."}, file{"shadow.pdf", pdf})
	if r.status != http.StatusCreated {
		t.Fatalf("stakeholder upload: %d %s", r.status, r.body)
	}
	if org := r.json(t)["organisation"]; org != "ECPAT" {
		t.Errorf("organisation %v", org)
	}
	sub, id := attachmentOf(t, r)
	// JSON works too, on another Party.
	e.expect(201, "POST", "/api/v1/followups/rep/R2/HU/submissions", ngo, map[string]any{"text": "On Hungary."})

	fu := e.expect(200, "GET", "/api/v1/followups/rep/R1/DE", "secretariat", nil).json(t)
	if fu["state"] != "awaiting_submission" || len(fu["submissions"].([]any)) != 0 || len(fu["information"].([]any)) != 1 {
		t.Errorf("committee view after a stakeholder's information: %v", fu)
	}
	e.wantSeen(t, "submitted", id, pdf, "admin", "secretariat", "rapporteur", ngo)
	for _, who := range []string{"party-de", otherNGO, ""} {
		body := string(e.expect(200, "GET", "/api/v1/followups/rep/R1/DE", who, nil).body)
		if strings.Contains(body, "Our findings") {
			t.Errorf("%q sees the stakeholder's information before publication", who)
		}
	}
	// A stakeholder answers no request and edits no Party draft; a Party edits no stakeholder's.
	draft := e.expect(201, "POST", "/api/v1/followups/rep/R1/DE/submissions", "party-de", map[string]any{"text": "Draft", "draft": true}).json(t)
	e.expect(404, "PATCH", fmt.Sprintf("/api/v1/followups/rep/R1/DE/submissions/%d", int64(draft["id"].(float64))), ngo, map[string]any{"text": "Changed"})
	ngoDraft := e.expect(201, "POST", "/api/v1/followups/rep/R1/DE/submissions", ngo, map[string]any{"text": "NGO draft", "draft": true}).json(t)
	e.expect(404, "PATCH", fmt.Sprintf("/api/v1/followups/rep/R1/DE/submissions/%d", int64(ngoDraft["id"].(float64))), "party-de", map[string]any{"text": "Changed"})
	e.expect(404, "PATCH", fmt.Sprintf("/api/v1/followups/rep/R1/DE/submissions/%d", int64(ngoDraft["id"].(float64))), otherNGO, map[string]any{"text": "Changed"})
	e.expect(200, "PATCH", fmt.Sprintf("/api/v1/followups/rep/R1/DE/submissions/%d", int64(ngoDraft["id"].(float64))), ngo, map[string]any{"text": "NGO final", "draft": false})
	req := e.expect(201, "POST", "/api/v1/followups/rep/R1/DE/requests", "rapporteur", map[string]any{"question": "Which law?", "due_on": "2026-12-31"}).json(t)
	r = e.do("POST", "/api/v1/followups/rep/R1/DE/submissions", ngo, map[string]any{"text": "We answer", "answers_request": req["id"]})
	if code, field := r.errorOf(t); r.status != 422 || code != "invalid" || field != "answers_request" {
		t.Errorf("a stakeholder answering a request: %d %s", r.status, r.body)
	}
	if st := e.expect(200, "GET", "/api/v1/followups/rep/R1/DE", "party-de", nil).json(t)["state"]; st != "clarification_requested" {
		t.Errorf("state after the stakeholder's information: %v", st)
	}

	e.expect(200, "POST", fmt.Sprintf("/api/v1/followups/rep/R1/DE/submissions/%d/publish", sub), "secretariat", nil)
	e.wantSeen(t, "published", id, pdf, everyone...)
	info := e.expect(200, "GET", "/api/v1/followups/rep/R1/DE", "", nil).json(t)["information"].([]any)
	if len(info) != 1 || info[0].(map[string]any)["organisation"] != "ECPAT" {
		t.Errorf("the public's view of the published information: %v", info)
	}
}

// A stakeholder has no Party or committee right on any route: it reads what the public reads.
func TestStakeholderGetsNoOtherRights(t *testing.T) {
	t.Parallel()
	e := newEvidenceEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "Party words"})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "comment": "Draft comment"})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/requests", "rapporteur", map[string]any{"question": "Secret question?", "due_on": "2026-12-31"})
	cases := []struct {
		method, path string
		body         any
		want         int
	}{
		{"GET", "/api/v1/me", nil, 200},
		{"GET", "/api/v1/audit", nil, 403},
		{"GET", "/api/v1/reports/rep/compliance?basis=draft", nil, 403},
		{"GET", "/api/v1/reports/rep/compliance.csv?basis=draft", nil, 403},
		{"GET", "/api/v1/reports/rep/recommendations/R1/compliance.pdf?basis=draft", nil, 403},
		{"GET", "/api/v1/parties/FR/dossier.csv?basis=draft", nil, 403},
		{"GET", "/api/v1/admin/outbox", nil, 403},
		{"POST", "/api/v1/parties", map[string]any{"code": "IT", "name_en": "Italy", "name_fr": "Italie"}, 403},
		{"POST", "/api/v1/reports", map[string]any{"slug": "new", "title": "New", "kind": "other", "adopted_on": "2020-01-01"}, 403},
		{"PATCH", "/api/v1/reports/rep", map[string]any{"title": "Renamed"}, 403},
		{"POST", "/api/v1/reports/rep/recommendations", map[string]any{"label": "R9", "category": "invite", "text": "Think."}, 403},
		{"PATCH", "/api/v1/reports/rep/recommendations/R1", map[string]any{"text": "New."}, 403},
		{"POST", "/api/v1/reports/rep/adopt", map[string]any{}, 403},
		{"POST", "/api/v1/followups/rep/R1/FR/assessments", map[string]any{"status": "implemented"}, 403},
		{"POST", "/api/v1/followups/rep/R1/FR/requests", map[string]any{"question": "Q?", "due_on": "2026-12-31"}, 403},
		{"POST", "/api/v1/reports/rep/import/assessments", "label,party,status,assessed_on\n", 403},
		{"POST", "/api/v1/reports/rep/import/recommendations", "label,category,text\n", 403},
	}
	for _, c := range cases {
		before := e.auditCount()
		r := e.do(c.method, c.path, ngo, c.body)
		if r.status != c.want {
			t.Errorf("%s %s as a stakeholder: %d, want %d: %s", c.method, c.path, r.status, c.want, r.body)
		}
		if c.want >= 400 && e.auditCount() != before {
			t.Errorf("%s %s wrote", c.method, c.path)
		}
	}
	if me := e.expect(200, "GET", "/api/v1/me", ngo, nil).json(t); me["role"] != "stakeholder" {
		t.Errorf("me: %v", me)
	}
	// What it reads is the public's: no Party submission, no draft assessment, no request.
	for _, path := range []string{"/api/v1/followups/rep/R1/FR", "/api/v1/followups/rep/R1/FR/history", "/api/v1/followups?report=rep",
		"/api/v1/followups/rep/R1/FR/requests", "/api/v1/requests", "/api/v1/reports/rep/compliance"} {
		mine, public := e.expect(200, "GET", path, ngo, nil).body, e.expect(200, "GET", path, "", nil).body
		for _, secret := range []string{"Party words", "Draft comment", "Secret question", "clarification_requested", `"state":"assessed"`} {
			if bytes.Contains(mine, []byte(secret)) {
				t.Errorf("a stakeholder reads %q at %s", secret, path)
			}
		}
		if !bytes.Equal(mine, public) {
			t.Errorf("a stakeholder reads %s otherwise than the public:\n%s\n%s", path, mine, public)
		}
	}
	if r := e.do("GET", "/api/v1/followups?state=clarification_requested", ngo, nil); len(r.json(t)["items"].([]any)) != 0 {
		t.Errorf("filtering on the request state tells a stakeholder: %s", r.body)
	}
}

// Dangerous and oversized files are refused with the reason, and nothing is written.
func TestRefusedFiles(t *testing.T) {
	t.Parallel()
	e := newEvidenceEnv(t)
	exe, err := os.ReadFile("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	padded := func(n int) []byte {
		return append(sniffdata.PDF(), bytes.Repeat([]byte(" "), n-len(sniffdata.PDF()))...)
	}
	cases := []struct {
		name   string
		files  []file
		status int
		says   string
	}{
		{"an HTML page named .pdf", []file{{"reply.pdf", sniffdata.HTML()}}, 415, "HTML"},
		{"an executable", []file{{"law.pdf", exe[:min(len(exe), 1<<20)]}}, 415, "program"},
		{"a zip bomb-ish DOCX", []file{{"reply.docx", sniffdata.ZipBombDOCX(64 << 20)}}, 413, "zip bomb"},
		{"a macro-enabled document", []file{{"reply.docx", sniffdata.DOCM()}}, 415, "macro"},
		{"20 MiB + 1", []file{{"big.pdf", padded(20<<20 + 1)}}, 413, "larger than 20 MiB"},
		{"over 50 MiB together", []file{{"a.pdf", padded(20 << 20)}, {"b.pdf", padded(20 << 20)}, {"c.pdf", padded(11 << 20)}}, 413, "50 MiB"},
	}
	for _, c := range cases {
		before := e.auditCount()
		r := e.multipart("/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]string{"text": "With a file."}, c.files...)
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, r.status, c.status, r.body)
			continue
		}
		if _, field := r.errorOf(t); field != "files" || !strings.Contains(string(r.body), c.says) {
			t.Errorf("%s: %s, want the field files and %q", c.name, r.body, c.says)
		}
		if e.auditCount() != before {
			t.Errorf("%s: a refused upload wrote", c.name)
		}
	}
	if subs := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "party-fr", nil).json(t)["submissions"].([]any); len(subs) != 0 {
		t.Errorf("refused uploads left %d submissions", len(subs))
	}
	// Exactly 20 MiB, and every accepted kind together, are taken.
	r := e.multipart("/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]string{"text": "Files."},
		file{"big.pdf", padded(20 << 20)}, file{"law.docx", sniffdata.DOCX()}, file{"stats.ods", sniffdata.ODF(followup.TypeODT)},
		file{"notes.txt", []byte("Plain notes, in UTF-8: ça va.\n")})
	if r.status != http.StatusCreated {
		t.Fatalf("accepted files: %d %s", r.status, r.body)
	}
	var types []string
	for _, a := range r.json(t)["attachments"].([]any) {
		types = append(types, a.(map[string]any)["content_type"].(string))
	}
	want := []string{followup.TypePDF, followup.TypeDOCX, followup.TypeODT, followup.TypeText}
	if strings.Join(types, "|") != strings.Join(want, "|") {
		t.Errorf("types %v, want %v (by content, not by name)", types, want)
	}
}

// A clarification cycle: the rapporteur asks, the follow-up reads clarification_requested to
// the Party and the committee only, the Party answers, the rapporteur's queue shows the answer,
// history shows question and answer to those who may see them, and the public sees both once
// the answer is published.
func TestClarificationCycle(t *testing.T) {
	t.Parallel()
	e := newEvidenceEnv(t)
	path := "/api/v1/followups/rep/R1/FR/requests"
	ask := map[string]any{"question": "Which law made the offence?", "due_on": "2027-01-15"}
	for who, want := range map[string]int{"": 401, "party-fr": 403, "party-de": 403, ngo: 403} {
		e.expect(want, "POST", path, who, ask)
	}
	r := e.do("POST", path, "rapporteur", map[string]any{"question": "Late?", "due_on": "2026-11-27"})
	if _, field := r.errorOf(t); r.status != 422 || field != "due_on" {
		t.Errorf("a deadline in the past: %d %s", r.status, r.body)
	}
	for _, who := range []string{"secretariat", "admin"} {
		e.expect(201, "POST", "/api/v1/followups/rep/R1/HU/requests", who, ask)
	}
	req := e.expect(201, "POST", path, "rapporteur", ask).json(t)
	id := int64(req["id"].(float64))
	if req["due_on"] != "2027-01-15" || req["requested_on"] != "2026-11-28" || req["answered_on"] != nil {
		t.Errorf("request %v", req)
	}

	for who, want := range map[string]string{"party-fr": "clarification_requested", "rapporteur": "clarification_requested",
		"secretariat": "clarification_requested", "": "awaiting_submission", ngo: "awaiting_submission"} {
		if st := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", who, nil).json(t)["state"]; st != want {
			t.Errorf("as %q the state reads %v, want %s", who, st, want)
		}
		n := len(e.expect(200, "GET", path, who, nil).list(t))
		if (n == 1) != (want == "clarification_requested") {
			t.Errorf("as %q %d requests are listed", who, n)
		}
	}
	e.expect(403, "GET", "/api/v1/followups/rep/R1/FR", "party-de", nil)
	e.expect(403, "GET", path, "party-de", nil)
	e.expect(403, "GET", "/api/v1/requests?party=FR", "party-de", nil)
	// The desk lists the open request with its deadline; the state filter finds it.
	desk := e.expect(200, "GET", "/api/v1/requests?open=true", "party-fr", nil).list(t)
	if len(desk) != 1 || desk[0].(map[string]any)["due_on"] != "2027-01-15" {
		t.Errorf("the Party's open requests: %v", desk)
	}
	if items := e.expect(200, "GET", "/api/v1/followups?state=clarification_requested", "party-fr", nil).json(t)["items"].([]any); len(items) != 1 {
		t.Errorf("state filter as the Party: %v", items)
	}

	// Answers: not twice, not another's, not to an unknown request.
	bad := e.do("POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "x", "answers_request": id + 100})
	if _, field := bad.errorOf(t); bad.status != 422 || field != "answers_request" {
		t.Errorf("answering an unknown request: %d %s", bad.status, bad.body)
	}
	ans := e.multipart("/api/v1/followups/rep/R1/FR/submissions", "party-fr",
		map[string]string{"text": "The law of 12 March 2024.", "answers_request": fmt.Sprint(id)}, file{"law.pdf", sniffdata.PDF()})
	if ans.status != 201 || ans.json(t)["answers_request"] != float64(id) {
		t.Fatalf("answer: %d %s", ans.status, ans.body)
	}
	again := e.do("POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "again", "answers_request": id})
	if _, field := again.errorOf(t); again.status != 422 || field != "answers_request" {
		t.Errorf("answering twice: %d %s", again.status, again.body)
	}
	if st := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "rapporteur", nil).json(t)["state"]; st != "submitted" {
		t.Errorf("after the answer the state reads %v", st)
	}
	queue, err := e.store.AssessmentQueue(followup.WithActor(context.Background(), followup.Actor{UserID: 3, Role: followup.RoleRapporteur}), followup.QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 1 || queue[0].Party != "FR" || queue[0].AnsweredRequests != 1 {
		t.Errorf("the queue after the answer: %+v", queue)
	}
	if open := e.expect(200, "GET", "/api/v1/requests?open=false", "rapporteur", nil).list(t); len(open) != 1 || open[0].(map[string]any)["answered_by"] == nil {
		t.Errorf("answered requests: %v", open)
	}

	history := func(who string) string {
		return string(e.expect(200, "GET", "/api/v1/followups/rep/R1/FR/history", who, nil).body)
	}
	for _, who := range []string{"party-fr", "rapporteur"} {
		h := history(who)
		if !strings.Contains(h, "request.create") || !strings.Contains(h, "request.answer") || !strings.Contains(h, "Which law made the offence?") || !strings.Contains(h, "The law of 12 March 2024.") {
			t.Errorf("history as %q lacks the question or the answer: %s", who, h)
		}
	}
	for _, who := range []string{"", ngo} {
		if h := history(who); strings.Contains(h, "Which law") || strings.Contains(h, "request.") {
			t.Errorf("history as %q shows the request before publication: %s", who, h)
		}
	}

	sub := int64(ans.json(t)["id"].(float64))
	e.expect(200, "POST", fmt.Sprintf("/api/v1/followups/rep/R1/FR/submissions/%d/publish", sub), "secretariat", nil)
	for _, who := range []string{"", ngo} {
		if h := history(who); !strings.Contains(h, "Which law made the offence?") || !strings.Contains(h, "The law of 12 March 2024.") {
			t.Errorf("history as %q after publication: %s", who, h)
		}
		if l := e.expect(200, "GET", path, who, nil).list(t); len(l) != 1 || l[0].(map[string]any)["answer_published"] != true {
			t.Errorf("requests as %q after publication: %v", who, l)
		}
	}
}

// A request's reminder goes out once at its point, however often the job runs, and stops once
// the Party answers.
func TestClarificationReminderExactlyOnce(t *testing.T) {
	t.Parallel()
	e := newEvidenceEnv(t)
	renderer, err := notify.NewRenderer(web.EmailFS, "templates/email", "http://tracker.test")
	if err != nil {
		t.Fatal(err)
	}
	req := e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/requests", "rapporteur",
		map[string]any{"question": "Which law?", "due_on": "2026-12-20"}).json(t)
	id := int64(req["id"].(float64))
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	run := func(on string) {
		t.Helper()
		if _, err := e.store.EnqueueReminders(ctx, followup.MustDate(on), followup.DefaultReminderRules(), renderer); err != nil {
			t.Fatal(err)
		}
	}
	requestItems := func() []string {
		t.Helper()
		msgs, err := e.store.ListOutbox(ctx, followup.OutboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range msgs {
			for _, it := range m.Items {
				if it.Request != 0 {
					full, err := e.store.FindOutboxMessage(ctx, m.ID)
					if err != nil {
						t.Fatal(err)
					}
					if !strings.Contains(full.BodyText, fmt.Sprintf("request for clarification no. %d", id)) &&
						!strings.Contains(full.BodyText, fmt.Sprintf("demande d'éclaircissements n° %d", id)) {
						t.Errorf("the message does not name the request: %s", full.BodyText)
					}
					out = append(out, fmt.Sprintf("%s %s %d %s", m.Kind, m.Recipient, it.Request, it.Point))
				}
			}
		}
		return out
	}
	run("2026-11-28") // the day it is asked: nothing yet
	if got := requestItems(); len(got) != 0 {
		t.Fatalf("reminded on the day of the request: %v", got)
	}
	run("2026-12-13")
	run("2026-12-13") // a rerun
	run("2026-12-14") // the next day, no new point
	want := []string{fmt.Sprintf("reminder party-fr@example.org %d due-7", id)}
	if got := requestItems(); !slices.Equal(got, want) {
		t.Fatalf("request reminders %v, want %v", got, want)
	}
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/submissions", "party-fr", map[string]any{"text": "The law of 2024.", "answers_request": id})
	run("2026-12-20")
	run("2027-01-20")
	if got := requestItems(); !slices.Equal(got, want) {
		t.Errorf("after the answer: %v, want %v", got, want)
	}
}

// The compliance report on one recommendation: PDF and XLSX, English or French, adopted for
// everyone, the working copy (DRAFT) for the committee roles only.
func TestRecommendationComplianceReport(t *testing.T) {
	t.Parallel()
	e := newEvidenceEnv(t)
	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur", map[string]any{"status": "implemented", "comment": "The offence exists.", "assessed_on": "2026-11-20"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-27"})
	base := "/api/v1/reports/rep/recommendations/R1/compliance."
	cases := []struct {
		path, as string
		status   int
		name     string
	}{
		{base + "pdf", "", 200, "compliance-rep-r1-2026-11-28.pdf"},
		{base + "xlsx?lang=fr", ngo, 200, "compliance-rep-r1-fr-2026-11-28.xlsx"},
		{base + "pdf?basis=draft", "rapporteur", 200, "compliance-draft-rep-r1-2026-11-28.pdf"},
		{base + "pdf?basis=draft", "", 401, ""},
		{base + "pdf?basis=draft", "party-fr", 403, ""},
		{base + "pdf?lang=de", "", 422, ""},
		{base + "docx", "", 404, ""},
		{"/api/v1/reports/rep/recommendations/R9/compliance.pdf", "", 404, ""},
	}
	for _, c := range cases {
		r := e.do("GET", c.path, c.as, nil)
		if r.status != c.status {
			t.Errorf("%s as %q: %d, want %d: %s", c.path, c.as, r.status, c.status, r.body)
			continue
		}
		if c.status == 200 {
			if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, c.name) {
				t.Errorf("%s: Content-Disposition %q, want %s", c.path, cd, c.name)
			}
			if len(r.body) < 1000 {
				t.Errorf("%s: a body of %d bytes", c.path, len(r.body))
			}
		}
	}
}
