package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/importer"
	"followup/internal/importtest"
	"followup/internal/sqlstore"
)

// uploadFixture is the scale fixture (60 Parties, report "upr", a secretariat user) with an
// admin, and a file of recommendations larger than one piece.
func uploadFixture(t *testing.T) (*fixture, []byte) {
	t.Helper()
	f, parties := scaleFixture(t)
	f.users["admin"] = mustUser(t, f, "admin", followup.RoleAdmin)
	data := importtest.CSV(1500, parties, 3)
	if len(data) <= 256<<10 {
		t.Fatalf("the file is %d bytes: the test needs more than one piece", len(data))
	}
	return f, data
}

func uploadInput(data []byte) followup.ImportUploadInput {
	return followup.ImportUploadInput{Report: "upr", Kind: followup.ImportRecommendations, Name: "recs.csv",
		Format: followup.ImportCSV, Size: int64(len(data)), Runner: "replica-1", MaxHeld: 64 << 20}
}

// importRecs imports a recommendations file into "upr" through the store's import service.
func importRecs(s *sqlstore.Store, data []byte, dryRun bool) func(ctx context.Context) (followup.ImportResult, error) {
	return func(ctx context.Context) (followup.ImportResult, error) {
		return s.ImportRecommendations(ctx, "upr", importer.Parser{}.RecommendationStream(bytes.NewReader(data), importer.CSV, nil), dryRun)
	}
}

// preview uploads data as the secretariat and records its dry run, read in 3 s.
func preview(t *testing.T, f *fixture, s *sqlstore.Store, data []byte) followup.ImportUpload {
	t.Helper()
	ctx := f.as("secretariat")
	u, err := s.CreateImportUpload(ctx, uploadInput(data), bytes.NewReader(data), today)
	if err != nil {
		t.Fatal(err)
	}
	res, err := importRecs(s, data, true)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err = s.FinishImportRead(ctx, u.ID, u.Claim, res, nil, today.Add(3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *fixture) recommendations(t *testing.T) int {
	return f.count(t, `SELECT count(*) FROM recommendations`)
}

func (f *fixture) pieces(t *testing.T, id string) int {
	return f.count(t, `SELECT count(*) FROM import_upload_chunks WHERE upload_id = ?`, id)
}

// An upload is kept in pieces for its owner only, read back as it was sent; its dry run records
// progress and its preview under its claim; its confirmation is applied under the next claim
// in one transaction with its outcome, after which the file is gone and it cannot be applied
// again. Another store on the same database (another replica) confirms what the first took.
func TestImportUploadFromPreviewToApplied(t *testing.T) {
	t.Parallel()
	f, data := uploadFixture(t)
	other := openStore(t, f.path) // another replica
	ctx, admin := f.as("secretariat"), f.as("admin")

	u, err := f.store.CreateImportUpload(ctx, uploadInput(data), bytes.NewReader(data), today)
	if err != nil {
		t.Fatal(err)
	}
	if u.State != followup.ImportReading || u.Claim != 1 || u.Runner != "replica-1" || !u.Stored || u.Size != int64(len(data)) ||
		!u.ExpiresAt.Equal(today.Add(followup.ImportUploadTTL)) || !u.HeartbeatUntil.Equal(today.Add(followup.ImportReadHeartbeat)) ||
		u.UserID != f.users["secretariat"].ID || u.Name != "recs.csv" || len(u.ID) < 20 {
		t.Fatalf("the new upload: %+v", u)
	}
	if n, want := f.pieces(t, u.ID), (len(data)+256<<10-1)/(256<<10); n != want {
		t.Errorf("%d pieces, want %d", n, want)
	}
	rc, err := other.OpenImportUpload(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(back, data) {
		t.Fatalf("the file read back differs (%d bytes of %d, %v)", len(back), len(data), err)
	}
	for name, call := range map[string]func() error{
		"find":  func() error { _, err := other.FindImportUpload(admin, u.ID, today); return err },
		"open":  func() error { _, err := other.OpenImportUpload(admin, u.ID); return err },
		"claim": func() error { _, err := other.ClaimImportApply(admin, u.ID, "replica-2", today); return err },
		"anon":  func() error { _, err := other.FindImportUpload(f.as("anon"), u.ID, today); return err },
	} {
		if err := call(); followup.ErrorCode(err) != followup.ENotFound {
			t.Errorf("another user's %s: %v, want not_found", name, err)
		}
	}

	// The dry run, under claim 1.
	if err := f.store.RecordImportProgress(ctx, u.ID, 1, followup.ImportProgress{Rows: 256, Total: 1500}, today.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := f.store.RecordImportProgress(ctx, u.ID, 2, followup.ImportProgress{Rows: 512}, today); !errors.Is(err, followup.ErrImportClaimLost) {
		t.Errorf("progress under another claim: %v", err)
	}
	if got, _ := other.FindImportUpload(ctx, u.ID, today); got.Progress.Rows != 256 || got.Progress.Total != 1500 || !got.HeartbeatUntil.Equal(today.Add(time.Minute)) {
		t.Errorf("the other replica sees progress %+v until %s", got.Progress, got.HeartbeatUntil)
	}
	if _, err := other.ClaimImportApply(ctx, u.ID, "replica-2", today); followup.ErrorCode(err) != followup.EConflict {
		t.Errorf("confirming while the file is read: %v", err)
	}
	res, err := importRecs(f.store, data, true)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err = f.store.FinishImportRead(ctx, u.ID, 1, res, nil, today.Add(3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if u.State != followup.ImportReady || u.Preview == nil || u.Preview.Created != 1500 || len(u.Preview.Rows) != followup.MaxImportRowResults ||
		u.ReadFor != 3*time.Second || u.Runner != "" || !u.Stored {
		t.Fatalf("after the dry run: state %s, read for %s, preview %+v", u.State, u.ReadFor, u.Preview != nil)
	}
	if _, err := f.store.FinishImportRead(ctx, u.ID, 1, res, nil, today); !errors.Is(err, followup.ErrImportClaimLost) {
		t.Errorf("finishing the dry run twice: %v", err)
	}

	// The confirmation, on the other replica, under claim 2.
	at := today.Add(time.Minute)
	claimedAt, err := other.ClaimImportApply(ctx, u.ID, "replica-2", at)
	if err != nil {
		t.Fatal(err)
	}
	if deadline := at.Add(followup.ImportApplyGrace + 30*time.Second); claimedAt.State != followup.ImportApplying || claimedAt.Claim != 2 ||
		claimedAt.Runner != "replica-2" || !claimedAt.Confirmed || !claimedAt.HeartbeatUntil.Equal(deadline) ||
		claimedAt.ExpiresAt.Before(deadline.Add(followup.ImportUploadTTL)) {
		t.Fatalf("the claim: %+v", claimedAt)
	}
	if _, err := f.store.ClaimImportApply(ctx, u.ID, "replica-1", at); followup.ErrorCode(err) != followup.EConflict {
		t.Errorf("a second confirmation while the first applies: %v", err)
	}
	if _, err := f.store.ApplyImportUpload(ctx, u.ID, 1, followup.FixedClock(at), importRecs(f.store, data, false)); !errors.Is(err, followup.ErrImportClaimLost) {
		t.Errorf("applying under the old claim: %v", err)
	}
	if n := f.recommendations(t); n != 0 {
		t.Fatalf("the refused apply wrote %d recommendations", n)
	}
	applied, err := other.ApplyImportUpload(ctx, u.ID, 2, followup.FixedClock(at.Add(time.Minute)), importRecs(other, data, false))
	if err != nil || !applied.Applied || applied.Created != 1500 {
		t.Fatalf("apply: %+v %v", applied.Applied, err)
	}
	if n := f.recommendations(t); n != 1500 {
		t.Errorf("%d recommendations after the apply, want 1500", n)
	}
	u, err = f.store.FindImportUpload(ctx, u.ID, at.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if u.State != followup.ImportApplied || u.Stored || u.Result == nil || u.Result.Created != 1500 || u.Runner != "" || f.pieces(t, u.ID) != 0 {
		t.Errorf("after the apply: state %s, stored %v, %d pieces, result %v", u.State, u.Stored, f.pieces(t, u.ID), u.Result != nil)
	}
	if _, err := f.store.ClaimImportApply(ctx, u.ID, "replica-1", at.Add(time.Minute)); followup.ErrorCode(err) != followup.EConflict {
		t.Errorf("confirming an applied file: %v", err)
	}
	if _, err := f.store.OpenImportUpload(ctx, u.ID); !errors.Is(err, followup.ErrImportExpired) {
		t.Errorf("opening an applied file: %v", err)
	}
}

// An apply that fails leaves nothing of what it wrote: refused rows drop the file, which can
// never be applied as it is; any other error keeps it, to confirm again.
func TestImportUploadApplyFailures(t *testing.T) {
	t.Parallel()
	f, data := uploadFixture(t)
	ctx := f.as("secretariat")
	bad := []byte("label,category,text,addressed_to\nR1,urge,First.,\nR2,urge,Second.,ZZ\n")
	cases := []struct {
		name      string
		apply     func(ctx context.Context) (followup.ImportResult, error)
		wantCode  string
		kept      bool
		rowErrors bool
	}{
		{"rows refused", importRecs(f.store, bad, false), followup.EInvalid, false, true},
		{"an error after a write", func(ctx context.Context) (followup.ImportResult, error) {
			if _, err := f.store.CreateRecommendation(ctx, "upr", followup.RecommendationInput{Label: "X1", Category: followup.Urge, Text: "Written, then undone."}); err != nil {
				return followup.ImportResult{}, err
			}
			return followup.ImportResult{}, errors.New("the disk is gone")
		}, followup.EInternal, true, false},
	}
	for _, c := range cases {
		u := preview(t, f, f.store, data)
		u, err := f.store.ClaimImportApply(ctx, u.ID, "replica-1", today)
		if err != nil {
			t.Fatal(err)
		}
		before := f.auditCount(t)
		if _, err := f.store.ApplyImportUpload(ctx, u.ID, u.Claim, followup.FixedClock(today), c.apply); followup.ErrorCode(err) != c.wantCode {
			t.Errorf("%s: %v, want %s", c.name, err, c.wantCode)
		}
		if n := f.recommendations(t); n != 0 || f.auditCount(t) != before {
			t.Errorf("%s: %d recommendations and %d audit entries written", c.name, n, f.auditCount(t)-before)
		}
		u, err = f.store.FindImportUpload(ctx, u.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		if u.State != followup.ImportFailed || u.Stored != c.kept || (f.pieces(t, u.ID) > 0) != c.kept {
			t.Errorf("%s: state %s, stored %v, %d pieces", c.name, u.State, u.Stored, f.pieces(t, u.ID))
		}
		if c.rowErrors != (u.Result != nil && len(u.Result.Errors) == 1 && u.Result.Errors[0].Row == 3) {
			t.Errorf("%s: result %+v", c.name, u.Result)
		}
		if !c.rowErrors && (u.Failure == nil || u.Failure.Code != followup.EInternal || u.Failure.Message != "internal error") {
			t.Errorf("%s: failure %+v (internals must not be kept)", c.name, u.Failure)
		}
		err = u.CheckConfirm(today)
		if c.kept != (err == nil) {
			t.Errorf("%s: confirm again: %v", c.name, err)
		}
		if c.kept {
			again, err := f.store.ClaimImportApply(ctx, u.ID, "replica-1", today)
			if err != nil || again.Claim != 3 {
				t.Fatalf("%s: confirm again: %+v %v", c.name, again, err)
			}
			if res, err := f.store.ApplyImportUpload(ctx, u.ID, again.Claim, followup.FixedClock(today), importRecs(f.store, data, false)); err != nil || res.Created != 1500 {
				t.Fatalf("%s: the second apply: %v", c.name, err)
			}
		}
	}
}

// A job whose runner stopped (its heartbeat passed) reads failed and may be confirmed again on
// another replica; the stopped runner, should it wake, records nothing.
func TestImportUploadRunnerStopped(t *testing.T) {
	t.Parallel()
	f, data := uploadFixture(t)
	other := openStore(t, f.path)
	ctx := f.as("secretariat")
	u := preview(t, f, f.store, data)
	u, err := f.store.ClaimImportApply(ctx, u.ID, "replica-1", today)
	if err != nil {
		t.Fatal(err)
	}
	deadline := u.HeartbeatUntil
	if u.StateAt(deadline.Add(-time.Second)) != followup.ImportApplying || u.StoppedError(deadline.Add(-time.Second)) != nil {
		t.Errorf("the job reads %s before its heartbeat passed", u.StateAt(deadline.Add(-time.Second)))
	}
	if _, err := other.ClaimImportApply(ctx, u.ID, "replica-2", deadline.Add(-time.Second)); followup.ErrorCode(err) != followup.EConflict {
		t.Errorf("taken over before the heartbeat passed: %v", err)
	}
	seen, err := other.FindImportUpload(ctx, u.ID, deadline)
	if err != nil {
		t.Fatal(err)
	}
	if seen.StateAt(deadline) != followup.ImportFailed || seen.StoppedError(deadline) == nil || seen.CheckConfirm(deadline) != nil {
		t.Fatalf("after the heartbeat: %s, %v, %v", seen.StateAt(deadline), seen.StoppedError(deadline), seen.CheckConfirm(deadline))
	}
	again, err := other.ClaimImportApply(ctx, u.ID, "replica-2", deadline)
	if err != nil || again.Claim != u.Claim+1 || again.Runner != "replica-2" {
		t.Fatalf("confirm again: %+v %v", again, err)
	}
	if _, err := f.store.ApplyImportUpload(ctx, u.ID, u.Claim, followup.FixedClock(deadline), importRecs(f.store, data, false)); !errors.Is(err, followup.ErrImportClaimLost) {
		t.Errorf("the stopped runner applied: %v", err)
	}
	if res, err := other.ApplyImportUpload(ctx, u.ID, again.Claim, followup.FixedClock(deadline), importRecs(other, data, false)); err != nil || res.Created != 1500 {
		t.Fatalf("the second runner: %v", err)
	}
	if n := f.recommendations(t); n != 1500 {
		t.Errorf("%d recommendations, want 1500", n)
	}
}

// An upload expires ImportUploadTTL after its preview: reading it says so, and the next write
// (a confirmation, another upload, the maintenance job) deletes it with its file.
func TestImportUploadExpiry(t *testing.T) {
	t.Parallel()
	f, data := uploadFixture(t)
	ctx := f.as("secretariat")
	u := preview(t, f, f.store, data)
	expiry := today.Add(3*time.Second + followup.ImportUploadTTL)
	if !u.ExpiresAt.Equal(expiry) {
		t.Fatalf("expires at %s, want %s", u.ExpiresAt, expiry)
	}
	if _, err := f.store.FindImportUpload(ctx, u.ID, expiry.Add(-time.Nanosecond)); err != nil {
		t.Errorf("before the expiry: %v", err)
	}
	if _, err := f.store.FindImportUpload(ctx, u.ID, expiry); !errors.Is(err, followup.ErrImportExpired) {
		t.Errorf("at the expiry: %v", err)
	}
	if f.pieces(t, u.ID) == 0 {
		t.Error("a read deleted the file")
	}
	if _, err := f.store.ClaimImportApply(ctx, u.ID, "replica-1", expiry); !errors.Is(err, followup.ErrImportExpired) {
		t.Errorf("confirming at the expiry: %v", err)
	}
	if f.pieces(t, u.ID) != 0 || f.count(t, `SELECT count(*) FROM import_uploads WHERE id = ?`, u.ID) != 0 {
		t.Error("the expired upload is still kept")
	}
	if _, err := f.store.ClaimImportApply(ctx, u.ID, "replica-1", expiry); followup.ErrorCode(err) != followup.ENotFound {
		t.Errorf("confirming a deleted upload: %v", err)
	}

	// Another user's expired upload goes with the maintenance job.
	f.users["secretariat2"] = mustUser(t, f, "secretariat2", followup.RoleSecretariat)
	v, err := f.store.CreateImportUpload(f.as("secretariat2"), uploadInput(data), bytes.NewReader(data), today)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.store.PurgeImportUploads(f.as("system"), today.Add(followup.ImportUploadTTL-time.Second)); err != nil || n != 0 {
		t.Errorf("purge before the expiry: %d, %v", n, err)
	}
	if n, err := f.store.PurgeImportUploads(f.as("system"), today.Add(followup.ImportUploadTTL)); err != nil || n != 1 || f.pieces(t, v.ID) != 0 {
		t.Errorf("purge at the expiry: %d, %v, %d pieces left", n, err, f.pieces(t, v.ID))
	}
}

// A user keeps at most MaxHeld bytes of files waiting; a file applied, refused or expired
// frees its room. A file whose content is not of the length announced is not kept.
func TestImportUploadLimits(t *testing.T) {
	t.Parallel()
	f, data := uploadFixture(t)
	ctx := f.as("secretariat")
	in := uploadInput(data)
	in.MaxHeld = int64(2*len(data) + 10)
	first := preview(t, f, f.store, data)
	preview(t, f, f.store, data)
	_, err := f.store.CreateImportUpload(ctx, in, bytes.NewReader(data), today)
	if followup.ErrorCode(err) != followup.EInvalid || followup.ErrorField(err) != "file" {
		t.Fatalf("a third file over the limit: %v", err)
	}
	mib := func(n int) string { return followup.SizeText(int64(n)) }
	if msg, want := followup.ErrorMessage(err), "you already keep 2 uploaded file(s) ("+mib(2*len(data))+") waiting for confirmation, and with this one ("+
		mib(len(data))+") they would pass the "+mib(2*len(data)+10)+" a user may keep: confirm them or let them expire (20 minutes after their upload), then upload this file again"; msg != want {
		t.Errorf("message %q\nwant    %q", msg, want)
	}
	// Another user has room of their own.
	if _, err := f.store.CreateImportUpload(f.as("admin"), in, bytes.NewReader(data), today); err != nil {
		t.Errorf("another user's upload: %v", err)
	}
	claim, err := f.store.ClaimImportApply(ctx, first.ID, "replica-1", today)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.ApplyImportUpload(ctx, first.ID, claim.Claim, followup.FixedClock(today), importRecs(f.store, data, false)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.CreateImportUpload(ctx, in, bytes.NewReader(data), today); err != nil {
		t.Errorf("after one file was applied: %v", err)
	}

	before := f.count(t, `SELECT count(*) FROM import_upload_chunks`)
	in.MaxHeld = 64 << 20
	in.Size++
	if _, err := f.store.CreateImportUpload(ctx, in, bytes.NewReader(data), today); followup.ErrorCode(err) != followup.EBadRequest {
		t.Errorf("a file shorter than announced: %v", err)
	}
	in.Size -= 2
	if _, err := f.store.CreateImportUpload(ctx, in, bytes.NewReader(data), today); followup.ErrorCode(err) != followup.EBadRequest {
		t.Errorf("a file longer than announced: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM import_upload_chunks`); n != before {
		t.Errorf("refused files left %d pieces", n-before)
	}
	if _, err := f.store.CreateImportUpload(f.as("anon"), uploadInput(data), bytes.NewReader(data), today); followup.ErrorCode(err) != followup.EUnauthorized {
		t.Errorf("an anonymous upload: %v", err)
	}
}
