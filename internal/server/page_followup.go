package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// The follow-up page: the recommendation, the Party's submissions (draft → submit, edit a
// draft), the assessments (drafts marked, for the committee), the assessment form for
// rapporteurs, and the history. A Party's user may open only their own Party's follow-ups.

type followUpData struct {
	FollowUp  followup.FollowUp
	Report    followup.Report
	Rec       followup.Recommendation
	History   []historyRow
	CanSubmit bool
	CanAssess bool
	// CanInform: a stakeholder may send its organisation's information here.
	CanInform  bool
	CanPublish bool
	CanRequest bool
	Drafts     []followup.Submission
	Submitted  []followup.Submission
	// OpenRequests are the requests a new submission of the Party may answer.
	OpenRequests []followup.ClarificationRequest
	FileTypes    string // the accepted types, for the file input's hint
}

func followUpURL(k followup.FollowUpKey) string {
	return "/followups/" + url.PathEscape(k.Report) + "/" + url.PathEscape(k.Label) + "/" + url.PathEscape(k.Party)
}

func (s *Server) followUpView(c *gin.Context, key followup.FollowUpKey) (*view, error) {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	f, err := s.svc.FollowUps.FindFollowUp(ctx, key)
	if err != nil {
		return nil, err
	}
	report, err := s.svc.Reports.FindReport(ctx, key.Report)
	if err != nil {
		return nil, err
	}
	rec, err := s.svc.Reports.FindRecommendation(ctx, key.Report, key.Label)
	if err != nil {
		return nil, err
	}
	history, err := s.svc.FollowUps.FollowUpHistory(ctx, key)
	if err != nil {
		return nil, err
	}
	writable := f.Active && !report.Archived && !rec.Archived
	d := &followUpData{FollowUp: f, Report: report, Rec: rec, History: historyRows(history, s.loc),
		CanSubmit: actor.CanSubmit(f.Party) && writable, CanAssess: actor.CanAssess() && writable,
		CanInform: actor.CanSubmitInformation(f.Party) && writable, CanPublish: actor.CanPublish(),
		CanRequest: actor.CanRequestClarification() && writable, FileTypes: followup.EvidenceTypeNames()}
	for _, sub := range f.Submissions {
		if sub.Draft {
			d.Drafts = append(d.Drafts, sub)
		} else {
			d.Submitted = append(d.Submitted, sub)
		}
	}
	for _, sub := range f.Information {
		if sub.Draft {
			d.Drafts = append(d.Drafts, sub)
		}
	}
	for _, r := range f.Requests {
		if r.Open() && actor.CanAnswerRequest(f.Party) {
			d.OpenRequests = append(d.OpenRequests, r)
		}
	}
	v := s.newView(c, "followup.title", d)
	v.Title = rec.Label + " · " + v.Party(f.Party) + " — " + v.LText(report.Title, report.TitleFR)
	return v, nil
}

// historyRow is an entry of a follow-up's history with the day its event happened, which may
// be long before the day it was recorded (a 2018 submission entered today).
type historyRow struct {
	followup.AuditEntry
	On followup.Date // zero when the entry records no dated event
}

// eventDateFields names, by action, the field of the entry's "after" record that holds the day
// the event happened.
var eventDateFields = map[string]string{
	"submission.submit":  "submitted_on",
	"assessment.create":  "assessed_on",
	"assessment.adopt":   "adopted_on",
	"submission.publish": "published_on",
	"request.create":     "requested_on",
	"request.answer":     "answered_on",
}

// historyRows dates a follow-up's history by the day each event happened (the day it was
// recorded, in loc, for the entries that carry no such day), earliest first.
func historyRows(entries []followup.AuditEntry, loc *time.Location) []historyRow {
	rows := make([]historyRow, len(entries))
	for i, e := range entries {
		rows[i] = historyRow{AuditEntry: e, On: eventDate(e)}
	}
	day := func(r historyRow) followup.Date {
		if r.On.IsZero() {
			return followup.DateOf(r.At, loc)
		}
		return r.On
	}
	sort.SliceStable(rows, func(i, j int) bool { return day(rows[i]).Before(day(rows[j])) })
	return rows
}

// eventDate reads the day of an entry's event from its "after" record, or the zero Date.
func eventDate(e followup.AuditEntry) followup.Date {
	field, ok := eventDateFields[e.Action]
	if !ok || e.After == nil {
		return followup.Date{}
	}
	var raw []byte
	switch a := e.After.(type) {
	case json.RawMessage:
		raw = a
	case []byte:
		raw = a
	default:
		var err error
		if raw, err = json.Marshal(a); err != nil {
			return followup.Date{}
		}
	}
	var after map[string]any
	if json.Unmarshal(raw, &after) != nil {
		return followup.Date{}
	}
	s, _ := after[field].(string)
	d, err := followup.ParseDate(field, s)
	if err != nil {
		return followup.Date{}
	}
	return d
}

func (s *Server) pageFollowUp(c *gin.Context) error {
	v, err := s.followUpView(c, followUpKey(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "followup", v)
}

// formFailed re-renders the follow-up page with a form's errors (422), or returns the error.
func (s *Server) formFailed(c *gin.Context, key followup.FollowUpKey, form string, values url.Values, err error) error {
	if followup.ErrorCode(err) != followup.EInvalid {
		return err
	}
	v, verr := s.followUpView(c, key)
	if verr != nil {
		return verr
	}
	v.formError(form, values, err)
	return s.render(c, http.StatusUnprocessableEntity, "followup", v)
}

// postSubmission takes the new-submission form: multipart, with its files (evidence.go), or
// urlencoded without.
func (s *Server) postSubmission(c *gin.Context) error {
	key := followUpKey(c)
	var form url.Values
	var files []followup.FileUpload
	if isMultipart(c) {
		u, err := s.readUploadForm(c)
		defer u.close()
		form = u.fields
		if err != nil {
			if followup.ErrorField(err) == "files" {
				return s.formFailed(c, key, "new", form, asInvalid(err))
			}
			return err
		}
		files = u.files
	} else {
		var err error
		if form, err = formValues(c); err != nil {
			return err
		}
	}
	draft := form.Get("action") == "draft"
	on, err := dateField("submitted_on", form.Get("submitted_on"))
	var answers int64
	if err == nil {
		answers, err = requestID(form.Get("answers_request"))
	}
	if err == nil {
		_, err = s.svc.FollowUps.CreateSubmission(c.Request.Context(), key,
			followup.SubmissionInput{Text: form.Get("text"), SubmittedOn: on, Draft: draft, AnswersRequest: answers, Files: files})
	}
	if err != nil {
		if followup.ErrorField(err) == "files" {
			err = asInvalid(err)
		}
		return s.formFailed(c, key, "new", form, err)
	}
	if draft {
		s.flash(c, "flash.draft_saved")
	} else {
		s.flash(c, "flash.submitted")
	}
	return redirect(c, followUpURL(key))
}

// asInvalid shows a refused file (too large, of a refused type) next to the file input, as a
// form error: the page is shown again with the message rather than an error page.
func asInvalid(err error) error {
	return &followup.Error{Code: followup.EInvalid, Field: "files", Message: followup.ErrorMessage(err)}
}

// postPublish publishes a submission (Secretariat).
func (s *Server) postPublish(c *gin.Context) error {
	key := followUpKey(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return followup.Errorf(followup.ENotFound, "no submission %q", c.Param("id"))
	}
	if _, err := formValues(c); err != nil {
		return err
	}
	if _, err := s.svc.Evidence.PublishSubmission(c.Request.Context(), key, id); err != nil {
		return err
	}
	s.flash(c, "flash.published")
	return redirect(c, followUpURL(key))
}

// postRequest asks the Party for clarification (committee roles).
func (s *Server) postRequest(c *gin.Context) error {
	key := followUpKey(c)
	form, err := formValues(c)
	if err != nil {
		return err
	}
	due, err := dateField("due_on", form.Get("due_on"))
	if err == nil {
		_, err = s.svc.Evidence.CreateRequest(c.Request.Context(), key, followup.RequestInput{Question: form.Get("question"), DueOn: due})
	}
	if err != nil {
		return s.formFailed(c, key, "request", form, err)
	}
	s.flash(c, "flash.requested")
	return redirect(c, followUpURL(key))
}

func (s *Server) postDraft(c *gin.Context) error {
	key := followUpKey(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return followup.Errorf(followup.ENotFound, "no submission %q", c.Param("id"))
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	text := form.Get("text")
	submit := form.Get("action") == "submit"
	draft := !submit
	p := followup.SubmissionPatch{Text: &text, Draft: &draft}
	if submit {
		if p.SubmittedOn, err = datePatch("submitted_on", ptr(form.Get("submitted_on"))); err != nil {
			return s.formFailed(c, key, "draft-"+c.Param("id"), form, err)
		}
	}
	if _, err := s.svc.FollowUps.UpdateSubmission(c.Request.Context(), key, id, p); err != nil {
		return s.formFailed(c, key, "draft-"+c.Param("id"), form, err)
	}
	if submit {
		s.flash(c, "flash.submitted")
	} else {
		s.flash(c, "flash.draft_saved")
	}
	return redirect(c, followUpURL(key))
}

func (s *Server) postAssessment(c *gin.Context) error {
	key := followUpKey(c)
	form, err := formValues(c)
	if err != nil {
		return err
	}
	in, err := assessmentInputFrom(form)
	if err == nil {
		_, err = s.svc.FollowUps.CreateAssessment(c.Request.Context(), key, in)
	}
	if err != nil {
		return s.formFailed(c, key, "assess", form, err)
	}
	s.flash(c, "flash.assessed")
	if form.Get("then") == "queue" {
		return redirect(c, "/queue")
	}
	return redirect(c, followUpURL(key))
}

// assessmentInputFrom reads the rapporteur's assessment form.
func assessmentInputFrom(form url.Values) (followup.AssessmentInput, error) {
	in := followup.AssessmentInput{Status: followup.Status(form.Get("status")), Comment: form.Get("comment"), CommentFR: form.Get("comment_fr")}
	var err error
	in.AssessedOn, err = dateField("assessed_on", form.Get("assessed_on"))
	return in, err
}

func ptr[T any](v T) *T { return &v }

// pageDesk is a Party's desk: its open recommendations, earliest deadline first.
func (s *Server) pageDesk(c *gin.Context) error {
	actor := followup.ActorFrom(c.Request.Context())
	if err := requireSignedIn(actor, "open your desk"); err != nil {
		return err
	}
	if actor.Role != followup.RoleParty {
		return redirect(c, homeOf(actor))
	}
	v, err := s.deskView(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "desk", v)
}

// deskView is the desk of a Party user: open follow-ups, earliest deadline first, and the
// state of their calendar feed (page_account.go).
func (s *Server) deskView(c *gin.Context) (*view, error) {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	open := true
	items, err := s.allFollowUps(ctx, followup.FollowUpFilter{Party: actor.Party, Open: &open})
	if err != nil {
		return nil, err
	}
	sortByDue(items)
	reports, err := s.svc.Reports.ListReports(ctx, false)
	if err != nil {
		return nil, err
	}
	v := s.newView(c, "desk.title", nil)
	titles := map[string]string{}
	for _, r := range reports {
		titles[r.Slug] = v.LText(r.Title, r.TitleFR)
	}
	soon := v.Today.AddDays(60)
	type deskItem struct {
		followup.FollowUp
		ReportTitle string
		DueSoon     bool
	}
	var rows []deskItem
	for _, f := range items {
		rows = append(rows, deskItem{FollowUp: f, ReportTitle: titles[f.Report],
			DueSoon: !f.Overdue && !f.DueOn.IsZero() && !f.DueOn.After(soon) && !f.DueOn.Before(v.Today)})
	}
	open = true
	requests, err := s.svc.Evidence.ListRequests(ctx, followup.RequestFilter{Party: actor.Party, Open: &open})
	if err != nil {
		return nil, err
	}
	d := map[string]any{"Items": rows, "Party": actor.Party, "Requests": requests, "Titles": titles}
	if err := s.calendarState(c, d); err != nil {
		return nil, err
	}
	v.Data = d
	return v, nil
}

// pageQueue is the rapporteurs' queue: submissions awaiting assessment, oldest first.
func (s *Server) pageQueue(c *gin.Context) error {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.IsCommittee(), "see the assessment queue"); err != nil {
		return err
	}
	items, err := s.svc.Queue.AssessmentQueue(ctx, followup.QueueFilter{Report: c.Query("report"), Party: c.Query("party")})
	if err != nil {
		return err
	}
	reports, err := s.svc.Reports.ListReports(ctx, false)
	if err != nil {
		return err
	}
	v := s.newView(c, "queue.title", nil)
	titles := map[string]string{}
	for _, r := range reports {
		titles[r.Slug] = v.LText(r.Title, r.TitleFR)
	}
	v.Data = map[string]any{"Items": items, "Titles": titles, "Reports": reports, "Report": c.Query("report")}
	return s.render(c, http.StatusOK, "queue", v)
}
