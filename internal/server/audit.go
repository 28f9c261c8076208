package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

func (s *Server) listAudit(c *gin.Context) error {
	f := followup.AuditFilter{Entity: c.Query("entity"), Actor: c.Query("actor")}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return followup.Invalid("limit", "%q is not a number between 1 and 1000", v)
		}
		f.Limit = n
	}
	entries, err := s.svc.Audit.ListAudit(c.Request.Context(), f)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, entries)
	return nil
}
