package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// homeOf is where a user lands after signing in: their desk.
func homeOf(a followup.Actor) string {
	switch a.Role {
	case followup.RoleParty:
		return "/desk"
	case followup.RoleRapporteur:
		return "/queue"
	case followup.RoleSecretariat, followup.RoleAdmin:
		return "/manage"
	}
	return "/"
}

// pageLang sets the language cookie and goes back where the user was.
func (s *Server) pageLang(c *gin.Context) error {
	lang := c.Query("l")
	if lang != "en" && lang != "fr" {
		return followup.Invalid("l", "%q is not a language of the interface (en, fr)", lang)
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.web.sessions.Cookie.Secure})
	return redirect(c, localPath(c.Query("next"), "/"))
}

func (s *Server) pageLogin(c *gin.Context) error {
	v := s.newView(c, "login.title", nil)
	if !v.Actor.Anonymous() {
		return redirect(c, localPath(c.Query("next"), homeOf(v.Actor)))
	}
	v.Form = url.Values{"next": {c.Query("next")}}
	v.FormID = "login"
	return s.render(c, http.StatusOK, "login", v)
}

func (s *Server) postLogin(c *gin.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(form.Get("email")))
	ip := c.ClientIP()
	v := s.newView(c, "login.title", nil)
	v.FormID, v.Form = "login", url.Values{"email": {form.Get("email")}, "next": {form.Get("next")}}
	minutes, err := s.passwordAttempt(c, email)
	if err != nil {
		return err
	}
	if minutes > 0 {
		v.Alert = v.T("login.throttled", minutes)
		return s.render(c, http.StatusTooManyRequests, "login", v)
	}
	// The attempt is counted as a failure from here on, until the password proves right.
	actor, err := s.svc.Auth.AuthenticatePassword(c.Request.Context(), email, form.Get("password"))
	if followup.ErrorCode(err) == followup.EUnauthorized {
		s.log.Info("sign-in refused", "email", email, "client", ip)
		v.Alert = v.T("login.failed")
		return s.render(c, http.StatusUnauthorized, "login", v)
	}
	if err != nil {
		return err
	}
	if err := s.passwordRight(c, email); err != nil {
		return err
	}
	ctx := c.Request.Context()
	// A new session id at sign-in, so that an id planted before cannot be used after.
	if err := s.web.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.web.sessions.Put(ctx, sessUserID, actor.UserID)
	s.flash(c, "flash.signed_in", actor.Name)
	return redirect(c, localPath(form.Get("next"), homeOf(actor)))
}

func (s *Server) postLogout(c *gin.Context) error {
	ctx := c.Request.Context()
	// Destroy deletes the session server-side: the old cookie is worthless from now on.
	if err := s.web.sessions.Destroy(ctx); err != nil {
		return err
	}
	if err := s.web.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.flash(c, "flash.signed_out")
	return redirect(c, "/")
}

func (s *Server) pagePassword(c *gin.Context) error {
	v := s.newView(c, "password.title", nil)
	if err := requireSignedIn(v.Actor, "change your password"); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "password", v)
}

func (s *Server) postPassword(c *gin.Context) error {
	v := s.newView(c, "password.title", nil)
	if err := requireSignedIn(v.Actor, "change your password"); err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	if form.Get("new_password") != form.Get("confirm_password") {
		v.FormID, v.Form = "password", url.Values{}
		v.Errors["confirm_password"] = v.T("password.mismatch")
		v.Alert = v.T("form.has_errors")
		return s.render(c, http.StatusUnprocessableEntity, "password", v)
	}
	// A new password the rules refuse is told before the current one is checked, so that it
	// does not count as a wrong guess of the current one.
	if err := followup.ValidatePassword("new_password", form.Get("new_password")); v.formError("password", url.Values{}, err) {
		return s.render(c, http.StatusUnprocessableEntity, "password", v)
	}
	// The current password is a password of the account like the one of signing in: someone
	// at an unattended browser must not get to try it more often.
	minutes, err := s.passwordAttempt(c, v.Actor.Email)
	if err != nil {
		return err
	}
	if minutes > 0 {
		v.FormID, v.Form = "password", url.Values{}
		v.Alert = v.T("password.throttled", minutes)
		return s.render(c, http.StatusTooManyRequests, "password", v)
	}
	err = s.svc.Auth.ChangePassword(c.Request.Context(), form.Get("old_password"), form.Get("new_password"))
	if v.formError("password", url.Values{}, err) {
		return s.render(c, http.StatusUnprocessableEntity, "password", v)
	}
	if err != nil {
		return err
	}
	if err := s.passwordRight(c, v.Actor.Email); err != nil {
		return err
	}
	// The change ended every session of the user; this one goes on under a new id.
	if err := s.web.sessions.RenewToken(c.Request.Context()); err != nil {
		return err
	}
	s.flash(c, "flash.password_changed")
	return redirect(c, homeOf(v.Actor))
}
