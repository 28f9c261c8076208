package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// The administrators' outbox pages: the messages with filters, one message's preview, and
// "Retry" for a message that failed for good.

func (s *Server) outboxAdmin(c *gin.Context) (followup.OutboxService, error) {
	if _, err := requireAdmin(c, "read the outbox"); err != nil {
		return nil, err
	}
	return s.svc.Outbox, nil
}

// outboxStatuses and outboxKinds are the filter's choices.
var (
	outboxStatuses = []string{followup.OutboxPending, followup.OutboxSent, followup.OutboxFailed}
	outboxKinds    = []string{followup.KindReminder, followup.KindEscalation, followup.KindRapporteurDigest}
)

// outboxPageData is the data of the outbox page.
type outboxPageData struct {
	Filter   followup.OutboxFilter
	Statuses []string // the filter's choices
	Kinds    []string
	Query    string             // the filter as a query, for the way back after a retry
	Messages []followup.Message // newest first
}

// outboxFilterFrom reads the outbox page's filter from its query.
func outboxFilterFrom(q url.Values) followup.OutboxFilter {
	return followup.OutboxFilter{Status: q.Get("status"), Recipient: q.Get("recipient"), Kind: q.Get("kind")}
}

func (s *Server) pageOutbox(c *gin.Context) error {
	ob, err := s.outboxAdmin(c)
	if err != nil {
		return err
	}
	q := c.Request.URL.Query()
	d := &outboxPageData{Filter: outboxFilterFrom(q), Statuses: outboxStatuses, Kinds: outboxKinds, Query: c.Request.URL.RawQuery}
	v := s.newView(c, "outbox.title", d)
	msgs, err := ob.ListOutbox(c.Request.Context(), d.Filter)
	if err != nil {
		if v.formError("outbox-filter", q, err) {
			return s.render(c, http.StatusUnprocessableEntity, "outbox", v)
		}
		return err
	}
	d.Messages = msgs
	return s.render(c, http.StatusOK, "outbox", v)
}

func outboxID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, followup.Errorf(followup.ENotFound, "no outbox message %q", c.Param("id"))
	}
	return id, nil
}

// outboxMessagePageData is the data of an outbox message's page.
type outboxMessagePageData struct {
	Message followup.Message
}

// pageOutboxMessage previews one message: its subject, items and text body (escaped).
func (s *Server) pageOutboxMessage(c *gin.Context) error {
	ob, err := s.outboxAdmin(c)
	if err != nil {
		return err
	}
	id, err := outboxID(c)
	if err != nil {
		return err
	}
	m, err := ob.FindOutboxMessage(c.Request.Context(), id)
	if err != nil {
		return err
	}
	v := s.newView(c, "outbox.message_title", &outboxMessagePageData{Message: m})
	v.Title = v.T("outbox.message_title") + " " + strconv.FormatInt(m.ID, 10)
	return s.render(c, http.StatusOK, "outbox_message", v)
}

// postOutboxRetry puts a failed message back in the queue.
func (s *Server) postOutboxRetry(c *gin.Context) error {
	ob, err := s.outboxAdmin(c)
	if err != nil {
		return err
	}
	id, err := outboxID(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	if err := ob.RetryOutbox(c.Request.Context(), id); err != nil {
		return err
	}
	s.flash(c, "flash.outbox_retried", strconv.FormatInt(id, 10))
	return redirect(c, localPath(form.Get("next"), "/manage/outbox/"+url.PathEscape(c.Param("id"))))
}
