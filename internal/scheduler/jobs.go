package scheduler

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"followup/internal/followup"
)

// Job names.
const (
	JobReminders   = "reminders"
	JobDigest      = "digest"
	JobSnapshot    = "snapshot"
	JobMaintenance = "maintenance"
)

// Reminders writes the deadline reminders and escalations of the day to the outbox.
type Reminders struct {
	Store    followup.JobService
	Renderer followup.Renderer
	Rules    followup.ReminderRules
	Location *time.Location
	// Wake, if set, is called after messages were enqueued (to wake the delivery loop).
	Wake func()
}

// Name returns "reminders".
func (Reminders) Name() string { return JobReminders }

// Run enqueues the reminders of the day now falls on.
func (j Reminders) Run(ctx context.Context, now time.Time) (followup.JobCounts, error) {
	c, err := j.Store.EnqueueReminders(ctx, followup.DateOf(now, j.Location), j.Rules, j.Renderer)
	if err == nil && c.Messages > 0 && j.Wake != nil {
		j.Wake()
	}
	return followup.JobCounts{"candidates": c.Candidates, "items": c.Items, "messages": c.Messages, "escalations": c.Escalations}, err
}

// Digest writes the rapporteurs' digest of submissions awaiting assessment.
type Digest struct {
	Store    followup.JobService
	Renderer followup.Renderer
	Location *time.Location
	Wake     func()
}

// Name returns "digest".
func (Digest) Name() string { return JobDigest }

// Run enqueues the digest of the day now falls on.
func (j Digest) Run(ctx context.Context, now time.Time) (followup.JobCounts, error) {
	n, err := j.Store.EnqueueRapporteurDigest(ctx, followup.DateOf(now, j.Location), j.Renderer)
	if err == nil && n > 0 && j.Wake != nil {
		j.Wake()
	}
	return followup.JobCounts{"messages": n}, err
}

// Snapshot stores the day's compliance of every report, overall and per Party.
type Snapshot struct {
	Store    followup.JobService
	Location *time.Location
}

// Name returns "snapshot".
func (Snapshot) Name() string { return JobSnapshot }

// Run stores the snapshots of the day now falls on.
func (j Snapshot) Run(ctx context.Context, now time.Time) (followup.JobCounts, error) {
	n, err := j.Store.SnapshotCompliance(ctx, followup.DateOf(now, j.Location))
	return followup.JobCounts{"snapshots": n}, err
}

// Maintenance deletes the expired import uploads, backs the database up into Dir, keeps the
// Keep latest backups, and optimizes.
type Maintenance struct {
	Store    followup.JobService
	Dir      string
	Keep     int
	Location *time.Location
	// Suffix ends the names of the backups: BackupSuffix(engine), ".db" when empty.
	Suffix string
}

// Name returns "maintenance".
func (Maintenance) Name() string { return JobMaintenance }

// BackupPrefix starts the names of the backups the job writes and prunes; other files in the
// folder are left alone.
const BackupPrefix = "followup-"

// BackupSuffix returns how the engine's backups end: ".dump" for PostgreSQL's (pg_dump's
// custom format, restored with pg_restore), ".db" for SQLite's (a database file).
func BackupSuffix(engine string) string {
	if engine == "postgres" {
		return ".dump"
	}
	return ".db"
}

// Run deletes the import uploads expired at now (those nobody came back to; the import pages
// delete the others), writes followup-YYYYMMDD-HHMMSS.db (.dump), removes the oldest backups
// beyond Keep and lets the database refresh its statistics.
func (j Maintenance) Run(ctx context.Context, now time.Time) (followup.JobCounts, error) {
	c := followup.JobCounts{}
	purged, err := j.Store.PurgeImportUploads(ctx, now)
	if err != nil {
		return c, fmt.Errorf("expired import uploads: %w", err)
	}
	c["import_uploads_removed"] = purged
	if err := os.MkdirAll(j.Dir, 0o750); err != nil {
		return c, fmt.Errorf("backup folder: %w", err)
	}
	loc := j.Location
	if loc == nil {
		loc = time.UTC
	}
	suffix := j.Suffix
	if suffix == "" {
		suffix = BackupSuffix("")
	}
	base := BackupPrefix + now.In(loc).Format("20060102-150405")
	path := filepath.Join(j.Dir, base+suffix)
	for i := 2; fileExists(path); i++ {
		path = filepath.Join(j.Dir, fmt.Sprintf("%s-%d%s", base, i, suffix))
	}
	if err := j.Store.Backup(ctx, path); err != nil {
		return c, err
	}
	c["backups"] = 1
	if fi, err := os.Stat(path); err == nil {
		c["backup_bytes"] = int(fi.Size())
	}
	removed, err := Prune(j.Dir, suffix, j.Keep)
	c["removed"] = removed
	if err != nil {
		return c, err
	}
	if err := j.Store.Optimize(ctx); err != nil {
		return c, fmt.Errorf("optimize: %w", err)
	}
	return c, nil
}

// Prune removes the oldest backups in dir whose names end with suffix (by name, which holds
// the time) beyond the keep latest; keep <= 0 keeps everything.
func Prune(dir, suffix string, keep int) (int, error) {
	if keep <= 0 {
		return 0, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), BackupPrefix) && strings.HasSuffix(e.Name(), suffix) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	removed := 0
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			return removed, err
		}
		names = names[1:]
		removed++
	}
	return removed, nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
