package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"followup/internal/followup"
)

// newLargeReport adds a report of the synthetic data's size to the environment: 200 Parties,
// 40 recommendations addressed to all of them (8,000 follow-ups), some submitted, assessed and
// adopted.
func newLargeReport(t *testing.T, e *testEnv) string {
	t.Helper()
	ctx := sysCtx()
	const slug = "large"
	err := e.store.InTransaction(ctx, func(ctx context.Context) error {
		var codes []string
		for i := 0; len(codes) < 200; i++ {
			code := string(rune('A'+i/26%26)) + string(rune('A'+i%26))
			if code == "FR" || code == "DE" || code == "HU" || code == "TR" {
				continue
			}
			if _, err := e.store.CreateParty(ctx, followup.Party{Code: code, NameEN: "Party " + code, NameFR: "Partie " + code}); err != nil {
				return err
			}
			codes = append(codes, code)
		}
		if _, err := e.store.CreateReport(ctx, followup.ReportInput{Slug: slug, Title: "A report of the synthetic data's size",
			Kind: followup.ImplementationReport, AdoptedOn: followup.MustDate("2020-01-10"), FollowupDueOn: followup.MustDate("2022-01-10"), Parties: codes}); err != nil {
			return err
		}
		if _, err := e.store.PublishReport(ctx, slug); err != nil {
			return err
		}
		for i := 1; i <= 40; i++ {
			if _, err := e.store.CreateRecommendation(ctx, slug, followup.RecommendationInput{Label: fmt.Sprintf("R%d", i),
				Category: followup.Categories[i%3], Text: fmt.Sprintf("Recommendation number %d: take the measures that the Convention asks for in its article %d.", i, i%40+1),
				Articles: []string{fmt.Sprint(i%40 + 1)}}); err != nil {
				return err
			}
		}
		rap := followup.WithActor(ctx, followup.Actor{UserID: 0, Name: "Rapporteur", Role: followup.RoleRapporteur})
		for i, code := range codes[:60] {
			key := followup.FollowUpKey{Report: slug, Label: fmt.Sprintf("R%d", i%40+1), Party: code}
			if i%2 == 0 {
				if _, err := e.store.CreateSubmission(followup.WithActor(ctx, followup.SystemActor), key, followup.SubmissionInput{Text: "Measures taken.", SubmittedOn: followup.MustDate("2021-01-10")}); err != nil {
					return err
				}
			}
			if _, err := e.store.CreateAssessment(rap, key, followup.AssessmentInput{Status: followup.Statuses[i%5], AssessedOn: followup.MustDate("2021-02-10")}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.expect(200, "POST", "/api/v1/reports/"+slug+"/adopt", "secretariat", map[string]any{"adopted_on": "2021-03-10"})
	return slug
}

// The report page of a report of the synthetic data's size stays under 300 KB: the matrix is
// paged by Parties, with every page reachable, for the public and the committee alike.
func TestLargeReportPageSize(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	slug := newLargeReport(t, e)
	const limit = 300 * 1024
	for _, who := range []string{"", "rapporteur"} {
		b := e.browser()
		if who != "" {
			b.login(who)
		}
		for _, lang := range []string{"en", "fr"} {
			p := b.do("GET", "/reports/"+slug, nil, map[string]string{"Accept-Language": lang}).expect(t, 200, "large report")
			if len(p.body) > limit {
				t.Errorf("as %q in %s: the report page is %d bytes, more than %d", who, lang, len(p.body), limit)
			}
			t.Logf("as %q in %s: %d bytes", who, lang, len(p.body))
		}
	}
	// Every Party is on one page of the matrix, once; the page links reach them all.
	b := e.browser()
	seen := map[string]bool{}
	for page := 1; page <= 8; page++ {
		p := b.get(fmt.Sprintf("/reports/%s?page=%d", slug, page)).expect(t, 200, "a page of the matrix")
		screen := between(p.body, `<div class="table-wrap matrix-wrap`, `</table>`)
		for _, part := range strings.Split(screen, `<th scope="row"><a href="/parties/`)[1:] {
			code := part[:2]
			if seen[code] {
				t.Errorf("page %d shows %s again", page, code)
			}
			seen[code] = true
		}
		if page == 1 && !strings.Contains(p.body, fmt.Sprintf(`href="/reports/%s?page=8#matrix-heading"`, slug)) {
			t.Errorf("the first page has no link to the last")
		}
	}
	if len(seen) != 200 {
		t.Errorf("the pages show %d Parties, want 200", len(seen))
	}
}
