package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

func (s *Server) compliance(c *gin.Context) error {
	asOf, err := asOfParam(c.Query("as_of"), s.today())
	if err != nil {
		return err
	}
	q := followup.ComplianceQuery{AsOf: asOf, Basis: followup.Basis(c.Query("basis"))}
	ctx, slug := c.Request.Context(), c.Param("slug")
	if query := c.Request.URL.Query(); query.Has("category") || query.Has("party") {
		// A part of the report: its figures are rebuilt from the cells of the selection.
		report, err := s.svc.Reports.FindReport(ctx, slug)
		if err != nil {
			return err
		}
		category, parties, err := selectionParams(query, report)
		if err != nil {
			return err
		}
		out, err := s.svc.Compliance.ReportCompliance(ctx, slug, q)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, out.Select(category, parties))
		return nil
	}
	// The same bytes c.JSON would write, encoded once per version of the data.
	body, err := s.cache.ReportComplianceJSON(ctx, slug, q)
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
	return nil
}
