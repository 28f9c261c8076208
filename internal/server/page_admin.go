package server

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
	"followup/internal/i18n"
)

// Adoption (Secretariat), users and tokens (admin), the audit log (committee).

type adoptData struct {
	Report  followup.Report
	Recs    []followup.Recommendation
	Pending map[string]int // label → assessments awaiting adoption
	Ready   int            // assessments awaiting adoption, every recommendation
	Preview []adoptRow     // what the confirmation will adopt
	Labels  []string       // the recommendations chosen
	All     bool           // every recommendation with an assessment ready, asked for explicitly
	On      string
	Total   int
	// NextDueOn is the deadline the adoption gives the follow-ups it leaves open; NextDueGiven
	// says whether it was typed in (else it is the configured period after the adoption).
	NextDueOn    followup.Date
	NextDueGiven bool
	NextDueAfter followup.Period
}

// adoptRow is one follow-up of an adoption's preview: its adopted status so far (with the day
// it was adopted) and the status the adoption gives it, with the rapporteur's comment.
type adoptRow struct {
	Label, Party string
	Before       *followup.Status // nil: nothing adopted yet
	BeforeOn     followup.Date
	After        *followup.Status
	Comment      string
	DueBefore    followup.Date // the follow-up's deadline now
}

// StaysOpen reports whether the adoption leaves the follow-up open, and so gives it a deadline.
func (r adoptRow) StaysOpen() bool { return followup.IsOpen(r.After) }

func (s *Server) adoptView(c *gin.Context, labels []string, all bool, on string) (*view, *adoptData, error) {
	ctx := c.Request.Context()
	slug := c.Param("slug")
	report, err := s.svc.Reports.FindReport(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	recs, err := s.svc.Reports.ListRecommendations(ctx, slug, false)
	if err != nil {
		return nil, nil, err
	}
	// The committee's working picture today: its draft cells are the assessments that an
	// adoption would stamp; the public picture has what was adopted before.
	comp, err := s.svc.Compliance.ReportCompliance(ctx, slug, followup.ComplianceQuery{Basis: followup.BasisDraft})
	if err != nil {
		return nil, nil, err
	}
	adopted, err := s.svc.Compliance.ReportCompliance(ctx, slug, followup.ComplianceQuery{Basis: followup.BasisAdopted})
	if err != nil {
		return nil, nil, err
	}
	before := map[string]followup.ComplianceCell{}
	for _, cell := range adopted.Cells {
		before[cell.Label+"\x00"+cell.Party] = cell
	}
	if all {
		labels = nil
	}
	d := &adoptData{Report: report, Recs: recs, Pending: map[string]int{}, Labels: labels, All: all, On: on, NextDueAfter: s.nextDueAfter}
	chosen := map[string]bool{}
	for _, l := range labels {
		chosen[l] = true
	}
	for _, cell := range comp.Cells {
		if cell.Status == nil || !cell.Draft {
			continue
		}
		d.Pending[cell.Label]++
		d.Ready++
		if all || chosen[cell.Label] {
			was := before[cell.Label+"\x00"+cell.Party]
			d.Preview = append(d.Preview, adoptRow{Label: cell.Label, Party: cell.Party, Before: was.Status, BeforeOn: was.AdoptedOn,
				After: cell.Status, Comment: cell.Comment, DueBefore: cell.DueOn})
		}
	}
	d.Total = len(d.Preview)
	v := s.newView(c, "adopt.title", d)
	// Recommendations in report order, Parties by name.
	position := map[string]int{}
	for i, r := range recs {
		position[r.Label] = i
	}
	i18n.SortByName(v.Lang, d.Preview, func(r adoptRow) string { return v.Party(r.Party) })
	sort.SliceStable(d.Preview, func(i, j int) bool { return position[d.Preview[i].Label] < position[d.Preview[j].Label] })
	return v, d, nil
}

func (s *Server) pageAdopt(c *gin.Context) error {
	if _, err := requireManager(c); err != nil {
		return err
	}
	v, d, err := s.adoptView(c, nil, false, "")
	if err != nil {
		return err
	}
	d.On = v.Today.String()
	d.Preview = nil
	return s.render(c, http.StatusOK, "adopt", v)
}

// postAdopt previews an adoption (action=preview) or carries it out (action=confirm). What to
// adopt is said explicitly: the recommendations ticked, or scope=all ("Adopt all ready");
// nothing ticked is refused (followup.CheckAdoptionSelection).
func (s *Server) postAdopt(c *gin.Context) error {
	if _, err := requireManager(c); err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	labels, all := form["labels"], form.Get("scope") == "all"
	v, d, err := s.adoptView(c, labels, all, form.Get("adopted_on"))
	if err != nil {
		return err
	}
	err = followup.CheckAdoptionSelection(labels, all)
	var on followup.Date
	if err == nil {
		on, err = dateField("adopted_on", form.Get("adopted_on"))
	}
	if err == nil && on.IsZero() {
		err = followup.Refused("adopted_on", followup.ReasonRequired, nil, "the adoption date is required")
	}
	if err == nil {
		err = followup.CheckNotFuture("adopted_on", on, v.Today)
	}
	var next followup.Date
	if err == nil {
		next, err = dateField("next_due_on", form.Get("next_due_on"))
	}
	if err == nil {
		err = followup.CheckNextDueOn(on, next)
	}
	if err == nil {
		d.NextDueOn = followup.NextDueOn(on, next, s.nextDueAfter)
		d.NextDueGiven = !next.IsZero()
	}
	if err != nil {
		d.Preview = nil
		if v.formError("adopt", form, err) {
			return s.render(c, http.StatusUnprocessableEntity, "adopt", v)
		}
		return err
	}
	if form.Get("action") != "confirm" {
		v.FormID, v.Form = "adopt", form
		v.Data = d
		return s.render(c, http.StatusOK, "adopt", v)
	}
	n, err := s.svc.FollowUps.Adopt(c.Request.Context(), d.Report.Slug, followup.AdoptionInput{AdoptedOn: on, Labels: d.Labels, NextDueOn: next})
	if err != nil {
		d.Preview = nil
		if v.formError("adopt", form, err) {
			return s.render(c, http.StatusUnprocessableEntity, "adopt", v)
		}
		return err
	}
	s.flash(c, "flash.adopted", strconv.Itoa(n), v.Date(on))
	return redirect(c, "/reports/"+url.PathEscape(d.Report.Slug))
}

type usersData struct {
	Users    []followup.User
	Tokens   []followup.APIToken
	Parties  []followup.Party
	NewToken string
	TokenFor string
}

func (s *Server) usersView(c *gin.Context) (*view, *usersData, error) {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin, "manage users"); err != nil {
		return nil, nil, err
	}
	users, err := s.svc.Users.ListUsers(ctx)
	if err != nil {
		return nil, nil, err
	}
	tokens, err := s.svc.Auth.ListTokens(ctx)
	if err != nil {
		return nil, nil, err
	}
	parties, err := s.svc.Parties.ListParties(ctx)
	if err != nil {
		return nil, nil, err
	}
	d := &usersData{Users: users, Tokens: tokens, Parties: parties}
	v := s.newView(c, "users.title", d)
	i18n.SortByName(v.Lang, d.Parties, func(p followup.Party) string { return p.Name(v.Lang) })
	return v, d, nil
}

func (s *Server) pageUsers(c *gin.Context) error {
	v, _, err := s.usersView(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "users", v)
}

func (s *Server) postUserCreate(c *gin.Context) error {
	if _, _, err := s.usersView(c); err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	in := followup.UserInput{Email: form.Get("email"), Name: form.Get("name"), Role: followup.Role(form.Get("role")),
		Password: form.Get("password")}
	if in.Role == followup.RoleParty {
		in.Party = form.Get("party")
	}
	if in.Role == followup.RoleStakeholder {
		in.Organisation = form.Get("organisation")
	}
	u, err := s.svc.Users.CreateUser(c.Request.Context(), in)
	if err != nil {
		if followup.ErrorCode(err) == followup.EConflict {
			err = followup.Invalid("email", "%s", followup.ErrorMessage(err))
		}
		v, _, verr := s.usersView(c)
		if verr != nil {
			return verr
		}
		form.Del("password")
		if v.formError("user", form, err) {
			return s.render(c, http.StatusUnprocessableEntity, "users", v)
		}
		return err
	}
	s.flash(c, "flash.user_created", u.Email)
	return redirect(c, "/manage/users")
}

// postUserAction deactivates, reactivates, resets the password of or binds a user.
func (s *Server) postUserAction(c *gin.Context) error {
	if _, _, err := s.usersView(c); err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	email := c.Param("email")
	action := c.Param("action")
	switch action {
	case "deactivate":
		err = s.svc.Auth.SetUserActive(ctx, email, false)
	case "reactivate":
		err = s.svc.Auth.SetUserActive(ctx, email, true)
	case "password":
		err = s.svc.Auth.ResetPassword(ctx, email, form.Get("password"))
	case "party":
		err = s.svc.Auth.BindUserToParty(ctx, email, form.Get("party"))
	default:
		return followup.Errorf(followup.ENotFound, "no user action %q", action)
	}
	if err != nil {
		v, _, verr := s.usersView(c)
		if verr != nil {
			return verr
		}
		form.Del("password")
		if v.formError("user-"+email, form, err) {
			v.Alert = email + ": " + v.fieldMessage(err)
			return s.render(c, http.StatusUnprocessableEntity, "users", v)
		}
		return err
	}
	s.flash(c, "flash.user_"+action, email)
	return redirect(c, "/manage/users")
}

func (s *Server) postTokenCreate(c *gin.Context) error {
	if _, _, err := s.usersView(c); err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	email := strings.TrimSpace(form.Get("email"))
	token, err := s.svc.Users.CreateToken(c.Request.Context(), email, strings.TrimSpace(form.Get("name")), "")
	if followup.ErrorCode(err) == followup.ENotFound {
		err = followup.Invalid("email", "%s", followup.ErrorMessage(err))
	}
	v, d, verr := s.usersView(c)
	if verr != nil {
		return verr
	}
	if err != nil {
		if v.formError("token", form, err) {
			return s.render(c, http.StatusUnprocessableEntity, "users", v)
		}
		return err
	}
	// The token is shown once, on this answer, and never stored in clear (not even in the session).
	d.NewToken, d.TokenFor = token, email
	return s.render(c, http.StatusCreated, "users", v)
}

func (s *Server) postTokenRevoke(c *gin.Context) error {
	if _, _, err := s.usersView(c); err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return followup.Errorf(followup.ENotFound, "no token %q", c.Param("id"))
	}
	if err := s.svc.Auth.RevokeToken(c.Request.Context(), id); err != nil {
		return err
	}
	s.flash(c, "flash.token_revoked")
	return redirect(c, "/manage/users")
}

// auditRow is an entry of the audit page with the page of its record.
type auditRow struct {
	followup.AuditEntry
	URL string
}

type auditData struct {
	Entries  []auditRow
	Total    int
	Entity   string
	Actor    string
	From, To string
	Next     string // the address of the next (older) page; "" on the last
	Paged    bool   // a page after the first: a link back to the newest entries
	Entities []string
}

// pageAudit is the audit log: the latest entries the reader may see ("latest 200 of 759"),
// filtered by record, actor and days, a page at a time (older entries through a cursor), each
// with a link to its record.
func (s *Server) pageAudit(c *gin.Context) error {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.IsCommittee(), "read the audit log"); err != nil {
		return err
	}
	d := &auditData{Entity: c.Query("entity"), Actor: c.Query("actor"), From: c.Query("from"), To: c.Query("to"),
		Paged: c.Query("cursor") != "", Entities: []string{"party", "report", "recommendation", "followup", "submission", "assessment", "user", "outbox"}}
	v := s.newView(c, "audit.title", d)
	f, err := auditFilter(c, 200)
	if err != nil {
		if v.formError("audit", c.Request.URL.Query(), err) {
			return s.render(c, http.StatusUnprocessableEntity, "audit", v)
		}
		return err
	}
	page, err := s.svc.Audit.ListAudit(ctx, f)
	if err != nil {
		if v.formError("audit", c.Request.URL.Query(), err) {
			return s.render(c, http.StatusUnprocessableEntity, "audit", v)
		}
		return err
	}
	d.Total = page.Total
	for _, e := range page.Items {
		d.Entries = append(d.Entries, auditRow{AuditEntry: e, URL: auditRecordURL(e)})
	}
	if page.NextCursor != nil {
		q := c.Request.URL.Query()
		q.Set("cursor", *page.NextCursor)
		d.Next = "/manage/audit?" + q.Encode()
	}
	return s.render(c, http.StatusOK, "audit", v)
}
