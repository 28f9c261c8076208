package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

type assessmentRequest struct {
	Status     string `json:"status"`
	Comment    string `json:"comment"`
	CommentFR  string `json:"comment_fr"`
	Source     string `json:"source"`
	AssessedOn string `json:"assessed_on"`
}

func (s *Server) createAssessment(c *gin.Context) error {
	var req assessmentRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	on, err := dateField("assessed_on", req.AssessedOn)
	if err != nil {
		return err
	}
	a, err := s.svc.FollowUps.CreateAssessment(c.Request.Context(), followUpKey(c),
		followup.AssessmentInput{Status: followup.Status(req.Status), Comment: req.Comment, CommentFR: req.CommentFR,
			Source: req.Source, AssessedOn: on})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, a)
	return nil
}
