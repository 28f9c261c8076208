package server

import (
	"sync"
	"time"
)

// loginThrottle counts failed sign-ins per account and per client address in memory. After
// perAccount failures for one e-mail address, or perClient failures from one address, within a
// window, further attempts are refused until the window that began with the first failure
// ends. The map is bounded: when full, expired entries are dropped, then the oldest.
//
// A small counter map rather than a token bucket (golang.org/x/time/rate): what is wanted is
// "N failures, then wait", with the wait told to the user, and no new dependency.
type loginThrottle struct {
	mu         sync.Mutex
	perAccount int
	perClient  int
	window     time.Duration
	capacity   int
	entries    map[string]*failures
	now        func() time.Time
}

type failures struct {
	n     int
	first time.Time
}

func newLoginThrottle(perAccount, perClient int, window time.Duration, capacity int) *loginThrottle {
	return &loginThrottle{perAccount: perAccount, perClient: perClient, window: window, capacity: capacity,
		entries: map[string]*failures{}, now: time.Now}
}

func accountKey(email string) string { return "a:" + email }
func clientKey(ip string) string     { return "c:" + ip }

// wait returns how long the account or the client must wait before trying again; zero when
// they may try now.
func (l *loginThrottle) wait(email, ip string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var longest time.Duration
	check := func(key string, limit int) {
		f := l.entries[key]
		if f == nil {
			return
		}
		end := f.first.Add(l.window)
		if !now.Before(end) {
			delete(l.entries, key)
			return
		}
		if f.n >= limit && end.Sub(now) > longest {
			longest = end.Sub(now)
		}
	}
	check(accountKey(email), l.perAccount)
	check(clientKey(ip), l.perClient)
	return longest
}

// fail records a failed attempt.
func (l *loginThrottle) fail(email, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, key := range []string{accountKey(email), clientKey(ip)} {
		f := l.entries[key]
		if f == nil || !now.Before(f.first.Add(l.window)) {
			l.makeRoom(now)
			f = &failures{first: now}
			l.entries[key] = f
		}
		f.n++
	}
}

// succeed forgets the account's failures (not the client's: one good password must not
// reopen a client that is trying many accounts).
func (l *loginThrottle) succeed(email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, accountKey(email))
}

func (l *loginThrottle) makeRoom(now time.Time) {
	if len(l.entries) < l.capacity {
		return
	}
	var oldestKey string
	var oldest time.Time
	for k, f := range l.entries {
		if !now.Before(f.first.Add(l.window)) {
			delete(l.entries, k)
			continue
		}
		if oldestKey == "" || f.first.Before(oldest) {
			oldestKey, oldest = k, f.first
		}
	}
	if len(l.entries) >= l.capacity && oldestKey != "" {
		delete(l.entries, oldestKey)
	}
}
