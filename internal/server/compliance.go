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
	out, err := s.svc.Compliance.ReportCompliance(c.Request.Context(), c.Param("slug"),
		followup.ComplianceQuery{AsOf: asOf, Basis: followup.Basis(c.Query("basis"))})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}
