package followup

import (
	"context"
	"net/netip"
	"strings"
	"time"
)

// LoginThrottle counts failed password checks (signing in, and the current password asked by a
// password change) in the database, so that every replica of the server, and a restarted one,
// sees the same counts. Its limits are LoginLimits.
type LoginThrottle interface {
	// LoginAttempt is called before a password of the account is checked for a request from
	// the client address ip. It returns how long the client must wait when a limit is reached;
	// otherwise it returns zero and counts the attempt as a failure, in the same transaction,
	// so that parallel guesses cannot all pass the check before any of them is counted.
	LoginAttempt(ctx context.Context, email, ip string, now time.Time) (wait time.Duration, err error)
	// ClearLoginFailures forgets the failures of the account from the address, once the right
	// password was given from there. The failures from other addresses stay, and so do the
	// address's failures on other accounts: one good password must not reopen an address that
	// is trying many accounts.
	ClearLoginFailures(ctx context.Context, email, ip string) error
}

// LoginScope says which failures a limit counts.
type LoginScope string

// Scopes of the limits.
const (
	ScopeAccountAddress LoginScope = "account_address" // the account's, from one address
	ScopeAccount        LoginScope = "account"         // the account's, from every address
	ScopeAddress        LoginScope = "address"         // one address's, on every account
)

// LoginLimit refuses attempts once Max failures of its scope fall within Window.
type LoginLimit struct {
	Scope  LoginScope
	Max    int
	Window time.Duration
}

// LoginLimits are the sign-in limits. The lockout that guards an account is per account and
// address, so that an attacker who guesses from one address locks out only that address, never
// the account's owner signing in from elsewhere (a Party's desk officer before a deadline); the
// account's limit over every address is ten times slower, for guesses spread over many
// addresses, and an address's limit over every account is for one address trying many.
var LoginLimits = []LoginLimit{
	{Scope: ScopeAccountAddress, Max: 5, Window: 15 * time.Minute},
	{Scope: ScopeAccount, Max: 50, Window: time.Hour},
	{Scope: ScopeAddress, Max: 20, Window: 15 * time.Minute},
}

// LoginFailuresKept is how long a failure counts for any limit: older ones may be deleted.
func LoginFailuresKept() time.Duration {
	var longest time.Duration
	for _, l := range LoginLimits {
		longest = max(longest, l.Window)
	}
	return longest
}

// Wait returns how long to wait before the next attempt, given the failures of the limit's
// scope that are younger than its window, newest first (only the first Max matter): zero while
// fewer than Max. A failure counts until Window after it happened, so the wait ends when the
// Max-th newest leaves the window.
func (l LoginLimit) Wait(now time.Time, newestFirst []time.Time) time.Duration {
	if l.Max <= 0 || len(newestFirst) < l.Max {
		return 0
	}
	end := newestFirst[l.Max-1].Add(l.Window)
	if !now.Before(end) {
		return 0
	}
	return end.Sub(now)
}

// ThrottleAccount is the key an e-mail address is counted under: trimmed, in lower case, at
// most 254 bytes (what is typed into the sign-in form need not be an account).
func ThrottleAccount(email string) string {
	k := strings.ToLower(strings.TrimSpace(email))
	if len(k) > 254 {
		k = strings.ToValidUTF8(k[:254], "")
	}
	return k
}

// ThrottleAddress is the key a client address is counted under: an IPv4 address itself, an
// IPv6 address its /64 network, which one subscriber usually holds whole (counting each of its
// addresses apart would let one machine try 2^64 times).
func ThrottleAddress(ip string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		if len(ip) > 64 {
			ip = ip[:64]
		}
		return strings.ToValidUTF8(ip, "")
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
