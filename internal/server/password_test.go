package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// Weak passwords are refused wherever a password is set: one's own change, an administrator's
// reset, a new account.
func TestWeakPasswordsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fr := e.browser()
	fr.login("party-fr")
	admin := e.browser()
	admin.login("admin")
	before := e.auditCount()
	for _, weak := range []string{"            ", "\t \u00a0 \u3000       ", "password1234", "Football2024!", "abcabcabcabc", "qwertyuiop12"} {
		p := fr.post("/account/password", url.Values{"old_password": {testPassword}, "new_password": {weak}, "confirm_password": {weak}})
		p.expect(t, 422, fmt.Sprintf("change to %q", weak))
		if !strings.Contains(p.body, `id="new_password-err"`) {
			t.Errorf("change to %q: no message next to the field: %.2000s", weak, p.body)
		}
		admin.post("/manage/users/party-de@example.org/password", url.Values{"password": {weak}}).expect(t, 422, fmt.Sprintf("reset to %q", weak))
		admin.post("/manage/users", url.Values{"email": {"new@example.org"}, "name": {"New"}, "role": {"rapporteur"},
			"password": {weak}}).expect(t, 422, fmt.Sprintf("create with %q", weak))
	}
	if n := e.auditCount() - before; n != 0 {
		t.Errorf("refused passwords wrote %d audit entries", n)
	}
	signIn(e.browser(), "party-fr", testPassword).expect(t, 303, "the old password still signs in")
	signIn(e.browser(), "party-de", testPassword).expect(t, 303, "the old password still signs in")
}
