package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"followup/internal/followup"
)

var _ followup.EvidenceService = (*Store)(nil)

// chunkSize is the size of the pieces a file is stored in (attachment_chunks): an upload and a
// download each hold one piece in memory at a time, whatever the file's size, on both engines
// and without either driver's large-object interface.
const chunkSize = 256 << 10

const attachmentColumns = `id, name, size, sha256, content_type, created_at`

func scanAttachment(row scanner) (followup.Attachment, error) {
	var a followup.Attachment
	var created string
	err := row.Scan(&a.ID, &a.Name, &a.Size, &a.SHA256, &a.ContentType, &created)
	a.CreatedAt = parseStamp(created)
	return a, err
}

// loadAttachments fills in the files of the given submissions.
func (s *Store) loadAttachments(ctx context.Context, q queryer, subs []*followup.Submission) error {
	if len(subs) == 0 {
		return nil
	}
	byID := make(map[int64]*followup.Submission, len(subs))
	args := make([]any, len(subs))
	for i, sub := range subs {
		byID[sub.ID] = sub
		args[i] = sub.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT submission_id, `+attachmentColumns+` FROM attachments
		WHERE submission_id IN (`+placeholders(len(args))+`) ORDER BY submission_id, position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var subID int64
		a, err := scanAttachment(leading(rows, &subID))
		if err != nil {
			return err
		}
		if sub := byID[subID]; sub != nil {
			sub.Attachments = append(sub.Attachments, a)
		}
	}
	return rows.Err()
}

// writeAttachments stores the files of a new submission, piece by piece, and returns their
// descriptions with the SHA-256 of what was stored.
func (s *Store) writeAttachments(ctx context.Context, tx *Tx, subID int64, files []followup.FileUpload) ([]followup.Attachment, error) {
	out := []followup.Attachment{}
	buf := make([]byte, chunkSize)
	for i, f := range files {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO attachments (submission_id, position, name, size, sha256, content_type, created_at)
			VALUES (?, ?, ?, 0, '', ?, ?) RETURNING id`, subID, i, f.Name, f.ContentType, s.stamp()).Scan(&id); err != nil {
			return nil, err
		}
		h := sha256.New()
		var size int64
		for seq := 0; ; seq++ {
			n, err := io.ReadFull(f.Content, buf)
			if n > 0 {
				size += int64(n)
				if size > followup.MaxFileBytes {
					return nil, &followup.Error{Code: followup.ETooLarge, Field: "files", Message: "the file " + f.Name + " is larger than 20 MiB"}
				}
				h.Write(buf[:n])
				if _, err := tx.ExecContext(ctx, `INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (?, ?, ?)`, id, seq, buf[:n]); err != nil {
					return nil, err
				}
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return nil, err
			}
		}
		if size != f.Size {
			return nil, followup.Errorf(followup.EBadRequest, "the file %s was %d bytes long, then %d", f.Name, f.Size, size)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE attachments SET size = ?, sha256 = ? WHERE id = ?`, size, hex.EncodeToString(h.Sum(nil)), id); err != nil {
			return nil, err
		}
		a, err := scanAttachment(tx.QueryRowContext(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE id = ?`, id))
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// OpenAttachment returns a file the actor may see, with a reader of its content.
func (s *Store) OpenAttachment(ctx context.Context, id int64) (followup.Attachment, io.ReadCloser, error) {
	actor := followup.ActorFrom(ctx)
	var facts followup.SubmissionFacts
	var published sql.NullString
	var reportPublished bool
	var a followup.Attachment
	var created string
	err := s.reader.QueryRowContext(ctx, `SELECT a.id, a.name, a.size, a.sha256, a.content_type, a.created_at,
			s.draft, coalesce(s.organisation, ''), s.published_on, f.party_code, rep.published_on IS NOT NULL
		FROM attachments a JOIN submissions s ON s.id = a.submission_id JOIN followups f ON f.id = s.followup_id
		JOIN recommendations c ON c.id = f.recommendation_id JOIN reports rep ON rep.id = c.report_id
		WHERE a.id = ?`, id).Scan(&a.ID, &a.Name, &a.Size, &a.SHA256, &a.ContentType, &created,
		&facts.Draft, &facts.Organisation, &published, &facts.Party, &reportPublished)
	// A file of a report not yet published is the committee's, like everything under it.
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (!actor.CanSeeReport(reportPublished) || !actor.CanSeeSubmission(followup.SubmissionFacts{Party: facts.Party,
		Organisation: facts.Organisation, Draft: facts.Draft, Published: published.Valid}))) {
		return a, nil, notFound("no file %d", id)
	}
	if err != nil {
		return a, nil, err
	}
	a.CreatedAt = parseStamp(created)
	return a, &chunkReader{ctx: ctx, s: s, query: attachmentPiece, id: id, size: a.Size}, nil
}

// chunkReader reads a file piece by piece, one short query per piece, so that a slow download
// holds neither a connection nor a transaction while it waits for its client. Files are never
// changed once stored, so the pieces read apart are of one file; a file deleted while it is
// read (an import upload that expired) ends short of its size, which is an error, never a
// shorter file.
type chunkReader struct {
	ctx   context.Context
	s     *Store
	query string // the piece of a file by its id and its number: SELECT data ... WHERE ... = ? AND seq = ?
	id    any
	size  int64 // the file's length
	read  int64
	seq   int
	buf   []byte
	done  bool
}

// attachmentPiece is the query of an attachment's pieces for chunkReader.
const attachmentPiece = `SELECT data FROM attachment_chunks WHERE attachment_id = ? AND seq = ?`

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		var data []byte
		err := r.s.reader.QueryRowContext(r.ctx, r.query, r.id, r.seq).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			if r.read != r.size {
				return 0, fmt.Errorf("the file ends after %d of its %d bytes (it was deleted while it was read): %w", r.read, r.size, io.ErrUnexpectedEOF)
			}
			r.done = true
			continue
		}
		if err != nil {
			return 0, err
		}
		r.seq++
		r.read += int64(len(data))
		r.buf = data
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *chunkReader) Close() error { r.done, r.buf = true, nil; return nil }

// PublishSubmission makes a submitted submission and its files public (Secretariat).
func (s *Store) PublishSubmission(ctx context.Context, key followup.FollowUpKey, id int64) (followup.Submission, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.CanPublish(), "publish submissions"); err != nil {
		return followup.Submission{}, err
	}
	var out followup.Submission
	err := s.write(ctx, func(tx *Tx) error {
		f, err := s.findFollowUp(ctx, tx, key)
		if err != nil {
			return err
		}
		before, err := scanSubmission(tx.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM submissions WHERE id = ? AND followup_id = ?`, id, f.id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("follow-up %s has no submission %d", key, id)
		}
		if err != nil {
			return err
		}
		if err := followup.CheckPublish(id, before); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET published_on = ? WHERE id = ?`, s.Today().String(), id); err != nil {
			return err
		}
		if out, err = s.readSubmission(ctx, tx, id); err != nil {
			return err
		}
		if err := s.loadAttachments(ctx, tx, []*followup.Submission{&before}); err != nil {
			return err
		}
		return s.audit(ctx, tx, "submission.publish", "submission", key.String()+"#"+strconv.FormatInt(id, 10), f.id, before, out)
	})
	return out, err
}

// readSubmission reads a submission with its files.
func (s *Store) readSubmission(ctx context.Context, q queryer, id int64) (followup.Submission, error) {
	sub, err := scanSubmission(q.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM submissions WHERE id = ?`, id))
	if err != nil {
		return sub, err
	}
	return sub, s.loadAttachments(ctx, q, []*followup.Submission{&sub})
}

const requestSelect = `SELECT q.id, rep.slug, c.label, f.party_code, q.question, q.due_on, q.requested_on, q.author_name,
		q.created_at, coalesce(q.answered_by, 0), q.answered_on, sa.published_on
	FROM clarification_requests q
	JOIN followups f ON f.id = q.followup_id
	JOIN recommendations c ON c.id = f.recommendation_id
	JOIN reports rep ON rep.id = c.report_id
	LEFT JOIN submissions sa ON sa.id = q.answered_by`

func scanRequest(row scanner) (followup.ClarificationRequest, error) {
	var r followup.ClarificationRequest
	var due, on, created string
	var answered, published sql.NullString
	if err := row.Scan(&r.ID, &r.Report, &r.Label, &r.Party, &r.Question, &due, &on, &r.Author, &created,
		&r.AnsweredBy, &answered, &published); err != nil {
		return r, err
	}
	r.DueOn = scanDate(sql.NullString{String: due, Valid: true})
	r.RequestedOn = scanDate(sql.NullString{String: on, Valid: true})
	r.AnsweredOn = scanDate(answered)
	r.AnswerPublished = published.Valid
	r.CreatedAt = parseStamp(created)
	return r, nil
}

// followUpRequests returns the requests of a follow-up the actor may see, oldest first.
func (s *Store) followUpRequests(ctx context.Context, q queryer, f followUpRow, actor followup.Actor) ([]followup.ClarificationRequest, error) {
	all, err := queryAll(ctx, q, scanRequest, requestSelect+` WHERE q.followup_id = ? ORDER BY q.id`, f.id)
	if err != nil {
		return nil, err
	}
	out := []followup.ClarificationRequest{}
	for _, r := range all {
		if actor.CanSeeRequest(r.Party, r.AnswerPublished) {
			out = append(out, r)
		}
	}
	return out, nil
}

// CreateRequest asks the Party of a follow-up for clarification (committee roles).
func (s *Store) CreateRequest(ctx context.Context, key followup.FollowUpKey, in followup.RequestInput) (followup.ClarificationRequest, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.CanRequestClarification(), "ask a Party for clarification"); err != nil {
		return followup.ClarificationRequest{}, err
	}
	today := s.Today()
	if err := in.Validate(today); err != nil {
		return followup.ClarificationRequest{}, err
	}
	var out followup.ClarificationRequest
	err := s.write(ctx, func(tx *Tx) error {
		f, err := s.writableFollowUp(ctx, tx, key)
		if err != nil {
			return err
		}
		now := s.stamp()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO clarification_requests (followup_id, question, due_on, requested_on, author_id, author_name, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, f.id, in.Question, in.DueOn.String(), today.String(), authorID(actor), actor.Name, now).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE followups SET open_requests = open_requests + 1, updated_at = ? WHERE id = ?`, now, f.id); err != nil {
			return err
		}
		if out, err = scanRequest(tx.QueryRowContext(ctx, requestSelect+` WHERE q.id = ?`, id)); err != nil {
			return err
		}
		return s.audit(ctx, tx, "request.create", "request", key.String()+"#"+strconv.FormatInt(id, 10), f.id, nil, out)
	})
	return out, err
}

// findRequest reads a request of a follow-up; found is false when the follow-up has none of
// that number.
func findRequest(ctx context.Context, q queryer, followUpID, id int64) (followup.ClarificationRequest, bool, error) {
	r, err := scanRequest(q.QueryRowContext(ctx, requestSelect+` WHERE q.id = ? AND q.followup_id = ?`, id, followUpID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

// answerRequest records that a submitted submission answered a request, within tx.
func (s *Store) answerRequest(ctx context.Context, tx *Tx, key followup.FollowUpKey, f followUpRow, reqID, subID int64, on followup.Date) error {
	before, found, err := findRequest(ctx, tx, f.id, reqID)
	if err != nil {
		return err
	}
	if err := followup.CheckAnswer(reqID, before, found, false); err != nil {
		return err
	}
	now := s.stamp()
	if _, err := tx.ExecContext(ctx, `UPDATE clarification_requests SET answered_by = ?, answered_on = ? WHERE id = ?`, subID, on.String(), reqID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE followups SET open_requests = open_requests - 1, updated_at = ? WHERE id = ?`, now, f.id); err != nil {
		return err
	}
	after, _, err := findRequest(ctx, tx, f.id, reqID)
	if err != nil {
		return err
	}
	return s.audit(ctx, tx, "request.answer", "request", key.String()+"#"+strconv.FormatInt(reqID, 10), f.id, before, after)
}

// ListRequests lists the requests the actor may see: a Party's users their own Party's, the
// committee every one, anyone else those whose answer is published. Open requests come by
// deadline, answered ones most recent answer first.
func (s *Store) ListRequests(ctx context.Context, f followup.RequestFilter) ([]followup.ClarificationRequest, error) {
	actor := followup.ActorFrom(ctx)
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if actor.Role == followup.RoleParty {
		if f.Party == "" {
			f.Party = actor.Party
		}
		if f.Party != actor.Party {
			return nil, followup.Errorf(followup.EForbidden, "a user of %s may not list the requests put to %s", actor.Party, f.Party)
		}
	}
	// The requests of a report not yet published are the committee's, like everything under it.
	where := []string{"f.active = TRUE", "rep.archived = FALSE", "c.archived = FALSE", "(rep.published_on IS NOT NULL OR ?)"}
	args := []any{actor.CanSeeReport(false)}
	if !actor.IsCommittee() && actor.Role != followup.RoleParty {
		where = append(where, "sa.published_on IS NOT NULL")
	}
	if f.Party != "" {
		where = append(where, "f.party_code = ?")
		args = append(args, f.Party)
	}
	if f.Report != "" {
		where = append(where, "rep.slug = ?")
		args = append(args, f.Report)
	}
	order := "q.due_on, q.id"
	if f.Open != nil {
		if *f.Open {
			where = append(where, "q.answered_by IS NULL")
		} else {
			where = append(where, "q.answered_by IS NOT NULL")
			order = "q.answered_on DESC, q.id DESC"
		}
	}
	args = append(args, f.Limit)
	return queryAll(ctx, s.reader, scanRequest, requestSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY `+order+` LIMIT ?`, args...)
}

// ListPublished lists a Party's published submissions, latest publication first: of the
// published reports, and of the drafts too for the committee (Actor.CanSeeReport).
func (s *Store) ListPublished(ctx context.Context, party string) ([]followup.PublishedSubmission, error) {
	code, err := followup.NormalizePartyCode("party", party)
	if err != nil {
		return nil, err
	}
	// submissionColumns of the submissions table aliased "s".
	const cols = `s.id, s.text, s.draft, s.submitted_on, s.author_name, coalesce(s.organisation, ''), s.published_on,
		coalesce(s.answers_request, 0), s.created_at, s.updated_at`
	rows, err := s.reader.QueryContext(ctx, `SELECT rep.slug, c.label, `+cols+`
		FROM submissions s JOIN followups f ON f.id = s.followup_id
		JOIN recommendations c ON c.id = f.recommendation_id JOIN reports rep ON rep.id = c.report_id
		WHERE f.party_code = ? AND s.published_on IS NOT NULL AND s.draft = FALSE AND (rep.published_on IS NOT NULL OR ?)
		ORDER BY s.published_on DESC, s.id DESC LIMIT 500`, code, followup.ActorFrom(ctx).CanSeeReport(false))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []followup.PublishedSubmission{}
	for rows.Next() {
		var p followup.PublishedSubmission
		p.Party = code
		if p.Submission, err = scanSubmission(leading(rows, &p.Report, &p.Label)); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	subs := make([]*followup.Submission, len(out))
	for i := range out {
		subs[i] = &out[i].Submission
	}
	return out, s.loadAttachments(ctx, s.reader, subs)
}
