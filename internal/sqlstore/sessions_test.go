package sqlstore_test

import (
	"context"
	"testing"
	"time"
)

// Sessions are keyed by a hash, belong to their user, and the events that end a user's
// sessions end them for good: a request still under way cannot save one back.
func TestSessionsEndWithTheirUser(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ss := f.store.Sessions()
	expiry := time.Now().Add(time.Hour)
	fr, hu := f.users["fr"].ID, f.users["hu"].ID
	commit := func(token string, user int64) {
		t.Helper()
		if err := ss.Commit(ctx, token, user, []byte("data of "+token), expiry); err != nil {
			t.Fatal(err)
		}
	}
	found := func(token string) bool {
		t.Helper()
		_, ok, err := ss.Find(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	commit("laptop-of-fr-0000000000000000000", fr)
	commit("phone-of-fr-00000000000000000000", fr)
	commit("desk-of-hu-000000000000000000000", hu)
	commit("anonymous-00000000000000000000000", 0)
	var n int
	if err := f.raw.QueryRow(`SELECT count(*) FROM sessions WHERE token_hash LIKE ? OR token_hash LIKE ?`, "%of-fr%", "%anonymous%").Scan(&n); err != nil || n != 0 {
		t.Fatalf("session ids stored in clear: %d, %v", n, err)
	}
	var owner int64
	if err := f.raw.QueryRow(`SELECT user_id FROM sessions WHERE user_id IS NOT NULL ORDER BY user_id LIMIT 1`).Scan(&owner); err != nil || owner != fr {
		t.Fatalf("the sessions' users: %d, %v", owner, err)
	}

	if err := f.store.ResetPassword(f.as("admin"), email("fr"), "a reset long password"); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"laptop-of-fr-0000000000000000000", "phone-of-fr-00000000000000000000"} {
		if found(tok) {
			t.Errorf("%s survived the reset", tok)
		}
		commit(tok, fr) // the end of a request that loaded the session before the reset
		if found(tok) {
			t.Errorf("%s was saved back after the reset", tok)
		}
	}
	if !found("desk-of-hu-000000000000000000000") || !found("anonymous-00000000000000000000000") {
		t.Error("the reset ended other users' sessions")
	}
	commit("new-laptop-of-fr-000000000000000", fr)
	if !found("new-laptop-of-fr-000000000000000") {
		t.Error("a session made after the reset does not work")
	}

	for _, active := range []bool{false, true} {
		if err := f.store.SetUserActive(f.as("admin"), email("hu"), active); err != nil {
			t.Fatal(err)
		}
		if found("desk-of-hu-000000000000000000000") {
			t.Errorf("the session survived SetUserActive(%v)", active)
		}
	}

	if err := f.store.ChangePassword(f.as("fr"), "a reset long password", "a third long password"); err != nil {
		t.Fatal(err)
	}
	if found("new-laptop-of-fr-000000000000000") {
		t.Error("the session survived the user's own password change")
	}
	if err := ss.Delete(ctx, "anonymous-00000000000000000000000"); err != nil || found("anonymous-00000000000000000000000") {
		t.Errorf("Delete: %v", err)
	}
}
