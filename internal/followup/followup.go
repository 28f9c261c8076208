package followup

import (
	"strings"
	"time"
)

// Status is a rapporteur's assessment of a Party's compliance with a recommendation.
type Status string

// The compliance scale.
const (
	Implemented          Status = "implemented"
	PartiallyImplemented Status = "partially_implemented"
	NotImplemented       Status = "not_implemented"
	NoInformation        Status = "no_information"
	NotApplicable        Status = "not_applicable"
)

// Statuses lists the scale from best to worst, then not_applicable.
var Statuses = []Status{Implemented, PartiallyImplemented, NotImplemented, NoInformation, NotApplicable}

// CheckStatus refuses what is not on the compliance scale: nothing given, or another word.
func CheckStatus(field string, s Status) error {
	const format = "%q is not on the compliance scale (implemented, partially_implemented, not_implemented, no_information, not_applicable)"
	switch {
	case s.Valid():
		return nil
	case s == "":
		return Refused(field, ReasonRequired, nil, format, s)
	}
	return Refused(field, ReasonNotStatus, []string{string(s)}, format, s)
}

// Valid reports whether s is on the scale.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Score returns the status's score and whether it counts towards scores at all
// (not_applicable is left out).
func (s Status) Score() (score float64, counts bool) {
	switch s {
	case Implemented:
		return 1, true
	case PartiallyImplemented:
		return 0.5, true
	case NotImplemented, NoInformation:
		return 0, true
	}
	return 0, false
}

// Closes reports whether an adopted assessment with this status closes the follow-up.
func (s Status) Closes() bool { return s == Implemented || s == NotApplicable }

// State is where a follow-up is in its workflow.
type State string

// Follow-up states.
const (
	AwaitingSubmission State = "awaiting_submission"
	Submitted          State = "submitted"
	Assessed           State = "assessed"
	Adopted            State = "adopted"
)

// States lists the states in workflow order, then clarification_requested, which is read over
// any of them while a request for clarification is open (ShownState).
var States = []State{AwaitingSubmission, Submitted, Assessed, Adopted, ClarificationRequested}

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	for _, v := range States {
		if s == v {
			return true
		}
	}
	return false
}

// Event is something that moves a follow-up through its workflow.
type Event string

// Workflow events.
const (
	EventSubmit Event = "submit" // the Party submits an account of measures taken
	EventAssess Event = "assess" // a rapporteur records an assessment
	EventAdopt  Event = "adopt"  // the Committee adopts the latest assessment
)

// Next returns the state after event. A submission, whenever it comes, puts the follow-up back
// in the rapporteurs' queue; an assessment can be made with or without a submission (a Party
// that sent nothing is assessed too, usually as no_information); adoption only moves an assessed
// follow-up, since a follow-up with a newer submission is still waiting for its next assessment.
func (s State) Next(e Event) (State, error) {
	switch e {
	case EventSubmit:
		return Submitted, nil
	case EventAssess:
		return Assessed, nil
	case EventAdopt:
		switch s {
		case Assessed:
			return Adopted, nil
		case Submitted:
			return Submitted, nil
		}
		return s, Errorf(EConflict, "a follow-up in state %s has no assessment to adopt", s)
	}
	return s, Errorf(EInvalid, "unknown event %q", e)
}

// PublicState is the state shown to those who may not see draft assessments: the state the
// follow-up had before its latest, not yet adopted, assessment. That is "adopted" when the
// Committee adopted an assessment and the Party has not submitted since; otherwise
// "submitted" or "awaiting_submission".
func PublicState(s State, hasSubmission, adopted, submittedSinceAdoption bool) State {
	if s != Assessed {
		return s
	}
	switch {
	case adopted && !submittedSinceAdoption:
		return Adopted
	case hasSubmission:
		return Submitted
	}
	return AwaitingSubmission
}

// FollowUpKey names one follow-up: a recommendation of a report, for one Party.
type FollowUpKey struct {
	Report string // slug
	Label  string
	Party  string // code
}

func (k FollowUpKey) String() string { return k.Report + "/" + k.Label + "/" + k.Party }

// FollowUp is the follow-up of one recommendation by one Party.
type FollowUp struct {
	Report   string   `json:"report"`
	Label    string   `json:"label"`
	Party    string   `json:"party"`
	Category Category `json:"category"`
	DueOn    Date     `json:"due_on"`
	State    State    `json:"state"`
	// Status is the latest adopted status, or nil before any adoption.
	Status    *Status `json:"status"`
	AdoptedOn Date    `json:"adopted_on"` // date of the latest adoption
	Open      bool    `json:"open"`
	Overdue   bool    `json:"overdue"`
	// Active is false once the Party is no longer among the recommendation's addressees; the
	// follow-up and its history are kept.
	Active bool `json:"active"`
	// DraftSavedAt is when the Party's latest unsent draft was saved; nil when there is none,
	// and for every reader who may not see the Party's drafts (CanSeeDraftSubmissions).
	DraftSavedAt *time.Time   `json:"draft_saved_at,omitempty"`
	Submissions  []Submission `json:"submissions,omitzero"` // nil in lists, where it is left out
	// Information holds the stakeholders' submissions the actor may see, apart from the Party's.
	Information []Submission           `json:"information,omitzero"`
	Assessments []Assessment           `json:"assessments,omitzero"`
	Requests    []ClarificationRequest `json:"requests,omitzero"`
	// OpenRequests counts the requests for clarification waiting for the Party's answer; only
	// set for those who may see them.
	OpenRequests int `json:"open_requests,omitempty"`
}

// IsOpen reports whether a follow-up with this latest adopted status is still open.
func IsOpen(status *Status) bool { return status == nil || !status.Closes() }

// IsOverdue reports whether an open follow-up is overdue on today: its due date has passed and
// the Party has not submitted anything since the latest adoption.
func IsOverdue(open bool, dueOn, today Date, submittedSinceAdoption bool) bool {
	return open && !dueOn.IsZero() && dueOn.Before(today) && !submittedSinceAdoption
}

// Submission is a Party's account of the measures it took.
type Submission struct {
	ID          int64  `json:"id"`
	Text        string `json:"text"`
	Draft       bool   `json:"draft"`
	SubmittedOn Date   `json:"submitted_on"` // zero while a draft
	Author      string `json:"author"`       // the author's name
	// Organisation is the stakeholder that sent the information; "" for the Party's account.
	Organisation string `json:"organisation,omitempty"`
	// Published is true once the Secretariat made the submission and its files public.
	Published   bool `json:"published"`
	PublishedOn Date `json:"published_on"`
	// AnswersRequest is the request for clarification the submission answers; 0 for none.
	AnswersRequest int64        `json:"answers_request,omitempty"`
	Attachments    []Attachment `json:"attachments"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
}

// Facts returns what the access rules need of a submission of a Party's follow-up.
func (s Submission) Facts(party string) SubmissionFacts {
	return SubmissionFacts{Party: party, Organisation: s.Organisation, Draft: s.Draft, Published: s.Published}
}

// SubmissionInput is a new submission. A draft is kept for its writers and the Secretariat only
// and can be edited until it is submitted.
type SubmissionInput struct {
	Text        string
	SubmittedOn Date // defaults to today when submitted
	Draft       bool
	// AnswersRequest names the request for clarification the submission answers (0: none); a
	// draft answers it once it is submitted.
	AnswersRequest int64
	Files          []FileUpload
}

// Validate checks a submission and fills in its date.
func (in *SubmissionInput) Validate(today Date) error {
	in.Text = normalizeNewlines(strings.TrimSpace(in.Text))
	if in.Text == "" {
		return required("text", "the text of the submission")
	}
	if err := checkMultiline("text", "the text of the submission", in.Text, MaxSubmissionTextLength); err != nil {
		return err
	}
	if in.Draft {
		in.SubmittedOn = Date{}
		return nil
	}
	if in.SubmittedOn.IsZero() {
		in.SubmittedOn = today
	}
	return CheckNotFuture("submitted_on", in.SubmittedOn, today)
}

// SubmissionPatch edits a draft submission; Draft=false submits it.
type SubmissionPatch struct {
	Text        *string
	SubmittedOn *Date
	Draft       *bool
}

// Assessment is a rapporteur's assessment of a follow-up. It is a draft until the Committee
// adopts it; only adopted assessments are ever shown outside the committee roles.
type Assessment struct {
	ID        int64  `json:"id"`
	Status    Status `json:"status"`
	Comment   string `json:"comment"`
	CommentFR string `json:"comment_fr"` // the comment in French; "" when there is none
	// Source says where the record of the assessment comes from (the Committee's published
	// document for assessments entered from the record, e.g. a compliance report).
	Source     string    `json:"source"`
	AssessedOn Date      `json:"assessed_on"`
	AdoptedOn  Date      `json:"adopted_on"` // zero until adopted
	Author     string    `json:"author"`
	CreatedAt  time.Time `json:"created_at"`
}

// Adopted reports whether the Committee has adopted the assessment.
func (a Assessment) Adopted() bool { return !a.AdoptedOn.IsZero() }

// AssessmentInput is a new assessment.
type AssessmentInput struct {
	Status     Status
	Comment    string
	CommentFR  string
	Source     string
	AssessedOn Date // defaults to today
}

// Validate checks an assessment and fills in its date.
func (in *AssessmentInput) Validate(today Date) error {
	if err := CheckStatus("status", in.Status); err != nil {
		return err
	}
	in.Comment = normalizeNewlines(strings.TrimSpace(in.Comment))
	if err := checkMultiline("comment", "the comment", in.Comment, MaxCommentLength); err != nil {
		return err
	}
	in.CommentFR = normalizeNewlines(strings.TrimSpace(in.CommentFR))
	if err := checkMultiline("comment_fr", "the French comment", in.CommentFR, MaxCommentLength); err != nil {
		return err
	}
	in.Source = strings.TrimSpace(in.Source)
	if err := checkLine("source", "the source", in.Source, MaxSourceLength); err != nil {
		return err
	}
	if in.AssessedOn.IsZero() {
		in.AssessedOn = today
	}
	return CheckNotFuture("assessed_on", in.AssessedOn, today)
}

// AdoptionInput asks to adopt the latest not-yet-adopted assessment of every follow-up of a
// report, or only of the recommendations with the given labels. Each follow-up the adoption
// leaves open is due again on NextDueOn, or, when it is zero, a period after the adoption (the
// store's; see NextDueOn).
type AdoptionInput struct {
	AdoptedOn Date
	Labels    []string
	NextDueOn Date
}

// Validate checks the adoption date and fills it in.
func (in *AdoptionInput) Validate(today Date) error {
	if in.AdoptedOn.IsZero() {
		in.AdoptedOn = today
	}
	if err := CheckNotFuture("adopted_on", in.AdoptedOn, today); err != nil {
		return err
	}
	for _, l := range in.Labels {
		if err := ValidateLabel("labels", l); err != nil {
			return err
		}
	}
	return CheckNextDueOn(in.AdoptedOn, in.NextDueOn)
}

// CheckAdoptionSelection checks the choice of what to adopt made on a page: some
// recommendations ticked, or every one with an assessment ready, asked for in so many words.
// Nothing ticked is not taken to mean everything there, since an adoption cannot be undone.
// (The API's AdoptionInput keeps "no labels" for every recommendation: a client says what it
// sends.)
func CheckAdoptionSelection(labels []string, all bool) error {
	if len(labels) == 0 && !all {
		return Invalid("labels", "no recommendation was chosen: tick the recommendations to adopt, or adopt every one ready")
	}
	return nil
}

// CheckAdoption checks that adopting an assessment on adoptedOn keeps history straight. The
// rule is that the picture of a day never changes once an adoption of that day is recorded:
//   - an assessment cannot be adopted before it was made;
//   - an adoption must come strictly after the follow-up's previous adoption (previousAdoption,
//     zero when there is none). Before it, it would rewrite the outcome of days already shown;
//     on the same day, it would replace the outcome that the end of that day showed, since
//     the latest adoption of a day is what the day ends with. A second adoption of the same
//     follow-up on one day is therefore refused, and the message says so: the Committee's
//     next adoption is dated on a later day.
func CheckAdoption(key FollowUpKey, a Assessment, previousAdoption, adoptedOn Date) error {
	if adoptedOn.Before(a.AssessedOn) {
		return Refused("adopted_on", ReasonAssessedLater, []string{a.AssessedOn.String(), adoptedOn.String()},
			"the assessment of %s is dated %s, after the adoption date %s", key, a.AssessedOn, adoptedOn)
	}
	if previousAdoption.IsZero() {
		return nil
	}
	if adoptedOn.Before(previousAdoption) {
		return Refused("adopted_on", ReasonAdoptedLater, []string{previousAdoption.String(), adoptedOn.String()},
			"%s already has an assessment adopted on %s, after %s", key, previousAdoption, adoptedOn)
	}
	if !adoptedOn.After(previousAdoption) {
		return Refused("adopted_on", ReasonAdoptedSameDay, []string{previousAdoption.String()},
			"%s already has an assessment adopted on %s: a second adoption on the same day would change the outcome shown for that day; adopt it on a later date", key, previousAdoption)
	}
	return nil
}

// CheckAdoptionDate checks an adoption's date against the report: nothing of a report can be
// adopted before the report itself was.
func CheckAdoptionDate(slug string, in AdoptionInput, reportAdoptedOn Date) error {
	if in.AdoptedOn.Before(reportAdoptedOn) {
		return beforeReport("adopted_on", in.AdoptedOn, reportAdoptedOn, slug)
	}
	return nil
}

// beforeReport refuses a date of a report's history before the report's adoption.
func beforeReport(field string, d, reportAdoptedOn Date, slug string) error {
	return Refused(field, ReasonBeforeReport, []string{d.String(), reportAdoptedOn.String()},
		"the date %s is before %s, the day report %s was adopted", d, reportAdoptedOn, slug)
}

// CheckSubmissionDate checks a submission's date against the history it joins: a Party answers
// a report once the report is adopted, and a submission dated before the follow-up's latest
// adoption (latestAdoption, zero when there is none) would change what was shown for the days
// since, as if the adopted assessment had answered it. A draft has no date yet and passes.
func CheckSubmissionDate(key FollowUpKey, in SubmissionInput, reportAdoptedOn, latestAdoption Date) error {
	if in.Draft || in.SubmittedOn.IsZero() {
		return nil
	}
	if in.SubmittedOn.Before(reportAdoptedOn) {
		return beforeReport("submitted_on", in.SubmittedOn, reportAdoptedOn, key.Report)
	}
	if in.SubmittedOn.Before(latestAdoption) {
		return Refused("submitted_on", ReasonBeforeLatestAdoption, []string{in.SubmittedOn.String(), latestAdoption.String()},
			"the date %s is before %s, the latest adoption of an assessment of %s; a submission cannot be dated before it", in.SubmittedOn, latestAdoption, key)
	}
	return nil
}

// CheckAssessmentDate checks a new assessment's date against the history it joins: it cannot
// be dated before the report's adoption, nor before the follow-up's latest adoption
// (latestAdoption, zero when there is none), which it would otherwise precede in every replay
// of the follow-up's history.
func CheckAssessmentDate(key FollowUpKey, in AssessmentInput, reportAdoptedOn, latestAdoption Date) error {
	if in.AssessedOn.Before(reportAdoptedOn) {
		return beforeReport("assessed_on", in.AssessedOn, reportAdoptedOn, key.Report)
	}
	if in.AssessedOn.Before(latestAdoption) {
		return Refused("assessed_on", ReasonBeforeLatestAdoption, []string{in.AssessedOn.String(), latestAdoption.String()},
			"the date %s is before %s, the latest adoption of an assessment of %s; a new assessment cannot be dated before it", in.AssessedOn, latestAdoption, key)
	}
	return nil
}

// CheckReportAdoptionChange checks a new adoption date of a report against its follow-ups'
// history: the report cannot be moved after the earliest dated submission, assessment or
// adoption of its follow-ups (earliest, zero when there is none).
func CheckReportAdoptionChange(slug string, adoptedOn, earliest Date) error {
	if !earliest.IsZero() && adoptedOn.After(earliest) {
		return Refused("adopted_on", ReasonAfterHistory, []string{adoptedOn.String(), earliest.String()},
			"report %s has follow-up history dated from %s; its adoption date cannot be after that", slug, earliest)
	}
	return nil
}

// FollowUpFilter selects follow-ups in a list. Empty fields do not filter.
type FollowUpFilter struct {
	Report   string
	Party    string
	Category Category
	State    State
	Open     *bool
	Overdue  *bool
	Limit    int
	Cursor   string
}

// FollowUpPage is one page of a follow-up list.
type FollowUpPage struct {
	Items      []FollowUp `json:"items"`
	NextCursor *string    `json:"next_cursor"`
}

// Validate checks a filter and sets the default page size.
func (f *FollowUpFilter) Validate() error {
	if f.Party != "" {
		c, err := NormalizePartyCode("party", f.Party)
		if err != nil {
			return err
		}
		f.Party = c
	}
	if f.Category != "" && !f.Category.Valid() {
		return Invalid("category", "%q is not a category (urge, consider, invite)", f.Category)
	}
	if f.State != "" && !f.State.Valid() {
		return Invalid("state", "%q is not a state (awaiting_submission, submitted, assessed, adopted, clarification_requested)", f.State)
	}
	switch {
	case f.Limit == 0:
		f.Limit = 100
	case f.Limit < 0 || f.Limit > 1000:
		return Invalid("limit", "the limit must be between 1 and 1000")
	}
	return nil
}
