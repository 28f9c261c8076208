package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
	"followup/internal/i18n"
)

// The Secretariat's pages: the dashboard (what is ready to adopt), the report and
// recommendation forms.

func requireManager(c *gin.Context) (followup.Actor, error) {
	actor := followup.ActorFrom(c.Request.Context())
	return actor, actor.Require(actor.CanManage(), "manage reports")
}

type manageRow struct {
	Report followup.Report
	Ready  int // assessments not yet adopted
}

// managePageData is the data of the Secretariat's dashboard.
type managePageData struct {
	Rows []manageRow
}

func (s *Server) pageManage(c *gin.Context) error {
	if _, err := requireManager(c); err != nil {
		return err
	}
	ctx := c.Request.Context()
	reports, err := s.svc.Reports.ListReports(ctx, true)
	if err != nil {
		return err
	}
	var rows []manageRow
	for _, r := range reports {
		row := manageRow{Report: r}
		if !r.Archived {
			ready, err := s.allFollowUps(ctx, followup.FollowUpFilter{Report: r.Slug, State: followup.Assessed})
			if err != nil {
				return err
			}
			row.Ready = len(ready)
		}
		rows = append(rows, row)
	}
	v := s.newView(c, "manage.title", &managePageData{Rows: rows})
	return s.render(c, http.StatusOK, "manage", v)
}

type reportFormData struct {
	New     bool
	Report  followup.Report
	Parties []followup.Party
	Action  string
	AllMode bool // the Parties are "every Party that had joined by the adoption date"
}

func (s *Server) reportForm(c *gin.Context, d *reportFormData) (*view, error) {
	ps, err := s.svc.Parties.ListParties(c.Request.Context())
	if err != nil {
		return nil, err
	}
	d.Parties = ps
	title := "report_form.title_new"
	if !d.New {
		title = "report_form.title_edit"
	}
	v := s.newView(c, title, d)
	i18n.SortByName(v.Lang, d.Parties, func(p followup.Party) string { return p.Name(v.Lang) })
	return v, nil
}

func (s *Server) pageReportNew(c *gin.Context) error {
	if _, err := requireManager(c); err != nil {
		return err
	}
	v, err := s.reportForm(c, &reportFormData{New: true, Action: "/manage/reports", AllMode: true})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "report_form", v)
}

// reportInputFrom reads the report form into a new report's input. The date fields and the
// choice of "some Parties" with none ticked are checked here, the rest by the domain.
func reportInputFrom(form url.Values) (followup.ReportInput, error) {
	in := followup.ReportInput{Slug: form.Get("slug"), Title: form.Get("title"), TitleFR: form.Get("title_fr"),
		Kind: followup.ReportKind(form.Get("kind")), Round: form.Get("round"), RoundFR: form.Get("round_fr"), DocRef: form.Get("doc_ref")}
	if form.Get("parties_mode") == "some" {
		in.Parties = form["parties"]
		if len(in.Parties) == 0 {
			return in, followup.Invalid("parties", "choose at least one Party, or every Party")
		}
	}
	var err error
	if in.AdoptedOn, err = dateField("adopted_on", form.Get("adopted_on")); err != nil {
		return in, err
	}
	in.FollowupDueOn, err = dateField("followup_due_on", form.Get("followup_due_on"))
	return in, err
}

// reportPatchFrom reads the edit form of a report into a patch of every field it shows.
func reportPatchFrom(form url.Values) (followup.ReportPatch, error) {
	title, titleFR, round, roundFR, docRef := form.Get("title"), form.Get("title_fr"), form.Get("round"), form.Get("round_fr"), form.Get("doc_ref")
	kind := followup.ReportKind(form.Get("kind"))
	parties := form["parties"]
	if parties == nil {
		parties = []string{}
	}
	archived := form.Get("archived") == "on"
	p := followup.ReportPatch{Title: &title, TitleFR: &titleFR, Kind: &kind, Round: &round, RoundFR: &roundFR, DocRef: &docRef,
		Parties: &parties, Archived: &archived}
	var err error
	if p.AdoptedOn, err = datePatch("adopted_on", ptr(form.Get("adopted_on"))); err != nil {
		return p, err
	}
	p.FollowupDueOn, err = datePatch("followup_due_on", ptr(form.Get("followup_due_on")))
	return p, err
}

// formAnswer answers a posted form: a 303 to next when err is nil; when err is a bad value,
// the form's page again (again builds it) with 422 and the message next to its field; any
// other error goes to the error page. A conflict on conflictField (a slug or label taken) is
// told next to that field.
func (s *Server) formAnswer(c *gin.Context, err error, formID string, values url.Values, conflictField string,
	again func() (*view, string, error), next func() string) error {
	if err == nil {
		return redirect(c, next())
	}
	if conflictField != "" && followup.ErrorCode(err) == followup.EConflict {
		err = followup.Invalid(conflictField, "%s", followup.ErrorMessage(err))
	}
	if followup.ErrorCode(err) != followup.EInvalid {
		return err
	}
	v, page, verr := again()
	if verr != nil {
		return verr
	}
	v.formError(formID, values, err)
	return s.render(c, http.StatusUnprocessableEntity, page, v)
}

func (s *Server) postReportNew(c *gin.Context) error {
	if _, err := requireManager(c); err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	in, err := reportInputFrom(form)
	var r followup.Report
	if err == nil {
		r, err = s.svc.Reports.CreateReport(c.Request.Context(), in)
	}
	return s.formAnswer(c, err, "report", form, "slug", func() (*view, string, error) {
		v, err := s.reportForm(c, &reportFormData{New: true, Action: "/manage/reports", AllMode: form.Get("parties_mode") != "some"})
		return v, "report_form", err
	}, func() string {
		s.flash(c, "flash.report_created", r.Title)
		return "/reports/" + url.PathEscape(r.Slug)
	})
}

// reportToManage checks that the user manages reports and returns the report of the path.
func (s *Server) reportToManage(c *gin.Context) (followup.Report, error) {
	if _, err := requireManager(c); err != nil {
		return followup.Report{}, err
	}
	return s.svc.Reports.FindReport(c.Request.Context(), c.Param("slug"))
}

func (s *Server) pageReportEdit(c *gin.Context) error {
	r, err := s.reportToManage(c)
	if err != nil {
		return err
	}
	v, err := s.reportForm(c, &reportFormData{Report: r, Action: "/manage/reports/" + url.PathEscape(r.Slug) + "/edit"})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "report_form", v)
}

func (s *Server) postReportEdit(c *gin.Context) error {
	r, err := s.reportToManage(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	p, err := reportPatchFrom(form)
	saved := r
	if err == nil {
		saved, err = s.svc.Reports.UpdateReport(c.Request.Context(), r.Slug, p)
	}
	return s.formAnswer(c, err, "report", form, "", func() (*view, string, error) {
		v, err := s.reportForm(c, &reportFormData{Report: r, Action: "/manage/reports/" + url.PathEscape(r.Slug) + "/edit"})
		return v, "report_form", err
	}, func() string {
		s.flash(c, "flash.report_saved", saved.Title)
		return "/reports/" + url.PathEscape(saved.Slug)
	})
}

type recFormData struct {
	New     bool
	Report  followup.Report
	Rec     followup.Recommendation
	Action  string
	AllMode bool
	Parties []string // the report's Parties, by name
}

func (s *Server) recForm(c *gin.Context, d *recFormData) *view {
	title := "recommendation_form.title_new"
	if !d.New {
		title = "recommendation_form.title_edit"
	}
	v := s.newView(c, title, d)
	d.Parties = append([]string(nil), d.Report.Parties...)
	i18n.SortByName(v.Lang, d.Parties, v.Party)
	return v
}

// splitArticles reads "18, 23 ,24" as a list.
func splitArticles(s string) []string {
	var out []string
	for _, a := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		out = append(out, a)
	}
	return out
}

func (s *Server) pageRecommendationNew(c *gin.Context) error {
	r, err := s.reportToManage(c)
	if err != nil {
		return err
	}
	v := s.recForm(c, &recFormData{New: true, Report: r, AllMode: true,
		Action: "/manage/reports/" + url.PathEscape(r.Slug) + "/recommendations"})
	return s.render(c, http.StatusOK, "recommendation_form", v)
}

// recommendationInputFrom reads the form of a new recommendation.
func recommendationInputFrom(form url.Values) (followup.RecommendationInput, error) {
	in := followup.RecommendationInput{Label: strings.TrimSpace(form.Get("label")), Category: followup.Category(form.Get("category")),
		Text: form.Get("text"), TextFR: form.Get("text_fr"), Articles: splitArticles(form.Get("articles"))}
	if form.Get("addressees_mode") == "some" {
		in.AddressedTo = form["addressed_to"]
		if len(in.AddressedTo) == 0 {
			return in, followup.Invalid("addressed_to", "choose at least one Party, or every Party the report covers")
		}
	}
	var err error
	in.DueOn, err = dateField("due_on", form.Get("due_on"))
	return in, err
}

// recommendationPatchFrom reads the edit form of a recommendation into a patch of every field
// it shows.
func recommendationPatchFrom(form url.Values) (followup.RecommendationPatch, error) {
	cat := followup.Category(form.Get("category"))
	text, textFR := form.Get("text"), form.Get("text_fr")
	arts := splitArticles(form.Get("articles"))
	if arts == nil {
		arts = []string{}
	}
	addr := []string{}
	archived := form.Get("archived") == "on"
	p := followup.RecommendationPatch{Category: &cat, Text: &text, TextFR: &textFR, Articles: &arts, AddressedTo: &addr, Archived: &archived}
	if form.Get("addressees_mode") == "some" {
		addr = form["addressed_to"]
		if len(addr) == 0 {
			return p, followup.Invalid("addressed_to", "choose at least one Party, or every Party the report covers")
		}
		p.AddressedTo = &addr
	}
	var err error
	p.DueOn, err = datePatch("due_on", ptr(form.Get("due_on")))
	return p, err
}

func (s *Server) postRecommendationNew(c *gin.Context) error {
	r, err := s.reportToManage(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	in, err := recommendationInputFrom(form)
	var rec followup.Recommendation
	if err == nil {
		rec, err = s.svc.Reports.CreateRecommendation(c.Request.Context(), r.Slug, in)
	}
	return s.formAnswer(c, err, "rec", form, "label", func() (*view, string, error) {
		return s.recForm(c, &recFormData{New: true, Report: r, AllMode: form.Get("addressees_mode") != "some",
			Action: "/manage/reports/" + url.PathEscape(r.Slug) + "/recommendations"}), "recommendation_form", nil
	}, func() string {
		s.flash(c, "flash.recommendation_created", rec.Label)
		return "/reports/" + url.PathEscape(r.Slug) + "/recommendations/" + url.PathEscape(rec.Label)
	})
}

func (s *Server) pageRecommendationEdit(c *gin.Context) error {
	r, err := s.reportToManage(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	rec, err := s.svc.Reports.FindRecommendation(ctx, r.Slug, c.Param("label"))
	if err != nil {
		return err
	}
	v := s.recForm(c, &recFormData{Report: r, Rec: rec, AllMode: len(rec.AddressedTo) == 0,
		Action: "/manage/reports/" + url.PathEscape(r.Slug) + "/recommendations/" + url.PathEscape(rec.Label) + "/edit"})
	return s.render(c, http.StatusOK, "recommendation_form", v)
}

func (s *Server) postRecommendationEdit(c *gin.Context) error {
	r, err := s.reportToManage(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	rec, err := s.svc.Reports.FindRecommendation(ctx, r.Slug, c.Param("label"))
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	p, err := recommendationPatchFrom(form)
	saved := rec
	if err == nil {
		saved, err = s.svc.Reports.UpdateRecommendation(ctx, r.Slug, rec.Label, p)
	}
	return s.formAnswer(c, err, "rec", form, "", func() (*view, string, error) {
		return s.recForm(c, &recFormData{Report: r, Rec: rec, AllMode: form.Get("addressees_mode") != "some",
			Action: "/manage/reports/" + url.PathEscape(r.Slug) + "/recommendations/" + url.PathEscape(rec.Label) + "/edit"}), "recommendation_form", nil
	}, func() string {
		s.flash(c, "flash.recommendation_saved", saved.Label)
		return "/reports/" + url.PathEscape(r.Slug) + "/recommendations/" + url.PathEscape(saved.Label)
	})
}

// postReportPublish publishes a draft report from its page: from then on the public and the
// Parties see it.
func (s *Server) postReportPublish(c *gin.Context) error {
	if _, err := requireManager(c); err != nil {
		return err
	}
	r, err := s.svc.Reports.PublishReport(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	s.flash(c, "flash.report_published", r.Title)
	return redirect(c, "/reports/"+url.PathEscape(r.Slug))
}
