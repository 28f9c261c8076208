package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

func (s *Server) listFollowUps(c *gin.Context) error {
	f := followup.FollowUpFilter{Report: c.Query("report"), Party: c.Query("party"),
		Category: followup.Category(c.Query("category")), State: followup.State(c.Query("state")), Cursor: c.Query("cursor")}
	var err error
	if f.Open, err = boolQuery(c, "open"); err != nil {
		return err
	}
	if f.Overdue, err = boolQuery(c, "overdue"); err != nil {
		return err
	}
	if v := c.Query("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 {
			return followup.Invalid("limit", "%q is not a page size between 1 and 1000", v)
		}
	}
	page, err := s.svc.FollowUps.ListFollowUps(c.Request.Context(), f)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, page)
	return nil
}

func (s *Server) getFollowUp(c *gin.Context) error {
	f, err := s.svc.FollowUps.FindFollowUp(c.Request.Context(), followUpKey(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, f)
	return nil
}

func (s *Server) followUpHistory(c *gin.Context) error {
	entries, err := s.svc.FollowUps.FollowUpHistory(c.Request.Context(), followUpKey(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, entries)
	return nil
}
