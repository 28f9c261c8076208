package server

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// The administrators' jobs page: each scheduled job with its schedule, next run and latest
// runs, and a "Run now" button. The scheduler is reached through followup.JobRunner, wired by
// the command that serves.

// jobRunsShown is how many of each job's latest runs the page lists.
const jobRunsShown = 5

func requireAdmin(c *gin.Context, action string) (followup.Actor, error) {
	actor := followup.ActorFrom(c.Request.Context())
	return actor, actor.Require(actor.Role == followup.RoleAdmin, action)
}

func (s *Server) jobRunner() (followup.JobRunner, error) { return s.svc.Jobs, nil }

func (s *Server) pageJobs(c *gin.Context) error {
	if _, err := requireAdmin(c, "manage the scheduled jobs"); err != nil {
		return err
	}
	jr, err := s.jobRunner()
	if err != nil {
		return err
	}
	jobs, err := jr.Jobs(c.Request.Context(), jobRunsShown)
	if err != nil {
		return err
	}
	v := s.newView(c, "jobs.title", &jobsPageData{Jobs: jobs})
	return s.render(c, http.StatusOK, "jobs", v)
}

// jobsPageData is the data of the jobs page.
type jobsPageData struct {
	Jobs []followup.JobInfo // each job with its latest runs, newest first
}

// postJobRun runs a job now and tells what it did.
func (s *Server) postJobRun(c *gin.Context) error {
	if _, err := requireAdmin(c, "run scheduled jobs"); err != nil {
		return err
	}
	jr, err := s.jobRunner()
	if err != nil {
		return err
	}
	name := c.Param("name")
	run, err := jr.RunJob(c.Request.Context(), name)
	if err != nil && run.ID == 0 {
		return err // unknown job, or the run could not even be recorded
	}
	v := s.newView(c, "jobs.title", nil)
	if err != nil {
		s.log.Error("job run from the web", "job", name, "err", err)
		s.flash(c, "flash.job_failed", v.JobName(name), err.Error())
	} else {
		s.flash(c, "flash.job_ran", v.JobName(name), v.Counts(run.Counts))
	}
	return redirect(c, "/manage/jobs")
}

// JobName returns the label of a job.
func (v *view) JobName(name string) string { return v.TOr("job."+name, name) }

// Counts writes a run's counts in the page's language: "messages: 2, items: 3".
func (v *view) Counts(c followup.JobCounts) string {
	if len(c) == 0 {
		return v.T("jobs.no_counts")
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = v.TOr("jobcount."+k, k) + ": " + strconv.Itoa(c[k])
	}
	return strings.Join(parts, ", ")
}

// TimeIn writes an instant in a time zone, day and minute, with the zone's abbreviation.
func (v *view) TimeIn(t time.Time, zone string) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return v.timeIn(t, loc)
}

// Duration writes a run's duration, or "running" while it runs.
func (v *view) Duration(r followup.JobRun) string {
	if r.FinishedAt.IsZero() {
		return v.T("jobs.running")
	}
	d := r.Duration()
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}
