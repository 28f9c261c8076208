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

// A page view saves its session only to push the idle expiry on, with the data it read. Such a
// save is written only when the expiry has moved on by a tenth of what is left of it, at most
// five minutes: page views then do not wait for the writer while a long write (an import of
// 50,000 rows) holds it. Any change of the data or the user is written at once.
func TestSessionTouchesAreSpaced(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ss := f.store.Sessions()
	const token = "touched-session-0000000000000000"
	fr, hu := f.users["fr"].ID, f.users["hu"].ID
	start := time.Now().Add(2 * time.Hour).Truncate(time.Millisecond)
	stored := func() (string, time.Time) {
		t.Helper()
		var data []byte
		var ms int64
		if err := f.raw.QueryRow(`SELECT data, expiry FROM sessions WHERE user_id IS NOT NULL`).Scan(&data, &ms); err != nil {
			t.Fatal(err)
		}
		return string(data), time.UnixMilli(ms)
	}
	for _, tc := range []struct {
		name       string
		user       int64
		data       string
		expiry     time.Time
		wantData   string
		wantExpiry time.Time
	}{
		{"first save", fr, "a", start, "a", start},
		{"a page view 30 s later", fr, "a", start.Add(30 * time.Second), "a", start},
		{"a page view 4 min later", fr, "a", start.Add(4 * time.Minute), "a", start},
		{"a page view 6 min later", fr, "a", start.Add(6 * time.Minute), "a", start.Add(6 * time.Minute)},
		{"new data a second later", fr, "b", start.Add(6*time.Minute + time.Second), "b", start.Add(6*time.Minute + time.Second)},
		{"another user a second later", hu, "b", start.Add(6*time.Minute + 2*time.Second), "b", start.Add(6*time.Minute + 2*time.Second)},
		{"an earlier expiry", hu, "b", start, "b", start},
	} {
		if err := ss.Commit(ctx, token, tc.user, []byte(tc.data), tc.expiry); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if data, expiry := stored(); data != tc.wantData || !expiry.Equal(tc.wantExpiry) {
			t.Errorf("%s: stored %q until %s, want %q until %s", tc.name, data, expiry.Format(time.TimeOnly),
				tc.wantData, tc.wantExpiry.Format(time.TimeOnly))
		}
	}
	// Near the end of its lifetime (two minutes left) a session is touched every 12 s or so.
	near := time.Now().Add(2 * time.Minute).Truncate(time.Millisecond)
	for _, c := range []struct {
		expiry, want time.Time
	}{{near, near}, {near.Add(5 * time.Second), near}, {near.Add(20 * time.Second), near.Add(20 * time.Second)}} {
		if err := ss.Commit(ctx, token, hu, []byte("b"), c.expiry); err != nil {
			t.Fatal(err)
		}
		if _, expiry := stored(); !expiry.Equal(c.want) {
			t.Errorf("near the end: committed until %s, stored until %s, want %s", c.expiry.Format(time.TimeOnly),
				expiry.Format(time.TimeOnly), c.want.Format(time.TimeOnly))
		}
	}
}
