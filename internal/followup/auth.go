package followup

import (
	"context"
	"time"
)

// This file holds what the web interface needs beyond the API: signing in with a password,
// managing accounts and tokens, and the rapporteurs' queue.

// AuthService signs users in with a password and lets them and the administrators manage
// accounts and API tokens. Every write is audited.
type AuthService interface {
	// AuthenticatePassword returns the actor of an active user whose password matches. A wrong
	// e-mail, a wrong password and a deactivated account all give the same EUnauthorized error,
	// and take about as long, so that the answer does not tell which accounts exist.
	AuthenticatePassword(ctx context.Context, email, password string) (Actor, error)
	// ActorByID returns the actor of an active user: sessions store the user id and look the
	// user up on every request, so that a deactivation or a new binding takes effect at once.
	ActorByID(ctx context.Context, id int64) (Actor, error)
	// ChangePassword changes the signed-in user's own password; the old one is required.
	ChangePassword(ctx context.Context, oldPassword, newPassword string) error

	// The functions below are for administrators.

	// SetUserActive deactivates or reactivates an account. A deactivated user can neither sign in
	// nor use a token; nothing of theirs is deleted.
	SetUserActive(ctx context.Context, email string, active bool) error
	// ResetPassword sets a new password for a user.
	ResetPassword(ctx context.Context, email, newPassword string) error
	// BindUserToParty binds a party user to another Party.
	BindUserToParty(ctx context.Context, email, party string) error
	// ListTokens lists the API tokens of every user (never the secrets, which are not kept).
	ListTokens(ctx context.Context) ([]APIToken, error)
	// RevokeToken revokes a token; revoking twice is a conflict.
	RevokeToken(ctx context.Context, id int64) error
}

// APIToken describes a bearer token without its secret.
type APIToken struct {
	ID        int64     `json:"id"`
	UserEmail string    `json:"user_email"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at"` // zero while valid
}

// Revoked reports whether the token was revoked.
func (t APIToken) Revoked() bool { return !t.RevokedAt.IsZero() }

// QueueService lists the work waiting for the committee.
type QueueService interface {
	// AssessmentQueue lists the active follow-ups whose latest submission awaits an assessment
	// (state submitted, no request for clarification open), oldest submission first (committee
	// roles).
	AssessmentQueue(ctx context.Context, f QueueFilter) ([]QueueItem, error)
}

// QueueFilter narrows the assessment queue. Empty fields do not filter.
type QueueFilter struct {
	Report string
	Party  string
	Limit  int // 200 when zero
}

// QueueItem is a follow-up in the assessment queue with its latest submission: the date the
// Party gave it, from which its wait is counted, and when it was recorded.
type QueueItem struct {
	FollowUp
	// SubmittedOn is the date of the latest submission as the Party gave it (the event date),
	// which may be days or weeks before it was recorded.
	SubmittedOn     Date      `json:"submitted_on"`
	LastSubmittedAt time.Time `json:"last_submitted_at"` // when it was recorded
	// AnsweredRequests counts the requests for clarification the Party answered since the
	// latest adoption: the submission waiting is (also) an answer to the Committee's question.
	AnsweredRequests int `json:"answered_requests"`
}

// DaysWaiting is how many days the latest submission has waited for an assessment on today,
// counted from its date, not from when it was recorded: 0 on its own day, and when its date
// is not known.
func (q QueueItem) DaysWaiting(today Date) int {
	if q.SubmittedOn.IsZero() {
		return 0
	}
	return max(q.SubmittedOn.DaysUntil(today), 0)
}
