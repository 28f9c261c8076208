package sqlstore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
)

func TestCreateUserHashesPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u, err := f.store.CreateUser(f.as("admin"), followup.UserInput{Email: " New.User@COE.test ", Name: " New User ",
		Role: followup.RoleParty, Party: "de", Password: "a-long-enough-password"})
	must(t, err)
	if u.ID <= 0 || u.Email != "new.user@coe.test" || u.Name != "New User" || u.Role != followup.RoleParty || u.Party != "DE" || !u.Active {
		t.Fatalf("CreateUser = %+v", u)
	}
	var hash string
	must(t, f.raw.QueryRow(`SELECT password_hash FROM users WHERE email = ?`, "new.user@coe.test").Scan(&hash))
	if hash == "a-long-enough-password" || strings.Contains(hash, "a-long-enough-password") {
		t.Fatalf("the password is stored in clear: %q", hash)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte("a-long-enough-password")); err != nil {
		t.Fatalf("stored hash does not match the password: %v", err)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte("another-password-x")); err == nil {
		t.Fatalf("stored hash matches a wrong password")
	}
	e := f.lastAudit(t)
	if e.Action != "user.create" || e.EntityKey != "new.user@coe.test" || e.Actor != "admin@coe.test" {
		t.Fatalf("audit entry = %+v", e)
	}
	if f.count(t, `SELECT count(*) FROM audit_log WHERE after_json LIKE '%a-long-enough-password%' OR after_json LIKE ?`, "%"+hash+"%") != 0 {
		t.Fatalf("the audit log holds the password or its hash")
	}
	// The user may look itself up, another may not.
	self, err := f.store.FindUserByEmail(followup.WithActor(f.as("anon"), u.Actor()), "NEW.USER@coe.test")
	must(t, err)
	if self.ID != u.ID {
		t.Fatalf("FindUserByEmail = %+v", self)
	}
	_, err = f.store.FindUserByEmail(f.as("fr"), "new.user@coe.test")
	wantErr(t, err, followup.EForbidden, "")
	list, err := f.store.ListUsers(f.as("admin"))
	must(t, err)
	if len(list) != 6 {
		t.Fatalf("ListUsers = %d users, want 6", len(list))
	}
	_, err = f.store.ListUsers(f.as("secretariat"))
	wantErr(t, err, followup.EForbidden, "")

	in := func(mod func(*followup.UserInput)) followup.UserInput {
		u := followup.UserInput{Email: "other@coe.test", Name: "Other", Role: followup.RoleRapporteur, Password: "a-long-enough-password"}
		mod(&u)
		return u
	}
	for _, tc := range []struct {
		name  string
		who   string
		in    followup.UserInput
		code  string
		field string
	}{
		{"duplicate e-mail", "admin", in(func(u *followup.UserInput) { u.Email = "FR@coe.test" }), followup.EConflict, "email"},
		{"party user of an unknown Party", "admin", in(func(u *followup.UserInput) { u.Role, u.Party = followup.RoleParty, "AT" }), followup.EInvalid, "party"},
		{"party user without a Party", "admin", in(func(u *followup.UserInput) { u.Role = followup.RoleParty }), followup.EInvalid, "party"},
		{"non-party user with a Party", "admin", in(func(u *followup.UserInput) { u.Party = "FR" }), followup.EInvalid, "party"},
		{"bad e-mail", "admin", in(func(u *followup.UserInput) { u.Email = "nobody" }), followup.EInvalid, "email"},
		{"bad role", "admin", in(func(u *followup.UserInput) { u.Role = "chair" }), followup.EInvalid, "role"},
		{"short password", "admin", in(func(u *followup.UserInput) { u.Password = "short" }), followup.EInvalid, "password"},
		{"secretariat", "secretariat", in(func(*followup.UserInput) {}), followup.EForbidden, ""},
		{"rapporteur", "rapporteur", in(func(*followup.UserInput) {}), followup.EForbidden, ""},
		{"party user", "fr", in(func(*followup.UserInput) {}), followup.EForbidden, ""},
		{"anonymous", "anon", in(func(*followup.UserInput) {}), followup.EUnauthorized, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump(t)
			_, err := f.store.CreateUser(f.as(tc.who), tc.in)
			wantErr(t, err, tc.code, tc.field)
			f.unchanged(t, before)
		})
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tok, err := f.store.CreateToken(f.as("admin"), "HU@coe.test", "laptop", "")
	must(t, err)
	if !strings.HasPrefix(tok, "fut_") || len(tok) < 40 {
		t.Fatalf("token = %q", tok)
	}
	actor, err := f.store.AuthenticateToken(f.as("anon"), tok)
	must(t, err)
	want := f.users["hu"].Actor()
	if actor != want {
		t.Fatalf("AuthenticateToken = %+v, want %+v", actor, want)
	}
	var stored, name string
	must(t, f.raw.QueryRow(`SELECT token_hash, name FROM api_tokens WHERE user_id = ?`, f.users["hu"].ID).Scan(&stored, &name))
	sum := sha256.Sum256([]byte(tok))
	if stored == tok || strings.Contains(stored, tok) || stored != hex.EncodeToString(sum[:]) || name != "laptop" {
		t.Fatalf("stored token_hash %q (name %q) for token %q", stored, name, tok)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE coalesce(after_json, '') LIKE ? OR coalesce(before_json, '') LIKE ?`, "%"+tok+"%", "%"+tok+"%"); n != 0 {
		t.Fatalf("the audit log holds the token in clear")
	}
	e := f.lastAudit(t)
	if e.Action != "token.create" || e.EntityKey != "hu@coe.test" || e.Actor != "admin@coe.test" {
		t.Fatalf("audit entry = %+v", e)
	}

	// A given secret (demo data) works as is.
	given := "demo-token-for-the-rapporteur-000"
	got, err := f.store.CreateToken(f.as("system"), "rapporteur@coe.test", "", given)
	must(t, err)
	if got != given {
		t.Fatalf("CreateToken with a secret returned %q", got)
	}
	actor, err = f.store.AuthenticateToken(f.as("anon"), given)
	must(t, err)
	if actor.Email != "rapporteur@coe.test" || actor.Role != followup.RoleRapporteur || actor.UserID != f.users["rapporteur"].ID {
		t.Fatalf("AuthenticateToken = %+v", actor)
	}

	for _, bad := range []string{"", "fut_wrong", tok + "x", strings.ToUpper(tok), stored} {
		_, err := f.store.AuthenticateToken(f.as("anon"), bad)
		wantErr(t, err, followup.EUnauthorized, "")
	}

	for _, tc := range []struct {
		name         string
		who          string
		email, token string
		code, field  string
	}{
		{"unknown user", "admin", "nobody@coe.test", "", followup.ENotFound, ""},
		{"short secret", "admin", "fr@coe.test", "short", followup.EInvalid, "token"},
		{"duplicate secret", "admin", "fr@coe.test", given, followup.EConflict, ""},
		{"secretariat", "secretariat", "fr@coe.test", "", followup.EForbidden, ""},
		{"rapporteur", "rapporteur", "rapporteur@coe.test", "", followup.EForbidden, ""},
		{"party user", "fr", "fr@coe.test", "", followup.EForbidden, ""},
		{"anonymous", "anon", "fr@coe.test", "", followup.EUnauthorized, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump(t)
			_, err := f.store.CreateToken(f.as(tc.who), tc.email, "x", tc.token)
			wantErr(t, err, tc.code, tc.field)
			f.unchanged(t, before)
		})
	}
}
