package followup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Import uploads: a file uploaded on the import pages waits in the database between its preview
// and its confirmation, with the record of its job, so that any process serving the database (a
// replica) shows the job's page and takes the confirmation, and a restart loses neither.
//
// The file is kept in pieces (as the files of submissions are), with its owner, the report it
// goes into, its kind, name, format, size, and when it was uploaded and expires. Its job is one
// row beside it: a state, the replica running it (its runner), a claim number that grows with
// each run, and the instant after which the runner is presumed stopped (its heartbeat):
//
//	reading   the dry run (the preview) reads the file on its runner; it is a read-only
//	          transaction, so its runner writes how far it has read, and pushes its heartbeat,
//	          every few seconds in short writes of their own
//	ready     the preview is stored; the owner may confirm it
//	applying  the confirmation runs on its runner, in one long write transaction that every
//	          other write waits for: nothing about it can be written meanwhile, so its progress
//	          is known in its runner's memory only, and its heartbeat is set once, when it is
//	          claimed, long enough for the apply (ImportApplyDeadline)
//	applied   the rows are imported; the file's pieces are deleted
//	failed    the file has errors, the data changed since the preview, or the run failed
//
// The apply writes its outcome (applied, or failed with the rows refused) in its own
// transaction, after the imported rows, under its claim: the rows and the job's record commit
// together or not at all. A runner that dies mid-way therefore writes nothing, and leaves the
// job "applying" (or "reading") until its heartbeat passes; from then on the job reads as failed
// ("the server running it stopped; nothing was written") and, since the file is still stored,
// its owner may confirm it again on any replica. The new claim fences the old run out: whatever
// a runner presumed stopped still tries to record is refused (ErrImportClaimLost). A runner that
// merely outlives its heartbeat (an apply longer than its deadline, or waiting behind another
// long write) is not harmed: a confirmation made meanwhile waits for its transaction, then finds
// the job applied.
//
// Uploads expire ImportUploadTTL after their upload (or after their job ended, when later);
// expired uploads are deleted with their pieces by every write of the service and by the
// maintenance job. The service never reads the time: its callers give it theirs.

// ImportJobState is where the job of an upload stands.
type ImportJobState string

// Import job states.
const (
	ImportReading  ImportJobState = "reading"
	ImportReady    ImportJobState = "ready"
	ImportApplying ImportJobState = "applying"
	ImportApplied  ImportJobState = "applied"
	ImportFailed   ImportJobState = "failed"
)

// Limits of the import uploads.
const (
	// ImportUploadTTL is how long an upload is kept for its confirmation, and a finished job's
	// record for its page.
	ImportUploadTTL = 20 * time.Minute
	// ImportUploadsHeld is how many files of the largest size a user may keep waiting at once:
	// the bytes a user holds are at most this many times the parser's MaxBytes.
	ImportUploadsHeld = 4
	// ImportReadHeartbeat is how long a dry run's runner is presumed alive after it last said
	// so (it says so every few seconds).
	ImportReadHeartbeat = 2 * time.Minute
	// ImportApplyGrace is the least time an apply is given before its runner is presumed
	// stopped; see ImportApplyDeadline.
	ImportApplyGrace = 5 * time.Minute
)

// ImportUpload is an uploaded import file and its job.
type ImportUpload struct {
	ID        string
	UserID    int64  // the owner: the only user who sees it
	Report    string // the report imported into; "" for Parties
	Kind      ImportKind
	Name      string
	Format    ImportFormat
	Size      int64
	Stored    bool // the file's pieces are kept (until it is applied, or cannot be)
	CreatedAt time.Time
	ExpiresAt time.Time

	State     ImportJobState
	Confirmed bool   // the owner confirmed it: the job is (or was) the apply
	Claim     int64  // the number of the current (or last) run
	Runner    string // the replica running it, while it reads or applies
	// HeartbeatUntil is when the runner is presumed stopped unless it said otherwise.
	HeartbeatUntil time.Time
	StartedAt      time.Time     // when the current (or last) run began
	ReadFor        time.Duration // how long the dry run took
	Progress       ImportProgress
	Preview        *ImportResult // the dry run's result, once read
	Result         *ImportResult // the apply's result: what was imported, or the rows refused
	Failure        *Error        // why the last run failed, besides rows refused
}

// Expired reports whether the upload is no longer kept at now.
func (u ImportUpload) Expired(now time.Time) bool { return !now.Before(u.ExpiresAt) }

// Running reports whether the upload's job is reading or applying.
func (u ImportUpload) Running() bool { return u.State == ImportReading || u.State == ImportApplying }

// Stopped reports whether the upload's job is running on a runner presumed stopped at now
// (its heartbeat passed).
func (u ImportUpload) Stopped(now time.Time) bool {
	return u.Running() && !now.Before(u.HeartbeatUntil)
}

// StateAt is the state the job's page shows at now: failed once the runner is presumed stopped.
func (u ImportUpload) StateAt(now time.Time) ImportJobState {
	if u.Stopped(now) {
		return ImportFailed
	}
	return u.State
}

// Changes counts the writes the preview found to make.
func (u ImportUpload) Changes() int {
	if u.Preview == nil {
		return 0
	}
	return u.Preview.Created + u.Preview.Updated
}

// previewClean reports whether the dry run read the whole file without errors and found
// something to write: the file is worth keeping for a confirmation.
func (u ImportUpload) previewClean() bool {
	return u.Preview != nil && len(u.Preview.Errors) == 0 && u.Changes() > 0
}

// ErrImportExpired is the answer about an upload that is no longer kept.
var ErrImportExpired = &Error{Code: ENotFound, Field: "file",
	Message: "the uploaded file is no longer kept (uploads are kept 20 minutes): upload it again"}

// ErrImportClaimLost is the answer to a runner recording a run that is no longer the upload's:
// it was presumed stopped and the upload was confirmed again, or it expired.
var ErrImportClaimLost = errors.New("the import job was taken over or has expired: nothing was recorded")

// CheckConfirm tells whether the owner may confirm the upload at now: an error saying why not
// (ErrImportExpired, or a conflict) otherwise. A job whose runner is presumed stopped may be
// confirmed again when its preview was clean.
func (u ImportUpload) CheckConfirm(now time.Time) error {
	switch {
	case u.Expired(now):
		return ErrImportExpired
	case u.State == ImportApplied:
		return Errorf(EConflict, "the file %s was imported already", u.Name)
	case u.Running() && !u.Stopped(now):
		if u.State == ImportReading {
			return Errorf(EConflict, "the file %s is still being read: confirm it once its preview shows", u.Name)
		}
		return Errorf(EConflict, "the file %s is being imported (on %s)", u.Name, u.Runner)
	case !u.Stored || !u.previewClean():
		return Errorf(EConflict, "the file %s cannot be confirmed: its preview has errors or nothing to write, or it was refused at its confirmation; upload it again", u.Name)
	}
	return nil
}

// StoppedError is the failure of a job whose runner is presumed stopped at now, nil otherwise.
func (u ImportUpload) StoppedError(now time.Time) *Error {
	if !u.Stopped(now) {
		return nil
	}
	if u.State == ImportReading {
		return &Error{Code: EInternal, Message: fmt.Sprintf("the server reading the file (%s) stopped before the end: upload it again", u.Runner)}
	}
	return &Error{Code: EInternal, Message: fmt.Sprintf("the server running the import (%s) stopped; nothing was written: confirm again", u.Runner)}
}

// ImportApplyDeadline is the heartbeat an apply claimed at now is given: ImportApplyGrace and
// ten times what the dry run of the same file took, since the apply cannot say it is alive
// while it writes.
func ImportApplyDeadline(now time.Time, readFor time.Duration) time.Time {
	return now.Add(ImportApplyGrace + 10*readFor)
}

// ImportUploadInput describes a file to keep for its preview and confirmation.
type ImportUploadInput struct {
	Report string // "" for Parties
	Kind   ImportKind
	Name   string // as uploaded; sanitised when stored
	Format ImportFormat
	Size   int64  // the file's length: content of another length is refused
	Runner string // the replica that reads it
	// MaxHeld bounds the bytes of the files the owner keeps waiting, this one included.
	MaxHeld int64
}

// Validate checks the input.
func (in ImportUploadInput) Validate() error {
	switch {
	case !in.Kind.Valid():
		return Invalid("kind", "%q is not a kind of import file", in.Kind)
	case in.Kind.IntoReport() != (in.Report != ""):
		return Invalid("report", "a file of %s is imported into a report, and only such files are", in.Kind)
	case in.Format != ImportCSV && in.Format != ImportXLSX:
		return Invalid("file", "%q is not a format of import files (csv, xlsx)", in.Format)
	case in.Size < 0:
		return Invalid("file", "a file cannot be %d bytes long", in.Size)
	case in.Runner == "":
		return Invalid("runner", "an upload's job needs the name of the replica that reads it")
	case in.MaxHeld <= 0:
		return Invalid("max_held", "the bytes a user may keep must be positive")
	}
	return nil
}

// CheckImportHeld refuses an upload of size bytes from a user who keeps files files of held
// bytes waiting for confirmation when the whole would pass max.
func CheckImportHeld(files int, held, size, max int64) error {
	if held+size <= max {
		return nil
	}
	return Invalid("file", "you already keep %d uploaded file(s) (%s) waiting for confirmation, and with this one (%s) they would pass the %s a user may keep: confirm them or let them expire (20 minutes after their upload), then upload this file again",
		files, SizeText(held), SizeText(size), SizeText(max))
}

// SizeText writes a size for people: bytes below a KiB, else KiB or MiB with one decimal.
func SizeText(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// ImportUploadService keeps the import pages' files and their jobs in the database, shared by
// every process on it. Every method acts for the actor of ctx, who must be the upload's owner:
// any other user, like an unknown id, gets ENotFound. now (or clock) is the caller's time: the
// service never reads the time itself.
type ImportUploadService interface {
	// CreateImportUpload stores a file read from content for the actor, piece by piece, with
	// its dry run under way on in.Runner under claim 1, unless the bytes the actor keeps would
	// pass in.MaxHeld (CheckImportHeld). Expired uploads are deleted in the same transaction.
	CreateImportUpload(ctx context.Context, in ImportUploadInput, content io.Reader, now time.Time) (ImportUpload, error)
	// FindImportUpload returns an upload of the actor; ErrImportExpired once it expired (the
	// upload is returned too). It only reads: the next write deletes what expired.
	FindImportUpload(ctx context.Context, id string, now time.Time) (ImportUpload, error)
	// OpenImportUpload reads the stored file of an upload of the actor, one piece at a time.
	OpenImportUpload(ctx context.Context, id string) (io.ReadCloser, error)
	// RecordImportProgress records how far the dry run under claim has read and that its
	// runner is alive until until; ErrImportClaimLost when that run is no longer the upload's.
	RecordImportProgress(ctx context.Context, id string, claim int64, p ImportProgress, until time.Time) error
	// FinishImportRead records the outcome of the dry run under claim: ready with its preview,
	// or failed (res with the rows refused, failure for any other error). A file that cannot
	// be confirmed (errors, nothing to write) is deleted at once; the record stays for its page.
	// ErrImportClaimLost when that run is no longer the upload's.
	FinishImportRead(ctx context.Context, id string, claim int64, res ImportResult, failure error, now time.Time) (ImportUpload, error)
	// ClaimImportApply starts the confirmation of an upload on runner: applying under the next
	// claim, with the heartbeat of ImportApplyDeadline. It refuses what CheckConfirm refuses
	// (ErrImportExpired: the expired upload is deleted).
	ClaimImportApply(ctx context.Context, id, runner string, now time.Time) (ImportUpload, error)
	// ApplyImportUpload runs apply in one write transaction, which every write that apply
	// makes through the store's services (the ImportService of the same store) joins, and
	// records the outcome in it under claim: applied, with the file deleted, or failed, with
	// the rows refused (the file deleted) or the error (the file kept, to confirm again).
	// Whatever apply wrote is rolled back when it fails. It returns apply's result and error,
	// or ErrImportClaimLost, with nothing written, when the run is no longer the upload's.
	ApplyImportUpload(ctx context.Context, id string, claim int64, clock Clock, apply func(ctx context.Context) (ImportResult, error)) (ImportResult, error)
	// PurgeImportUploads deletes every upload expired at now, with its file, whoever owns it
	// (the maintenance job); it returns how many.
	PurgeImportUploads(ctx context.Context, now time.Time) (int, error)
}

// GroupDigits writes n with sep between groups of three digits: 10,485,760 with ",". The API's
// messages use a comma; pages use their language's separator (i18n.Catalogue.Number).
func GroupDigits(n int, sep string) string {
	s := strconv.Itoa(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	var b strings.Builder
	b.WriteString(neg)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
