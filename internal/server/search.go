package server

import (
	"bytes"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
	"followup/internal/i18n"
)

// Search across reports: the API (GET /api/v1/recommendations), its downloads (.csv, .xlsx), the
// public page /recommendations and the page of a Convention article (/articles/{n}). The whole
// view is in the address: the same query string gives the same list, facets and download.

// searchParams are the query parameters of a search, in the order the page's links write them.
var searchParams = []string{"q", "report", "round", "category", "article", "party", "status", "open", "overdue", "sort"}

// searchQueryFrom reads a search from query parameters.
func searchQueryFrom(v url.Values) (followup.RecommendationQuery, error) {
	q := followup.RecommendationQuery{Q: v.Get("q"), Report: v.Get("report"), Round: v.Get("round"),
		Category: followup.Category(v.Get("category")), Article: v.Get("article"), Party: v.Get("party"),
		Status: v.Get("status"), Sort: followup.SearchSort(v.Get("sort")), Cursor: v.Get("cursor")}
	for _, b := range []struct {
		name string
		dst  **bool
	}{{"open", &q.Open}, {"overdue", &q.Overdue}} {
		if s := v.Get(b.name); s != "" {
			x, err := strconv.ParseBool(s)
			if err != nil {
				return q, followup.Invalid(b.name, "%q is not true or false", s)
			}
			*b.dst = &x
		}
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return q, followup.Invalid("limit", "%q is not a page size between 1 and %d", s, followup.MaxSearchLimit)
		}
		q.Limit = n
	}
	return q, q.Validate()
}

// searchValues writes a query back as parameters, without the page: the address of the view.
func searchValues(q followup.RecommendationQuery) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", q.Q)
	set("report", q.Report)
	set("round", q.Round)
	set("category", string(q.Category))
	set("article", q.Article)
	set("party", q.Party)
	set("status", q.Status)
	if q.Open != nil {
		v.Set("open", strconv.FormatBool(*q.Open))
	}
	if q.Overdue != nil {
		v.Set("overdue", strconv.FormatBool(*q.Overdue))
	}
	if q.Sort != "" && q.Sort != followup.SortRelevance {
		v.Set("sort", string(q.Sort))
	}
	return v
}

func (s *Server) searchRoutes(api *gin.RouterGroup) {
	api.GET("/recommendations", s.wrap(s.searchRecommendations))
	api.GET("/recommendations.csv", s.wrap(s.limitRender("csv", s.searchExport("csv"))))
	api.GET("/recommendations.xlsx", s.wrap(s.limitRender("xlsx", s.searchExport("xlsx"))))
}

func (s *Server) searchRecommendations(c *gin.Context) error {
	q, err := searchQueryFrom(c.Request.URL.Query())
	if err != nil {
		return err
	}
	page, err := s.svc.Reports.SearchRecommendations(c.Request.Context(), q)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, page)
	return nil
}

// allHits reads every page of a search.
func (s *Server) allHits(c *gin.Context, q followup.RecommendationQuery) ([]followup.RecommendationHit, error) {
	q.Limit, q.Cursor = followup.MaxSearchLimit, ""
	var out []followup.RecommendationHit
	for {
		page, err := s.svc.Reports.SearchRecommendations(c.Request.Context(), q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == nil {
			return out, nil
		}
		q.Cursor = *page.NextCursor
	}
}

// searchExport downloads every result of the search, in its order: exactly the view of the
// page with the same parameters, all its pages.
func (s *Server) searchExport(ext string) handlerFunc {
	return func(c *gin.Context) error {
		values := c.Request.URL.Query()
		lang := strings.ToLower(values.Get("lang"))
		switch lang {
		case "":
			lang = "en"
		case "en", "fr":
		default:
			return followup.Invalid("lang", "%q is not a language of the exports (en, fr)", values.Get("lang"))
		}
		q, err := searchQueryFrom(values)
		if err != nil {
			return err
		}
		hits, err := s.allHits(c, q)
		if err != nil {
			return err
		}
		ps, err := s.svc.Parties.ListParties(c.Request.Context())
		if err != nil {
			return err
		}
		parties := make(map[string]followup.Party, len(ps))
		for _, p := range ps {
			parties[p.Code] = p
		}
		d := followup.SearchExport{Query: q, Hits: hits, Parties: parties, Lang: lang, GeneratedAt: s.clock.Now().UTC()}
		var buf bytes.Buffer
		if err := s.svc.Exporter.EncodeSearch(&buf, ext, d); err != nil {
			return err
		}
		sendFile(c, followup.ExportFileName("recommendations", "", s.today(), false, lang, ext), ContentType(ext), buf.Bytes())
		return nil
	}
}

// facetValue is one value of a facet on the page: its label, its count, the address of the
// view with that value chosen (or, for the chosen one, without it).
type facetValue struct {
	Label  string
	Count  int
	Href   string
	Chosen bool
}

// facetGroup is a facet of the search page.
type facetGroup struct {
	Name   string // the parameter
	Title  string
	Values []facetValue
}

// sortColumn is a sortable column head of the results.
type sortColumn struct {
	Title  string
	Href   string
	Sorted bool
}

// searchPageData is the data of the search page.
type searchPageData struct {
	Query     followup.RecommendationQuery
	Page      followup.SearchPage
	Facets    []facetGroup
	Sorts     map[string]sortColumn
	Short     map[string]string // report slug → short title in the page's language
	Chosen    []facetValue      // the filters in force, each with the address without it
	Hidden    url.Values        // the filters the search box keeps
	First     int               // the position of the first result shown (1-based)
	Last      int
	Next      string
	Previous  string
	Downloads map[string]string // format → address
	Article   string            // the article of an article page
	Outcomes  map[string]*followup.RecommendationTally
}

// withParam returns the view's address with one parameter set (or removed when value is ""),
// without the page's cursor.
func withParam(base url.Values, key, value string) url.Values {
	v := url.Values{}
	for k, vs := range base {
		v[k] = append([]string(nil), vs...)
	}
	if value == "" {
		v.Del(key)
	} else {
		v.Set(key, value)
	}
	return v
}

func hrefOf(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// buildSearchPage lays out a search's results, facets and links for the page at path.
func (v *view) buildSearchPage(path string, q followup.RecommendationQuery, page followup.SearchPage, reports []followup.Report) *searchPageData {
	base := searchValues(q)
	d := &searchPageData{Query: q, Page: page, Short: map[string]string{}, Sorts: map[string]sortColumn{},
		Downloads: map[string]string{}}
	rounds := map[string]string{}
	titles := map[string]string{}
	var reportOrder []string
	for _, r := range reports {
		title, _ := followup.Localized(v.Lang, r.Title, r.TitleFR)
		d.Short[r.Slug] = shortTitle(title)
		titles[r.Slug] = title
		reportOrder = append(reportOrder, r.Slug)
		if r.Round != "" {
			rounds[r.Round], _ = followup.Localized(v.Lang, r.Round, r.RoundFR)
		}
	}
	chosen := map[string]string{"report": q.Report, "round": q.Round, "category": string(q.Category), "article": q.Article,
		"party": q.Party, "status": q.Status}
	if q.Open != nil {
		chosen["open"] = strconv.FormatBool(*q.Open)
	}
	if q.Overdue != nil {
		chosen["overdue"] = strconv.FormatBool(*q.Overdue)
	}
	group := func(name, title string, counts map[string]int, order []string, label func(string) string) {
		g := facetGroup{Name: name, Title: title}
		for _, k := range order {
			n, ok := counts[k]
			if !ok && chosen[name] != k {
				continue
			}
			fv := facetValue{Label: label(k), Count: n, Chosen: chosen[name] == k}
			if fv.Chosen {
				fv.Href = hrefOf(path, withParam(base, name, ""))
				d.Chosen = append(d.Chosen, facetValue{Label: v.T("search.chosen_filter", title, fv.Label), Href: fv.Href})
			} else {
				fv.Href = hrefOf(path, withParam(base, name, k))
			}
			g.Values = append(g.Values, fv)
		}
		if len(g.Values) > 0 {
			d.Facets = append(d.Facets, g)
		}
	}
	keys := func(m map[string]int) []string {
		out := make([]string, 0, len(m))
		for k := range m {
			out = append(out, k)
		}
		return out
	}
	f := page.Facets
	group("report", v.T("label.report"), f.Report, reportOrder, func(k string) string {
		if t, ok := d.Short[k]; ok {
			return t
		}
		return k
	})
	roundKeys := keys(f.Round)
	i18n.SortByName(v.Lang, roundKeys, func(k string) string { return rounds[k] })
	group("round", v.T("report.field.round"), f.Round, roundKeys, func(k string) string {
		if r, ok := rounds[k]; ok {
			return r
		}
		return k
	})
	var cats []string
	for _, c := range followup.Categories {
		cats = append(cats, string(c))
	}
	group("category", v.T("label.category"), f.Category, cats, func(k string) string { return v.T("category." + k) })
	arts := keys(f.Article)
	sort.Slice(arts, func(i, j int) bool { return i18n.CompareLabels(arts[i], arts[j]) < 0 })
	group("article", v.T("search.article"), f.Article, arts, func(k string) string { return v.T("search.article_n", k) })
	parties := keys(f.Party)
	i18n.SortByName(v.Lang, parties, v.Party)
	group("party", v.T("label.party"), f.Party, parties, v.Party)
	group("status", v.T("search.status"), f.Status, followup.CountKeys, func(k string) string { return v.T("status." + k) })
	group("open", v.T("search.open"), f.Open, []string{"true", "false"}, func(k string) string { return v.T("search.open." + k) })
	group("overdue", v.T("search.overdue"), f.Overdue, []string{"true", "false"}, func(k string) string { return v.T("search.overdue." + k) })

	for _, so := range followup.SearchSorts {
		d.Sorts[string(so)] = sortColumn{Title: v.T("search.sort." + string(so)), Href: hrefOf(path, withParam(base, "sort", string(so))), Sorted: q.Sort == so}
	}
	d.Hidden = withParam(withParam(base, "q", ""), "sort", "")
	offset, _ := q.Offset()
	if len(page.Items) > 0 {
		d.First, d.Last = offset+1, offset+len(page.Items)
	}
	if page.NextCursor != nil {
		d.Next = hrefOf(path, withParam(base, "cursor", *page.NextCursor))
	}
	if offset > 0 {
		prev := ""
		if p := offset - q.Limit; p > 0 {
			prev = followup.SearchCursor(p)
		}
		d.Previous = hrefOf(path, withParam(base, "cursor", prev))
	}
	dl := withParam(base, "lang", v.Lang)
	d.Downloads["csv"] = hrefOf("/api/v1/recommendations.csv", dl)
	d.Downloads["xlsx"] = hrefOf("/api/v1/recommendations.xlsx", dl)
	return d
}

// pageSearch is the public search page: the search box, the facets with their counts, the
// results with the matching words marked, sortable, paged, and downloads of the view.
func (s *Server) pageSearch(c *gin.Context) error {
	ctx := c.Request.Context()
	v := s.newView(c, "search.title", nil)
	q, err := searchQueryFrom(c.Request.URL.Query())
	status := http.StatusOK
	if err != nil {
		if followup.ErrorCode(err) != followup.EInvalid {
			return err
		}
		// A bad parameter: every recommendation, with the message next to the search box.
		v.formError("search", c.Request.URL.Query(), err)
		if f := followup.ErrorField(err); f != "" && f != "q" {
			// The other parameters come from links and have no field on the page to be
			// marked: the alert itself says what is wrong.
			v.Alert = v.Errors[f]
		}
		status = http.StatusUnprocessableEntity
		q = followup.RecommendationQuery{}
		_ = q.Validate()
	}
	page, err := s.svc.Reports.SearchRecommendations(ctx, q)
	if err != nil {
		return err
	}
	reports, err := s.svc.Reports.ListReports(ctx, false)
	if err != nil {
		return err
	}
	v.Data = v.buildSearchPage("/recommendations", q, page, reports)
	return s.render(c, status, "search", v)
}

// pageArticle lists every recommendation citing an article of the Convention, across reports,
// with its adopted outcomes.
func (s *Server) pageArticle(c *gin.Context) error {
	ctx := c.Request.Context()
	n := c.Param("n")
	q := followup.RecommendationQuery{Article: n, Sort: followup.SortReport}
	if err := q.Validate(); err != nil {
		return followup.Errorf(followup.ENotFound, "%q is not an article of the Convention", n)
	}
	hits, err := s.allHits(c, q)
	if err != nil {
		return err
	}
	reports, err := s.svc.Reports.ListReports(ctx, false)
	if err != nil {
		return err
	}
	v := s.newView(c, "article.title", nil)
	v.Title = v.T("article.heading", n)
	d := v.buildSearchPage("/recommendations", q, followup.SearchPage{Items: hits, Total: len(hits), Facets: followup.NewFacets()}, reports)
	d.Article = n
	d.Outcomes = map[string]*followup.RecommendationTally{}
	done := map[string]bool{}
	for _, h := range hits {
		if done[h.Report] {
			continue
		}
		done[h.Report] = true
		comp, err := s.svc.Compliance.ReportCompliance(ctx, h.Report, followup.ComplianceQuery{})
		if err != nil {
			return err
		}
		for _, t := range comp.ByRecommendation {
			d.Outcomes[h.Report+"/"+t.Label] = t
		}
	}
	v.Data = d
	return s.render(c, http.StatusOK, "article", v)
}
