package followup

import "context"

// The services below are what the adapters (HTTP, CLI, scheduler, exports) ask of the store.
// Every method reads the actor from the context (WithActor) and checks on every read and write
// what that actor may see and do; every write is one transaction and leaves an audit entry.

// PartyService manages the Parties to the Convention.
type PartyService interface {
	ListParties(ctx context.Context) ([]Party, error)
	FindParty(ctx context.Context, code string) (Party, error)
	CreateParty(ctx context.Context, p Party) (Party, error)
}

// ReportService manages reports and their recommendations. A new report is a draft, seen by the
// committee only, until it is published; every read of a report or of anything under it
// answers "not found" to those who may not see it (Actor.CanSeeReport). Creating or editing a
// recommendation creates, re-activates or de-activates its follow-ups in the same transaction.
type ReportService interface {
	ListReports(ctx context.Context, includeArchived bool) ([]Report, error)
	FindReport(ctx context.Context, slug string) (Report, error)
	CreateReport(ctx context.Context, in ReportInput) (Report, error)
	UpdateReport(ctx context.Context, slug string, p ReportPatch) (Report, error)
	// PublishReport makes a draft report public from today (secretariat and admin); a report
	// is published once.
	PublishReport(ctx context.Context, slug string) (Report, error)

	ListRecommendations(ctx context.Context, slug string, includeArchived bool) ([]Recommendation, error)
	FindRecommendation(ctx context.Context, slug, label string) (Recommendation, error)
	CreateRecommendation(ctx context.Context, slug string, in RecommendationInput) (Recommendation, error)
	UpdateRecommendation(ctx context.Context, slug, label string, p RecommendationPatch) (Recommendation, error)
	// SearchRecommendations finds recommendations across reports by words and facets, with the
	// counts of the facets (search.go).
	SearchRecommendations(ctx context.Context, q RecommendationQuery) (SearchPage, error)
}

// FollowUpService runs the follow-up cycle: submissions, assessments, adoption.
type FollowUpService interface {
	ListFollowUps(ctx context.Context, f FollowUpFilter) (FollowUpPage, error)
	// FindFollowUp returns the follow-up with the submissions and assessments the actor may see.
	FindFollowUp(ctx context.Context, key FollowUpKey) (FollowUp, error)
	CreateSubmission(ctx context.Context, key FollowUpKey, in SubmissionInput) (Submission, error)
	UpdateSubmission(ctx context.Context, key FollowUpKey, id int64, p SubmissionPatch) (Submission, error)
	CreateAssessment(ctx context.Context, key FollowUpKey, in AssessmentInput) (Assessment, error)
	// Adopt stamps the latest not-yet-adopted assessment of the report's follow-ups and returns
	// how many it adopted.
	Adopt(ctx context.Context, slug string, in AdoptionInput) (int, error)
	// FollowUpHistory returns the audit entries of a follow-up the actor may see, oldest first.
	FollowUpHistory(ctx context.Context, key FollowUpKey) ([]AuditEntry, error)
}

// ComplianceService computes compliance summaries.
type ComplianceService interface {
	ReportCompliance(ctx context.Context, slug string, q ComplianceQuery) (Compliance, error)
	// ComplianceSnapshots returns a report's daily snapshots, oldest first: overall when party
	// is "", else that Party's (the trend line).
	ComplianceSnapshots(ctx context.Context, slug, party string) ([]ComplianceSnapshot, error)
}

// DataVersioner tells the version of the data: a number that every committed change of what
// the services read increases, whichever process or replica made it. A result computed at a
// version holds as long as the version is the same (the HTTP layer caches summaries on it).
type DataVersioner interface {
	DataVersion(ctx context.Context) (int64, error)
}

// UserService manages accounts and API tokens.
type UserService interface {
	CreateUser(ctx context.Context, in UserInput) (User, error)
	ListUsers(ctx context.Context) ([]User, error)
	FindUserByEmail(ctx context.Context, email string) (User, error)
	// CreateToken makes a bearer token for the user and returns it in clear; only its hash is
	// kept. An empty secret draws a random one; a given one (demo data) must be long enough.
	CreateToken(ctx context.Context, email, name, secret string) (string, error)
	// AuthenticateToken returns the actor a bearer token stands for.
	AuthenticateToken(ctx context.Context, token string) (Actor, error)
	// UserLang and SetUserLang read and set the language of a user's e-mails ("en" or "fr");
	// admin or the user itself.
	UserLang(ctx context.Context, email string) (string, error)
	SetUserLang(ctx context.Context, email, lang string) error
}

// AuditService reads the audit log (committee roles only), each entry to those who may see the
// record it describes (AuditScopeOf), as they may see it (RedactAudit).
type AuditService interface {
	ListAudit(ctx context.Context, f AuditFilter) (AuditPage, error)
}
