package server_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"followup/internal/sniff/sniffdata"
)

// postFiles posts a multipart form from a signed-in browser, as a page's form does (same origin).
func (b *browser) postFiles(path string, fields map[string]string, files ...file) page {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="files"; filename="`+f.name+`"`)
		h.Set("Content-Type", "application/octet-stream")
		part, _ := w.CreatePart(h)
		_, _ = part.Write(f.data)
	}
	_ = w.Close()
	req, _ := http.NewRequest("POST", b.base+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(resp.Body)
	return page{status: resp.StatusCode, body: out.String(), header: resp.Header}
}

// The pages' side of the procedure: the form takes files (multipart), a refused file is shown
// next to the file input, the rapporteur sees the files beside the text and asks for
// clarification, the Party answers, the Secretariat publishes, the public pages show it, and a
// cross-origin multipart post is refused.
func TestEvidencePages(t *testing.T) {
	t.Parallel()
	e := newEvidenceEnv(t)
	fu := "/followups/rep/R1/FR"
	party := e.browser()
	party.login("party-fr")
	form := party.get(fu).expect(t, 200, "follow-up page").body
	for _, want := range []string{`enctype="multipart/form-data"`, `type="file" multiple`, "20 MiB", "PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG"} {
		if !strings.Contains(form, want) {
			t.Errorf("the submission form lacks %q", want)
		}
	}
	bad := party.postFiles(fu+"/submissions", map[string]string{"text": "Reply", "action": "review"}, file{"reply.pdf", sniffdata.HTML()})
	bad.expect(t, 422, "an HTML file named .pdf")
	if !strings.Contains(bad.body, "text/html") || !strings.Contains(bad.body, `id="editor-files-err"`) {
		t.Errorf("the refusal is not shown next to the file input: %s", bad.body[max(0, strings.Index(bad.body, "editor-files")-200):])
	}
	party.sendSubmission(t, fu, map[string]string{"text": "Our reply.", "action": "review"}, file{"reply.pdf", sniffdata.PDF()})

	rap := e.browser()
	rap.login("rapporteur")
	p := rap.get(fu).expect(t, 200, "the rapporteur's page").body
	if !strings.Contains(p, "reply.pdf") || !strings.Contains(p, `action="/followups/rep/R1/FR/assessments"`) || !strings.Contains(p, "/api/v1/attachments/") {
		t.Errorf("the rapporteur's page does not list the file beside the assessment form")
	}
	rap.post(fu+"/requests", url.Values{"question": {"Which article?"}, "due_on": {"2026-11-01"}}).expect(t, 422, "a past deadline")
	rap.post(fu+"/requests", url.Values{"question": {"Which article?"}, "due_on": {"2027-01-31"}}).expect(t, 303, "a request")
	desk := party.get("/desk").expect(t, 200, "desk").body
	if !strings.Contains(desk, "Which article?") || !strings.Contains(desk, "31 January 2027") {
		t.Errorf("the desk does not list the open request with its deadline")
	}
	p = party.get(fu).body
	if !strings.Contains(p, `name="answers_request"`) || !strings.Contains(p, "Clarification requested") {
		t.Errorf("the Party's page offers no answer to the request")
	}
	reqs := e.expect(200, "GET", "/api/v1/requests?open=true", "party-fr", nil).list(t)
	id := int64(reqs[0].(map[string]any)["id"].(float64))
	party.sendSubmission(t, fu, map[string]string{"text": "Article 23.", "action": "review", "answers_request": itoa(id)},
		file{"article.pdf", sniffdata.PDFSaying("Article 23")})
	if q := rap.get("/queue").body; !strings.Contains(q, "answers a request") {
		t.Errorf("the queue does not mark the answer")
	}

	sec := e.browser()
	sec.login("secretariat")
	subs := e.expect(200, "GET", "/api/v1/followups/rep/R1/FR", "secretariat", nil).json(t)["submissions"].([]any)
	last := int64(subs[len(subs)-1].(map[string]any)["id"].(float64))
	sec.post(fu+"/submissions/"+itoa(last)+"/publish", url.Values{}).expect(t, 303, "publish")
	public := e.browser()
	for _, path := range []string{fu, "/parties/FR"} {
		body := public.get(path).expect(t, 200, path).body
		if !strings.Contains(body, "article.pdf") || !strings.Contains(body, "Article 23.") || strings.Contains(body, "reply.pdf") {
			t.Errorf("%s for the public: the published answer is missing, or the unpublished reply shows", path)
		}
	}
	if body := public.get(fu).body; !strings.Contains(body, "Which article?") {
		t.Error("the public does not see the question of the published answer")
	}

	// Cross-origin multipart posts are refused like any other form.
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("text", "forged")
	_ = w.Close()
	req, _ := http.NewRequest("POST", party.base+fu+"/submissions", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := party.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-origin multipart post: %d", resp.StatusCode)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A refused file is told next to the file input in the page's language, naming the file: in
// French without a word of the API's English.
func TestEvidenceRefusalsInThePageLanguage(t *testing.T) {
	t.Parallel()
	e := newEvidenceEnv(t)
	fu := "/followups/rep/R1/FR"
	party := e.browser()
	party.login("party-fr")
	for _, tc := range []struct {
		name string
		lang string
		file file
		want string
	}{
		{"a program", "fr", file{"lettre.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")},
			"Le fichier lettre.pdf n’est pas accepté : son contenu est du type application/vnd.microsoft.portable-executable."},
		{"an HTML page", "en", file{"reply.pdf", sniffdata.HTML()}, "The file reply.pdf is not accepted: its content is of the type text/html"},
		{"an empty file", "fr", file{"vide.txt", nil}, "Le fichier vide.txt est vide."},
		{"binary", "fr", file{"notes.txt", []byte("a\x00b")}, "Le fichier notes.txt n’est pas accepté : son contenu est du type application/octet-stream."},
		{"text not in UTF-8", "fr", file{"notes.txt", []byte("Compte rendu : caf\xe9, th\xe9 et g\xe2teau.\n")}, "Le fichier notes.txt n’est pas du texte brut en UTF-8"},
		{"macros", "fr", file{"macro.docm", sniffdata.DOCM()}, "Le fichier macro.docm contient des macros"},
		{"a zip", "fr", file{"pieces.zip", sniffdata.Zip(map[string]string{"a.txt": "a"})}, "Le fichier pieces.zip ne peut être lu comme un document bureautique"},
	} {
		party.get("/lang?l=" + tc.lang + "&next=/")
		bad := party.postFiles(fu+"/submissions", map[string]string{"text": "Reply", "action": "review"}, tc.file)
		bad.expect(t, 422, tc.name)
		msg := between(bad.body, `id="editor-files-err">`, "</p>")
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%s (%s): the refusal says %q, want %q", tc.name, tc.lang, msg, tc.want)
		}
		if tc.lang == "fr" && (strings.Contains(msg, "the ") || strings.Contains(msg, "file ")) {
			t.Errorf("%s: the French page tells the refusal in English: %q", tc.name, msg)
		}
	}
}

// sendSubmission submits as a Party's user does: the editor's form with its files saves a
// draft and leads to the confirmation page, which shows the text and the files; its button
// sends the draft.
func (b *browser) sendSubmission(t *testing.T, fu string, fields map[string]string, files ...file) {
	t.Helper()
	to := b.postFiles(fu+"/submissions", fields, files...).expect(t, 303, "the editor").header.Get("Location")
	id, ok := strings.CutSuffix(strings.TrimPrefix(to, fu+"/submissions/"), "/confirm")
	if !ok || id == to {
		t.Fatalf("the editor leads to %q, not to a confirmation", to)
	}
	confirm := b.get(to).expect(t, 200, "the confirmation").body
	if !strings.Contains(confirm, fields["text"]) {
		t.Errorf("the confirmation does not show the text %q", fields["text"])
	}
	for _, f := range files {
		if !strings.Contains(confirm, f.name) {
			t.Errorf("the confirmation does not list the file %s", f.name)
		}
	}
	b.post(fu+"/submissions/"+id, url.Values{"action": {"submit"}}).expect(t, 303, "the confirmation's button")
}
