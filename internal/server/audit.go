package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// auditFilter reads the audit log's filters from the query: entity, actor, from and to (days),
// cursor and limit.
func auditFilter(c *gin.Context, limit int) (followup.AuditFilter, error) {
	f := followup.AuditFilter{Entity: c.Query("entity"), Actor: c.Query("actor"), Cursor: c.Query("cursor"), Limit: limit}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return f, followup.Invalid("limit", "%q is not a number between 1 and 1000", v)
		}
		f.Limit = n
	}
	var err error
	if f.From, err = dateField("from", c.Query("from")); err != nil {
		return f, err
	}
	if f.To, err = dateField("to", c.Query("to")); err != nil {
		return f, err
	}
	return f, f.Validate()
}

// listAudit answers a page of the audit log as a JSON array, newest first, with the count of
// the entries the filter selects in X-Total-Count and the cursor of the next page, when there
// is one, in X-Next-Cursor.
func (s *Server) listAudit(c *gin.Context) error {
	f, err := auditFilter(c, 0)
	if err != nil {
		return err
	}
	page, err := s.svc.Audit.ListAudit(c.Request.Context(), f)
	if err != nil {
		return err
	}
	c.Header("X-Total-Count", strconv.Itoa(page.Total))
	if page.NextCursor != nil {
		c.Header("X-Next-Cursor", *page.NextCursor)
	}
	c.JSON(http.StatusOK, page.Items)
	return nil
}

// auditRecordURL is the page of the record an entry describes, for the audit log to link to;
// "" when there is none to show (a deleted session, say).
func auditRecordURL(e followup.AuditEntry) string {
	key, _, _ := strings.Cut(e.EntityKey, "#") // submissions and assessments: FOLLOWUP#ID
	parts := strings.Split(key, "/")
	esc := func(ps []string) string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = url.PathEscape(p)
		}
		return strings.Join(out, "/")
	}
	switch followup.AuditKind(e) {
	case "party":
		return "/parties/" + url.PathEscape(key)
	case "report":
		return "/reports/" + url.PathEscape(key)
	case "recommendation":
		if len(parts) == 2 {
			return "/reports/" + url.PathEscape(parts[0]) + "/recommendations/" + url.PathEscape(parts[1])
		}
	case "followup", "submission", "assessment":
		if len(parts) == 3 {
			return "/followups/" + esc(parts)
		}
	case "user":
		return "/manage/users"
	case "outbox":
		var after struct {
			ID int64 `json:"id"`
		}
		if raw, ok := e.After.(json.RawMessage); ok && json.Unmarshal(raw, &after) == nil && after.ID > 0 {
			return "/manage/outbox/" + strconv.FormatInt(after.ID, 10)
		}
		return "/manage/outbox"
	}
	return ""
}
