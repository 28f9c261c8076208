package followup_test

import (
	"testing"

	"followup/internal/followup"
)

// wantErr fails unless err is a domain error with the given code and field. An empty code
// means "no error expected".
func wantDomainErr(t *testing.T, err error, code, field string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v (code %s, field %s)", err, followup.ErrorCode(err), followup.ErrorField(err))
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want code %q field %q", code, field)
	}
	if got := followup.ErrorCode(err); got != code {
		t.Fatalf("error %q has code %q, want %q", err, got, code)
	}
	if got := followup.ErrorField(err); got != field {
		t.Fatalf("error %q has field %q, want %q", err, got, field)
	}
}

func ptrTo[T any](v T) *T { return &v }

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var day = followup.MustDate

// invalidIf returns EInvalid when a field is expected to be named, and "" (no error) otherwise.
func invalidIf(field string) string {
	if field == "" {
		return ""
	}
	return followup.EInvalid
}
