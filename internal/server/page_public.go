package server

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
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

// homePageData is the data of the home page: the reports with their overall scores.
type homePageData struct {
	Reports []reportSummary
	Chart   barChart
}

// recommendationPageData is the data of a recommendation's page.
type recommendationPageData struct {
	Report      followup.Report
	Rec         followup.Recommendation
	Cells       []followup.ComplianceCell // by Party name
	Tally       *followup.RecommendationTally
	CanManage   bool
	AddressedTo []string // by name
	Draft       bool     // the committee's working copy: its compliance report is marked DRAFT
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
		title, _ := followup.Localized(v.Lang, r.Title, r.TitleFR)
		labels = append(labels, shortTitle(title))
		titles = append(titles, v.LText(r.Title, r.TitleFR))
		tallies = append(tallies, comp.Overall)
		hrefs = append(hrefs, "/reports/"+url.PathEscape(r.Slug))
	}
	v.Data = &homePageData{Reports: rows,
		Chart: v.scoreChart("chart-reports", v.T("home.chart.title"), v.T("home.chart.desc"), labels, tallies, hrefs, titles...)}
	return s.render(c, http.StatusOK, "home", v)
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

// reportFilter is what the report page is narrowed to.
type reportFilter struct {
	AsOf     followup.Date // zero: today
	Category followup.Category
	Parties  []string
	Status   string // the matrix's status filter: a count key, or "" for every status
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
	if err != nil {
		return f, err
	}
	if st := c.Query("status"); st != "" {
		q := followup.RecommendationQuery{Status: st}
		if err := q.Validate(); err != nil {
			return f, err
		}
		f.Status = st
	}
	return f, nil
}

// reportPageData is the data of the report page.
type reportPageData struct {
	Report      followup.Report
	Compliance  followup.Compliance
	AllRecs     []followup.Recommendation // every recommendation of the report, whatever the selection
	Matrix      matrixView
	MatrixPages []pageLink
	Basis       string
	Category    string
	Status      string // the matrix's status filter
	PartyFilter map[string]bool
	Parties     []string
	AsOf        string
	Selection   string
	// PartyOptions are the report's Parties by name, for the filter.
	PartyOptions    []string
	CanDraft        bool
	CanManage       bool
	CanImport       bool
	ByParty         *barChart // nil when there are too many Parties for a readable chart
	ByCategory      barChart
	PartyTallies    []*followup.PartyTally
	CategoryLabels  []string
	CategoryTallies []*followup.Tally
	Trend           *lineChart
}

// pageLink is a link to one page of a paged list.
type pageLink struct {
	Number  int
	Href    string
	Current bool
}

// chartMaxBars is the most Parties the chart by Party draws; beyond, the table alone gives
// the numbers (a chart of 200 bars is neither readable nor light).
const chartMaxBars = 60

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
	// The recommendations of the day asked for: one archived since is part of its picture.
	all, err := s.svc.Reports.ListRecommendations(ctx, slug, true)
	if err != nil {
		return err
	}
	recs := followup.RecommendationsIn(whole, all)
	// Those who see drafts are told which follow-ups wait for an assessment of a submission.
	awaiting := map[string]bool{}
	if actor.CanSeeDrafts() && basis == followup.BasisDraft {
		subs, err := s.allFollowUps(ctx, followup.FollowUpFilter{Report: slug, State: followup.Submitted})
		if err != nil {
			return err
		}
		for _, fu := range subs {
			awaiting[fu.Label+"\x00"+fu.Party] = true
		}
	}
	v := s.newView(c, "report.title", nil)
	v.Title = v.LText(report.Title, report.TitleFR)
	d := v.buildReportPage(report, whole, recs, f, awaiting, c.Request.URL.Query())
	d.Basis = string(basis)
	d.CanDraft, d.CanManage, d.CanImport = actor.CanSeeDrafts(), actor.CanManage(), len(importKinds(actor, true)) > 0
	// The trend of the overall adopted score of the whole report, from the daily snapshots
	// (trend.go); a selection has no snapshots of its own.
	if d.Compliance.Selection == nil {
		snaps, err := s.svc.Compliance.ComplianceSnapshots(ctx, slug, "")
		if err != nil {
			return err
		}
		if ch, ok := v.trendChart(snaps, f.AsOf); ok {
			d.Trend = &ch
		}
	}
	v.Data = d
	v.PrintStamp = printStampURL(d.AsOf)
	if filterErr != nil {
		v.formError("filters", c.Request.URL.Query(), filterErr)
	}
	return s.render(c, status, "report", v)
}

// buildReportPage lays out the report page from the summary of the whole report: the
// selection of f, the matrix page asked for (page=) and the charts. query is the page's
// address, for the links to the matrix's other pages.
func (v *view) buildReportPage(report followup.Report, whole followup.Compliance, recs []followup.Recommendation, f reportFilter,
	awaiting map[string]bool, query url.Values) *reportPageData {
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
	partySet := map[string]bool{}
	for _, cell := range whole.Cells {
		partySet[cell.Party] = true
	}
	partyOptions := sortedCodes(partySet)
	i18n.SortByName(v.Lang, partyOptions, v.Party)
	var rows []string
	names := map[string]string{}
	for _, code := range partyOptions {
		names[code] = v.Party(code)
		if len(chosen) == 0 || chosen[code] {
			rows = append(rows, code)
		}
	}
	page, _ := strconv.Atoi(query.Get("page"))
	m := buildMatrix(matrixInput{Lang: v.Lang, Recs: shown, Cells: whole.Cells, Parties: rows, Names: names,
		Awaiting: awaiting, Status: f.Status, Page: page})
	d := &reportPageData{Report: report, Compliance: comp, AllRecs: recs, Matrix: m, Category: string(f.Category), Status: f.Status,
		PartyFilter: chosen, Parties: f.Parties, PartyOptions: partyOptions,
		Selection: v.msgs.Selection(v.Lang, comp.Selection, v.Party)}
	if !f.AsOf.IsZero() {
		d.AsOf = f.AsOf.String()
	}
	if m.Pages > 1 {
		for n := 1; n <= m.Pages; n++ {
			q := withParam(query, "page", strconv.Itoa(n))
			d.MatrixPages = append(d.MatrixPages, pageLink{Number: n, Current: n == m.Page,
				Href: hrefOf("/reports/"+url.PathEscape(report.Slug), q) + "#matrix-heading"})
		}
	}
	// Charts: by Party (best first) and by category, with the same numbers in tables.
	d.PartyTallies = v.partyOrder(comp.ByParty)
	if len(d.PartyTallies) <= chartMaxBars {
		var pLabels, pHrefs []string
		var pTallies []*followup.Tally
		for _, pt := range d.PartyTallies {
			pLabels = append(pLabels, v.Party(pt.Party))
			pTallies = append(pTallies, &pt.Tally)
			pHrefs = append(pHrefs, "/parties/"+pt.Party)
		}
		ch := v.scoreChart("chart-party", v.T("chart.by_party.title"), v.T("chart.by_party.desc"), pLabels, pTallies, pHrefs)
		d.ByParty = &ch
	}
	for _, cat := range followup.Categories {
		if t := comp.ByCategory[cat]; t != nil && t.Total > 0 {
			d.CategoryLabels = append(d.CategoryLabels, v.T("category."+string(cat)))
			d.CategoryTallies = append(d.CategoryTallies, t)
		}
	}
	d.ByCategory = v.scoreChart("chart-category", v.T("chart.by_category.title"), v.T("chart.by_category.desc"), d.CategoryLabels, d.CategoryTallies, nil)
	return d
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
	v.Title = rec.Label + " — " + v.LText(report.Title, report.TitleFR)
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
	v.Data = &recommendationPageData{Report: report, Rec: rec, Cells: cells, Tally: tally, CanManage: actor.CanManage(),
		AddressedTo: addressed, Draft: basis == followup.BasisDraft}
	return s.render(c, http.StatusOK, "recommendation", v)
}

type partyReport struct {
	Report    followup.Report
	Short     string // the report's short title in the page's language
	FollowUps []followup.FollowUp
	// Tally is the Party's adopted outcomes in the report: its score with its base.
	Tally *followup.Tally
	Open  []followup.FollowUp // the open follow-ups, earliest deadline first
}

// partyPageData is the data of a Party's page.
type partyPageData struct {
	Party  followup.Party
	Counts followup.Counts // of the reports that are not fictional
	// FictionalLeftOut is set when the Party has follow-ups in a fictional report, which
	// Counts and Trend leave out.
	FictionalLeftOut bool
	Groups           []*partyReport // the reports the Party has follow-ups in, newest first
	// OpenGroups are the reports with open follow-ups; Open counts them all.
	OpenGroups []*partyReport
	Open       int
	Trend      *lineChart
	Own        bool
	// Published are the Party's submissions the Secretariat has published, with their files.
	Published []followup.PublishedSubmission
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
	v := s.newView(c, "party.title", nil)
	v.Title = party.Name(v.Lang)
	v.PrintStamp = printStampURL("")
	d := v.buildPartyPage(party, reports, items)
	d.Own = actor.CanSubmit(party.Code) && actor.Role == followup.RoleParty
	for _, g := range d.Groups {
		if err := s.inReportOrder(ctx, g.Report.Slug, g.FollowUps); err != nil {
			return err
		}
	}
	// The trend of the Party's adopted score over time, all its real reports together, from
	// the daily snapshots.
	var series [][]followup.ComplianceSnapshot
	for _, g := range d.Groups {
		if g.Report.Fictional() {
			continue
		}
		snaps, err := s.svc.Compliance.ComplianceSnapshots(ctx, g.Report.Slug, party.Code)
		if err != nil {
			return err
		}
		series = append(series, snaps)
	}
	if ch, ok := v.trendChart(followup.CombineSnapshots(series...), followup.Date{}); ok {
		ch.ID, ch.Title = "chart-party-trend", v.T("party.trend.title")
		d.Trend = &ch
	}
	if d.Published, err = s.svc.Evidence.ListPublished(ctx, party.Code); err != nil {
		return err
	}
	v.Data = d
	return s.render(c, http.StatusOK, "party", v)
}

// buildPartyPage groups a Party's follow-ups by report, with the Party's score and base in
// each report (from the adopted statuses of its active follow-ups) and its open follow-ups.
func (v *view) buildPartyPage(party followup.Party, reports []followup.Report, items []followup.FollowUp) *partyPageData {
	d := &partyPageData{Party: party, Counts: followup.NewCounts()}
	bySlug := map[string]*partyReport{}
	var groups []*partyReport
	for _, r := range reports {
		title, _ := followup.Localized(v.Lang, r.Title, r.TitleFR)
		pr := &partyReport{Report: r, Short: shortTitle(title)}
		bySlug[r.Slug] = pr
		groups = append(groups, pr)
	}
	cells := map[string][]followup.ComplianceCell{}
	for _, f := range items {
		pr := bySlug[f.Report]
		if pr == nil {
			continue
		}
		pr.FollowUps = append(pr.FollowUps, f)
		// The Party's totals are its record with the Committee: a fictional report's invented
		// outcomes stay in that report's own row.
		if pr.Report.Fictional() {
			d.FictionalLeftOut = true
		} else {
			d.Counts[statusKey(f.Status)]++
		}
		if f.Active {
			cells[f.Report] = append(cells[f.Report], followup.ComplianceCell{Label: f.Label, Category: f.Category, Party: f.Party, Status: f.Status})
		}
		if f.Open {
			pr.Open = append(pr.Open, f)
			d.Open++
		}
	}
	for _, g := range groups {
		if len(g.FollowUps) == 0 {
			continue
		}
		g.Tally = followup.Summarize(g.Report.Slug, followup.Date{}, followup.BasisAdopted, nil, cells[g.Report.Slug]).Overall
		sortByDue(g.Open)
		d.Groups = append(d.Groups, g)
		if len(g.Open) > 0 {
			d.OpenGroups = append(d.OpenGroups, g)
		}
	}
	return d
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
