//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"followup/internal/sniff/sniffdata"
)

// The Committee's procedure in the browser: a Party uploads a PDF with its submission, a
// rapporteur asks for clarification, the Party answers (with another PDF), the Secretariat
// publishes the answer, and an anonymous visitor downloads the published file.
func TestEvidenceCycleInChromium(t *testing.T) {
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	reply, answer := filepath.Join(dir, "official-reply.pdf"), filepath.Join(dir, "clarification-answer.pdf")
	if err := os.WriteFile(reply, sniffdata.PDFSaying("E2E official reply"), 0o600); err != nil {
		t.Fatal(err)
	}
	answerPDF := sniffdata.PDFSaying("E2E answer to the request")
	if err := os.WriteFile(answer, answerPDF, 0o600); err != nil {
		t.Fatal(err)
	}
	base := startServer(t)
	ctx, cancel := chromium(t)
	defer cancel()
	logins := demoLogins()
	fr, rap, sec := logins["party-fr@example.org"], logins["rapporteur@example.org"], logins["secretariat@example.org"]

	// The Party submits with a PDF.
	do(t, ctx, "sign in as France", signIn(base, fr.Email, fr.Password)...)
	do(t, ctx, "desk", chromedp.WaitVisible(css(`main table`)))
	href := attr(t, ctx, `main table tbody tr:first-child th a`, "href")
	do(t, ctx, "submit with a PDF",
		chromedp.Navigate(base+href),
		chromedp.WaitVisible(css(`#editor-files`)),
		chromedp.SendKeys(css(`#editor-text`), "E2E: our official reply is attached."),
		chromedp.SetUploadFiles(css(`#editor-files`), []string{reply}),
		chromedp.Click(css(`#review-submission`)),
		chromedp.WaitVisible(css(`#confirm-files`)),
		chromedp.Click(css(`#confirm-submit`)),
		chromedp.WaitVisible(css(`.flash`)),
		chromedp.WaitVisible(css(`ul.files a`)))
	if name := text(t, ctx, `ul.files a`); name != "official-reply.pdf" {
		t.Fatalf("the uploaded file shows as %q", name)
	}
	shot(t, ctx, "20-party-submission-with-file")
	do(t, ctx, "sign out", signOut()...)

	// The rapporteur sees the file beside the text and asks for clarification.
	do(t, ctx, "sign in as rapporteur", signIn(base, rap.Email, rap.Password)...)
	do(t, ctx, "ask",
		chromedp.Navigate(base+href),
		chromedp.WaitVisible(css(`.assess-form`)),
		chromedp.WaitVisible(css(`ul.files a`)),
		chromedp.SendKeys(css(`#req-question`), "E2E: which article of the Criminal Code applies?"),
		chromedp.SetValue(css(`#req-due`), "2099-01-31"))
	shot(t, ctx, "21-rapporteur-files-and-request")
	do(t, ctx, "send the request", chromedp.Click(css(`.request-form button[type=submit]`)), chromedp.WaitVisible(css(`.flash`)),
		chromedp.WaitVisible(css(`article.request.open`)))
	if st := text(t, ctx, `.facts .state`); !strings.Contains(st, "Clarification requested") {
		t.Fatalf("the state after the request reads %q", st)
	}
	do(t, ctx, "sign out", signOut()...)

	// The Party finds the request on its desk and answers it with a PDF.
	do(t, ctx, "sign in as France again", signIn(base, fr.Email, fr.Password)...)
	do(t, ctx, "desk request", chromedp.WaitVisible(css(`section.requests table`)))
	shot(t, ctx, "22-party-desk-request")
	do(t, ctx, "open the request", chromedp.Click(css(`section.requests table tbody tr:first-child th a`)), chromedp.WaitVisible(css(`#editor-answers`)))
	option := attr(t, ctx, `#editor-answers option:nth-child(2)`, "value")
	do(t, ctx, "answer",
		chromedp.SetValue(css(`#editor-answers`), option),
		chromedp.SendKeys(css(`#editor-text`), "E2E: Article 23 of the Criminal Code."),
		chromedp.SetUploadFiles(css(`#editor-files`), []string{answer}),
		chromedp.Click(css(`#review-submission`)),
		chromedp.WaitVisible(css(`#confirm-files`)),
		chromedp.Click(css(`#confirm-submit`)),
		chromedp.WaitVisible(css(`.flash`)),
		chromedp.WaitNotPresent(css(`article.request.open`)))
	shot(t, ctx, "23-party-answered")
	do(t, ctx, "sign out", signOut()...)

	// The Secretariat publishes the answer.
	do(t, ctx, "sign in as Secretariat", signIn(base, sec.Email, sec.Password)...)
	do(t, ctx, "follow-up", chromedp.Navigate(base+href), chromedp.WaitVisible(css(`form[action$="/publish"]`)))
	action, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		for (const a of document.querySelectorAll('article.submission')) {
			if (a.textContent.includes('Article 23')) { return new URL(a.querySelector('form[action$="/publish"]').action).pathname }
		}
		return '' })()`))
	if err != nil || action == "" {
		t.Fatalf("no publish button on the answer (%v)", err)
	}
	do(t, ctx, "publish", chromedp.Click(css(`form[action="`+action+`"] button`)), chromedp.WaitVisible(css(`.flash`)),
		chromedp.WaitVisible(css(`.published-badge`)))
	shot(t, ctx, "24-secretariat-published")
	do(t, ctx, "sign out", signOut()...)

	// An anonymous visitor sees the published answer and its question, not the unpublished
	// reply, and downloads the file.
	do(t, ctx, "public follow-up", chromedp.Navigate(base+href), chromedp.WaitVisible(css(`ul.files a`)))
	page := text(t, ctx, `main`)
	if !strings.Contains(page, "Article 23") || !strings.Contains(page, "which article of the Criminal Code") || strings.Contains(page, "official reply is attached") {
		t.Fatalf("the public page: %s", page)
	}
	link := attr(t, ctx, `ul.files a`, "href")
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("`+link+`", {credentials: "same-origin"}).then(async r =>
		r.status + " " + r.headers.get("content-type") + " " + r.headers.get("content-disposition") + " " + (await r.arrayBuffer()).byteLength)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	want := "200 application/pdf " + `attachment; filename="clarification-answer.pdf"` + " " + itoa(len(answerPDF))
	if got != want {
		t.Fatalf("the anonymous download: %q, want %q", got, want)
	}
	shot(t, ctx, "25-public-published-answer")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}
