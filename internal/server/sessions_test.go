package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"followup/internal/followup"
	"followup/internal/storetest"
)

// Changing one's password ends one's other sessions; the current one goes on under a new id.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	laptop, phone := e.browser(), e.browser()
	laptop.login("party-fr")
	phone.login("party-fr")
	phone.get("/desk").expect(t, 200, "the phone's desk")
	oldCookie := laptop.cookie("followup_session")
	laptop.post("/account/password", url.Values{"old_password": {testPassword},
		"new_password": {"a brand new password"}, "confirm_password": {"a brand new password"}}).expect(t, 303, "change the password")
	laptop.get("/desk").expect(t, 200, "the laptop, which changed the password, is still signed in")
	if c := laptop.cookie("followup_session"); c == "" || c == oldCookie {
		t.Errorf("the current session's id was not renewed: %q → %q", oldCookie, c)
	}
	phone.get("/desk").expect(t, 303, "the phone after the password change")
	replay := e.browser()
	replay.setCookie(oldCookie)
	replay.get("/desk").expect(t, 303, "the laptop's old session id")
	e.wantAudit("user.change_password", "party-fr@example.org", testPassword, "a brand new password")
}

// An administrator's reset of a password ends every session of that user.
func TestPasswordResetEndsSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	laptop, phone := e.browser(), e.browser()
	laptop.login("party-fr")
	phone.login("party-fr")
	admin := e.browser()
	admin.login("admin")
	admin.post("/manage/users/party-fr@example.org/password", url.Values{"password": {"a reset long password"}}).expect(t, 303, "reset")
	laptop.get("/desk").expect(t, 303, "the laptop after the reset")
	phone.get("/desk").expect(t, 303, "the phone after the reset")
	admin.get("/manage/users").expect(t, 200, "the administrator is still signed in")
	e.wantAudit("user.reset_password", "party-fr@example.org", "a reset long password")
}

// Deactivating an account ends its sessions for good: reactivating it does not bring back a
// session that was not used in between.
func TestDeactivationEndsSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	laptop, phone := e.browser(), e.browser()
	laptop.login("party-fr")
	phone.login("party-fr")
	admin := e.browser()
	admin.login("admin")
	admin.post("/manage/users/party-fr@example.org/deactivate", url.Values{}).expect(t, 303, "deactivate")
	admin.post("/manage/users/party-fr@example.org/reactivate", url.Values{}).expect(t, 303, "reactivate")
	laptop.get("/desk").expect(t, 303, "the laptop after deactivation and reactivation")
	phone.get("/desk").expect(t, 303, "the phone after deactivation and reactivation")
	signIn(e.browser(), "party-fr", testPassword).expect(t, 303, "signing in again")
	e.wantAudit("user.deactivate", "party-fr@example.org", testPassword)
	e.wantAudit("user.reactivate", "party-fr@example.org", testPassword)
}

// The sessions table keeps no session id in clear: nothing read from it (a backup) signs in.
func TestSessionTokensStoredHashed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("party-fr")
	b.get("/desk").expect(t, 200, "desk")
	cookie := b.cookie("followup_session")
	raw := storetest.Raw(t, e.database)
	rows, err := raw.Query(`SELECT * FROM sessions`)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	var values []string
	for rows.Next() {
		cells := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range cells {
			ptrs[i] = &cells[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, c := range cells {
			switch v := c.(type) {
			case string:
				values = append(values, v)
			case []byte:
				values = append(values, string(v))
			}
		}
	}
	rows.Close()
	sum := sha256.Sum256([]byte(cookie))
	hashed := false
	for _, v := range values {
		if strings.Contains(v, cookie) {
			t.Fatalf("the sessions table holds the session id in clear")
		}
		hashed = hashed || v == hex.EncodeToString(sum[:])
		thief := e.browser()
		thief.setCookie(v)
		if p := thief.get("/desk"); p.status == 200 {
			t.Fatalf("a value of the sessions table works as a session cookie")
		}
	}
	if !hashed {
		t.Errorf("no row holds the SHA-256 of the session id (values %d)", len(values))
	}
	b.get("/desk").expect(t, 200, "the real cookie still works")
}

func (b *browser) setCookie(value string) {
	u, _ := url.Parse(b.base)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "followup_session", Value: value, Path: "/"}})
}

// wantAudit fails unless the audit log has an entry of the action on the user, and none of the
// secrets appears in any entry.
func (e *testEnv) wantAudit(action, user string, secrets ...string) {
	e.t.Helper()
	ctx := followup.WithActor(context.Background(), followup.SystemActor)
	page, err := e.store.ListAudit(ctx, followup.AuditFilter{Entity: "user", Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	found := false
	for _, en := range page.Items {
		found = found || (en.Action == action && en.EntityKey == user)
		j, _ := json.Marshal(en)
		for _, s := range secrets {
			if strings.Contains(string(j), s) {
				e.t.Errorf("the audit entry %s holds a secret: %s", en.Action, j)
			}
		}
	}
	if !found {
		e.t.Errorf("no %s entry for %s in the audit log", action, user)
	}
}
