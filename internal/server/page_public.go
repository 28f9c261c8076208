package server

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
	"followup/internal/i18n"
)

// Public pages: home, report (compliance matrix), recommendation, Party. Committee roles see
// draft assessments on the matrix, marked as drafts; everyone else sees adopted ones only.

type reportSummary struct {
	Report  followup.Report
	Overall *followup.Tally
}

func (s *Server) pageHome(c *gin.Context) error {
	ctx := c.Request.Context()
	reports, err := s.svc.Reports.ListReports(ctx, false)
	if err != nil {
		return err
	}
	v := s.newView(c, "home.title", nil)
	var rows []reportSummary
	var labels, titles, hrefs []string
	var tallies []*followup.Tally
	for _, r := range reports {
		comp, err := s.svc.Compliance.ReportCompliance(ctx, r.Slug, followup.ComplianceQuery{})
		if err != nil {
			return err
		}
		rows = append(rows, reportSummary{Report: r, Overall: comp.Overall})
		labels = append(labels, shortTitle(r.Title))
		titles = append(titles, r.Title)
		tallies = append(tallies, comp.Overall)
		hrefs = append(hrefs, "/reports/"+url.PathEscape(r.Slug))
	}
	v.Data = map[string]any{"Reports": rows,
		"Chart": v.scoreChart("chart-reports", v.T("home.chart.title"), v.T("home.chart.desc"), labels, tallies, hrefs, titles...)}
	return s.render(c, http.StatusOK, "home", v)
}

type matrixCell struct {
	Present   bool
	Label     string
	Party     string
	Status    *followup.Status
	Draft     bool
	AdoptedOn followup.Date
}

type matrixRow struct {
	Party string
	Cells []matrixCell
}

func (s *Server) pageReport(c *gin.Context) error {
	ctx := c.Request.Context()
	slug := c.Param("slug")
	report, err := s.svc.Reports.FindReport(ctx, slug)
	if err != nil {
		return err
	}
	f, err := s.reportFilters(c, report)
	if err == nil {
		return s.renderReport(c, report, f, http.StatusOK, nil)
	}
	if followup.ErrorCode(err) != followup.EInvalid {
		return err
	}
	// A bad filter: the whole report, today, with the message next to the field.
	return s.renderReport(c, report, reportFilter{}, http.StatusUnprocessableEntity, err)
}

// printColumns is how many recommendations fit across a landscape A4 page beside the Party
// column (app.css sets the printed matrix's sizes).
const printColumns = 12

// printGroup is a part of the matrix that fits across a printed page: some recommendations,
// with every Party's row.
type printGroup struct {
	First, Last string // labels of its first and last recommendations
	Recs        []followup.Recommendation
	Rows        []matrixRow
}

// printGroups splits a matrix too wide for a printed page into groups of columns, each with
// the Party column; nil when it fits.
func printGroups(recs []followup.Recommendation, rows []matrixRow) []printGroup {
	if len(recs) <= printColumns {
		return nil
	}
	var groups []printGroup
	for from := 0; from < len(recs); from += printColumns {
		to := min(from+printColumns, len(recs))
		g := printGroup{First: recs[from].Label, Last: recs[to-1].Label, Recs: recs[from:to]}
		for _, r := range rows {
			g.Rows = append(g.Rows, matrixRow{Party: r.Party, Cells: r.Cells[from:to]})
		}
		groups = append(groups, g)
	}
	return groups
}

// reportFilter is what the report page is narrowed to.
type reportFilter struct {
	AsOf     followup.Date // zero: today
	Category followup.Category
	Parties  []string
}

// reportFilters reads the report page's filters: category, Parties (party=, repeatable or
// comma-separated) and the "as of" date.
func (s *Server) reportFilters(c *gin.Context, report followup.Report) (reportFilter, error) {
	var f reportFilter
	asOf, err := asOfParam(c.Query("as_of"), s.today())
	if err != nil {
		return f, err
	}
	f.AsOf = asOf
	f.Category, f.Parties, err = selectionParams(c.Request.URL.Query(), report)
	return f, err
}

// renderReport draws the report page: the matrix, the summary and the charts, all of the
// selection of f; filterErr, when not nil, is shown next to its filter.
func (s *Server) renderReport(c *gin.Context, report followup.Report, f reportFilter, status int, filterErr error) error {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	slug := report.Slug
	// Committee roles see their working picture (drafts marked) unless they ask for the public one.
	basis := followup.BasisAdopted
	if actor.CanSeeDrafts() && c.Query("basis") != string(followup.BasisAdopted) {
		basis = followup.BasisDraft
	}
	whole, err := s.svc.Compliance.ReportCompliance(ctx, slug, followup.ComplianceQuery{AsOf: f.AsOf, Basis: basis})
	if err != nil {
		return err
	}
	recs, err := s.svc.Reports.ListRecommendations(ctx, slug, false)
	if err != nil {
		return err
	}
	// The matrix, the summary and the charts all show the same selection.
	comp := whole.Select(f.Category, f.Parties)
	var shown []followup.Recommendation
	for _, r := range recs {
		if f.Category == "" || r.Category == f.Category {
			shown = append(shown, r)
		}
	}
	chosen := map[string]bool{}
	for _, p := range f.Parties {
		chosen[p] = true
	}
	cells := map[string]followup.ComplianceCell{}
	partySet := map[string]bool{}
	for _, cell := range whole.Cells {
		cells[cell.Label+"\x00"+cell.Party] = cell
		partySet[cell.Party] = true
	}
	v := s.newView(c, "report.title", nil)
	v.Title = report.Title
	var rows []matrixRow
	for _, code := range sortedCodes(partySet) {
		if len(chosen) > 0 && !chosen[code] {
			continue
		}
		row := matrixRow{Party: code}
		for _, r := range shown {
			cell, ok := cells[r.Label+"\x00"+code]
			row.Cells = append(row.Cells, matrixCell{Present: ok, Label: r.Label, Party: code, Status: cell.Status,
				Draft: ok && cell.Status != nil && cell.Draft, AdoptedOn: cell.AdoptedOn})
		}
		rows = append(rows, row)
	}
	i18n.SortByName(v.Lang, rows, func(r matrixRow) string { return v.Party(r.Party) })
	// Charts: by Party (best first) and by category, with the same numbers in tables.
	partyTallies := v.partyOrder(comp.ByParty)
	var pLabels []string
	var pTallies []*followup.Tally
	var pHrefs []string
	for _, pt := range partyTallies {
		pLabels = append(pLabels, v.Party(pt.Party))
		pTallies = append(pTallies, &pt.Tally)
		pHrefs = append(pHrefs, "/parties/"+pt.Party)
	}
	var cLabels []string
	var cTallies []*followup.Tally
	for _, cat := range followup.Categories {
		if t := comp.ByCategory[cat]; t != nil && t.Total > 0 {
			cLabels = append(cLabels, v.T("category."+string(cat)))
			cTallies = append(cTallies, t)
		}
	}
	partyOptions := sortedCodes(partySet)
	i18n.SortByName(v.Lang, partyOptions, v.Party)
	asOf := ""
	if !f.AsOf.IsZero() {
		asOf = f.AsOf.String()
	}
	v.Data = map[string]any{
		"Report": report, "Compliance": comp, "Recs": shown, "Rows": rows, "PrintGroups": printGroups(shown, rows),
		"Basis": string(basis), "Category": string(f.Category), "PartyFilter": chosen, "Parties": f.Parties, "AsOf": asOf,
		"Selection":    v.msgs.Selection(v.Lang, comp.Selection, v.Party),
		"PartyOptions": partyOptions, "CanDraft": actor.CanSeeDrafts(), "CanManage": actor.CanManage(),
		"ByParty":      v.scoreChart("chart-party", v.T("chart.by_party.title"), v.T("chart.by_party.desc"), pLabels, pTallies, pHrefs),
		"ByCategory":   v.scoreChart("chart-category", v.T("chart.by_category.title"), v.T("chart.by_category.desc"), cLabels, cTallies, nil),
		"PartyTallies": partyTallies, "CategoryLabels": cLabels, "CategoryTallies": cTallies,
		"CanImport": len(importKinds(actor)) > 0,
	}
	// The trend of the overall adopted score of the whole report, from the daily snapshots
	// (trend.go); a selection has no snapshots of its own.
	if comp.Selection == nil {
		snaps, err := s.svc.Compliance.ComplianceSnapshots(ctx, slug, "")
		if err != nil {
			return err
		}
		if ch, ok := v.trendChart(snaps, f.AsOf); ok {
			v.Data.(map[string]any)["Trend"] = ch
		}
	}
	v.PrintStamp = printStampURL(asOf)
	if filterErr != nil {
		v.formError("filters", c.Request.URL.Query(), filterErr)
	}
	return s.render(c, status, "report", v)
}

func (s *Server) pageRecommendation(c *gin.Context) error {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	slug, label := c.Param("slug"), c.Param("label")
	report, err := s.svc.Reports.FindReport(ctx, slug)
	if err != nil {
		return err
	}
	rec, err := s.svc.Reports.FindRecommendation(ctx, slug, label)
	if err != nil {
		return err
	}
	basis := followup.BasisAdopted
	if actor.CanSeeDrafts() {
		basis = followup.BasisDraft
	}
	comp, err := s.svc.Compliance.ReportCompliance(ctx, slug, followup.ComplianceQuery{Basis: basis})
	if err != nil {
		return err
	}
	v := s.newView(c, "recommendation.title", nil)
	v.Title = rec.Label + " — " + report.Title
	var cells []followup.ComplianceCell
	for _, cell := range comp.Cells {
		if cell.Label == rec.Label {
			cells = append(cells, cell)
		}
	}
	i18n.SortByName(v.Lang, cells, func(c followup.ComplianceCell) string { return v.Party(c.Party) })
	var tally *followup.RecommendationTally
	for _, t := range comp.ByRecommendation {
		if t.Label == rec.Label {
			tally = t
		}
	}
	addressed := append([]string(nil), rec.AddressedTo...)
	i18n.SortByName(v.Lang, addressed, v.Party)
	v.Data = map[string]any{"Report": report, "Rec": rec, "Cells": cells, "Tally": tally, "CanManage": actor.CanManage(),
		"AddressedTo": addressed, "Draft": basis == followup.BasisDraft}
	return s.render(c, http.StatusOK, "recommendation", v)
}

type partyReport struct {
	Report    followup.Report
	FollowUps []followup.FollowUp
}

func (s *Server) pageParty(c *gin.Context) error {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	party, err := s.svc.Parties.FindParty(ctx, c.Param("code"))
	if err != nil {
		return err
	}
	// A Party's page is public. The users of another Party see its public face, like anyone;
	// the Party's own users and the committee see the states they may see.
	listCtx := ctx
	if actor.Role == followup.RoleParty && actor.Party != party.Code {
		listCtx = followup.WithActor(ctx, followup.Actor{})
	}
	items, err := s.allFollowUps(listCtx, followup.FollowUpFilter{Party: party.Code})
	if err != nil {
		return err
	}
	reports, err := s.svc.Reports.ListReports(ctx, false)
	if err != nil {
		return err
	}
	bySlug := map[string]*partyReport{}
	var groups []*partyReport
	short := map[string]string{}
	for _, r := range reports {
		pr := &partyReport{Report: r}
		bySlug[r.Slug] = pr
		groups = append(groups, pr)
		short[r.Slug] = shortTitle(r.Title)
	}
	var open []followup.FollowUp
	counts := followup.NewCounts()
	for _, f := range items {
		if pr := bySlug[f.Report]; pr != nil {
			pr.FollowUps = append(pr.FollowUps, f)
		}
		counts[statusKey(f.Status)]++
		if f.Open {
			open = append(open, f)
		}
	}
	sortByDue(open)
	var shown []*partyReport
	for _, g := range groups {
		if len(g.FollowUps) > 0 {
			if err := s.inReportOrder(ctx, g.Report.Slug, g.FollowUps); err != nil {
				return err
			}
			shown = append(shown, g)
		}
	}
	published, err := s.svc.Evidence.ListPublished(ctx, party.Code)
	if err != nil {
		return err
	}
	v := s.newView(c, "party.title", nil)
	v.Title = party.Name(v.Lang)
	v.PrintStamp = printStampURL("")
	v.Data = map[string]any{"Party": party, "Groups": shown, "Open": open, "Counts": counts, "Short": short, "Published": published,
		"Own": actor.CanSubmit(party.Code) && actor.Role == followup.RoleParty}
	return s.render(c, http.StatusOK, "party", v)
}

// allFollowUps reads every page of a follow-up list: pages show a Party's or a report's whole
// list, which at a large committee's size runs past one page of the API.
func (s *Server) allFollowUps(ctx context.Context, f followup.FollowUpFilter) ([]followup.FollowUp, error) {
	f.Limit = 1000
	var out []followup.FollowUp
	for {
		page, err := s.svc.FollowUps.ListFollowUps(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == nil {
			return out, nil
		}
		f.Cursor = *page.NextCursor
	}
}

// sortByDue sorts follow-ups by deadline, earliest first, those without one last.
func sortByDue(fs []followup.FollowUp) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i].DueOn, fs[j].DueOn
		switch {
		case a.IsZero() != b.IsZero():
			return !a.IsZero()
		case a != b:
			return a.Before(b)
		}
		if fs[i].Report != fs[j].Report {
			return fs[i].Report < fs[j].Report
		}
		return i18n.CompareLabels(fs[i].Label, fs[j].Label) < 0
	})
}

// inReportOrder sorts a report's follow-ups in the order of its recommendations, and those the
// report does not list by their labels' natural order (R7 before R11).
func (s *Server) inReportOrder(ctx context.Context, slug string, fs []followup.FollowUp) error {
	recs, err := s.svc.Reports.ListRecommendations(ctx, slug, true)
	if err != nil {
		return err
	}
	position := make(map[string]int, len(recs))
	for i, r := range recs {
		position[r.Label] = i
	}
	sort.SliceStable(fs, func(i, j int) bool {
		pi, iok := position[fs[i].Label]
		pj, jok := position[fs[j].Label]
		switch {
		case iok && jok:
			return pi < pj
		case iok != jok:
			return iok
		}
		return i18n.CompareLabels(fs[i].Label, fs[j].Label) < 0
	})
	return nil
}

// shortTitle shortens a report's title for a label or a chart: at most 40 characters, cut at a
// word, with an ellipsis.
func shortTitle(title string) string {
	const max = 40
	r := []rune(title)
	if len(r) <= max {
		return title
	}
	cut := string(r[:max-1])
	if i := strings.LastIndex(cut, " "); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:-–—") + "…"
}
