package followup

import (
	"context"
	"sort"
)

// PartyDossier is everything addressed to one Party across reports, as of a date: its
// follow-ups with their status on the basis asked for, and the reports and recommendations they
// belong to. It never carries submissions.
type PartyDossier struct {
	Party Party
	AsOf  Date
	Basis Basis
	// FollowUps are grouped by report (reports by adoption date, then slug) and listed in report
	// order within a report. Status and AdoptedOn are those of the assessment the basis selects
	// as of AsOf (on the adopted basis: the latest adopted on or before AsOf; on the draft basis:
	// the latest made on or before AsOf). State, Open and Overdue are as of AsOf. Assessments
	// holds the assessments the actor may see that existed on AsOf (adopted ones only on the
	// adopted basis). The follow-ups are those of AsOf (FollowUpOnDay): one no longer addressed
	// on that day is included, flagged inactive; one added later, or of a recommendation
	// archived on that day, is not. Recommendations are those not archived on AsOf.
	FollowUps       []FollowUp
	Reports         map[string]Report         // by slug
	Recommendations map[string]Recommendation // by "slug/label"
}

// DossierService reads Party dossiers. The access rules are those of the API: a Party's user
// may read its own Party's dossier only (forbidden otherwise); anyone else may read any Party's,
// on the adopted basis; the draft basis is for committee roles only (see ComplianceQuery).
type DossierService interface {
	PartyDossier(ctx context.Context, code string, q ComplianceQuery) (PartyDossier, error)
	// ReportStates returns the state of each follow-up of a report as of q.AsOf, as a dossier
	// shows it to the actor (DossierEntry): a follow-up's draft assessment is seen by the
	// committee roles only, an open request for clarification by those who may see it. The
	// report's access rules are the compliance summary's.
	ReportStates(ctx context.Context, slug string, q ComplianceQuery) (map[FollowUpKey]State, error)
}

// CheckDossierAccess returns an error unless the actor may read the Party's dossier.
func CheckDossierAccess(actor Actor, party string) error {
	if !actor.CanOpenFollowUp(party) {
		return Errorf(EForbidden, "a user of %s may not read the dossier of %s", actor.Party, party)
	}
	return nil
}

// History is the dated history of one follow-up, from which its state on any day is rebuilt.
type History struct {
	Submitted   []Date       // dates of the submitted (not draft) submissions
	Assessments []Assessment // every assessment, adopted or not
	// DueDates are the follow-up's own deadlines, each from the day of the adoption that set
	// it; BaseDueOn is its recommendation's deadline (or its report's), in force before them.
	DueDates  []DueDate
	BaseDueOn Date
}

// historyEvent is one dated step of a follow-up's workflow.
type historyEvent struct {
	on     Date
	party  bool  // a submission: on the same day, the Party's submissions come first
	id     int64 // then the assessments' steps in the order they were recorded
	event  Event
	status Status
}

// FollowUpAsOf rebuilds a follow-up's workflow fields (State, Status, AdoptedOn, Open, Overdue)
// and its deadline (DueOn, when it has deadlines of its own) as they stood at the end of asOf, by replaying its dated history: submissions, assessments
// and adoptions on or before asOf. Dates do not tell the order of the steps of one day, so the
// Party's submissions of a day are taken first, then the assessments' steps in the order they
// were recorded (by id: an assessment is made, then adopted; an assessment with a higher id was
// made after every adoption of a lower one, since adoption stamps the latest assessment).
//
// seesDrafts says whether the reader may see draft assessments. If not, only what was adopted
// on or before asOf is replayed: an adopted assessment's "assess" step counts for the public
// only through its adoption, so that no draft (never adopted, or adopted after asOf) changes
// what the public reads of a day; a follow-up assessed but not yet adopted shows as submitted
// (or awaiting a submission), as in PublicState. Status and AdoptedOn are the latest
// adoption's; the caller sets the status of another basis itself.
func FollowUpAsOf(fu FollowUp, h History, asOf Date, seesDrafts bool) FollowUp {
	var evs []historyEvent
	for _, d := range h.Submitted {
		if !d.IsZero() && !d.After(asOf) {
			evs = append(evs, historyEvent{on: d, party: true, event: EventSubmit})
		}
	}
	for _, a := range h.Assessments {
		adopted := a.Adopted() && !a.AdoptedOn.After(asOf)
		if !seesDrafts && !adopted {
			continue
		}
		if !a.AssessedOn.After(asOf) {
			evs = append(evs, historyEvent{on: a.AssessedOn, id: a.ID, event: EventAssess})
		}
		if adopted {
			evs = append(evs, historyEvent{on: a.AdoptedOn, id: a.ID, event: EventAdopt, status: a.Status})
		}
	}
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.on.Before(b.on) || a.on.After(b.on) {
			return a.on.Before(b.on)
		}
		if a.party != b.party {
			return a.party
		}
		if a.id != b.id {
			return a.id < b.id
		}
		return a.event == EventAssess && b.event == EventAdopt
	})
	state := AwaitingSubmission
	var status *Status
	var adoptedOn Date
	hasSubmission, sinceAdoption := false, false
	for _, e := range evs {
		next, err := state.Next(e.event)
		if err != nil {
			continue
		}
		switch e.event {
		case EventSubmit:
			hasSubmission, sinceAdoption = true, true
		case EventAdopt:
			st := e.status
			status, adoptedOn = &st, e.on
			sinceAdoption = next == Submitted
		}
		state = next
	}
	if !seesDrafts {
		state = PublicState(state, hasSubmission, status != nil, sinceAdoption)
	}
	fu.State, fu.Status, fu.AdoptedOn = state, status, adoptedOn
	if len(h.DueDates) > 0 {
		fu.DueOn = DueOnAsOf(h.BaseDueOn, h.DueDates, asOf)
	}
	fu.Open = IsOpen(status)
	fu.Overdue = IsOverdue(fu.Open, fu.DueOn, asOf, sinceAdoption)
	return fu
}
