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
	// The same bytes c.JSON would write, encoded once per version of the data.
	body, err := s.cache.ReportComplianceJSON(c.Request.Context(), c.Param("slug"), q)
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
	return nil
}
