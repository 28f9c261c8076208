package followup

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Role is what a user may do.
type Role string

// Roles.
const (
	RoleAdmin       Role = "admin"       // everything
	RoleSecretariat Role = "secretariat" // Parties, reports, recommendations, adoption, submissions for any Party
	RoleRapporteur  Role = "rapporteur"  // reads everything, writes assessments
	RoleParty       Role = "party"       // one Party's follow-ups and submissions
	// RoleStakeholder is an organisation other than the Parties (an NGO, an ombudsperson, a
	// national human-rights institution) that sends its own information on Parties' follow-ups.
	RoleStakeholder Role = "stakeholder"
)

// Roles lists the roles.
var Roles = []Role{RoleAdmin, RoleSecretariat, RoleRapporteur, RoleParty, RoleStakeholder}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// Actor is who makes a request. The zero Actor is an anonymous member of the public.
type Actor struct {
	UserID int64
	Email  string
	Name   string
	Role   Role
	Party  string // for RoleParty: the Party the user speaks for
	// Organisation is, for RoleStakeholder, the organisation the user speaks for.
	Organisation string
}

// SystemActor is the actor of the program itself: migrations, seed data, scheduled jobs and
// commands run on the server's console.
var SystemActor = Actor{UserID: -1, Email: "system", Name: "System", Role: RoleAdmin}

// Anonymous reports whether nobody is signed in.
func (a Actor) Anonymous() bool { return a.UserID == 0 }

// IsCommittee reports whether the actor works for the Committee and so may see draft
// assessments and every Party's submissions.
func (a Actor) IsCommittee() bool {
	return a.Role == RoleAdmin || a.Role == RoleSecretariat || a.Role == RoleRapporteur
}

// CanManage reports whether the actor may edit Parties, reports and recommendations and adopt.
func (a Actor) CanManage() bool { return a.Role == RoleAdmin || a.Role == RoleSecretariat }

// CanAssess reports whether the actor may write assessments.
func (a Actor) CanAssess() bool { return a.Role == RoleAdmin || a.Role == RoleRapporteur }

// CanSeeDrafts reports whether the actor may see assessments that are not adopted.
func (a Actor) CanSeeDrafts() bool { return a.IsCommittee() }

// CanSeeReport reports whether the actor may know of a report (and of everything under it:
// its recommendations, follow-ups, compliance, exports and feeds): a published one is public, a
// draft is for the committee, and to everyone else it does not exist.
func (a Actor) CanSeeReport(published bool) bool { return published || a.IsCommittee() }

// CanOpenFollowUp reports whether the actor may open a Party's follow-up. The public and the
// committee see every follow-up (the public without submissions or drafts); a Party's users are
// scoped to their own Party's desk.
func (a Actor) CanOpenFollowUp(party string) bool {
	if a.Role == RoleParty {
		return a.Party == party
	}
	return true
}

// CanSeeSubmissions reports whether the actor may read the Party's submissions.
func (a Actor) CanSeeSubmissions(party string) bool {
	if a.Role == RoleParty {
		return a.Party == party
	}
	return a.IsCommittee()
}

// CanSeeDraftSubmissions reports whether the actor may read the Party's unsubmitted drafts:
// only those who may write them.
func (a Actor) CanSeeDraftSubmissions(party string) bool { return a.CanSubmit(party) }

// CanSubmit reports whether the actor may write submissions for the Party.
func (a Actor) CanSubmit(party string) bool {
	switch a.Role {
	case RoleAdmin, RoleSecretariat:
		return true
	case RoleParty:
		return a.Party == party
	}
	return false
}

// IsStakeholder reports whether the actor speaks for an organisation other than the Parties.
func (a Actor) IsStakeholder() bool { return a.Role == RoleStakeholder && a.Organisation != "" }

// CanSubmitInformation reports whether the actor may send its own information on a Party's
// follow-up, apart from the Party's account: stakeholders, on any Party's follow-ups.
func (a Actor) CanSubmitInformation(party string) bool { return a.IsStakeholder() && party != "" }

// SubmissionFacts are what the rules need to know of a submission to decide who sees and edits
// it: whose follow-up it is, who sent it (the Party, or a stakeholder's organisation), whether it
// is still a draft and whether the Secretariat published it.
type SubmissionFacts struct {
	Party        string
	Organisation string // "" for the Party's own account (written by the Party or on its behalf)
	Draft        bool
	Published    bool
}

// FromStakeholder reports whether the submission is a stakeholder's information.
func (f SubmissionFacts) FromStakeholder() bool { return f.Organisation != "" }

// ownOrganisation reports whether the actor speaks for the organisation that sent a submission.
func (a Actor) ownOrganisation(f SubmissionFacts) bool {
	return f.FromStakeholder() && a.IsStakeholder() && a.Organisation == f.Organisation
}

// CanSeeSubmission reports whether the actor may read a submission (and so its files). A draft
// is seen by those who write it and by the Secretariat: the Party's users (a Party's draft) or
// the organisation's (a stakeholder's draft). A submitted one is also seen by the committee
// roles, and by everyone once the Secretariat has published it. A Party does not see what a
// stakeholder sent about it, nor a stakeholder the Party's account, until it is published.
func (a Actor) CanSeeSubmission(f SubmissionFacts) bool {
	if f.Draft {
		return a.CanManage() || a.CanEditSubmission(f)
	}
	if f.Published || a.IsCommittee() {
		return true
	}
	if f.FromStakeholder() {
		return a.ownOrganisation(f)
	}
	return a.Role == RoleParty && a.Party == f.Party
}

// CanEditSubmission reports whether the actor may change a draft or submit it: a Party's draft
// by those who write the Party's submissions, a stakeholder's by its organisation.
func (a Actor) CanEditSubmission(f SubmissionFacts) bool {
	if f.FromStakeholder() {
		return a.ownOrganisation(f)
	}
	return a.CanSubmit(f.Party)
}

// CanPublish reports whether the actor may publish a submission and its files: the Secretariat.
func (a Actor) CanPublish() bool { return a.CanManage() }

// CanRequestClarification reports whether the actor may ask a Party for clarification.
func (a Actor) CanRequestClarification() bool { return a.IsCommittee() }

// CanSeeRequest reports whether the actor may read a request for clarification put to a Party:
// the Party's own users and the committee roles; anyone once the answer is published.
func (a Actor) CanSeeRequest(party string, answerPublished bool) bool {
	return answerPublished || a.CanSeeOpenRequests(party)
}

// CanSeeOpenRequests reports whether the actor is told of a Party's requests before anything
// about them is published (and so sees a follow-up's state read clarification_requested).
func (a Actor) CanSeeOpenRequests(party string) bool {
	return a.IsCommittee() || (a.Role == RoleParty && a.Party == party)
}

// CanAnswerRequest reports whether the actor may answer a request put to a Party: those who
// write the Party's submissions.
func (a Actor) CanAnswerRequest(party string) bool { return a.CanSubmit(party) }

// Require returns an error unless ok: unauthorized for the anonymous, forbidden for others.
func (a Actor) Require(ok bool, action string) error {
	if ok {
		return nil
	}
	if a.Anonymous() {
		return Errorf(EUnauthorized, "sign in to %s", action)
	}
	article := "a"
	if a.Role == RoleAdmin {
		article = "an"
	}
	return Errorf(EForbidden, "%s %s user may not %s", article, a.Role, action)
}

type actorKey struct{}

// WithActor returns a context that carries the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx, or the anonymous actor.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// User is an account.
type User struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  Role   `json:"role"`
	Party string `json:"party"`
	// Organisation is the organisation a stakeholder speaks for; "" for other roles.
	Organisation string    `json:"organisation,omitempty"`
	Active       bool      `json:"active"`
	CreatedAt    time.Time `json:"created_at"`
}

// Actor returns the user as an actor.
func (u User) Actor() Actor {
	return Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Party: u.Party, Organisation: u.Organisation}
}

// UserInput is a new account.
type UserInput struct {
	Email        string
	Name         string
	Role         Role
	Party        string
	Organisation string // for RoleStakeholder
	Password     string
}

// Validate checks a new account and normalizes its e-mail address and Party.
func (in *UserInput) Validate() error {
	// Checked before lower-casing, which would turn invalid UTF-8 into replacement characters.
	email := strings.TrimSpace(in.Email)
	if err := checkLine("email", "the e-mail address", email, MaxEmailLength); err != nil {
		return err
	}
	in.Email = strings.ToLower(email)
	in.Name = strings.TrimSpace(in.Name)
	at := strings.LastIndex(in.Email, "@")
	if at < 1 || at == len(in.Email)-1 || strings.ContainsAny(in.Email, " <>,;") {
		return Invalid("email", "%q is not an e-mail address", in.Email)
	}
	if in.Name == "" {
		return required("name", "the name")
	}
	if err := checkLine("name", "the name", in.Name, MaxUserNameLength); err != nil {
		return err
	}
	if !in.Role.Valid() {
		return Invalid("role", "%q is not a role (admin, secretariat, rapporteur, party, stakeholder)", in.Role)
	}
	in.Organisation = strings.TrimSpace(in.Organisation)
	if in.Role == RoleStakeholder {
		if in.Organisation == "" {
			return Invalid("organisation", "a stakeholder is bound to an organisation: give its name")
		}
		if err := checkLine("organisation", "the organisation", in.Organisation, MaxOrganisationLength); err != nil {
			return err
		}
	} else if in.Organisation != "" {
		return Invalid("organisation", "only users with the stakeholder role are bound to an organisation")
	}
	if in.Role == RoleParty {
		c, err := NormalizePartyCode("party", in.Party)
		if err != nil {
			return err
		}
		in.Party = c
	} else if in.Party != "" {
		return Invalid("party", "only users with the party role are bound to a Party")
	}
	return ValidatePassword("password", in.Password)
}

// AuditEntry records one write: who, when, what, and the entity before and after.
type AuditEntry struct {
	ID    int64     `json:"id"`
	At    time.Time `json:"at"`
	Actor string    `json:"actor"` // e-mail address, or "system"; shown to the committee roles only
	// ActorName and ActorRole are the name and role the actor had when writing; entries
	// written before they were kept have no name (and the role of the account, where known).
	ActorName string `json:"actor_name"`
	ActorRole Role   `json:"actor_role"`
	Action    string `json:"action"`
	Entity    string `json:"entity"`
	EntityKey string `json:"entity_key"`
	// Report is the slug of the report the entry is under, and Party the Party of its
	// follow-up; "" when it has none. DraftReport says that the report is not published (yet),
	// which decides who may read the entry (AuditScope).
	Report      string `json:"report,omitempty"`
	Party       string `json:"party,omitempty"`
	DraftReport bool   `json:"-"`
	Before      any    `json:"before"`
	After       any    `json:"after"`
}

// AuditFilter selects audit entries, newest first: of one entity kind and one actor when
// given, recorded from From to To (days in the configured zone, both included; zero: no bound),
// a page of Limit entries (200 when zero) after Cursor (the NextCursor of the page before).
type AuditFilter struct {
	Entity string
	Actor  string
	From   Date
	To     Date
	Cursor string
	Limit  int
}

// Validate checks a filter and sets the default page size.
func (f *AuditFilter) Validate() error {
	switch {
	case f.Limit == 0:
		f.Limit = 200
	case f.Limit < 0 || f.Limit > 1000:
		return Invalid("limit", "the limit must be between 1 and 1000")
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return Invalid("to", "the end of the range, %s, is before its start, %s", f.To, f.From)
	}
	if f.Cursor != "" {
		n, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil || n <= 0 {
			return Invalid("cursor", "%q is not a cursor returned by this list", f.Cursor)
		}
	}
	return nil
}

// AuditPage is one page of the audit log as a reader may see it: the entries, the cursor of
// the next page (nil on the last), and how many entries the filter selects in all.
type AuditPage struct {
	Items      []AuditEntry `json:"items"`
	NextCursor *string      `json:"next_cursor"`
	Total      int          `json:"total"`
}
