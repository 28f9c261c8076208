package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// The account page (the language of one's e-mails, a link to change the password) and the
// calendar feed of a Party user's desk.

// accountPageData is the data of the account page.
type accountPageData struct {
	MailLang string // the language of the user's e-mails
}

func (s *Server) accountView(c *gin.Context) (*view, error) {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	if err := requireSignedIn(actor, "open your account"); err != nil {
		return nil, err
	}
	lang, err := s.svc.Users.UserLang(ctx, actor.Email)
	if err != nil {
		return nil, err
	}
	return s.newView(c, "account.title", &accountPageData{MailLang: lang}), nil
}

func (s *Server) pageAccount(c *gin.Context) error {
	v, err := s.accountView(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "account", v)
}

// postAccountLang sets the language of the user's e-mails.
func (s *Server) postAccountLang(c *gin.Context) error {
	v, err := s.accountView(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	lang := form.Get("mail_lang")
	err = s.svc.Users.SetUserLang(c.Request.Context(), v.Actor.Email, lang)
	return s.formAnswer(c, err, "account-lang", form, "", func() (*view, string, error) {
		return v, "account", nil
	}, func() string {
		s.flash(c, "flash.mail_lang", v.T("lang."+lang))
		return "/account"
	})
}

// calendarState tells the desk whether the user has a live calendar feed.
func (s *Server) calendarState(c *gin.Context, d *deskPageData) error {
	n, err := s.svc.Calendar.LiveCalendarTokens(c.Request.Context(), followup.ActorFrom(c.Request.Context()).Email)
	if err != nil {
		return err
	}
	d.CalendarOn, d.CalendarLive = true, n
	return nil
}

func (s *Server) requireCalendar(c *gin.Context) (followup.Actor, error) {
	actor := followup.ActorFrom(c.Request.Context())
	if err := requireSignedIn(actor, "manage your calendar feed"); err != nil {
		return actor, err
	}
	if err := actor.Require(actor.Role == followup.RoleParty, "manage a Party's calendar feed"); err != nil {
		return actor, err
	}
	return actor, nil
}

// postCalendarCreate makes a calendar token and shows the feed's address once, on this answer.
func (s *Server) postCalendarCreate(c *gin.Context) error {
	actor, err := s.requireCalendar(c)
	if err != nil {
		return err
	}
	token, err := s.svc.Calendar.CreateCalendarToken(c.Request.Context(), actor.Email)
	if err != nil {
		return err
	}
	v, d, err := s.deskView(c, actor.Party)
	if err != nil {
		return err
	}
	base := s.publicBase(c)
	d.CalendarURL = base + "/api/v1/parties/" + url.PathEscape(actor.Party) + "/deadlines.ics?token=" + url.QueryEscape(token)
	return s.render(c, http.StatusCreated, "desk", v)
}

// postCalendarRevoke revokes every calendar token of the user.
func (s *Server) postCalendarRevoke(c *gin.Context) error {
	actor, err := s.requireCalendar(c)
	if err != nil {
		return err
	}
	n, err := s.svc.Calendar.RevokeCalendarTokens(c.Request.Context(), actor.Email)
	if err != nil {
		return err
	}
	s.flash(c, "flash.calendar_revoked", strconv.Itoa(n))
	return redirect(c, "/desk")
}
