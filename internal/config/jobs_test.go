package config

import (
	"bytes"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestJobKeysFromFileAndEnv(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "config.yaml", `
jobs:
  reminders:
    schedule: "0 7 * * 1-5"
    offsets: "60, 14,0"
    overdue_every_days: 14
    escalate_after_days: 0
  maintenance:
    enabled: false
backup:
  keep: 3
smtp:
  host: mail.example.org
  port: 465
  tls: TLS
  user: tracker
  password: s3cret-pass
`)
	cfg, err := Load(path, []string{"FOLLOWUP_JOBS_DIGEST_SCHEDULE=@weekly", "FOLLOWUP_SMTP_FROM=noreply@example.org",
		"FOLLOWUP_JOBS_SNAPSHOT_SCHEDULE=@every 2s",
		"FOLLOWUP_SCHEDULER_LEASE_TTL=3s", "FOLLOWUP_SCHEDULER_LEASE_RENEW=500ms"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Jobs.Reminders
	if r.Schedule != "0 7 * * 1-5" || !slices.Equal(r.Days(), []int{60, 14, 0}) || r.Offsets != "60,14,0" || r.OverdueEveryDays != 14 || r.EscalateAfterDays != 0 {
		t.Errorf("reminders %+v", r)
	}
	if cfg.Jobs.Maintenance.Enabled || !cfg.Jobs.Snapshot.Enabled || cfg.Jobs.Digest.Schedule != "@weekly" || cfg.Jobs.Snapshot.Schedule != "@every 2s" {
		t.Errorf("jobs %+v", cfg.Jobs)
	}
	if cfg.Scheduler != (SchedulerConfig{LeaseTTL: 3 * time.Second, LeaseRenew: 500 * time.Millisecond}) {
		t.Errorf("scheduler %+v", cfg.Scheduler)
	}
	if cfg.Backup != (BackupConfig{Dir: "data/backups", Keep: 3}) {
		t.Errorf("backup %+v", cfg.Backup)
	}
	if cfg.SMTP.TLS != "tls" || cfg.SMTP.Port != 465 || cfg.SMTP.From != "noreply@example.org" || cfg.SMTP.Password != "s3cret-pass" {
		t.Errorf("smtp %+v", cfg.SMTP)
	}
	// The password never shows: not in String, not in logs, not in Keys.
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("smtp", "smtp", cfg.SMTP)
	if strings.Contains(buf.String()+cfg.SMTP.String(), "s3cret") {
		t.Errorf("the password leaks: %s", buf.String())
	}
}

func TestJobKeysBadValues(t *testing.T) {
	for _, c := range []struct{ env, key string }{
		{"FOLLOWUP_JOBS_REMINDERS_SCHEDULE=every morning", "jobs.reminders.schedule"},
		{"FOLLOWUP_JOBS_REMINDERS_OFFSETS=30,-1", "jobs.reminders.offsets"},
		{"FOLLOWUP_JOBS_REMINDERS_ENABLED=maybe", "jobs.reminders.enabled"},
		{"FOLLOWUP_BACKUP_KEEP=0", "backup.keep"},
		{"FOLLOWUP_SMTP_PORT=70000", "smtp.port"},
		{"FOLLOWUP_SMTP_TLS=ssl", "smtp.tls"},
		{"FOLLOWUP_SCHEDULER_LEASE_TTL=0s", "scheduler.lease_ttl"},
		{"FOLLOWUP_SCHEDULER_LEASE_TTL=5s", "scheduler.lease_renew"}, // not shorter than the renewal of 10 s
		{"FOLLOWUP_SCHEDULER_LEASE_RENEW=often", "scheduler.lease_renew"},
	} {
		_, err := Load(writeFile(t, t.TempDir(), "c.yaml", ""), []string{c.env}, nil)
		if err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%s: error %v, want one naming %s", c.env, err, c.key)
		}
	}
}
