package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

func (s *Server) compliance(c *gin.Context) error {
	asOf, err := dateField("as_of", c.Query("as_of"))
	if err != nil {
		return err
	}
	q := followup.ComplianceQuery{AsOf: asOf, Basis: followup.Basis(c.Query("basis"))}
	if enc, ok := s.svc.Compliance.(complianceEncoder); ok { // the same bytes, encoded once (compliance_json.go)
		body, err := enc.ReportComplianceJSON(c.Request.Context(), c.Param("slug"), q)
		if err != nil {
			return err
		}
		c.Data(http.StatusOK, "application/json; charset=utf-8", body)
		return nil
	}
	out, err := s.svc.Compliance.ReportCompliance(c.Request.Context(), c.Param("slug"), q)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}
