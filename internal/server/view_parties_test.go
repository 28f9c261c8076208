package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"followup/internal/followup"
)

// failingParties is a Party service that cannot list the Parties.
type failingParties struct{ followup.PartyService }

func (failingParties) ListParties(context.Context) ([]followup.Party, error) {
	return nil, errors.New("the Parties cannot be read")
}

// A page whose Party names cannot be read fails with a 500 error page: it never shows codes in
// place of names as if nothing had happened (the templates call no service).
func TestPagesFailWhenPartiesCannotBeRead(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	opts := testOptions(t, e.store)
	opts.Services.Parties = failingParties{opts.Services.Parties}
	srv := newServer(t, opts)
	for _, path := range []string{"/reports/rep", "/parties/FR", "/recommendations"} {
		r := pageRequest(srv, path)
		if r.Code != 500 || !strings.Contains(r.Body.String(), `class="error-page"`) {
			t.Errorf("%s: status %d, want the 500 error page", path, r.Code)
		}
	}
}

// pageRequest serves one anonymous GET of a page.
func pageRequest(srv interface{ Handler() http.Handler }, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec
}
