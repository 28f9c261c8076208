package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
	"followup/internal/storetest"
)

// syncBuffer is a buffer the server goroutine writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// `followup serve --demo` as wired by this command: the demo data, the pages with a session
// stored in the database, the API with a demo token, then a clean stop on cancel.
func TestServeWiresPagesAndAPI(t *testing.T) {
	dir := writeConfig(t, "timezone: Europe/Paris\nfollowup:\n  next_due_after: 6 months\n")
	out := &syncBuffer{}
	env := environment{stdin: strings.NewReader(""), stdout: out, stderr: io.Discard,
		environ:      []string{"FOLLOWUP_CONFIG=" + filepath.Join(dir, "config.yaml")},
		clock:        followup.SystemClock{},
		passwordCost: bcrypt.MinCost}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--db", storetest.NewDatabase(t), "--listen", "127.0.0.1:0"}, env)
	}()
	addr := regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := addr.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("the server did not start: %s %v", out.String(), <-done)
	}
	if !strings.Contains(out.String(), "party-fr@example.org") || !strings.Contains(out.String(), "demo-token-admin") {
		t.Errorf("the demo logins were not printed: %s", out.String())
	}

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	get := func(path string, header ...string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := get("/reports/refugee-crisis-2017"); code != 200 || !strings.Contains(body, "Matrix") && !strings.Contains(body, "matrix") {
		t.Errorf("public report page: %d", code)
	}
	resp, err := client.PostForm(base+"/login", url.Values{"email": {"party-fr@example.org"}, "password": {"demo-party-fr-pass"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code, body := get("/desk"); code != 200 || !strings.Contains(body, "France") {
		t.Errorf("the Party desk after signing in: %d", code)
	}
	if code, _ := get("/followups/refugee-crisis-2017/R7/DE"); code != 403 {
		t.Errorf("another Party's follow-up: %d, want 403", code)
	}
	if code, body := get("/api/v1/me", "Authorization", "Bearer demo-token-rapporteur-00000000000"); code != 200 || !strings.Contains(body, `"rapporteur"`) {
		t.Errorf("/api/v1/me with a demo token: %d %s", code, body)
	}
	// The configured period sets the next deadline of an adoption that leaves a follow-up open.
	call := func(method, path, token, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	const sec, rap = "demo-token-secretariat-0000000000", "demo-token-rapporteur-00000000000"
	for _, c := range []struct{ method, path, token, body string }{
		{"POST", "/api/v1/reports", sec, `{"slug":"period","title":"Period","kind":"other","adopted_on":"2020-01-01","parties":["FR"]}`},
		{"POST", "/api/v1/reports/period/publish", sec, ``},
		{"POST", "/api/v1/reports/period/recommendations", sec, `{"label":"P1","category":"urge","text":"Act."}`},
		{"POST", "/api/v1/followups/period/P1/FR/assessments", rap, `{"status":"not_implemented"}`},
		{"POST", "/api/v1/reports/period/adopt", sec, `{}`},
	} {
		if code, body := call(c.method, c.path, c.token, c.body); code >= 300 {
			t.Fatalf("%s %s: %d %s", c.method, c.path, code, body)
		}
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	want := followup.DateOf(time.Now(), paris).AddPeriod(followup.Period{Months: 6}).String()
	if _, body := get("/api/v1/followups/period/P1/FR"); !strings.Contains(body, `"due_on":"`+want+`"`) {
		t.Errorf("after an adoption with next_due_after 6 months: %s, want due_on %s", body, want)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
}
