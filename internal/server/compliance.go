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
	if enc, ok := s.svc.Compliance.(complianceEncoder); ok { // the same bytes, encoded once (compliance_json.go)
		body, err := enc.ReportComplianceJSON(ctx, slug, q)
		if err != nil {
			return err
		}
		c.Data(http.StatusOK, "application/json; charset=utf-8", body)
		return nil
	}
	out, err := s.svc.Compliance.ReportCompliance(ctx, slug, q)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}
