package followup

import (
	"strconv"
	"strings"
)

// Who may read what of the audit log. An entry is seen by those who may see the record it
// describes, as that record is now:
//   - entries about a report that is not published (and everything under it) by the committee
//     only (CanSeeReport);
//   - Parties, reports and recommendations otherwise by everyone;
//   - a follow-up's entries: a submission's drafts (the draft entries, and the draft a
//     submission was before it was submitted) only to those who may write the Party's
//     submissions, the submissions to those who may read the Party's, assessments before their
//     adoption to the committee, the rest (its creation, adoptions, deadlines, addressees,
//     publications, requests for clarification) to everyone who reads the log (the committee);
//     a follow-up's own history is read by the finer rules of VisibleHistoryOf, which know each
//     submission's sender and publication and each request's answer;
//   - an account's entries (users, API tokens, calendar feeds) by admins and by the account's
//     own user; the outbox's by admins; anything else by admins;
//   - who did it: the committee roles read the e-mail address, name and role; a Party's users,
//     of the entries about their own Party's follow-ups and their own account, the name and
//     role only (an entry without either says "Secretariat"), never an address of the
//     Secretariat's staff; everyone else, and of every other entry, nothing of who.
//
// AuditScopeOf says the same in the terms a store filters on, so that a store can count and
// page what an actor may read; AuditScope.Allows is the rule itself, entry by entry.

// PartyGrant says whether something of a Party's follow-ups may be read: of the actor's own
// Party (for a Party's users), and of the other Parties.
type PartyGrant struct {
	Own, Others bool
}

// AuditScope is the part of the audit log an actor may read.
type AuditScope struct {
	DraftReports     bool       // entries about reports not yet published
	OwnParty         string     // the actor's Party, for PartyGrant.Own; "" for none
	Submissions      PartyGrant // submission.submit
	DraftSubmissions PartyGrant // submission.draft, submission.edit_draft, and a submitted draft's "before"
	DraftAssessments PartyGrant // assessment.create
	Accounts         bool       // every account's entries
	OwnAccount       string     // the actor's e-mail address: its own account's entries; "" for none
	Outbox           bool       // the outbox's entries
	Others           bool       // entries of any other kind
}

// otherParty is a code no Party has: "another Party than the actor's".
const otherParty = "\x00"

// AuditScopeOf returns what of the audit log the actor may read.
func AuditScopeOf(actor Actor) AuditScope {
	grant := func(can func(string) bool) PartyGrant {
		g := PartyGrant{Others: can(otherParty)}
		if actor.Party != "" {
			g.Own = can(actor.Party)
		}
		return g
	}
	sc := AuditScope{
		DraftReports:     actor.CanSeeReport(false),
		OwnParty:         actor.Party,
		Submissions:      grant(actor.CanSeeSubmissions),
		DraftSubmissions: grant(actor.CanSeeDraftSubmissions),
		DraftAssessments: grant(func(string) bool { return actor.CanSeeDrafts() }),
		Accounts:         actor.Role == RoleAdmin,
		Outbox:           actor.Role == RoleAdmin,
		Others:           actor.Role == RoleAdmin,
	}
	if !actor.Anonymous() {
		sc.OwnAccount = actor.Email
	}
	return sc
}

// Of returns the grant for a Party: the actor's own, or another one.
func (g PartyGrant) Of(party, own string) bool {
	if own != "" && party == own {
		return g.Own
	}
	return g.Others
}

// AuditKind is the kind of record an entry describes: its entity, or, for entries that carry
// none (a follow-up's history as tests build it), the first part of its action.
func AuditKind(e AuditEntry) string {
	if e.Entity != "" {
		return e.Entity
	}
	kind, _, _ := strings.Cut(e.Action, ".")
	return kind
}

// Allows reports whether the scope holds the entry. e.DraftReport and e.Party are the facts of
// the record the entry describes (see AuditEntry).
func (sc AuditScope) Allows(e AuditEntry) bool {
	if e.DraftReport && !sc.DraftReports {
		return false
	}
	switch AuditKind(e) {
	case "party", "report", "recommendation":
		return true
	case "followup", "submission", "assessment", "request":
		switch e.Action {
		case "submission.submit":
			return sc.Submissions.Of(e.Party, sc.OwnParty)
		case "submission.draft", "submission.edit_draft":
			return sc.DraftSubmissions.Of(e.Party, sc.OwnParty)
		case "assessment.create":
			return sc.DraftAssessments.Of(e.Party, sc.OwnParty)
		}
		return true
	case "user":
		return sc.Accounts || (sc.OwnAccount != "" && strings.EqualFold(e.EntityKey, sc.OwnAccount))
	case "outbox":
		return sc.Outbox
	}
	return sc.Others
}

// VisibleAudit returns the entries the actor may read, in their order, with what the actor may
// not read of them taken out (RedactAudit). It never changes the entries it is given.
func VisibleAudit(actor Actor, entries []AuditEntry) []AuditEntry {
	sc := AuditScopeOf(actor)
	out := make([]AuditEntry, 0, len(entries))
	for _, e := range entries {
		if sc.Allows(e) {
			out = append(out, RedactAudit(actor, e))
		}
	}
	return out
}

// RedactAudit takes out of an entry the actor may read what it may not: the draft a submitted
// text was, and who did it (see the rules above).
func RedactAudit(actor Actor, e AuditEntry) AuditEntry {
	if e.Action == "submission.submit" && !actor.CanSeeDraftSubmissions(e.Party) {
		e.Before = nil
	}
	switch {
	case actor.IsCommittee():
	case actor.Role == RoleParty && (e.Party == actor.Party || (AuditKind(e) == "user" && strings.EqualFold(e.EntityKey, actor.Email))):
		e.Actor = ""
		if e.ActorName == "" && e.ActorRole == "" {
			e.ActorRole = RoleSecretariat
		}
	default:
		e.Actor, e.ActorName, e.ActorRole = "", "", ""
	}
	return e
}

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
