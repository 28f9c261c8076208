package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/server"
	"followup/internal/storetest"
)

// movingClock is a clock the test sets forward.
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *movingClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// proxiedServer is a server over the given services with its own clock, behind a trusted proxy
// on the loopback: each browser of browserFrom then speaks from the client address it names in
// X-Forwarded-For.
func (e *testEnv) proxiedServer(svc followup.Services, clock followup.Clock) *server.Server {
	e.t.Helper()
	return newServer(e.t, server.Options{Services: svc, Clock: clock, Location: time.UTC,
		Web: server.WebOptions{TrustedProxies: []string{"127.0.0.1"}}})
}

// fromAddress sets the client address a trusted proxy would have seen.
type fromAddress struct {
	addr string
	next http.RoundTripper
}

func (f fromAddress) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return f.next.RoundTrip(r)
}

// browserFrom is a browser of srv at the client address addr.
func (e *testEnv) browserFrom(srv *server.Server, addr string) *browser {
	e.t.Helper()
	ts := httptest.NewServer(srv.Handler())
	e.t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, base: ts.URL, c: &http.Client{Jar: jar, Transport: fromAddress{addr, http.DefaultTransport},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func signIn(b *browser, who, password string) page {
	b.t.Helper()
	return b.post("/login", url.Values{"email": {who + "@example.org"}, "password": {password}})
}

// An attacker who keeps failing from one address is locked out there; the account's owner,
// from another address, still signs in.
func TestLockoutIsPerAccountAndAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clock := &movingClock{t: today}
	srv := e.proxiedServer(testServices(t, e.store, clock), clock)
	attacker := e.browserFrom(srv, "203.0.113.7")
	for i := range 5 {
		signIn(attacker, "party-fr", fmt.Sprintf("guess number %d!", i)).expect(t, 401, "attacker's wrong password")
	}
	p := signIn(attacker, "party-fr", testPassword).expect(t, 429, "attacker's sixth attempt")
	if !strings.Contains(p.body, "try again in 15 minutes") || p.header.Get("Retry-After") != "900" {
		t.Errorf("throttled answer: Retry-After %q, %.300s", p.header.Get("Retry-After"), p.body)
	}
	owner := e.browserFrom(srv, "198.51.100.20")
	signIn(owner, "party-fr", testPassword).expect(t, 303, "the owner from the office's address")
	owner.get("/desk").expect(t, 200, "the owner's desk")
	// The attacker's address stays locked for the account until its window ends.
	clock.advance(14 * time.Minute)
	signIn(attacker, "party-fr", testPassword).expect(t, 429, "attacker after 14 minutes")
	clock.advance(time.Minute)
	signIn(attacker, "party-fr", "one more guess!").expect(t, 401, "attacker after 15 minutes")
}

// Failures from many addresses add up to the slower limit of the account: 50 in an hour lock it
// from every address, until the oldest of them is an hour old.
func TestLockoutGlobalPerAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clock := &movingClock{t: today}
	srv := e.proxiedServer(testServices(t, e.store, clock), clock)
	for a := range 10 {
		b := e.browserFrom(srv, fmt.Sprintf("203.0.113.%d", 10+a))
		for i := range 5 {
			signIn(b, "party-fr", fmt.Sprintf("guess %d from %d!", i, a)).expect(t, 401, "a guess")
		}
		clock.advance(time.Minute)
	}
	owner := e.browserFrom(srv, "198.51.100.20")
	p := signIn(owner, "party-fr", testPassword).expect(t, 429, "the owner after 50 failures from elsewhere")
	if !strings.Contains(p.body, "try again in 50 minutes") {
		t.Errorf("global lockout message: %.300s", p.body)
	}
	// Other accounts are not touched.
	signIn(owner, "party-de", testPassword).expect(t, 303, "another account from the owner's address")
	clock.advance(50 * time.Minute)
	signIn(e.browserFrom(srv, "198.51.100.20"), "party-fr", testPassword).expect(t, 303, "the owner an hour after the first failures")
}

// The counts are in the database: two servers on one database, and a server started again,
// see the same failures.
func TestLockoutSharedByReplicas(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clock := &movingClock{t: today}
	first := e.proxiedServer(testServices(t, e.store, clock), clock)
	other := storetest.OpenAt(t, e.database, storeOptions())
	second := e.proxiedServer(testServices(t, other, clock), clock)
	a := e.browserFrom(first, "203.0.113.7")
	b := e.browserFrom(second, "203.0.113.7")
	for i := range 3 {
		signIn(a, "party-fr", fmt.Sprintf("guess %d on the first!", i)).expect(t, 401, "a guess on the first replica")
	}
	for i := range 2 {
		signIn(b, "party-fr", fmt.Sprintf("guess %d on the second!", i)).expect(t, 401, "a guess on the second replica")
	}
	signIn(a, "party-fr", testPassword).expect(t, 429, "the first replica after 5 failures on both")
	signIn(b, "party-fr", testPassword).expect(t, 429, "the second replica after 5 failures on both")
	restarted := e.proxiedServer(testServices(t, e.store, clock), clock)
	signIn(e.browserFrom(restarted, "203.0.113.7"), "party-fr", testPassword).expect(t, 429, "a restarted server")
}

// A signed-in user's current-password check is throttled like sign-in.
func TestPasswordChangeThrottled(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("party-fr")
	for i := range 5 {
		b.post("/account/password", url.Values{"old_password": {fmt.Sprintf("guess %d of it", i)},
			"new_password": {"a brand new password"}, "confirm_password": {"a brand new password"}}).expect(t, 422, "a wrong current password")
	}
	p := b.post("/account/password", url.Values{"old_password": {testPassword},
		"new_password": {"a brand new password"}, "confirm_password": {"a brand new password"}}).expect(t, 429, "the sixth try")
	if p.header.Get("Retry-After") == "" || !strings.Contains(p.body, "try again in 15 minutes") {
		t.Errorf("throttled password change: %.500s", p.body)
	}
	// The password did not change. (Signing in from this address is refused too: the wrong
	// current passwords count as failed sign-ins of the account from this address.)
	if _, err := e.store.AuthenticatePassword(context.Background(), "party-fr@example.org", testPassword); err != nil {
		t.Errorf("the old password no longer works: %v", err)
	}
	signIn(e.browser(), "party-fr", testPassword).expect(t, 429, "signing in from the address that guessed")
}
