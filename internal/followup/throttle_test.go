package followup_test

import (
	"strings"
	"testing"
	"time"

	"followup/internal/followup"
)

func TestLoginLimitWait(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	limit := followup.LoginLimit{Scope: followup.ScopeAccountAddress, Max: 3, Window: 15 * time.Minute}
	tests := []struct {
		name     string
		failures []time.Time
		want     time.Duration
	}{
		{"none", nil, 0},
		{"fewer than the limit", []time.Time{ago(time.Minute), ago(2 * time.Minute)}, 0},
		{"the limit, all now", []time.Time{now, now, now}, 15 * time.Minute},
		{"the limit, the third newest 10 minutes ago", []time.Time{ago(time.Minute), ago(5 * time.Minute), ago(10 * time.Minute)}, 5 * time.Minute},
		{"more than the limit: the third newest decides", []time.Time{ago(time.Minute), ago(2 * time.Minute), ago(4 * time.Minute), ago(14 * time.Minute)}, 11 * time.Minute},
		{"the third newest just leaving the window", []time.Time{now, now, ago(15 * time.Minute)}, 0},
	}
	for _, tt := range tests {
		if got := limit.Wait(now, tt.failures); got != tt.want {
			t.Errorf("%s: wait %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestLoginLimits(t *testing.T) {
	byScope := map[followup.LoginScope]followup.LoginLimit{}
	for _, l := range followup.LoginLimits {
		byScope[l.Scope] = l
	}
	want := map[followup.LoginScope]followup.LoginLimit{
		followup.ScopeAccountAddress: {Scope: followup.ScopeAccountAddress, Max: 5, Window: 15 * time.Minute},
		followup.ScopeAccount:        {Scope: followup.ScopeAccount, Max: 50, Window: time.Hour},
		followup.ScopeAddress:        {Scope: followup.ScopeAddress, Max: 20, Window: 15 * time.Minute},
	}
	if len(byScope) != len(want) {
		t.Fatalf("limits %+v", followup.LoginLimits)
	}
	for s, l := range want {
		if byScope[s] != l {
			t.Errorf("limit %s = %+v, want %+v (README.md gives these numbers)", s, byScope[s], l)
		}
	}
	if got := followup.LoginFailuresKept(); got != time.Hour {
		t.Errorf("failures kept %v, want 1h", got)
	}
}

func TestThrottleKeys(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":               "203.0.113.7",
		" 203.0.113.7 ":             "203.0.113.7",
		"::ffff:203.0.113.7":        "203.0.113.7",
		"2001:db8:1:2:aaaa::1":      "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff::9": "2001:db8:1:2::/64",
		"fe80::1%eth0":              "fe80::/64",
		"not an address":            "not an address",
		strings.Repeat("x", 100):    strings.Repeat("x", 64),
	} {
		if got := followup.ThrottleAddress(in); got != want {
			t.Errorf("ThrottleAddress(%q) = %q, want %q", in, got, want)
		}
	}
	if got := followup.ThrottleAccount("  Desk@Example.ORG "); got != "desk@example.org" {
		t.Errorf("ThrottleAccount = %q", got)
	}
	if got := followup.ThrottleAccount(strings.Repeat("é", 200)); len(got) > 254 || !strings.HasPrefix(got, "éé") {
		t.Errorf("a long account is %d bytes", len(got))
	}
}
