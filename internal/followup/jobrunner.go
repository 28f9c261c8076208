package followup

import (
	"context"
	"time"
)

// JobInfo is a scheduled job as the administrators' jobs page shows it.
type JobInfo struct {
	Name     string
	Spec     string // cron spec or descriptor, in Location
	Enabled  bool
	Location string    // the time zone of the schedule
	Next     time.Time // the next activation after now; zero when disabled
	Runs     []JobRun  // the latest recorded runs, newest first
}

// JobRunner lists the scheduled jobs and runs one on demand. The scheduler implements it; the
// web interface uses it without knowing the scheduler.
type JobRunner interface {
	// Jobs lists every job with its next activation and at most runs of its latest runs.
	Jobs(ctx context.Context, runs int) ([]JobInfo, error)
	// RunJob runs the named job as of the runner's clock now, whether enabled or not, and
	// records the run like a scheduled one (ENotFound for an unknown job).
	RunJob(ctx context.Context, name string) (JobRun, error)
	// Leadership tells whether this process leads the scheduled jobs (holds the scheduler's
	// lease), as its last renewal found; it asks nothing of the database.
	Leadership() Leadership
}
