package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// jobRoutes registers the routes of the scheduled jobs' issue: the outbox for admins and the
// Parties' calendar feeds.
func (s *Server) jobRoutes(api *gin.RouterGroup) {
	api.GET("/admin/outbox", s.wrap(s.listOutbox))
	api.GET("/parties/:code/deadlines.ics", s.wrap(s.deadlinesICS))
}

type outboxItemView struct {
	Report string        `json:"report"`
	Label  string        `json:"label"`
	Party  string        `json:"party"`
	Point  string        `json:"point,omitempty"`
	DueOn  followup.Date `json:"due_on"`
}

type outboxView struct {
	ID            int64            `json:"id"`
	Kind          string           `json:"kind"`
	Recipient     string           `json:"recipient"`
	Lang          string           `json:"lang"`
	Subject       string           `json:"subject"`
	CreatedAt     time.Time        `json:"created_at"`
	Status        string           `json:"status"`
	Attempts      int              `json:"attempts"`
	NextAttemptAt *time.Time       `json:"next_attempt_at"`
	LastError     string           `json:"last_error"`
	SentAt        *time.Time       `json:"sent_at"`
	Items         []outboxItemView `json:"items"`
}

func (s *Server) listOutbox(c *gin.Context) error {
	f := followup.OutboxFilter{Status: c.Query("status"), Recipient: c.Query("recipient"), Kind: c.Query("kind")}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return followup.Invalid("limit", "%q is not a number between 1 and 1000", v)
		}
		f.Limit = n
	}
	msgs, err := s.svc.Outbox.ListOutbox(c.Request.Context(), f)
	if err != nil {
		return err
	}
	out := make([]outboxView, 0, len(msgs))
	for _, m := range msgs {
		v := outboxView{ID: m.ID, Kind: m.Kind, Recipient: m.Recipient, Lang: m.Lang, Subject: m.Subject, CreatedAt: m.CreatedAt,
			Status: m.Status, Attempts: m.Attempts, LastError: m.LastError, Items: []outboxItemView{}}
		if m.Status == followup.OutboxPending {
			t := m.NextAttemptAt
			v.NextAttemptAt = &t
		}
		if !m.SentAt.IsZero() {
			t := m.SentAt
			v.SentAt = &t
		}
		for _, it := range m.Items {
			v.Items = append(v.Items, outboxItemView{Report: it.Report, Label: it.Label, Party: it.Party, Point: it.Point, DueOn: it.DueOn})
		}
		out = append(out, v)
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
	return nil
}

// deadlinesICS serves the due dates of a Party's open follow-ups as an iCalendar feed, one
// all-day event per follow-up. Calendar programs cannot send headers, so the feed is
// authenticated by the secret token of a user in the query string (left out of the request
// log); the token's user must be one of the Party's users or a committee member.
func (s *Server) deadlinesICS(c *gin.Context) error {
	ctx := c.Request.Context()
	actor, err := s.svc.Calendar.AuthenticateCalendarToken(ctx, c.Query("token"))
	if err != nil {
		return err
	}
	code, err := followup.NormalizePartyCode("code", c.Param("code"))
	if err != nil {
		return followup.Errorf(followup.ENotFound, "no Party with code %q", c.Param("code"))
	}
	if !actor.IsCommittee() && !(actor.Role == followup.RoleParty && actor.Party == code) {
		return followup.Errorf(followup.EForbidden, "this calendar token does not give access to the deadlines of %s", code)
	}
	ctx = followup.WithActor(ctx, actor)
	party, err := s.svc.Parties.FindParty(ctx, code)
	if err != nil {
		return err
	}
	open := true
	filter := followup.FollowUpFilter{Party: code, Open: &open, Limit: 1000}
	var items []followup.FollowUp
	for {
		page, err := s.svc.FollowUps.ListFollowUps(ctx, filter)
		if err != nil {
			return err
		}
		items = append(items, page.Items...)
		if page.NextCursor == nil {
			break
		}
		filter.Cursor = *page.NextCursor
	}
	base := s.publicBase(c)
	cal := newICS("-//Follow-up Tracker//Deadlines " + code + "//EN")
	cal.line("X-WR-CALNAME", "Follow-up deadlines: "+party.NameEN)
	stamp := s.clock.Now().UTC().Format("20060102T150405Z")
	for _, f := range items {
		if f.DueOn.IsZero() {
			continue
		}
		link := base + "/followups/" + url.PathEscape(f.Report) + "/" + url.PathEscape(f.Label) + "/" + f.Party
		cal.raw("BEGIN:VEVENT")
		cal.line("UID", fmt.Sprintf("%s/%s/%s/%s@followup", f.Report, f.Label, f.Party, f.DueOn))
		cal.raw("DTSTAMP:" + stamp)
		cal.raw("DTSTART;VALUE=DATE:" + f.DueOn.Time().Format("20060102"))
		cal.raw("DTEND;VALUE=DATE:" + f.DueOn.AddDays(1).Time().Format("20060102"))
		cal.line("SUMMARY", fmt.Sprintf("Follow-up due: %s, recommendation %s (%s)", f.Report, f.Label, f.Party))
		state := string(f.State)
		if f.Overdue {
			state += ", overdue"
		}
		cal.line("DESCRIPTION", fmt.Sprintf("Category: %s\nState: %s\n%s", f.Category, state, link))
		cal.raw("URL:" + link) // a URI, not TEXT: not escaped
		cal.raw("TRANSP:TRANSPARENT")
		cal.raw("END:VEVENT")
	}
	// The feed is one user's view of one Party's deadlines: no cache may keep it.
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", cal.bytes())
	return nil
}

// publicBase is the start of links given to users: the configured public URL, or else the
// address the request came to.
func (s *Server) publicBase(c *gin.Context) string {
	if s.web.baseURL != "" {
		return s.web.baseURL
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// ics writes an iCalendar (RFC 5545) document: CRLF line ends, text values escaped, lines
// folded at 75 octets without splitting a UTF-8 character.
type ics struct{ b strings.Builder }

func newICS(prodID string) *ics {
	c := &ics{}
	c.raw("BEGIN:VCALENDAR")
	c.raw("VERSION:2.0")
	c.line("PRODID", prodID)
	c.raw("CALSCALE:GREGORIAN")
	c.raw("METHOD:PUBLISH")
	return c
}

// line writes a property with a TEXT value, escaped.
func (c *ics) line(name, value string) { c.raw(name + ":" + icsEscape(value)) }

// raw writes a content line as it is, folded: at most 75 octets a line, continuation lines
// starting with a space.
func (c *ics) raw(line string) {
	limit := 75
	for len(line) > limit {
		cut := foldCut(line, limit)
		c.b.WriteString(line[:cut])
		c.b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	c.b.WriteString(line)
	c.b.WriteString("\r\n")
}

func foldCut(s string, limit int) int {
	if len(s) <= limit {
		return len(s)
	}
	cut := limit
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return cut
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

func (c *ics) bytes() []byte {
	c.b.WriteString("END:VCALENDAR\r\n")
	return []byte(c.b.String())
}

func icsEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}
