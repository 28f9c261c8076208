package followup

import (
	"context"
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
)

// Roles lists the roles.
var Roles = []Role{RoleAdmin, RoleSecretariat, RoleRapporteur, RoleParty}

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
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Party     string    `json:"party"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

// Actor returns the user as an actor.
func (u User) Actor() Actor {
	return Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Party: u.Party}
}

// UserInput is a new account.
type UserInput struct {
	Email    string
	Name     string
	Role     Role
	Party    string
	Password string
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
		return Invalid("name", "the name is required")
	}
	if err := checkLine("name", "the name", in.Name, MaxUserNameLength); err != nil {
		return err
	}
	if !in.Role.Valid() {
		return Invalid("role", "%q is not a role (admin, secretariat, rapporteur, party)", in.Role)
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
	Before    any    `json:"before"`
	After     any    `json:"after"`
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	Entity string
	Actor  string
	Limit  int
}
