package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

type meResponse struct {
	Email string        `json:"email"`
	Name  string        `json:"name"`
	Role  followup.Role `json:"role"`
	Party *string       `json:"party"`
}

func (s *Server) me(c *gin.Context) error {
	actor := followup.ActorFrom(c.Request.Context())
	if actor.Anonymous() {
		return followup.Errorf(followup.EUnauthorized, "sign in to see who you are")
	}
	out := meResponse{Email: actor.Email, Name: actor.Name, Role: actor.Role}
	if actor.Party != "" {
		out.Party = &actor.Party
	}
	c.JSON(http.StatusOK, out)
	return nil
}
