package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// httpError is an error that belongs to HTTP itself rather than to the domain (405).
type httpError struct {
	status  int
	code    string
	message string
}

func (e *httpError) Error() string { return e.message }

var statusOf = map[string]int{
	followup.EBadRequest:   http.StatusBadRequest,
	followup.EUnauthorized: http.StatusUnauthorized,
	followup.EForbidden:    http.StatusForbidden,
	followup.ENotFound:     http.StatusNotFound,
	followup.EConflict:     http.StatusConflict,
	followup.ETooLarge:     http.StatusRequestEntityTooLarge,
	followup.EInvalid:      http.StatusUnprocessableEntity,
	followup.EInternal:     http.StatusInternalServerError,
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// writeError is the one place where errors become responses. Internal errors are logged with
// their detail and shown to the client without it.
func (s *Server) writeError(c *gin.Context, err error) {
	var he *httpError
	if errors.As(err, &he) {
		c.JSON(he.status, gin.H{"error": errorBody{Code: he.code, Message: he.message}})
		return
	}
	code := followup.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="followup"`)
	}
	c.JSON(status, gin.H{"error": errorBody{Code: code, Message: followup.ErrorMessage(err), Field: followup.ErrorField(err)}})
}
