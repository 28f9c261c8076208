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
	// Draft is the Party's latest unsent draft, which the one editor of the page edits;
	// OlderDrafts are the Party's drafts saved before it (through the API), shown as they are.
	Draft       *followup.Submission
	OlderDrafts []followup.Submission
	// Drafts are a stakeholder's unsent drafts of information, each with a form of its own.
	Drafts    []followup.Submission
	Submitted []followup.Submission
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
		if !sub.Draft {
			d.Submitted = append(d.Submitted, sub)
			continue
		}
		if d.Draft != nil {
			d.OlderDrafts = append(d.OlderDrafts, *d.Draft)
		}
		latest := sub
		d.Draft = &latest
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
	"followup.due":       "from",
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

// The follow-up page has one editor for the Party's account: it saves the text as a draft
// ("Save the draft") or, to submit, saves it and asks for confirmation on a page of its own that
// shows the text as it will be sent ("Submit to the Committee…"); only the confirmation submits.
// The editor posts here, with the id of the draft it edits when there is one; a new draft takes
// its files and the request it answers with it. A stakeholder's form of information posts here
// too and is taken as it is: a draft, or sent at once. The form is multipart, with its files
// (evidence.go), or urlencoded without.
func (s *Server) postSubmission(c *gin.Context) error {
	key := followUpKey(c)
	stakeholder := followup.ActorFrom(c.Request.Context()).IsStakeholder()
	formName := "editor"
	if stakeholder {
		formName = "new"
	}
	var form url.Values
	var files []followup.FileUpload
	if isMultipart(c) {
		u, err := s.readUploadForm(c)
		defer u.close()
		form = u.fields
		if err != nil {
			if followup.ErrorField(err) == "files" {
				return s.formFailed(c, key, formName, form, asInvalid(err))
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
	// The date is checked before anything is saved, so that a wrong one is told at once.
	on, err := dateField("submitted_on", form.Get("submitted_on"))
	if err == nil {
		err = followup.CheckNotFuture("submitted_on", on, s.today())
	}
	var answers int64
	if err == nil {
		answers, err = requestID(form.Get("answers_request"))
	}
	var saved followup.Submission
	if err == nil {
		if stakeholder {
			saved, err = s.svc.FollowUps.CreateSubmission(c.Request.Context(), key,
				followup.SubmissionInput{Text: form.Get("text"), SubmittedOn: on, Draft: draft, AnswersRequest: answers, Files: files})
		} else {
			saved, err = s.saveDraft(c, key, form, answers, files)
		}
	}
	if err != nil {
		if followup.ErrorField(err) == "files" {
			err = asInvalid(err)
		}
		return s.formFailed(c, key, formName, form, err)
	}
	switch {
	case draft:
		s.flash(c, "flash.draft_saved")
	case stakeholder:
		s.flash(c, "flash.submitted")
	default:
		to := followUpURL(key) + "/submissions/" + strconv.FormatInt(saved.ID, 10) + "/confirm"
		if !on.IsZero() {
			to += "?submitted_on=" + on.String()
		}
		return redirect(c, to)
	}
	return redirect(c, followUpURL(key))
}

// saveDraft writes the editor's text as a draft: a new one with its files and the request it
// answers, or the draft it edits (left as it is when the text did not change). Files and a
// request go with a new draft only: a draft keeps those it was first saved with.
func (s *Server) saveDraft(c *gin.Context, key followup.FollowUpKey, form url.Values, answers int64, files []followup.FileUpload) (followup.Submission, error) {
	ctx := c.Request.Context()
	text := form.Get("text")
	if v := form.Get("draft_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return followup.Submission{}, followup.Errorf(followup.ENotFound, "no submission %q", v)
		}
		if len(files) > 0 {
			return followup.Submission{}, followup.Invalid("files", "files go with a new submission: send this draft first, then add the files to a new one")
		}
		f, err := s.svc.FollowUps.FindFollowUp(ctx, key)
		if err != nil {
			return followup.Submission{}, err
		}
		for _, sub := range f.Submissions {
			if sub.ID == id && sub.Draft && sub.Text == followup.NormalizeText(text) {
				return sub, nil
			}
		}
		draft := true
		return s.svc.FollowUps.UpdateSubmission(ctx, key, id, followup.SubmissionPatch{Text: &text, Draft: &draft})
	}
	return s.svc.FollowUps.CreateSubmission(ctx, key, followup.SubmissionInput{Text: text, Draft: true, AnswersRequest: answers, Files: files})
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

// submitConfirmData is the confirmation of a submission: the draft as it will be sent, with its
// files and the request it answers.
type submitConfirmData struct {
	Key         followup.FollowUpKey
	Report      followup.Report
	Draft       followup.Submission
	SubmittedOn followup.Date // zero: today
}

// pageSubmitConfirm shows a saved draft as it will be submitted, with "Confirm and submit" and
// "Back to the editor". Showing it changes nothing.
func (s *Server) pageSubmitConfirm(c *gin.Context) error {
	key := followUpKey(c)
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.CanSubmit(key.Party), "write submissions for "+key.Party); err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return followup.Errorf(followup.ENotFound, "no submission %q", c.Param("id"))
	}
	f, err := s.svc.FollowUps.FindFollowUp(ctx, key)
	if err != nil {
		return err
	}
	var draft *followup.Submission
	for i, sub := range f.Submissions {
		if sub.ID == id {
			draft = &f.Submissions[i]
		}
	}
	switch {
	case draft == nil:
		return followup.Errorf(followup.ENotFound, "follow-up %s has no submission %d", key, id)
	case !draft.Draft:
		return followup.Errorf(followup.EConflict, "submission %d was submitted on %s", id, draft.SubmittedOn)
	}
	on, err := dateField("submitted_on", c.Query("submitted_on"))
	if err == nil {
		err = followup.CheckNotFuture("submitted_on", on, s.today())
	}
	if err != nil {
		return s.formFailed(c, key, "editor", url.Values{"text": {draft.Text}, "submitted_on": {c.Query("submitted_on")}}, err)
	}
	report, err := s.svc.Reports.FindReport(ctx, key.Report)
	if err != nil {
		return err
	}
	v := s.newView(c, "submit_confirm.title", submitConfirmData{Key: followup.FollowUpKey{Report: f.Report, Label: f.Label, Party: f.Party},
		Report: report, Draft: *draft, SubmittedOn: on})
	return s.render(c, http.StatusOK, "submit_confirm", v)
}

// postDraft changes a draft: action=submit submits it (the confirmation page's button, which
// sends no text: the draft is submitted as it was shown; a stakeholder's draft form, which
// sends its text), anything else saves the text given.
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
	failed := func(err error) error {
		if followup.ActorFrom(c.Request.Context()).IsStakeholder() {
			return s.formFailed(c, key, "draft-"+c.Param("id"), form, err)
		}
		return s.formFailed(c, key, "editor", s.editorValues(c, key, id, form), err)
	}
	submit := form.Get("action") == "submit"
	draft := !submit
	p := followup.SubmissionPatch{Draft: &draft}
	if form.Has("text") {
		text := form.Get("text")
		p.Text = &text
	}
	if submit {
		if p.SubmittedOn, err = datePatch("submitted_on", ptr(form.Get("submitted_on"))); err != nil {
			return failed(err)
		}
	}
	if _, err := s.svc.FollowUps.UpdateSubmission(c.Request.Context(), key, id, p); err != nil {
		return failed(err)
	}
	if submit {
		s.flash(c, "flash.submitted")
	} else {
		s.flash(c, "flash.draft_saved")
	}
	return redirect(c, followUpURL(key))
}

// editorValues is what the editor shows again after a refused change of a draft: the text
// posted, or the draft's own when none was (the confirmation's button sends none).
func (s *Server) editorValues(c *gin.Context, key followup.FollowUpKey, id int64, form url.Values) url.Values {
	out := url.Values{"submitted_on": {form.Get("submitted_on")}, "text": {form.Get("text")}}
	if form.Has("text") {
		return out
	}
	if f, err := s.svc.FollowUps.FindFollowUp(c.Request.Context(), key); err == nil {
		for _, sub := range f.Submissions {
			if sub.ID == id {
				out.Set("text", sub.Text)
			}
		}
	}
	return out
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
