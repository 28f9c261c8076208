package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

type submissionRequest struct {
	Text           string `json:"text"`
	SubmittedOn    string `json:"submitted_on"`
	Draft          bool   `json:"draft"`
	AnswersRequest int64  `json:"answers_request"`
}

// createSubmission takes a JSON body, or a multipart form with the same fields and the files
// in "files" (evidence.go).
func (s *Server) createSubmission(c *gin.Context) error {
	var in followup.SubmissionInput
	if isMultipart(c) {
		u, err := s.readUploadForm(c)
		defer u.close()
		if err != nil {
			return err
		}
		if in, err = submissionFromForm(u.fields); err != nil {
			return err
		}
		in.Files = u.files
	} else {
		var req submissionRequest
		if err := decodeJSON(c, &req, false); err != nil {
			return err
		}
		on, err := dateField("submitted_on", req.SubmittedOn)
		if err != nil {
			return err
		}
		in = followup.SubmissionInput{Text: req.Text, SubmittedOn: on, Draft: req.Draft, AnswersRequest: req.AnswersRequest}
	}
	sub, err := s.svc.FollowUps.CreateSubmission(c.Request.Context(), followUpKey(c), in)
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
