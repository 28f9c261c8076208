package scheduler

import (
	"context"

	"followup/internal/followup"
)

var _ followup.JobRunner = (*Scheduler)(nil)

// Jobs lists the jobs with their schedule, next activation after the clock's now, and at most
// runs of their latest recorded runs (for the administrators' jobs page).
func (s *Scheduler) Jobs(ctx context.Context, runs int) ([]followup.JobInfo, error) {
	now := s.clock.Now()
	out := make([]followup.JobInfo, 0, len(s.entries))
	for _, en := range s.entries {
		info := followup.JobInfo{Name: en.Job.Name(), Spec: en.Spec, Enabled: en.Enabled, Location: s.loc.String()}
		if en.Enabled {
			info.Next = en.schedule.Next(now.In(s.loc))
		}
		list, err := s.runs.ListJobRuns(ctx, info.Name, runs)
		if err != nil {
			return nil, err
		}
		info.Runs = list
		out = append(out, info)
	}
	return out, nil
}

// RunJob runs the named job as of the clock's now and records the run, like RunNow. The run
// goes on if the caller goes away (a browser closed), so that it is recorded whole.
func (s *Scheduler) RunJob(ctx context.Context, name string) (followup.JobRun, error) {
	return s.RunNow(context.WithoutCancel(ctx), name, s.clock.Now())
}
