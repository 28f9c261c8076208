package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// A Party's desk: its open follow-ups, earliest deadline first, its open requests for
// clarification, and its users' calendar feed (page_account.go).

// pageDesk is a Party's desk: its open recommendations, earliest deadline first. The committee
// opens a Party's desk with ?party=CODE, as the Party's users see it (the Secretariat, who
// writes on the Party's behalf, with its unsent drafts).
func (s *Server) pageDesk(c *gin.Context) error {
	actor := followup.ActorFrom(c.Request.Context())
	if err := requireSignedIn(actor, "open your desk"); err != nil {
		return err
	}
	party := actor.Party
	if actor.Role != followup.RoleParty {
		if c.Query("party") == "" || !actor.IsCommittee() {
			return redirect(c, homeOf(actor))
		}
		p, err := s.svc.Parties.FindParty(c.Request.Context(), c.Query("party"))
		if err != nil {
			return err
		}
		party = p.Code
	} else if q := c.Query("party"); q != "" && !strings.EqualFold(q, party) {
		return followup.Errorf(followup.EForbidden, "a user of %s may not open the desk of %s", party, strings.ToUpper(q))
	}
	v, _, err := s.deskView(c, party)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "desk", v)
}

// deskItem is an open follow-up on a Party's desk.
type deskItem struct {
	followup.FollowUp
	ReportTitle string
	DueSoon     bool // due within 60 days and not overdue
	// Action says what the Party is expected to do next, in the page's language: report by the
	// deadline, answer a request, or nothing while the Committee assesses what it sent.
	Action string
}

// deskAction says what a Party has to do next on an open follow-up, by its stage: once it has
// sent its report the next move is the Committee's, so the desk must not ask it to report again.
func (v *view) deskAction(f followup.FollowUp) string {
	switch f.State {
	case followup.Submitted, followup.Assessed:
		return v.T("desk.action_wait")
	case followup.ClarificationRequested:
		return v.T("desk.action_clarify")
	}
	if f.DueOn.IsZero() {
		return ""
	}
	return v.T("desk.your_action", v.Date(f.DueOn))
}

// deskPageData is the data of a Party's desk.
type deskPageData struct {
	Party    string
	Own      bool // the Party's own user (not the committee looking)
	Items    []deskItem
	Requests []followup.ClarificationRequest // open requests for clarification
	Titles   map[string]string               // report titles in the page's language, by slug
	// The Party user's calendar feed (page_account.go): CalendarOn shows its section,
	// CalendarLive counts the live feed addresses, CalendarURL is a new one, shown once.
	CalendarOn   bool
	CalendarLive int
	CalendarURL  string
}

// deskView is the desk of a Party: open follow-ups, earliest deadline first, each with its
// unsent draft for those who may see it, and, for the Party's own users, the state of their
// calendar feed (page_account.go).
func (s *Server) deskView(c *gin.Context, party string) (*view, *deskPageData, error) {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	open := true
	items, err := s.allFollowUps(ctx, followup.FollowUpFilter{Party: party, Open: &open})
	if err != nil {
		return nil, nil, err
	}
	reports, err := s.svc.Reports.ListReports(ctx, false)
	if err != nil {
		return nil, nil, err
	}
	requests, err := s.svc.Evidence.ListRequests(ctx, followup.RequestFilter{Party: party, Open: &open})
	if err != nil {
		return nil, nil, err
	}
	v := s.newView(c, "desk.title", nil)
	d := v.buildDeskPage(party, reports, items, requests)
	d.Own = actor.Role == followup.RoleParty
	if d.Own {
		if err := s.calendarState(c, d); err != nil {
			return nil, nil, err
		}
	}
	v.Data = d
	return v, d, nil
}

// buildDeskPage lays out a Party's open follow-ups, earliest deadline first, each with its
// report's title and whether it is due soon, and its open requests.
func (v *view) buildDeskPage(party string, reports []followup.Report, items []followup.FollowUp, requests []followup.ClarificationRequest) *deskPageData {
	d := &deskPageData{Party: party, Requests: requests, Titles: v.reportTitles(reports)}
	items = slices.Clone(items)
	sortByDue(items)
	soon := v.Today.AddDays(60)
	for _, f := range items {
		d.Items = append(d.Items, deskItem{FollowUp: f, ReportTitle: d.Titles[f.Report], Action: v.deskAction(f),
			DueSoon: !f.Overdue && !f.DueOn.IsZero() && !f.DueOn.After(soon) && !f.DueOn.Before(v.Today)})
	}
	return d
}

// reportTitles returns the reports' titles in the page's language, by slug.
func (v *view) reportTitles(reports []followup.Report) map[string]string {
	titles := make(map[string]string, len(reports))
	for _, r := range reports {
		titles[r.Slug] = v.LText(r.Title, r.TitleFR)
	}
	return titles
}
