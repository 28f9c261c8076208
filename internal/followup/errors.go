// Package followup is the domain of the tracker: Parties, reports, recommendations, the
// per-Party follow-up of each recommendation, the compliance scale and the rules that bind them.
// It imports the standard library only; storage and transport live in adapter packages.
package followup

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each to one status code; the CLI prints the message.
const (
	EBadRequest   = "bad_request"  // the request is malformed (not JSON, wrong type)
	EUnauthorized = "unauthorized" // no or bad credentials
	EForbidden    = "forbidden"    // authenticated but not allowed
	ENotFound     = "not_found"
	EConflict     = "conflict"  // the request clashes with the current state
	ETooLarge     = "too_large" // the body is over the limit
	EInvalid      = "invalid"   // a value is wrong; Field names it
	// EUnsupportedMedia: an uploaded file is of a type that is not accepted; Field names the
	// form field and the message the file and why.
	EUnsupportedMedia = "unsupported_media_type"
	EInternal         = "internal"
)

// Error is a domain error: a code for machines, a message for people and, for EInvalid,
// the field that is wrong.
type Error struct {
	Code    string
	Message string
	Field   string
	// Reason says, for some EInvalid errors, why the value is refused, as one of the Reason
	// constants, and Facts are what a reader needs to put it right (dates as YYYY-MM-DD,
	// numbers), in the order the reason's constant lists them. The API and the logs show
	// Message; pages write their own message from Reason and Facts, in the page's language.
	Reason string
	Facts  []string
}

// Reasons of refused values (Error.Reason), with the facts each one carries.
const (
	ReasonRequired   = "required"     // an empty required value
	ReasonTooLong    = "too_long"     // facts: the characters given, the most allowed
	ReasonNotUTF8    = "not_utf8"     // a text that is not UTF-8
	ReasonControl    = "control"      // facts: the position of a control character in a multi-line text
	ReasonNotOneLine = "not_one_line" // facts: the position of a line break or control character in a one-line text
	ReasonDateFormat = "date_format"  // not a date written YYYY-MM-DD
	ReasonDateEarly  = "date_early"   // a date before 1900
	ReasonFuture     = "future"       // facts: the date, after today
	// ReasonBeforeReport: facts: the date, and the day the report was adopted, which is later.
	ReasonBeforeReport = "before_report"
	// ReasonBeforeLatestAdoption: facts: the date, and the follow-up's latest adoption, which
	// is later.
	ReasonBeforeLatestAdoption = "before_latest_adoption"
	// ReasonAssessedLater: facts: the date of an assessment to adopt, and the adoption's date,
	// which is earlier.
	ReasonAssessedLater = "assessed_later"
	// ReasonAdoptedLater: facts: the follow-up's previous adoption, and the new adoption's date,
	// which is earlier.
	ReasonAdoptedLater = "adopted_later"
	// ReasonAdoptedSameDay: facts: the day of the follow-up's previous adoption, also the new one's.
	ReasonAdoptedSameDay = "adopted_same_day"
	// ReasonAfterHistory: facts: a report's new adoption date, and the earliest dated event of
	// its follow-ups, which is earlier.
	ReasonAfterHistory = "after_history"
	// ReasonBeforeAdoption: facts: a deadline, and the adoption date it comes before.
	ReasonBeforeAdoption = "before_adoption"

	ReasonNotCategory  = "not_category"   // facts: the value, which is not a category
	ReasonNotStatus    = "not_status"     // facts: the value, which is not on the compliance scale
	ReasonNotArticle   = "not_article"    // facts: the value, which is not a Convention article number
	ReasonNotPartyCode = "not_party_code" // facts: the value, which is not a two-letter ISO code
	ReasonUnknownParty = "unknown_party"  // facts: the code of no known Party
	ReasonNotCovered   = "not_covered"    // facts: the code of a Party the report does not cover
	ReasonNotURL       = "not_url"        // not an absolute http:// or https:// address
	ReasonLabelDots    = "label_dots"     // a label that is "." or "..", which a URL cannot carry
	ReasonLabelChar    = "label_char"     // facts: a character a label may not contain
	ReasonSpaces       = "spaces"         // a value that starts or ends with a space
)

// Reasons lists the Reason constants, for the catalogue's tests.
var Reasons = []string{ReasonRequired, ReasonTooLong, ReasonNotUTF8, ReasonControl, ReasonNotOneLine,
	ReasonDateFormat, ReasonDateEarly, ReasonFuture, ReasonBeforeReport, ReasonBeforeLatestAdoption,
	ReasonAssessedLater, ReasonAdoptedLater, ReasonAdoptedSameDay, ReasonAfterHistory, ReasonBeforeAdoption,
	ReasonNotCategory, ReasonNotStatus, ReasonNotArticle, ReasonNotPartyCode, ReasonUnknownParty, ReasonNotCovered,
	ReasonNotURL, ReasonLabelDots, ReasonLabelChar, ReasonSpaces}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Errorf returns a domain error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EInvalid error naming the field that is wrong.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Refused returns an EInvalid error naming the field, with the reason and its facts for
// readers (Error.Reason) and the message for the API.
func Refused(field, reason string, facts []string, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...), Reason: reason, Facts: facts}
}

// ErrorReason returns the reason and the facts of a domain error, if it has them.
func ErrorReason(err error) (reason string, facts []string) {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason, e.Facts
	}
	return "", nil
}

// UnknownParty is the error of a code that is no known Party's.
func UnknownParty(field, code string) *Error {
	return Refused(field, ReasonUnknownParty, []string{code}, "%s is not a known Party", code)
}

// NotCovered is the error of a Party that a report does not cover.
func NotCovered(field, code string) *Error {
	return Refused(field, ReasonNotCovered, []string{code}, "%s is not one of the Parties the report covers", code)
}

// CheckNotFuture refuses a date after today.
func CheckNotFuture(field string, d, today Date) error {
	if d.After(today) {
		return Refused(field, ReasonFuture, []string{d.String()}, "the date %s is in the future", d)
	}
	return nil
}

// ErrorCode returns the code of a domain error, or EInternal for any other error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// ErrorMessage returns the human message of a domain error; other errors are not shown to
// users because they may carry internals.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the field named by a domain error, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
