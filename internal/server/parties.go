package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

func (s *Server) listParties(c *gin.Context) error {
	parties, err := s.svc.Parties.ListParties(c.Request.Context())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, parties)
	return nil
}

func (s *Server) getParty(c *gin.Context) error {
	p, err := s.svc.Parties.FindParty(c.Request.Context(), c.Param("code"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, p)
	return nil
}

type partyRequest struct {
	Code     string `json:"code"`
	NameEN   string `json:"name_en"`
	NameFR   string `json:"name_fr"`
	JoinedOn string `json:"joined_on"`
}

func (s *Server) createParty(c *gin.Context) error {
	var req partyRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	joined, err := dateField("joined_on", req.JoinedOn)
	if err != nil {
		return err
	}
	p, err := s.svc.Parties.CreateParty(c.Request.Context(), followup.Party{Code: req.Code, NameEN: req.NameEN, NameFR: req.NameFR, JoinedOn: joined})
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/parties/"+p.Code)
	c.JSON(http.StatusCreated, p)
	return nil
}
