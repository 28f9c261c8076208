package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"time"

	"followup/internal/followup"
)

var _ followup.ImportUploadService = (*Store)(nil)

// The import pages' files and their jobs (followup.ImportUploadService, migration 0014): one
// row of import_uploads per file with the record of its job, the file in pieces of chunkSize in
// import_upload_chunks. Every change of a job is made under its claim (WHERE claim = ?), so
// that a run presumed stopped and confirmed again records nothing; instants are written with
// fixedStamp, so that their text compares as the instants do.

const uploadColumns = `id, user_id, report_slug, kind, name, format, size, stored, created_at, expires_at,
	state, confirmed, claim, runner, heartbeat_until, started_at, read_ms, rows_read, rows_total,
	preview_json, result_json, failure_code, failure_field, failure_message`

func scanUpload(row scanner) (followup.ImportUpload, error) {
	var u followup.ImportUpload
	var created, expires, heartbeat, started string
	var readMS int64
	var preview, result sql.NullString
	var code, field, message string
	err := row.Scan(&u.ID, &u.UserID, &u.Report, &u.Kind, &u.Name, &u.Format, &u.Size, &u.Stored, &created, &expires,
		&u.State, &u.Confirmed, &u.Claim, &u.Runner, &heartbeat, &started, &readMS, &u.Progress.Rows, &u.Progress.Total,
		&preview, &result, &code, &field, &message)
	if err != nil {
		return u, err
	}
	u.CreatedAt, u.ExpiresAt = parseStamp(created), parseStamp(expires)
	u.HeartbeatUntil, u.StartedAt = parseStamp(heartbeat), parseStamp(started)
	u.ReadFor = time.Duration(readMS) * time.Millisecond
	if u.Preview, err = decodeResult(preview); err != nil {
		return u, err
	}
	if u.Result, err = decodeResult(result); err != nil {
		return u, err
	}
	if code != "" {
		u.Failure = &followup.Error{Code: code, Field: field, Message: message}
	}
	return u, nil
}

func decodeResult(v sql.NullString) (*followup.ImportResult, error) {
	if !v.Valid {
		return nil, nil
	}
	var r followup.ImportResult
	if err := json.Unmarshal([]byte(v.String), &r); err != nil {
		return nil, err
	}
	return &r, nil
}

func encodeResult(r *followup.ImportResult) (any, error) {
	if r == nil {
		return nil, nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// failureColumns are the code, field and message kept of a failure ("" for none); the message
// of an error that is not the domain's is not kept, since it may carry internals.
func failureColumns(err error) (string, string, string) {
	if err == nil {
		return "", "", ""
	}
	return followup.ErrorCode(err), followup.ErrorField(err), followup.ErrorMessage(err)
}

// newUploadID returns a random id of 24 characters, safe in a URL: the id tells nothing and
// cannot be guessed, though only the owner may use it anyway.
func newUploadID() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// laterStamp returns the later of two instants, for an expiry that may only move on.
func laterStamp(a, b time.Time) string {
	if a.After(b) {
		return fixedStamp(a)
	}
	return fixedStamp(b)
}

// findOwnUpload reads an upload of the actor; ENotFound for an unknown id and for another
// user's upload alike, so that an id tells nothing about what others upload.
func findOwnUpload(ctx context.Context, q queryer, id string) (followup.ImportUpload, error) {
	actor := followup.ActorFrom(ctx)
	u, err := scanUpload(q.QueryRowContext(ctx, `SELECT `+uploadColumns+` FROM import_uploads WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (actor.UserID == 0 || u.UserID != actor.UserID)) {
		return followup.ImportUpload{}, notFound("no uploaded file %q of yours", id)
	}
	return u, err
}

// purgeUploads deletes the uploads expired at now with their pieces, within tx.
func purgeUploads(ctx context.Context, tx *Tx, now time.Time) (int, error) {
	at := fixedStamp(now)
	if _, err := tx.ExecContext(ctx, `DELETE FROM import_upload_chunks
		WHERE upload_id IN (SELECT id FROM import_uploads WHERE expires_at <= ?)`, at); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM import_uploads WHERE expires_at <= ?`, at)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// dropPieces deletes the file of an upload, keeping its record.
func dropPieces(ctx context.Context, tx *Tx, id string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM import_upload_chunks WHERE upload_id = ?`, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE import_uploads SET stored = FALSE WHERE id = ?`, id)
	return err
}

// PurgeImportUploads deletes every upload expired at now, with its file.
func (s *Store) PurgeImportUploads(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		n, err = purgeUploads(ctx, tx, now)
		return err
	})
	return n, err
}

// CreateImportUpload stores a file for the actor, with its dry run under way on in.Runner.
func (s *Store) CreateImportUpload(ctx context.Context, in followup.ImportUploadInput, content io.Reader, now time.Time) (followup.ImportUpload, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.UserID > 0, "keep an import file"); err != nil {
		return followup.ImportUpload{}, err
	}
	if err := in.Validate(); err != nil {
		return followup.ImportUpload{}, err
	}
	var out followup.ImportUpload
	err := s.write(ctx, func(tx *Tx) error {
		if _, err := purgeUploads(ctx, tx, now); err != nil {
			return err
		}
		var files int
		var held int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*), CAST(coalesce(sum(size), 0) AS BIGINT) FROM import_uploads
			WHERE user_id = ? AND stored = TRUE`, actor.UserID).Scan(&files, &held); err != nil {
			return err
		}
		if err := followup.CheckImportHeld(files, held, in.Size, in.MaxHeld); err != nil {
			return err
		}
		id := newUploadID()
		stamp := fixedStamp(now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_uploads (id, user_id, report_slug, kind, name, format, size, stored,
				created_at, expires_at, state, confirmed, claim, runner, heartbeat_until, started_at, read_ms, rows_read, rows_total,
				failure_code, failure_field, failure_message)
			VALUES (?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?, FALSE, 1, ?, ?, ?, 0, 0, 0, '', '', '')`,
			id, actor.UserID, in.Report, string(in.Kind), followup.SanitizeFileName(in.Name), string(in.Format), in.Size,
			stamp, fixedStamp(now.Add(followup.ImportUploadTTL)), string(followup.ImportReading), in.Runner,
			fixedStamp(now.Add(followup.ImportReadHeartbeat)), stamp); err != nil {
			return err
		}
		buf := make([]byte, chunkSize)
		var size int64
		for seq := 0; ; seq++ {
			n, err := io.ReadFull(content, buf)
			if n > 0 {
				size += int64(n)
				if size > in.Size {
					break
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO import_upload_chunks (upload_id, seq, data) VALUES (?, ?, ?)`, id, seq, buf[:n]); err != nil {
					return err
				}
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return err
			}
		}
		if size != in.Size {
			return followup.Errorf(followup.EBadRequest, "the file %s was to be %d bytes long, and was %d or more", in.Name, in.Size, size)
		}
		var err error
		out, err = findOwnUpload(ctx, tx, id)
		return err
	})
	return out, err
}

// FindImportUpload returns an upload of the actor; ErrImportExpired, with it, once expired.
func (s *Store) FindImportUpload(ctx context.Context, id string, now time.Time) (followup.ImportUpload, error) {
	u, err := findOwnUpload(ctx, s.reader, id)
	if err == nil && u.Expired(now) {
		return u, followup.ErrImportExpired
	}
	return u, err
}

// uploadPiece is the query of an upload's pieces for chunkReader.
const uploadPiece = `SELECT data FROM import_upload_chunks WHERE upload_id = ? AND seq = ?`

// OpenImportUpload reads the stored file of an upload of the actor, piece by piece.
func (s *Store) OpenImportUpload(ctx context.Context, id string) (io.ReadCloser, error) {
	u, err := findOwnUpload(ctx, s.reader, id)
	if err != nil {
		return nil, err
	}
	if !u.Stored {
		return nil, followup.ErrImportExpired
	}
	return &chunkReader{ctx: ctx, s: s, query: uploadPiece, id: id, size: u.Size}, nil
}

// claimed turns a change of a job that changed no row into followup.ErrImportClaimLost.
func claimed(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return followup.ErrImportClaimLost
	}
	return nil
}

// RecordImportProgress records how far the dry run under claim has read, and its heartbeat.
func (s *Store) RecordImportProgress(ctx context.Context, id string, claim int64, p followup.ImportProgress, until time.Time) error {
	actor := followup.ActorFrom(ctx)
	return s.write(ctx, func(tx *Tx) error {
		return claimed(tx.ExecContext(ctx, `UPDATE import_uploads SET rows_read = ?, rows_total = ?, heartbeat_until = ?
			WHERE id = ? AND user_id = ? AND claim = ? AND state = ?`,
			p.Rows, p.Total, fixedStamp(until), id, actor.UserID, claim, string(followup.ImportReading)))
	})
}

// FinishImportRead records the outcome of the dry run under claim.
func (s *Store) FinishImportRead(ctx context.Context, id string, claim int64, res followup.ImportResult, failure error, now time.Time) (followup.ImportUpload, error) {
	var out followup.ImportUpload
	err := s.write(ctx, func(tx *Tx) error {
		u, err := findOwnUpload(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.Claim != claim || u.State != followup.ImportReading {
			return followup.ErrImportClaimLost
		}
		state, preview := followup.ImportReady, &res
		switch {
		case len(res.Errors) > 0:
			state, failure = followup.ImportFailed, nil // the rows refused say it all
		case failure != nil:
			state, preview = followup.ImportFailed, nil
		}
		previewJSON, err := encodeResult(preview)
		if err != nil {
			return err
		}
		code, field, message := failureColumns(failure)
		if _, err := tx.ExecContext(ctx, `UPDATE import_uploads SET state = ?, runner = '', read_ms = ?, rows_read = ?, rows_total = ?,
				preview_json = ?, failure_code = ?, failure_field = ?, failure_message = ?, expires_at = ?
			WHERE id = ? AND claim = ?`,
			string(state), now.Sub(u.StartedAt).Milliseconds(), res.RowsTotal, res.RowsTotal, previewJSON, code, field, message,
			laterStamp(u.ExpiresAt, now.Add(followup.ImportUploadTTL)), id, claim); err != nil {
			return err
		}
		u.State, u.Preview = state, preview
		if state != followup.ImportReady || u.Changes() == 0 {
			// Nothing to confirm: the file is not worth the room it takes.
			if err := dropPieces(ctx, tx, id); err != nil {
				return err
			}
		}
		out, err = findOwnUpload(ctx, tx, id)
		return err
	})
	return out, err
}

// ClaimImportApply starts the confirmation of an upload on runner, under the next claim.
func (s *Store) ClaimImportApply(ctx context.Context, id, runner string, now time.Time) (followup.ImportUpload, error) {
	if runner == "" {
		return followup.ImportUpload{}, followup.Invalid("runner", "a confirmation needs the name of the replica that applies it")
	}
	var out followup.ImportUpload
	var refused error // committed with the deletion of what expired
	err := s.write(ctx, func(tx *Tx) error {
		u, err := findOwnUpload(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := purgeUploads(ctx, tx, now); err != nil {
			return err
		}
		if refused = u.CheckConfirm(now); refused != nil {
			return nil
		}
		heartbeat := followup.ImportApplyDeadline(now, u.ReadFor)
		if err := claimed(tx.ExecContext(ctx, `UPDATE import_uploads SET state = ?, confirmed = TRUE, claim = claim + 1, runner = ?,
				heartbeat_until = ?, started_at = ?, expires_at = ?, result_json = NULL, failure_code = '', failure_field = '', failure_message = ''
			WHERE id = ? AND claim = ?`,
			string(followup.ImportApplying), runner, fixedStamp(heartbeat), fixedStamp(now),
			laterStamp(u.ExpiresAt, heartbeat.Add(followup.ImportUploadTTL)), id, u.Claim)); err != nil {
			return err
		}
		out, err = findOwnUpload(ctx, tx, id)
		return err
	})
	if err != nil {
		return followup.ImportUpload{}, err
	}
	return out, refused
}

// ApplyImportUpload runs apply in one write transaction under claim and records its outcome in
// the same transaction. A savepoint before apply lets a refused import be rolled back while
// the record of its refusal is kept.
func (s *Store) ApplyImportUpload(ctx context.Context, id string, claim int64, clock followup.Clock,
	apply func(ctx context.Context) (followup.ImportResult, error)) (followup.ImportResult, error) {
	var res followup.ImportResult
	var applyErr error
	err := s.write(ctx, func(tx *Tx) error {
		u, err := findOwnUpload(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.Claim != claim || u.State != followup.ImportApplying || !u.Stored {
			return followup.ErrImportClaimLost
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT import_apply`); err != nil {
			return err
		}
		res, applyErr = apply(context.WithValue(ctx, txKey{}, tx))
		if applyErr != nil {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT import_apply`); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT import_apply`); err != nil {
			return err
		}
		return s.recordApply(ctx, tx, u, res, applyErr, clock.Now())
	})
	if err == nil {
		return res, applyErr
	}
	if !errors.Is(err, followup.ErrImportClaimLost) && followup.ErrorCode(err) != followup.ENotFound {
		// The transaction failed as a whole (it could not begin, roll back to its savepoint or
		// commit): nothing of it holds. Its failure is recorded on its own, the file kept.
		ferr := s.write(ctx, func(tx *Tx) error {
			u, ferr := findOwnUpload(ctx, tx, id)
			if ferr != nil {
				return ferr
			}
			if u.Claim != claim || u.State != followup.ImportApplying {
				return followup.ErrImportClaimLost
			}
			return s.recordApply(ctx, tx, u, followup.ImportResult{}, err, clock.Now())
		})
		if ferr != nil {
			s.log.Warn("import: the failure of an apply could not be recorded", "upload", id, "err", ferr)
		}
	}
	return res, err
}

// recordApply records the outcome of the apply of u at now, within tx: applied, or failed
// with the rows refused (the file is dropped: it cannot be applied as it is) or with the error
// (the file is kept, to confirm again).
func (s *Store) recordApply(ctx context.Context, tx *Tx, u followup.ImportUpload, res followup.ImportResult, failure error, now time.Time) error {
	state, keep := followup.ImportApplied, false
	var result *followup.ImportResult
	switch {
	case failure == nil:
		result = &res
	case len(res.Errors) > 0:
		state, result, failure = followup.ImportFailed, &res, nil
	default:
		state, keep = followup.ImportFailed, true
	}
	resultJSON, err := encodeResult(result)
	if err != nil {
		return err
	}
	code, field, message := failureColumns(failure)
	if err := claimed(tx.ExecContext(ctx, `UPDATE import_uploads SET state = ?, runner = '', result_json = ?,
			failure_code = ?, failure_field = ?, failure_message = ?, expires_at = ?
		WHERE id = ? AND claim = ?`,
		string(state), resultJSON, code, field, message, laterStamp(u.ExpiresAt, now.Add(followup.ImportUploadTTL)), u.ID, u.Claim)); err != nil {
		return err
	}
	if keep {
		return nil
	}
	return dropPieces(ctx, tx, u.ID)
}
