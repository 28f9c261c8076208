package followup

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"
)

// SessionStore keeps the web interface's sessions server-side, shared by every process on the
// database (what scs.CtxStore asks, without the domain importing the session library, plus the
// session's user). It is given the session ids in clear and stores only their SHA-256, so that a
// copy of the store holds nothing that works as a cookie. A session belongs to the user signed
// in with it: changing or resetting the user's password and deactivating or reactivating the
// user end every session of theirs, in the same transaction.
type SessionStore interface {
	// Find returns the data of an unexpired session that was not ended.
	Find(ctx context.Context, token string) (data []byte, found bool, err error)
	// Commit saves a session; userID is its signed-in user, zero for none. An ended session is
	// not brought back.
	Commit(ctx context.Context, token string, userID int64, data []byte, expiry time.Time) error
	// Delete removes a session.
	Delete(ctx context.Context, token string) error
}

// Services are every capability the adapters (HTTP, command line, scheduler) ask of the
// program: a store returns the part it implements (StoreServices) and the command that wires the
// program adds the others (the export encoder, the import parser, the job runner). Check says
// which one is missing, so that a server is never built with a hole in it.
type Services struct {
	Parties    PartyService
	Reports    ReportService
	FollowUps  FollowUpService
	Compliance ComplianceService
	Versions   DataVersioner
	Users      UserService
	Audit      AuditService
	Auth       AuthService
	Queue      QueueService
	Dossiers   DossierService
	Imports    ImportService
	Outbox     OutboxService
	Calendar   CalendarService
	Sessions   SessionStore
	Throttle   LoginThrottle
	Evidence   EvidenceService
	Uploads    ImportUploadService // the import pages' files and jobs, shared by the replicas

	Detector ContentDetector // tells the type of uploaded files (the sniff package)

	Jobs     JobRunner    // the scheduled jobs (the scheduler)
	Exporter Exporter     // writes export files (the export package)
	Parser   ImportParser // reads import files (the importer package)
}

// Check returns an error naming every service that is missing.
func (s Services) Check() error {
	var missing []error
	v := reflect.ValueOf(s)
	for i := range v.NumField() {
		if v.Field(i).IsNil() {
			missing = append(missing, fmt.Errorf("the %s service is missing", v.Type().Field(i).Name))
		}
	}
	return errors.Join(missing...)
}

// Store is what a database engine's store offers: the services it implements, its own
// maintenance, and the batching of many writes into one transaction. Both engines' stores
// (SQLite, PostgreSQL) implement it; the commands use it without knowing which one runs.
type Store interface {
	// Services returns the store's services; the fields it does not implement (Jobs, Exporter,
	// Parser, Detector) are nil.
	Services() Services
	JobService
	LeaseService
	// InTransaction runs fn so that every write made through the store's services with the
	// context it is given is committed together when fn returns nil, or none when it fails.
	InTransaction(ctx context.Context, fn func(ctx context.Context) error) error
	// Engine names the engine ("sqlite", "postgres"); Describe the database (never a password).
	Engine() string
	Describe() string
	Today() Date
	Close() error
}
