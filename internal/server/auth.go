package server

import (
	"strings"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// authenticate puts the actor of the request into its context: the user of a bearer token,
// else the user of the web session, or the anonymous public when there is neither. A bad
// token is refused rather than treated as anonymous, so that a client with an expired token
// learns it at once.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		header := c.GetHeader("Authorization")
		if header == "" {
			// A browser: the user of the session, if any. The user is looked up on every
			// request so that a deactivated account loses its sessions at once.
			if actor, ok := s.sessionActor(c); ok {
				c.Request = c.Request.WithContext(followup.WithActor(c.Request.Context(), actor))
			}
			c.Next()
			return
		}
		scheme, token, ok := strings.Cut(header, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			s.writeError(c, followup.Errorf(followup.EUnauthorized, "the Authorization header must be \"Bearer TOKEN\""))
			c.Abort()
			return
		}
		actor, err := s.svc.Users.AuthenticateToken(c.Request.Context(), strings.TrimSpace(token))
		if err != nil {
			s.writeError(c, err)
			c.Abort()
			return
		}
		c.Request = c.Request.WithContext(followup.WithActor(c.Request.Context(), actor))
		c.Next()
	}
}
