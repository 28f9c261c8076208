package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

type adoptRequest struct {
	AdoptedOn string   `json:"adopted_on"`
	Labels    []string `json:"labels"` // none: every recommendation of the report
	NextDueOn string   `json:"next_due_on"`
}

func (s *Server) adopt(c *gin.Context) error {
	var req adoptRequest
	if err := decodeJSON(c, &req, true); err != nil {
		return err
	}
	on, err := dateField("adopted_on", req.AdoptedOn)
	if err != nil {
		return err
	}
	next, err := dateField("next_due_on", req.NextDueOn)
	if err != nil {
		return err
	}
	n, err := s.svc.FollowUps.Adopt(c.Request.Context(), c.Param("slug"), followup.AdoptionInput{AdoptedOn: on, Labels: req.Labels, NextDueOn: next})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"adopted": n})
	return nil
}
