package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

func (s *Server) listReports(c *gin.Context) error {
	archived, err := boolQuery(c, "archived")
	if err != nil {
		return err
	}
	reports, err := s.svc.Reports.ListReports(c.Request.Context(), archived != nil && *archived)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, reports)
	return nil
}

func (s *Server) getReport(c *gin.Context) error {
	r, err := s.svc.Reports.FindReport(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, r)
	return nil
}

type reportRequest struct {
	Slug          string   `json:"slug"`
	Title         string   `json:"title"`
	TitleFR       string   `json:"title_fr"`
	Kind          string   `json:"kind"`
	Round         string   `json:"round"`
	RoundFR       string   `json:"round_fr"`
	DocRef        string   `json:"doc_ref"`
	URL           string   `json:"url"`
	Source        string   `json:"source"`
	AdoptedOn     string   `json:"adopted_on"`
	FollowupDueOn string   `json:"followup_due_on"`
	Parties       []string `json:"parties"`
}

func (s *Server) createReport(c *gin.Context) error {
	var req reportRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	in := followup.ReportInput{Slug: req.Slug, Title: req.Title, TitleFR: req.TitleFR, Kind: followup.ReportKind(req.Kind),
		Round: req.Round, RoundFR: req.RoundFR, DocRef: req.DocRef, URL: req.URL, Source: req.Source, Parties: req.Parties}
	var err error
	if in.AdoptedOn, err = dateField("adopted_on", req.AdoptedOn); err != nil {
		return err
	}
	if in.FollowupDueOn, err = dateField("followup_due_on", req.FollowupDueOn); err != nil {
		return err
	}
	r, err := s.svc.Reports.CreateReport(c.Request.Context(), in)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/reports/"+r.Slug)
	c.JSON(http.StatusCreated, r)
	return nil
}

type reportPatchRequest struct {
	Title         *string   `json:"title"`
	TitleFR       *string   `json:"title_fr"`
	Kind          *string   `json:"kind"`
	Round         *string   `json:"round"`
	RoundFR       *string   `json:"round_fr"`
	DocRef        *string   `json:"doc_ref"`
	URL           *string   `json:"url"`
	Source        *string   `json:"source"`
	AdoptedOn     *string   `json:"adopted_on"`
	FollowupDueOn *string   `json:"followup_due_on"`
	Parties       *[]string `json:"parties"`
	Archived      *bool     `json:"archived"`
}

func (s *Server) updateReport(c *gin.Context) error {
	var req reportPatchRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	p := followup.ReportPatch{Title: req.Title, TitleFR: req.TitleFR, Round: req.Round, RoundFR: req.RoundFR, DocRef: req.DocRef,
		URL: req.URL, Source: req.Source, Parties: req.Parties, Archived: req.Archived}
	if req.Kind != nil {
		k := followup.ReportKind(*req.Kind)
		p.Kind = &k
	}
	var err error
	if p.AdoptedOn, err = datePatch("adopted_on", req.AdoptedOn); err != nil {
		return err
	}
	if p.FollowupDueOn, err = datePatch("followup_due_on", req.FollowupDueOn); err != nil {
		return err
	}
	r, err := s.svc.Reports.UpdateReport(c.Request.Context(), c.Param("slug"), p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, r)
	return nil
}

// publishReport makes a draft report public (secretariat and admin).
func (s *Server) publishReport(c *gin.Context) error {
	r, err := s.svc.Reports.PublishReport(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, r)
	return nil
}
