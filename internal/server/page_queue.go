package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// The rapporteurs' queue: the submissions awaiting an assessment, oldest first by the date
// the Party gave each.

// pageQueue is the rapporteurs' queue: submissions awaiting assessment, oldest first.
func (s *Server) pageQueue(c *gin.Context) error {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.IsCommittee(), "see the assessment queue"); err != nil {
		return err
	}
	items, err := s.svc.Queue.AssessmentQueue(ctx, followup.QueueFilter{Report: c.Query("report"), Party: c.Query("party")})
	if err != nil {
		return err
	}
	reports, err := s.svc.Reports.ListReports(ctx, false)
	if err != nil {
		return err
	}
	v := s.newView(c, "queue.title", nil)
	v.Data = v.buildQueuePage(items, reports, c.Query("report"), s.loc)
	return s.render(c, http.StatusOK, "queue", v)
}

// queueRow is a follow-up of the queue with its report's title.
type queueRow struct {
	followup.QueueItem
	ReportTitle string
	// RecordedLater is set when the submission was recorded on another day than its date
	// (in the server's zone): the page then says when.
	RecordedLater bool
}

// queuePageData is the data of the rapporteurs' queue.
type queuePageData struct {
	Items   []queueRow
	Reports []followup.Report // the filter's choices
	Report  string            // the report the queue is narrowed to; "" for all
}

// buildQueuePage lays out the queue: its items as the store orders them (oldest submission
// first), each with its report's title and whether it was recorded after its date, in loc.
func (v *view) buildQueuePage(items []followup.QueueItem, reports []followup.Report, report string, loc *time.Location) *queuePageData {
	d := &queuePageData{Reports: reports, Report: report}
	titles := v.reportTitles(reports)
	for _, q := range items {
		d.Items = append(d.Items, queueRow{QueueItem: q, ReportTitle: titles[q.Report],
			RecordedLater: !q.SubmittedOn.IsZero() && !q.LastSubmittedAt.IsZero() && followup.DateOf(q.LastSubmittedAt, loc) != q.SubmittedOn})
	}
	return d
}
