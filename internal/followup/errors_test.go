package followup_test

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"

	"followup/internal/followup"
)

func TestErrorAccessors(t *testing.T) {
	invalid := followup.Invalid("due_on", "%q is wrong", "x")
	conflict := followup.Errorf(followup.EConflict, "report %s is archived", "r1")
	tests := []struct {
		name        string
		err         error
		code        string
		message     string
		field       string
		errorString string
	}{
		{"invalid", invalid, followup.EInvalid, `"x" is wrong`, "due_on", `due_on: "x" is wrong`},
		{"conflict", conflict, followup.EConflict, "report r1 is archived", "", "report r1 is archived"},
		{"not found", followup.Errorf(followup.ENotFound, "no report"), followup.ENotFound, "no report", "", "no report"},
		{"forbidden", followup.Errorf(followup.EForbidden, "no"), followup.EForbidden, "no", "", "no"},
		{"wrapped invalid", fmt.Errorf("creating report: %w", invalid), followup.EInvalid, `"x" is wrong`, "due_on",
			`creating report: due_on: "x" is wrong`},
		{"doubly wrapped", fmt.Errorf("a: %w", fmt.Errorf("b: %w", conflict)), followup.EConflict, "report r1 is archived", "",
			"a: b: report r1 is archived"},
		{"joined", errors.Join(io.EOF, invalid), followup.EInvalid, `"x" is wrong`, "due_on", "EOF\n" + `due_on: "x" is wrong`},
		{"plain", errors.New("sqlite: database is locked at /var/db"), followup.EInternal, "internal error", "",
			"sqlite: database is locked at /var/db"},
		{"wrapped plain", fmt.Errorf("x: %w", io.ErrUnexpectedEOF), followup.EInternal, "internal error", "", "x: unexpected EOF"},
		{"formatted with %v loses the domain error", fmt.Errorf("x: %v", invalid), followup.EInternal, "internal error", "",
			`x: due_on: "x" is wrong`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := followup.ErrorCode(tt.err); got != tt.code {
				t.Errorf("ErrorCode = %q, want %q", got, tt.code)
			}
			if got := followup.ErrorMessage(tt.err); got != tt.message {
				t.Errorf("ErrorMessage = %q, want %q", got, tt.message)
			}
			if got := followup.ErrorField(tt.err); got != tt.field {
				t.Errorf("ErrorField = %q, want %q", got, tt.field)
			}
			if got := tt.err.Error(); got != tt.errorString {
				t.Errorf("Error() = %q, want %q", got, tt.errorString)
			}
		})
	}
}

func TestErrorCodeNil(t *testing.T) {
	if got := followup.ErrorCode(nil); got != "" {
		t.Errorf("ErrorCode(nil) = %q, want empty", got)
	}
	if got := followup.ErrorField(nil); got != "" {
		t.Errorf("ErrorField(nil) = %q, want empty", got)
	}
}

func TestErrorConstructors(t *testing.T) {
	e := followup.Invalid("limit", "between %d and %d", 1, 1000)
	if !reflect.DeepEqual(*e, followup.Error{Code: "invalid", Field: "limit", Message: "between 1 and 1000"}) {
		t.Errorf("Invalid = %#v", *e)
	}
	f := followup.Errorf(followup.ETooLarge, "over %d bytes", 1<<20)
	if !reflect.DeepEqual(*f, followup.Error{Code: "too_large", Message: "over 1048576 bytes"}) {
		t.Errorf("Errorf = %#v", *f)
	}
	r := followup.Refused("text", followup.ReasonTooLong, []string{"12", "10"}, "the text has %d characters", 12)
	if reason, facts := followup.ErrorReason(fmt.Errorf("w: %w", r)); reason != "too_long" || !reflect.DeepEqual(facts, []string{"12", "10"}) ||
		followup.ErrorCode(r) != followup.EInvalid || followup.ErrorField(r) != "text" || followup.ErrorMessage(r) != "the text has 12 characters" {
		t.Errorf("Refused = %#v", *r)
	}
	if reason, facts := followup.ErrorReason(e); reason != "" || facts != nil {
		t.Errorf("an error without a reason gives %q %v", reason, facts)
	}
	var target *followup.Error
	if !errors.As(fmt.Errorf("w: %w", f), &target) || target != f {
		t.Error("errors.As does not find the wrapped *Error")
	}
}

func TestErrorCodeValues(t *testing.T) {
	// The HTTP layer and clients depend on the exact spelling.
	tests := []struct{ got, want string }{
		{followup.EBadRequest, "bad_request"},
		{followup.EUnauthorized, "unauthorized"},
		{followup.EForbidden, "forbidden"},
		{followup.ENotFound, "not_found"},
		{followup.EConflict, "conflict"},
		{followup.ETooLarge, "too_large"},
		{followup.EInvalid, "invalid"},
		{followup.EInternal, "internal"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("code %q, want %q", tt.got, tt.want)
		}
	}
}
