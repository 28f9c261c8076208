package followup

import (
	"testing"
	"time"
)

// What the page of an upload's job shows, and whether it may be confirmed, at a given instant.
func TestImportUploadStates(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	clean := &ImportResult{Created: 2, Updated: 1}
	base := ImportUpload{Name: "recs.csv", Stored: true, ExpiresAt: now.Add(time.Minute), Runner: "r1", HeartbeatUntil: now.Add(time.Second)}
	with := func(f func(u *ImportUpload)) ImportUpload { u := base; f(&u); return u }
	cases := []struct {
		name    string
		u       ImportUpload
		state   ImportJobState
		confirm string // the error code of CheckConfirm, "" when it may be confirmed
		stopped bool
	}{
		{"reading", with(func(u *ImportUpload) { u.State = ImportReading }), ImportReading, EConflict, false},
		{"reading, runner stopped", with(func(u *ImportUpload) { u.State, u.HeartbeatUntil = ImportReading, now }), ImportFailed, EConflict, true},
		{"ready", with(func(u *ImportUpload) { u.State, u.Preview = ImportReady, clean }), ImportReady, "", false},
		{"ready, nothing to write", with(func(u *ImportUpload) { u.State, u.Preview = ImportReady, &ImportResult{Unchanged: 3} }), ImportReady, EConflict, false},
		{"ready, expired", with(func(u *ImportUpload) { u.State, u.Preview, u.ExpiresAt = ImportReady, clean, now }), ImportReady, ENotFound, false},
		{"applying", with(func(u *ImportUpload) { u.State, u.Preview = ImportApplying, clean }), ImportApplying, EConflict, false},
		{"applying, runner stopped", with(func(u *ImportUpload) {
			u.State, u.Preview, u.HeartbeatUntil = ImportApplying, clean, now.Add(-time.Hour)
		}), ImportFailed, "", true},
		{"applied", with(func(u *ImportUpload) { u.State, u.Preview, u.Stored = ImportApplied, clean, false }), ImportApplied, EConflict, false},
		{"failed, file kept", with(func(u *ImportUpload) { u.State, u.Preview = ImportFailed, clean }), ImportFailed, "", false},
		{"failed, file dropped", with(func(u *ImportUpload) { u.State, u.Preview, u.Stored = ImportFailed, clean, false }), ImportFailed, EConflict, false},
		{"failed preview", with(func(u *ImportUpload) {
			u.State, u.Preview = ImportFailed, &ImportResult{Created: 1, Errors: []ImportError{{Row: 2, Message: "bad"}}}
		}), ImportFailed, EConflict, false},
	}
	for _, c := range cases {
		if got := c.u.StateAt(now); got != c.state {
			t.Errorf("%s: state %s, want %s", c.name, got, c.state)
		}
		if got := ErrorCode(c.u.CheckConfirm(now)); got != c.confirm {
			t.Errorf("%s: CheckConfirm %q, want %q", c.name, got, c.confirm)
		}
		if got := c.u.StoppedError(now) != nil; got != c.stopped {
			t.Errorf("%s: stopped %v, want %v", c.name, got, c.stopped)
		}
	}
	if err := with(func(u *ImportUpload) { u.ExpiresAt = now }).CheckConfirm(now); err != ErrImportExpired {
		t.Errorf("an expired upload: %v", err)
	}
	stopped := with(func(u *ImportUpload) { u.State, u.HeartbeatUntil = ImportApplying, now }).StoppedError(now)
	if want := "the server running the import (r1) stopped; nothing was written: confirm again"; stopped == nil || stopped.Message != want {
		t.Errorf("stopped: %v, want %q", stopped, want)
	}
	if got, want := ImportApplyDeadline(now, 30*time.Second), now.Add(ImportApplyGrace+5*time.Minute); !got.Equal(want) {
		t.Errorf("ImportApplyDeadline = %s, want %s", got, want)
	}
}

func TestCheckImportHeld(t *testing.T) {
	cases := []struct {
		files           int
		held, size, max int64
		want            string
	}{
		{0, 0, 64 << 20, 64 << 20, ""},
		{3, 3 << 20, 1 << 20, 4 << 20, ""},
		{3, 3 << 20, 1<<20 + 1, 4 << 20, "you already keep 3 uploaded file(s) (3.0 MiB) waiting for confirmation, and with this one (1.0 MiB) they would pass the 4.0 MiB a user may keep: confirm them or let them expire (20 minutes after their upload), then upload this file again"},
		{1, 500, 600, 1000, "you already keep 1 uploaded file(s) (500 bytes) waiting for confirmation, and with this one (600 bytes) they would pass the 1000 bytes a user may keep: confirm them or let them expire (20 minutes after their upload), then upload this file again"},
	}
	for _, c := range cases {
		err := CheckImportHeld(c.files, c.held, c.size, c.max)
		if c.want == "" {
			if err != nil {
				t.Errorf("%+v: %v", c, err)
			}
			continue
		}
		if ErrorCode(err) != EInvalid || ErrorField(err) != "file" || ErrorMessage(err) != c.want {
			t.Errorf("%+v: %v\nwant %s", c, err, c.want)
		}
	}
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1536: "1.5 KiB", 64 << 20: "64.0 MiB"} {
		if got := SizeText(n); got != want {
			t.Errorf("SizeText(%d) = %q, want %q", n, got, want)
		}
	}
}
