package server

import (
	"math"
	"strconv"

	"github.com/gin-gonic/gin"
)

// passwordAttempt asks the sign-in throttle (followup.LoginThrottle, kept in the database and
// so shared by every replica) whether a password of the account may be checked for this
// request, which counts the attempt. When a limit is reached it sets Retry-After and returns
// the wait in whole minutes, for the message; otherwise zero.
func (s *Server) passwordAttempt(c *gin.Context, email string) (minutes int, err error) {
	wait, err := s.svc.Throttle.LoginAttempt(c.Request.Context(), email, c.ClientIP(), s.clock.Now())
	if err != nil || wait <= 0 {
		return 0, err
	}
	c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return int(math.Ceil(wait.Minutes())), nil
}

// passwordRight forgets the failures of the account from the client's address, once its
// password was right.
func (s *Server) passwordRight(c *gin.Context, email string) error {
	return s.svc.Throttle.ClearLoginFailures(c.Request.Context(), email, c.ClientIP())
}
