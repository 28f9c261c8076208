package followup

import (
	"strings"
	"time"
)

// Requests for clarification. Before it concludes, the Committee may ask a Party for more
// information on a follow-up, with a deadline. The follow-up's state reads
// clarification_requested (to those who may see the request) until the Party answers with a
// submission that says which request it answers; the reminders job reminds the Party of the
// request's deadline as it does of a follow-up's. Neither the question nor the answer is public
// until the Secretariat publishes the answer.

// ClarificationRequested is the state a follow-up reads while a request for clarification is
// open. It is never stored: it is read over the stored state (see ShownState).
const ClarificationRequested State = "clarification_requested"

// ShownState is the state an actor reads of a follow-up: clarification_requested while a
// request is open and the actor may know of it, else the state itself.
func ShownState(s State, openRequest, seesRequests bool) State {
	if openRequest && seesRequests {
		return ClarificationRequested
	}
	return s
}

// ClarificationRequest is a question put to a Party on one follow-up.
type ClarificationRequest struct {
	ID          int64     `json:"id"`
	Report      string    `json:"report"`
	Label       string    `json:"label"`
	Party       string    `json:"party"`
	Question    string    `json:"question"`
	DueOn       Date      `json:"due_on"`
	RequestedOn Date      `json:"requested_on"`
	Author      string    `json:"author"`
	CreatedAt   time.Time `json:"created_at"`
	// AnsweredBy is the submission that answered the request, AnsweredOn its date; zero while
	// the request is open.
	AnsweredBy int64 `json:"answered_by,omitempty"`
	AnsweredOn Date  `json:"answered_on"`
	// AnswerPublished is true once the Secretariat published the answer: the request is then
	// public with it.
	AnswerPublished bool `json:"answer_published"`
}

// Open reports whether the request still waits for the Party's answer.
func (r ClarificationRequest) Open() bool { return r.AnsweredBy == 0 }

// Key returns the request's follow-up.
func (r ClarificationRequest) Key() FollowUpKey {
	return FollowUpKey{Report: r.Report, Label: r.Label, Party: r.Party}
}

// RequestInput is a new request for clarification.
type RequestInput struct {
	Question string
	DueOn    Date
}

// Validate checks a request: a question, and a deadline that is not past.
func (in *RequestInput) Validate(today Date) error {
	in.Question = normalizeNewlines(strings.TrimSpace(in.Question))
	if in.Question == "" {
		return required("question", "the question")
	}
	if err := checkMultiline("question", "the question", in.Question, MaxQuestionLength); err != nil {
		return err
	}
	if in.DueOn.IsZero() {
		return required("due_on", "the deadline of the answer")
	}
	if in.DueOn.Before(today) {
		return Invalid("due_on", "the deadline %s is in the past", in.DueOn)
	}
	return nil
}

// CheckAnswer checks that a submission may answer a request: it is a Party's account (a
// stakeholder's information answers nothing), on the request's follow-up, and the request is
// still open. id is the request asked for; found is false when the follow-up has no such request.
func CheckAnswer(id int64, req ClarificationRequest, found, fromStakeholder bool) error {
	switch {
	case fromStakeholder:
		return Invalid("answers_request", "only the Party answers a request for clarification")
	case !found:
		return Invalid("answers_request", "this follow-up has no request for clarification %d", id)
	case !req.Open():
		return Invalid("answers_request", "request %d was answered on %s", id, req.AnsweredOn)
	}
	return nil
}

// RequestFilter selects requests. Empty fields do not filter.
type RequestFilter struct {
	Party  string
	Report string
	// Open: true for the requests waiting for an answer, false for the answered ones.
	Open  *bool
	Limit int // 200 when zero
}

// Validate checks the filter and sets the default limit.
func (f *RequestFilter) Validate() error {
	if f.Party != "" {
		c, err := NormalizePartyCode("party", f.Party)
		if err != nil {
			return err
		}
		f.Party = c
	}
	switch {
	case f.Limit == 0:
		f.Limit = 200
	case f.Limit < 0 || f.Limit > 1000:
		return Invalid("limit", "the limit must be between 1 and 1000")
	}
	return nil
}
