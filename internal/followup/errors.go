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
}

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
