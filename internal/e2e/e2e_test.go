//go:build e2e

// Package e2e drives the real server with headless Chromium (Debian's chromium package) through
// one whole follow-up cycle, the way people use it. Run with `make e2e`.
package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// shots is where the screenshots go, from the repository root.
var shots = filepath.Join("..", "..", "test-output", "screenshots")

func chromium(t *testing.T) (context.Context, context.CancelFunc) {
	t.Helper()
	path := "/usr/bin/chromium"
	if _, err := exec.LookPath(path); err != nil {
		t.Fatalf("chromium is not installed (%v): run make e2e, which installs it", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	return ctx, func() { cancelTimeout(); cancelCtx(); cancelAlloc() }
}

type step = chromedp.Action[chromedp.Void]

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

func do(t *testing.T, ctx context.Context, what string, steps ...step) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(v)
}

func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.AttributeValue(css(sel), name))
	if err != nil {
		t.Fatalf("attribute %s of %s: %v", name, sel, err)
	}
	return v.Value
}

// shot saves a full-page screenshot as a PNG (quality 100).
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(shots, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// narrowOverflow lists what makes the page wider than the screen, or "" when it fits: wide
// tables may scroll inside their .table-wrap box, but the page itself must not scroll sideways.
const narrowOverflow = `(() => {
		const w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= w) return "";
		const wide = "page " + document.documentElement.scrollWidth + " > " + w + ": ";
		return [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > w + 1)
			.filter(e => !e.closest(".table-wrap") || e.matches(".table-wrap"))
			.slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join("; ") || wide;
	})()`

// fitsNarrowScreen opens url in the current (narrow) viewport and fails when the page is wider.
func fitsNarrowScreen(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	do(t, ctx, "open "+url, chromedp.Navigate(url), chromedp.WaitVisible(css(`h1`)))
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[string](narrowOverflow))
	if err != nil {
		t.Fatal(err)
	}
	if overflow != "" {
		t.Errorf("at 360 px %s is wider than the screen: %s", url, overflow)
	}
}

// checkPrintout prints the current page as the browser would, on the paper its print rules ask
// for, saves the PDF, and fails unless the paper is as wanted (the start of pdfinfo's "Page
// size") and every page carries the stamp.
func checkPrintout(t *testing.T, ctx context.Context, name, size, stamp string) {
	t.Helper()
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print %s: %v", name, err)
	}
	path := filepath.Join(shots, name+".pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo (poppler-utils): %v %s", err, info)
	}
	if !strings.Contains(string(info), "Page size:       "+size) {
		t.Errorf("%s prints on the wrong paper:\n%s", name, info)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v %s", err, out)
	}
	for i, pg := range strings.Split(strings.TrimRight(string(out), "\f\n"), "\f") {
		if !strings.Contains(pg, stamp) {
			t.Errorf("%s: page %d is not stamped with %q", name, i+1, stamp)
		}
	}
}

func signIn(base, email, password string) []step {
	return []step{
		chromedp.Navigate(base + "/login"),
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), email),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.Click(css(`main form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(css(`.flash`)),
	}
}

func signOut() []step {
	// The page signed out from may show a flash too: wait for the sign-in link of the next
	// page, so that the sign-out's navigation is over before the next step starts another.
	return []step{
		chromedp.Click(css(`header form[action="/logout"] button`)),
		chromedp.WaitVisible(css(`header .tools a[href^="/login"]`)),
		chromedp.WaitVisible(css(`.flash`)),
	}
}

func TestFollowUpCycleInChromium(t *testing.T) {
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	base := startServer(t)
	ctx, cancel := chromium(t)
	defer cancel()
	logins := demoLogins()
	fr := logins["party-fr@example.org"]

	// The public home, before anything happens.
	do(t, ctx, "home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(css(`figure.chart`)))
	shot(t, ctx, "01-home")

	// A Party user signs in, opens the follow-up with the earliest deadline and submits.
	do(t, ctx, "sign in as France", signIn(base, fr.Email, fr.Password)...)
	do(t, ctx, "desk", chromedp.WaitVisible(css(`main table`)))
	shot(t, ctx, "02-party-desk")
	href := attr(t, ctx, `main table tbody tr:first-child th a`, "href")
	if !strings.HasPrefix(href, "/followups/") || !strings.HasSuffix(href, "/FR") {
		t.Fatalf("first desk link %q", href)
	}
	parts := strings.Split(strings.TrimPrefix(href, "/followups/"), "/")
	slug, label := parts[0], parts[1]
	do(t, ctx, "submit",
		chromedp.Navigate(base+href),
		chromedp.WaitVisible(css(`#editor-text`)),
		chromedp.SendKeys(css(`#editor-text`), "E2E: the new law on online grooming entered into force."),
		chromedp.Click(css(`#review-submission`)),
		chromedp.WaitVisible(css(`#confirm-submission`)))
	if shown := text(t, ctx, `#confirm-text`); !strings.Contains(shown, "online grooming") {
		t.Fatalf("the confirmation shows %q", shown)
	}
	shot(t, ctx, "03a-party-submission-confirmation")
	do(t, ctx, "confirm the submission",
		chromedp.Click(css(`#confirm-submit`)),
		chromedp.WaitVisible(css(`.flash`)))
	if flash := text(t, ctx, `.flash`); !strings.Contains(flash, "sent to the Committee") {
		t.Fatalf("after submitting: %q", flash)
	}
	shot(t, ctx, "03-party-followup-submitted")

	// A draft saved on another follow-up shows on the desk as a draft, not as awaiting.
	do(t, ctx, "desk again", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(css(`main table`)))
	draftHref, err := chromedp.Run(ctx, chromedp.Evaluate[string](`([...document.querySelectorAll('main table tbody tr')].find(r => !r.querySelector('.draft-saved') && r.querySelector('th a').getAttribute('href') !== "`+href+`")?.querySelector('th a').getAttribute('href')) || ""`))
	if err != nil || !strings.HasPrefix(draftHref, "/followups/") {
		t.Fatalf("no other follow-up on the desk: %q (%v)", draftHref, err)
	}
	do(t, ctx, "save a draft",
		chromedp.Navigate(base+draftHref),
		chromedp.WaitVisible(css(`#editor-text`)),
		chromedp.SendKeys(css(`#editor-text`), "E2E: a first outline of the measures taken."),
		chromedp.Click(css(`#save-draft`)),
		chromedp.WaitVisible(css(`#draft-saved`)))
	do(t, ctx, "desk with the draft", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(css(`main table`)))
	badged, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('main table tbody tr')].filter(r => r.querySelector('a[href="`+draftHref+`"]') && r.querySelector('.draft-saved')).length`))
	if err != nil || badged != 1 {
		t.Fatalf("the desk shows no draft badge on %s (%v)", draftHref, err)
	}
	shot(t, ctx, "03b-party-desk-draft-badge")
	do(t, ctx, "sign out", signOut()...)

	// A rapporteur finds it in the queue and assesses it.
	rap := logins["rapporteur@example.org"]
	do(t, ctx, "sign in as rapporteur", signIn(base, rap.Email, rap.Password)...)
	do(t, ctx, "queue", chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(css(`h1`)))
	queued, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('a[href="`+href+`"]').length`))
	if err != nil || queued == 0 {
		t.Fatalf("%s is not in the rapporteur's queue (%v)", href, err)
	}
	shot(t, ctx, "04-rapporteur-queue")
	// Its report filter lists long titles: the select stays inside the page.
	if overflow, err := chromedp.Run(ctx, chromedp.Evaluate[string](narrowOverflow)); err != nil || overflow != "" {
		t.Errorf("the queue is wider than the window: %s (%v)", overflow, err)
	}
	do(t, ctx, "assessment form",
		chromedp.Navigate(base+href),
		chromedp.WaitVisible(css(`.assess-form`)),
		chromedp.Click(css(`input[name=status][value=implemented]`)),
		chromedp.SendKeys(css(`#assess-comment`), "E2E: the offence now exists."))
	shot(t, ctx, "05-rapporteur-assessment-form")
	do(t, ctx, "assess",
		chromedp.Click(css(`.assess-form button[type=submit]`)),
		chromedp.WaitVisible(css(`.flash`)),
		chromedp.Navigate(base+"/reports/"+slug),
		chromedp.WaitVisible(css(`table.matrix`)))
	shot(t, ctx, "06-rapporteur-matrix-with-drafts")
	do(t, ctx, "sign out", signOut()...)

	// The Secretariat previews and adopts the recommendation's assessments.
	sec := logins["secretariat@example.org"]
	do(t, ctx, "sign in as Secretariat", signIn(base, sec.Email, sec.Password)...)
	shot(t, ctx, "07-secretariat-desk")
	// Nothing ticked adopts nothing: the page asks for a selection.
	do(t, ctx, "preview with nothing selected",
		chromedp.Navigate(base+"/manage/reports/"+slug+"/adopt"),
		chromedp.WaitVisible(css(`#adopted_on`)),
		chromedp.Click(css(`#adopt-preview`)),
		chromedp.WaitVisible(css(`#labels-err`)))
	shot(t, ctx, "07a-secretariat-adoption-needs-selection")
	do(t, ctx, "preview",
		chromedp.Navigate(base+"/manage/reports/"+slug+"/adopt"),
		chromedp.WaitVisible(css(`#adopted_on`)),
		chromedp.Click(css(`input[name=labels][value="`+label+`"]`)),
		chromedp.Click(css(`#adopt-preview`)),
		chromedp.WaitVisible(css(`.preview`)))
	if preview := text(t, ctx, `.preview h2`); !strings.Contains(preview, "will be adopted") {
		t.Fatalf("preview %q", preview)
	}
	shot(t, ctx, "08-secretariat-adoption-preview")
	if row := text(t, ctx, `.adopt-preview tbody tr:first-child`); !strings.Contains(row, "→") {
		t.Fatalf("the preview row shows no before → after: %q", row)
	}
	do(t, ctx, "confirm", chromedp.Click(css(`#adopt-confirm-button`)), chromedp.WaitVisible(css(`.flash`)))
	if flash := text(t, ctx, `.flash`); !strings.Contains(flash, "adopted on") {
		t.Fatalf("after adoption: %q", flash)
	}
	do(t, ctx, "sign out", signOut()...)

	// An anonymous visitor reads the adopted matrix in French.
	do(t, ctx, "public matrix in French",
		chromedp.Navigate(base+"/lang?l=fr&next=/reports/"+slug),
		chromedp.WaitVisible(css(`table.matrix`)))
	heading, lang := text(t, ctx, `#matrix-heading`), attr(t, ctx, `html`, "lang")
	cell := text(t, ctx, `td.cell a[href="`+href+`"]`)
	if heading != "Matrice de conformité" || lang != "fr" || !strings.Contains(cell, "Mise en œuvre") || strings.Contains(cell, "projet") {
		t.Fatalf("French public matrix: heading %q, lang %q, cell %q", heading, lang, cell)
	}
	// The demonstration's report says it is fictional, in the page's language.
	if banner := text(t, ctx, `.fictional-banner`); !strings.Contains(banner, "Fictif — pour la démonstration.") {
		t.Fatalf("the fictional report's banner: %q", banner)
	}
	shot(t, ctx, "09-public-matrix-fr")
	checkPrintout(t, ctx, "09a-public-matrix-fr", "841.92 x 594.96", "Situation au ")
	do(t, ctx, "Party page", chromedp.Navigate(base+"/parties/FR"), chromedp.WaitVisible(css(`h1`)))
	shot(t, ctx, "10-public-party-fr")
	checkPrintout(t, ctx, "10a-public-party-fr", "594.96 x 841.92", "Situation au ")
	do(t, ctx, "narrow screen", chromedp.EmulateViewport(360, 780), chromedp.Navigate(base+"/reports/"+slug),
		chromedp.WaitVisible(css(`table.matrix`)))
	shot(t, ctx, "11-public-matrix-360px")
	for _, path := range []string{"/reports/" + slug, "/", "/parties/FR", "/reports/" + slug + "/recommendations/" + label} {
		fitsNarrowScreen(t, ctx, base+path)
	}
	do(t, ctx, "wide screen", chromedp.EmulateViewport(1280, 900))

	// The Party user is refused another Party's follow-up.
	do(t, ctx, "sign in as France again", signIn(base, fr.Email, fr.Password)...)
	do(t, ctx, "Germany's follow-up", chromedp.Navigate(base+"/followups/"+slug+"/"+label+"/DE"), chromedp.WaitVisible(css(`h1`)))
	if refused := text(t, ctx, `h1`); refused != "Accès refusé" {
		t.Fatalf("France's user opening Germany's follow-up sees %q", refused)
	}
	shot(t, ctx, "12-party-refused-other-party")
}
