package server

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

func (s *Server) listRecommendations(c *gin.Context) error {
	archived, err := boolQuery(c, "archived")
	if err != nil {
		return err
	}
	recs, err := s.svc.Reports.ListRecommendations(c.Request.Context(), c.Param("slug"), archived != nil && *archived)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, recs)
	return nil
}

func (s *Server) getRecommendation(c *gin.Context) error {
	r, err := s.svc.Reports.FindRecommendation(c.Request.Context(), c.Param("slug"), c.Param("label"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, r)
	return nil
}

type recommendationRequest struct {
	Label       string   `json:"label"`
	Category    string   `json:"category"`
	Text        string   `json:"text"`
	TextFR      string   `json:"text_fr"`
	URL         string   `json:"url"`
	Source      string   `json:"source"`
	Articles    []string `json:"articles"`
	AddressedTo []string `json:"addressed_to"`
	DueOn       string   `json:"due_on"`
}

func (s *Server) createRecommendation(c *gin.Context) error {
	var req recommendationRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	due, err := dateField("due_on", req.DueOn)
	if err != nil {
		return err
	}
	in := followup.RecommendationInput{Label: req.Label, Category: followup.Category(req.Category), Text: req.Text,
		TextFR: req.TextFR, URL: req.URL, Source: req.Source, Articles: req.Articles, AddressedTo: req.AddressedTo, DueOn: due}
	r, err := s.svc.Reports.CreateRecommendation(c.Request.Context(), c.Param("slug"), in)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/reports/"+r.Report+"/recommendations/"+url.PathEscape(r.Label))
	c.JSON(http.StatusCreated, r)
	return nil
}

type recommendationPatchRequest struct {
	Category    *string   `json:"category"`
	Text        *string   `json:"text"`
	TextFR      *string   `json:"text_fr"`
	URL         *string   `json:"url"`
	Source      *string   `json:"source"`
	Articles    *[]string `json:"articles"`
	AddressedTo *[]string `json:"addressed_to"`
	DueOn       *string   `json:"due_on"`
	Archived    *bool     `json:"archived"`
}

func (s *Server) updateRecommendation(c *gin.Context) error {
	var req recommendationPatchRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	p := followup.RecommendationPatch{Text: req.Text, TextFR: req.TextFR, URL: req.URL, Source: req.Source,
		Articles: req.Articles, AddressedTo: req.AddressedTo, Archived: req.Archived}
	if req.Category != nil {
		cat := followup.Category(*req.Category)
		p.Category = &cat
	}
	var err error
	if p.DueOn, err = datePatch("due_on", req.DueOn); err != nil {
		return err
	}
	r, err := s.svc.Reports.UpdateRecommendation(c.Request.Context(), c.Param("slug"), c.Param("label"), p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, r)
	return nil
}
