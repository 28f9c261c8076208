package followup

import (
	"strconv"
	"strings"
)

// VisibleHistory returns the entries of the history of one of a Party's follow-ups that the
// actor may see, in their order, with what the actor may not read taken out:
//   - a submission's drafts (the draft entries, and the draft a submission was before it was
//     submitted) only for those who may write the Party's submissions;
//   - the Party's submissions only for those who may read them;
//   - assessments before their adoption only for the committee;
//   - who did what: the committee roles read the e-mail address, name and role; the Party's own
//     users the name and role only (an entry without either says "Secretariat"), never an
//     address of the Secretariat's staff; the public nothing of who.
func VisibleHistory(actor Actor, party string, entries []AuditEntry) []AuditEntry {
	return VisibleHistoryOf(actor, party, entries, HistoryFacts{})
}

// HistoryFacts are what the history rules need of a follow-up's submissions and requests for
// clarification, by id (the number after "#" in an entry's key). A submission not listed is
// taken as the Party's own, not published; a request not listed as one whose answer is not.
type HistoryFacts struct {
	Submissions map[int64]SubmissionFacts
	// Requests tells, by request, whether its answer is published.
	Requests map[int64]bool
}

// VisibleHistoryOf is VisibleHistory with the facts of the follow-up's submissions and
// requests: an entry of a submission (drafted, submitted, published) is seen by whoever may
// read the submission at that stage (Actor.CanSeeSubmission), so a published submission's
// entries are public; an entry of a request (asked, answered) by whoever may read the request
// (Actor.CanSeeRequest).
func VisibleHistoryOf(actor Actor, party string, entries []AuditEntry, facts HistoryFacts) []AuditEntry {
	out := make([]AuditEntry, 0, len(entries))
	for _, e := range entries {
		id := entryNumber(e.EntityKey)
		sub, ok := facts.Submissions[id]
		if !ok {
			sub = SubmissionFacts{Party: party}
		}
		draft := sub
		draft.Draft, draft.Published = true, false
		visible := true
		switch e.Action {
		case "submission.submit", "submission.publish":
			visible = actor.CanSeeSubmission(sub)
		case "submission.draft", "submission.edit_draft":
			visible = actor.CanSeeSubmission(draft)
		case "request.create", "request.answer":
			visible = actor.CanSeeRequest(party, facts.Requests[id])
		case "assessment.create":
			visible = actor.CanSeeDrafts()
		}
		if !visible {
			continue
		}
		if e.Action == "submission.submit" && !actor.CanSeeSubmission(draft) {
			e.Before = nil // the draft it was, before it was submitted
		}
		switch {
		case actor.IsCommittee():
		case actor.Role == RoleParty && actor.Party == party:
			e.Actor = ""
			if e.ActorName == "" && e.ActorRole == "" {
				e.ActorRole = RoleSecretariat
			}
		default:
			e.Actor, e.ActorName, e.ActorRole = "", "", ""
		}
		out = append(out, e)
	}
	return out
}

// entryNumber reads the number of the submission or request an entry's key ends with
// ("rep/R1/FR#12"); 0 for none.
func entryNumber(key string) int64 {
	_, num, ok := strings.Cut(key, "#")
	if !ok {
		return 0
	}
	n, _ := strconv.ParseInt(num, 10, 64)
	return n
}
