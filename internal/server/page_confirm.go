package server

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// Actions that reach many people or lock someone out are confirmed first. The pages use no
// script, so the confirmation is a page of its own: a GET shows what the action will do and a
// button that posts it; the POST is the action itself.

type confirmData struct {
	Heading string
	Text    string
	Action  string // where the button posts
	Button  string
	Cancel  string // where "Cancel" goes
}

// pageJobRunConfirm asks before running a job now: a job may e-mail every Party's users.
func (s *Server) pageJobRunConfirm(c *gin.Context) error {
	if _, err := requireAdmin(c, "run scheduled jobs"); err != nil {
		return err
	}
	jr, err := s.jobRunner()
	if err != nil {
		return err
	}
	jobs, err := jr.Jobs(c.Request.Context(), 0)
	if err != nil {
		return err
	}
	name := c.Param("name")
	known := false
	for _, j := range jobs {
		known = known || j.Name == name
	}
	if !known {
		return followup.Errorf(followup.ENotFound, "no job %q", name)
	}
	v := s.newView(c, "confirm.title", nil)
	v.Data = confirmData{Heading: v.T("jobs.confirm_heading", v.JobName(name)),
		Text: v.TOr("job."+name+".confirm", v.T("jobs.confirm_default")), Action: "/manage/jobs/" + url.PathEscape(name) + "/run",
		Button: v.T("jobs.run_now"), Cancel: "/manage/jobs"}
	return s.render(c, http.StatusOK, "confirm", v)
}

// pageUserActionConfirm asks before deactivating a user, whose sessions end at once.
func (s *Server) pageUserActionConfirm(c *gin.Context) error {
	v, d, err := s.usersView(c)
	if err != nil {
		return err
	}
	email := c.Param("email")
	if c.Param("action") != "deactivate" {
		return followup.Errorf(followup.ENotFound, "no page for the user action %q", c.Param("action"))
	}
	found := false
	for _, u := range d.Users {
		found = found || u.Email == email
	}
	if !found {
		return followup.Errorf(followup.ENotFound, "no user %s", email)
	}
	v.Title = v.T("confirm.title")
	v.Data = confirmData{Heading: v.T("users.confirm_deactivate", email), Text: v.T("users.confirm_deactivate_text"),
		Action: "/manage/users/" + url.PathEscape(email) + "/deactivate", Button: v.T("users.deactivate"), Cancel: "/manage/users"}
	return s.render(c, http.StatusOK, "confirm", v)
}
