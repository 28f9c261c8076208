package server

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// httpError is an error that belongs to HTTP itself rather than to the domain (405, 429).
type httpError struct {
	status     int
	code       string
	message    string
	retryAfter time.Duration // sent as Retry-After when positive
}

func (e *httpError) Error() string { return e.message }

var statusOf = map[string]int{
	followup.EBadRequest:       http.StatusBadRequest,
	followup.EUnauthorized:     http.StatusUnauthorized,
	followup.EForbidden:        http.StatusForbidden,
	followup.ENotFound:         http.StatusNotFound,
	followup.EConflict:         http.StatusConflict,
	followup.ETooLarge:         http.StatusRequestEntityTooLarge,
	followup.EInvalid:          http.StatusUnprocessableEntity,
	followup.EUnsupportedMedia: http.StatusUnsupportedMediaType,
	followup.EInternal:         http.StatusInternalServerError,
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
	if errors.As(err, &he) && he.retryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(he.retryAfter.Seconds()))))
	}
	if !isAPI(c) && s.web != nil {
		s.writeErrorPage(c, err)
		return
	}
	if he != nil {
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

// errorStatus returns the status code of an error.
func errorStatus(err error) int {
	var he *httpError
	if errors.As(err, &he) {
		return he.status
	}
	if status, ok := statusOf[followup.ErrorCode(err)]; ok {
		return status
	}
	return http.StatusInternalServerError
}

// errorPageData is the data of the error page.
type errorPageData struct {
	Status int    // the HTTP status, which picks the page's text
	Detail string // what the reader can act on (a bad value's message), or ""
}

// writeErrorPage answers a page request that failed: the anonymous are sent to sign in (a GET
// comes back to its page afterwards), everyone else gets an error page in their language.
func (s *Server) writeErrorPage(c *gin.Context, err error) {
	status := errorStatus(err)
	if status == http.StatusUnauthorized {
		next := "/"
		if c.Request.Method == http.MethodGet {
			next = c.Request.URL.RequestURI()
		}
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
		return
	}
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	}
	v := s.newView(c, "error.title."+strconv.Itoa(status), nil)
	v.loadErr = nil // the error page is shown even when the Parties cannot be read (codes then)
	if v.Title == "error.title."+strconv.Itoa(status) {
		v.Title = v.T("error.title.other", status)
	}
	// The domain's messages are written for the API and the logs; a page says what a reader
	// can act on: the message of the field for a bad value, else the page's own text.
	detail := ""
	if followup.ErrorCode(err) == followup.EInvalid {
		detail = v.fieldMessage(err)
	}
	v.Data = &errorPageData{Status: status, Detail: detail}
	if rerr := s.render(c, status, "error", v); rerr != nil {
		s.log.Error("error page", "err", rerr)
		c.String(status, "%d %s", status, http.StatusText(status))
	}
}
