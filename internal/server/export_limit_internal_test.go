package server

import (
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"testing"
)

// A client's entry lives only while it has renders in flight: any number of addresses, one
// after another, leave nothing behind.
func TestRenderLimiterForgetsIdleClients(t *testing.T) {
	l, err := newRenderLimiter(ExportLimits{PerClient: 2, Total: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var releases []func()
	for i := range 400 {
		client := fmt.Sprintf("address:2001:db8:%x::/64", i)
		for range 2 {
			release, err := l.acquire(client)
			if err != nil {
				t.Fatalf("%s: %v", client, err)
			}
			releases = append(releases, release)
		}
		var he *httpError
		if _, err := l.acquire(client); !errors.As(err, &he) || he.status != http.StatusTooManyRequests || he.code != "busy" || he.retryAfter <= 0 {
			t.Fatalf("%s, a third render: %v, want a 429 busy with a wait", client, err)
		}
	}
	if len(l.byClient) != 400 || l.inFlight != 800 {
		t.Fatalf("%d clients and %d renders in flight, want 400 and 800", len(l.byClient), l.inFlight)
	}
	for _, release := range releases {
		release()
	}
	if len(l.byClient) != 0 || l.inFlight != 0 {
		t.Fatalf("after every release: %d clients and %d renders kept, want none", len(l.byClient), l.inFlight)
	}
}

func TestRenderLimiterDefaults(t *testing.T) {
	for _, tc := range []struct {
		limits           ExportLimits
		perClient, total int
		bad              bool
	}{
		{ExportLimits{}, DefaultExportsPerClient, 2 * runtime.GOMAXPROCS(0), false},
		{ExportLimits{PerClient: 1, Total: 8}, 1, 8, false},
		{ExportLimits{PerClient: -1}, 0, 0, true},
		{ExportLimits{Total: -1}, 0, 0, true},
	} {
		l, err := newRenderLimiter(tc.limits)
		if tc.bad {
			if err == nil {
				t.Errorf("%+v: no error", tc.limits)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%+v: %v", tc.limits, err)
		}
		if l.perClient != tc.perClient || l.total != tc.total {
			t.Errorf("%+v: per client %d, total %d; want %d, %d", tc.limits, l.perClient, l.total, tc.perClient, tc.total)
		}
	}
}
