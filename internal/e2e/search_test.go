//go:build e2e

package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The portal in the browser: the Secretariat gives a recommendation its French text through the
// form; a visitor on the French site searches without accents, narrows by a facet, and reads the
// recommendation in French.
func TestSearchAndFrenchRecommendationInChromium(t *testing.T) {
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	base := startServer(t)
	ctx, cancel := chromium(t)
	defer cancel()
	sec := demoLogins()["secretariat@example.org"]

	do(t, ctx, "sign in as Secretariat", signIn(base, sec.Email, sec.Password)...)
	do(t, ctx, "search page", chromedp.Navigate(base+"/recommendations?sort=report"), chromedp.WaitVisible(css(`table.results-table`)))
	href := attr(t, ctx, `table.results-table tbody tr:first-child th a`, "href")
	if !strings.HasPrefix(href, "/reports/") {
		t.Fatalf("first result %q", href)
	}
	const french = "Protéger les enfants réfugiés contre l’exploitation sexuelle (texte de l’essai de bout en bout)."
	do(t, ctx, "French text through the form",
		chromedp.Navigate(base+"/manage"+href+"/edit"),
		chromedp.WaitVisible(css(`#text_fr`)),
		chromedp.SetValue(css(`#text_fr`), french),
		chromedp.Click(css(`main form button[type=submit].primary`)),
		chromedp.WaitVisible(css(`.flash`)))
	do(t, ctx, "sign out", signOut()...)

	do(t, ctx, "search in French without accents",
		chromedp.Navigate(base+"/lang?l=fr&next=/recommendations"),
		chromedp.WaitVisible(css(`#s-q`)),
		chromedp.SendKeys(css(`#s-q`), "enfant refugies"),
		chromedp.Click(css(`form.search-box button[type=submit]`)),
		chromedp.WaitVisible(css(`table.results-table`)))
	if got := text(t, ctx, `td.hit-text mark`); got == "" {
		t.Errorf("no matching word is marked")
	}
	shot(t, ctx, "13-search-fr")
	// Narrow by the category facet of the first result.
	do(t, ctx, "category facet",
		chromedp.Click(css(`section.facet ul[aria-labelledby="facet-category"] li:first-child a`)),
		chromedp.WaitVisible(css(`p.chosen`)))
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(url, "category=") || !strings.Contains(url, "q=enfant") {
		t.Errorf("the facet link does not keep the search: %s", url)
	}
	shot(t, ctx, "14-search-fr-facet")
	do(t, ctx, "the recommendation in French",
		chromedp.Navigate(base+href),
		chromedp.WaitVisible(css(`blockquote.rec-text`)))
	if got := text(t, ctx, `blockquote.rec-text`); got != french {
		t.Errorf("the French page shows %q, want the French text", got)
	}
	shot(t, ctx, "15-recommendation-fr")
}
