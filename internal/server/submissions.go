package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

type submissionRequest struct {
	Text        string `json:"text"`
	SubmittedOn string `json:"submitted_on"`
	Draft       bool   `json:"draft"`
}

func (s *Server) createSubmission(c *gin.Context) error {
	var req submissionRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	on, err := dateField("submitted_on", req.SubmittedOn)
	if err != nil {
		return err
	}
	sub, err := s.svc.FollowUps.CreateSubmission(c.Request.Context(), followUpKey(c),
		followup.SubmissionInput{Text: req.Text, SubmittedOn: on, Draft: req.Draft})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, sub)
	return nil
}

type submissionPatchRequest struct {
	Text        *string `json:"text"`
	SubmittedOn *string `json:"submitted_on"`
	Draft       *bool   `json:"draft"`
}

func (s *Server) updateSubmission(c *gin.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return followup.Errorf(followup.ENotFound, "no submission %q", c.Param("id"))
	}
	var req submissionPatchRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	p := followup.SubmissionPatch{Text: req.Text, Draft: req.Draft}
	if p.SubmittedOn, err = datePatch("submitted_on", req.SubmittedOn); err != nil {
		return err
	}
	sub, err := s.svc.FollowUps.UpdateSubmission(c.Request.Context(), followUpKey(c), id, p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, sub)
	return nil
}
