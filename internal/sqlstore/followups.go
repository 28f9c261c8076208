package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"followup/internal/followup"
)

// followUpRow is a follow-up as stored, with what the rules need to decide who may see and do what.
type followUpRow struct {
	id                     int64
	reportArchived         bool
	reportPublished        bool
	recArchived            bool
	submittedSinceAdoption bool
	hasSubmission          bool
	openRequests           int
	draftSavedAt           sql.NullString
	baseDueOn              followup.Date // the recommendation's deadline, or the report's
	followup.FollowUp
}

// The deadline is the follow-up's own (set by an adoption that left it open), else its
// recommendation's, else its report's.
const followUpSelect = `SELECT f.id, r.slug, c.label, c.category, f.party_code, coalesce(f.due_on, c.due_on, r.followup_due_on),
	f.active, f.state, f.status, f.status_adopted_on, f.submitted_since_adoption, f.has_submission, r.archived, c.archived, f.open_requests, r.published_on IS NOT NULL,
	f.draft_saved_at, coalesce(c.due_on, r.followup_due_on)
	FROM followups f
	JOIN recommendations c ON c.id = f.recommendation_id
	JOIN reports r ON r.id = c.report_id`

func (s *Store) scanFollowUp(row scanner, today followup.Date) (followUpRow, error) {
	var f followUpRow
	var due, status, adopted, baseDue sql.NullString
	err := row.Scan(&f.id, &f.Report, &f.Label, &f.Category, &f.Party, &due, &f.Active, &f.State, &status, &adopted,
		&f.submittedSinceAdoption, &f.hasSubmission, &f.reportArchived, &f.recArchived, &f.openRequests, &f.reportPublished, &f.draftSavedAt, &baseDue)
	if err != nil {
		return f, err
	}
	f.DueOn = scanDate(due)
	f.baseDueOn = scanDate(baseDue)
	if status.Valid {
		st := followup.Status(status.String)
		f.Status = &st
	}
	f.AdoptedOn = scanDate(adopted)
	f.Open = followup.IsOpen(f.Status)
	f.Overdue = followup.IsOverdue(f.Open, f.DueOn, today, f.submittedSinceAdoption)
	return f, nil
}

// forActor hides what the actor may not know: that a draft assessment exists, that the Party
// was asked for clarification, and that the Party has an unsent draft.
func (f followUpRow) forActor(actor followup.Actor) followup.FollowUp {
	out := f.FollowUp
	if !actor.CanSeeDrafts() {
		out.State = followup.PublicState(f.State, f.hasSubmission, !f.AdoptedOn.IsZero(), f.submittedSinceAdoption)
	}
	if actor.CanSeeOpenRequests(f.Party) {
		out.State = followup.ShownState(out.State, f.openRequests > 0, true)
		out.OpenRequests = f.openRequests
	}
	if f.draftSavedAt.Valid && actor.CanSeeDraftSubmissions(f.Party) {
		at := parseStamp(f.draftSavedAt.String)
		out.DraftSavedAt = &at
	}
	return out
}

func (s *Store) findFollowUp(ctx context.Context, q queryer, key followup.FollowUpKey) (followUpRow, error) {
	party, err := followup.NormalizePartyCode("party", key.Party)
	if err != nil {
		return followUpRow{}, notFound("no Party with code %q", key.Party)
	}
	f, err := s.scanFollowUp(q.QueryRowContext(ctx, followUpSelect+` WHERE r.slug = ? AND c.label = ? AND f.party_code = ?`,
		key.Report, key.Label, party), s.Today())
	if err == nil && !followup.ActorFrom(ctx).CanSeeReport(f.reportPublished) {
		return followUpRow{}, notFound("no report %q", key.Report)
	}
	if errors.Is(err, sql.ErrNoRows) {
		// Say precisely what is missing: the report, the recommendation, the Party, or the address.
		report, rerr := findVisibleReport(ctx, q, key.Report)
		if rerr != nil {
			return f, rerr
		}
		if _, rerr := findRecommendation(ctx, q, report, key.Label); rerr != nil {
			return f, rerr
		}
		if _, rerr := findParty(ctx, q, party); rerr != nil {
			return f, rerr
		}
		return f, followup.Invalid("party", "recommendation %s of %s is not addressed to %s", key.Label, key.Report, party)
	}
	return f, err
}

// writableFollowUp finds a follow-up that may still receive submissions and assessments.
func (s *Store) writableFollowUp(ctx context.Context, tx *Tx, key followup.FollowUpKey) (followUpRow, error) {
	f, err := s.findFollowUp(ctx, tx, key)
	if err != nil {
		return f, err
	}
	switch {
	case !f.Active:
		return f, followup.Invalid("party", "recommendation %s of %s is no longer addressed to %s", f.Label, f.Report, f.Party)
	case f.reportArchived:
		return f, followup.Errorf(followup.EConflict, "report %s is archived", f.Report)
	case f.recArchived:
		return f, followup.Errorf(followup.EConflict, "recommendation %s of %s is archived", f.Label, f.Report)
	}
	return f, nil
}

// checkOpen refuses a Party's user another Party's follow-up before anything is looked up, so
// that nothing about it leaks.
func checkOpen(actor followup.Actor, key followup.FollowUpKey) error {
	party := strings.ToUpper(key.Party)
	if !actor.CanOpenFollowUp(party) {
		return followup.Errorf(followup.EForbidden, "a user of %s may not open the follow-ups of %s", actor.Party, party)
	}
	return nil
}

// FindFollowUp returns a follow-up with what the actor may see of it.
func (s *Store) FindFollowUp(ctx context.Context, key followup.FollowUpKey) (followup.FollowUp, error) {
	actor := followup.ActorFrom(ctx)
	if err := checkOpen(actor, key); err != nil {
		return followup.FollowUp{}, err
	}
	f, err := s.findFollowUp(ctx, s.reader, key)
	if err != nil {
		return followup.FollowUp{}, err
	}
	out := f.forActor(actor)
	if out.Submissions, out.Information, err = s.submissions(ctx, f, actor); err != nil {
		return out, err
	}
	if out.Assessments, err = s.assessments(ctx, f, actor); err != nil {
		return out, err
	}
	if out.Requests, err = s.followUpRequests(ctx, s.reader, f, actor); err != nil {
		return out, err
	}
	return out, nil
}

const submissionColumns = `id, text, draft, submitted_on, author_name, coalesce(organisation, ''), published_on,
	coalesce(answers_request, 0), created_at, updated_at`

func scanSubmission(row scanner) (followup.Submission, error) {
	var sub followup.Submission
	var on, published sql.NullString
	var created, updated string
	if err := row.Scan(&sub.ID, &sub.Text, &sub.Draft, &on, &sub.Author, &sub.Organisation, &published,
		&sub.AnswersRequest, &created, &updated); err != nil {
		return sub, err
	}
	sub.SubmittedOn = scanDate(on)
	sub.PublishedOn = scanDate(published)
	sub.Published = !sub.PublishedOn.IsZero()
	sub.CreatedAt, sub.UpdatedAt = parseStamp(created), parseStamp(updated)
	sub.Attachments = []followup.Attachment{}
	return sub, nil
}

// submissions returns the submissions of a follow-up the actor may see, with their files: the
// Party's account, and apart from it the stakeholders' information.
func (s *Store) submissions(ctx context.Context, f followUpRow, actor followup.Actor) (party, information []followup.Submission, err error) {
	all, err := queryAll(ctx, s.reader, scanSubmission, `SELECT `+submissionColumns+` FROM submissions
		WHERE followup_id = ? ORDER BY id`, f.id)
	if err != nil {
		return nil, nil, err
	}
	party, information = []followup.Submission{}, []followup.Submission{}
	var shown []*followup.Submission
	for _, sub := range all {
		if !actor.CanSeeSubmission(sub.Facts(f.Party)) {
			continue
		}
		if sub.Organisation != "" {
			information = append(information, sub)
		} else {
			party = append(party, sub)
		}
	}
	for i := range party {
		shown = append(shown, &party[i])
	}
	for i := range information {
		shown = append(shown, &information[i])
	}
	return party, information, s.loadAttachments(ctx, s.reader, shown)
}

const assessmentColumns = `id, status, comment, comment_fr, source, assessed_on, adopted_on, author_name, created_at`

// assessmentColumnsOf is assessmentColumns of the assessments table aliased "a".
const assessmentColumnsOf = `a.id, a.status, a.comment, a.comment_fr, a.source, a.assessed_on, a.adopted_on, a.author_name, a.created_at`

func scanAssessment(row scanner) (followup.Assessment, error) {
	var a followup.Assessment
	var assessed string
	var adopted sql.NullString
	var created string
	if err := row.Scan(&a.ID, &a.Status, &a.Comment, &a.CommentFR, &a.Source, &assessed, &adopted, &a.Author, &created); err != nil {
		return a, err
	}
	a.AssessedOn = scanDate(sql.NullString{String: assessed, Valid: true})
	a.AdoptedOn = scanDate(adopted)
	a.CreatedAt = parseStamp(created)
	return a, nil
}

func (s *Store) assessments(ctx context.Context, f followUpRow, actor followup.Actor) ([]followup.Assessment, error) {
	return queryAll(ctx, s.reader, scanAssessment, `SELECT `+assessmentColumns+` FROM assessments
		WHERE followup_id = ? AND (adopted_on IS NOT NULL OR ?) ORDER BY id`, f.id, actor.CanSeeDrafts())
}

// ListFollowUps lists the follow-ups the actor may see, page by page in a stable order.
func (s *Store) ListFollowUps(ctx context.Context, f followup.FollowUpFilter) (followup.FollowUpPage, error) {
	actor := followup.ActorFrom(ctx)
	if err := f.Validate(); err != nil {
		return followup.FollowUpPage{}, err
	}
	if actor.Role == followup.RoleParty {
		if f.Party == "" {
			f.Party = actor.Party
		}
		if f.Party != actor.Party {
			return followup.FollowUpPage{}, followup.Errorf(followup.EForbidden, "a user of %s may not list the follow-ups of %s", actor.Party, f.Party)
		}
	}
	var after int64
	if f.Cursor != "" {
		n, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil || n < 0 {
			return followup.FollowUpPage{}, followup.Invalid("cursor", "%q is not a cursor returned by this list", f.Cursor)
		}
		after = n
	}
	today := s.Today()
	where := []string{"f.active = TRUE", "r.archived = FALSE", "c.archived = FALSE", "f.id > ?"}
	args := []any{after}
	if !actor.CanSeeReport(false) {
		where = append(where, "r.published_on IS NOT NULL")
	}
	if f.Report != "" {
		where = append(where, "r.slug = ?")
		args = append(args, f.Report)
	}
	if f.Party != "" {
		where = append(where, "f.party_code = ?")
		args = append(args, f.Party)
	}
	if f.Category != "" {
		where = append(where, "c.category = ?")
		args = append(args, f.Category)
	}
	if f.State != "" {
		// A Party's user lists its own Party's follow-ups only, so it sees their requests.
		seesRequests := actor.IsCommittee() || actor.Role == followup.RoleParty
		cond, stateArgs := stateCondition(f.State, actor.CanSeeDrafts())
		switch {
		case f.State == followup.ClarificationRequested && seesRequests:
			cond, stateArgs = "f.open_requests > 0", nil
		case f.State == followup.ClarificationRequested:
			cond, stateArgs = "1 = 0", nil
		case seesRequests:
			cond = "(" + cond + " AND f.open_requests = 0)"
		}
		where = append(where, cond)
		args = append(args, stateArgs...)
	}
	const open = `(f.status IS NULL OR f.status NOT IN ('implemented', 'not_applicable'))`
	if f.Open != nil {
		if *f.Open {
			where = append(where, open)
		} else {
			where = append(where, "NOT "+open)
		}
	}
	if f.Overdue != nil {
		// Spelled out so that a follow-up without a deadline is "not overdue" rather than NULL,
		// which NOT would keep out of both lists.
		overdue := `(` + open + ` AND coalesce(f.due_on, c.due_on, r.followup_due_on) IS NOT NULL
			AND coalesce(f.due_on, c.due_on, r.followup_due_on) < ? AND f.submitted_since_adoption = FALSE)`
		if !*f.Overdue {
			overdue = "NOT " + overdue
		}
		where = append(where, overdue)
		args = append(args, today.String())
	}
	args = append(args, f.Limit+1)
	rows, err := s.reader.QueryContext(ctx, followUpSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY f.id LIMIT ?`, args...)
	if err != nil {
		return followup.FollowUpPage{}, err
	}
	defer rows.Close()
	page := followup.FollowUpPage{Items: []followup.FollowUp{}}
	var lastID int64
	for rows.Next() {
		row, err := s.scanFollowUp(rows, today)
		if err != nil {
			return page, err
		}
		if len(page.Items) == f.Limit {
			next := strconv.FormatInt(lastID, 10)
			page.NextCursor = &next
			break
		}
		page.Items = append(page.Items, row.forActor(actor))
		lastID = row.id
	}
	return page, rows.Err()
}

// stateCondition filters on the state as the actor sees it (see followup.PublicState).
func stateCondition(state followup.State, seesDrafts bool) (string, []any) {
	if seesDrafts {
		return "f.state = ?", []any{state}
	}
	const adoptedUnderReview = "(f.state = 'assessed' AND f.status_adopted_on IS NOT NULL AND f.submitted_since_adoption = FALSE)"
	switch state {
	case followup.Adopted:
		return "(f.state = 'adopted' OR " + adoptedUnderReview + ")", nil
	case followup.Submitted:
		return "(f.state = 'submitted' OR (f.state = 'assessed' AND f.has_submission = TRUE AND NOT " + adoptedUnderReview + "))", nil
	case followup.AwaitingSubmission:
		return "(f.state = 'awaiting_submission' OR (f.state = 'assessed' AND f.has_submission = FALSE AND NOT " + adoptedUnderReview + "))", nil
	case followup.Assessed:
		return "1 = 0", nil
	}
	return "f.state = ?", []any{state}
}

// CreateSubmission records a Party's account of measures taken, or a stakeholder's
// information, or a draft of either, with its files.
func (s *Store) CreateSubmission(ctx context.Context, key followup.FollowUpKey, in followup.SubmissionInput) (followup.Submission, error) {
	actor := followup.ActorFrom(ctx)
	party := strings.ToUpper(key.Party)
	stakeholder := actor.IsStakeholder()
	if stakeholder {
		if err := actor.Require(actor.CanSubmitInformation(party), "send information on "+party); err != nil {
			return followup.Submission{}, err
		}
	} else if err := actor.Require(actor.CanSubmit(party), "write submissions for "+party); err != nil {
		return followup.Submission{}, err
	}
	if err := in.Validate(s.Today()); err != nil {
		return followup.Submission{}, err
	}
	if err := followup.CheckFiles(in.Files); err != nil {
		return followup.Submission{}, err
	}
	var out followup.Submission
	err := s.write(ctx, func(tx *Tx) error {
		f, err := s.writableFollowUp(ctx, tx, key)
		if err != nil {
			return err
		}
		if err := checkSubmissionDate(ctx, tx, key, f, in); err != nil {
			return err
		}
		var answers any
		if in.AnswersRequest != 0 {
			req, found, err := findRequest(ctx, tx, f.id, in.AnswersRequest)
			if err != nil {
				return err
			}
			if err := followup.CheckAnswer(in.AnswersRequest, req, found, stakeholder); err != nil {
				return err
			}
			answers = in.AnswersRequest
		}
		var organisation any
		if stakeholder {
			organisation = actor.Organisation
		}
		now := s.stamp()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO submissions (followup_id, text, draft, submitted_on, author_id, author_name, organisation, answers_request, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, f.id, in.Text, in.Draft, nullDate(in.SubmittedOn), authorID(actor), actor.Name,
			organisation, answers, now, now).Scan(&id); err != nil {
			return err
		}
		files, err := s.writeAttachments(ctx, tx, id, in.Files)
		if err != nil {
			return err
		}
		if out, err = scanSubmission(tx.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM submissions WHERE id = ?`, id)); err != nil {
			return err
		}
		out.Attachments = files
		action := "submission.draft"
		if !in.Draft {
			action = "submission.submit"
			if err := s.submitted(ctx, tx, key, f, out); err != nil {
				return err
			}
		} else if err := markDrafts(ctx, tx, f); err != nil {
			return err
		}
		return s.audit(ctx, tx, action, "submission", key.String()+"#"+strconv.FormatInt(id, 10), f.id, nil, out)
	})
	return out, err
}

// submitted moves a follow-up on after a submission is submitted: a Party's account puts it
// back in the rapporteurs' queue and answers the request it names; a stakeholder's information
// changes neither the workflow nor the Party's reminders.
func (s *Store) submitted(ctx context.Context, tx *Tx, key followup.FollowUpKey, f followUpRow, sub followup.Submission) error {
	if sub.Organisation != "" {
		return nil
	}
	if err := s.markSubmitted(ctx, tx, f, sub.SubmittedOn); err != nil {
		return err
	}
	if sub.AnswersRequest != 0 {
		return s.answerRequest(ctx, tx, key, f, sub.AnswersRequest, sub.ID, sub.SubmittedOn)
	}
	return nil
}

// markSubmitted moves a follow-up on after a submission dated on (the date the Party gave it).
func (s *Store) markSubmitted(ctx context.Context, tx *Tx, f followUpRow, on followup.Date) error {
	next, err := f.State.Next(followup.EventSubmit)
	if err != nil {
		return err
	}
	now := s.stamp()
	_, err = tx.ExecContext(ctx, `UPDATE followups SET state = ?, has_submission = TRUE, submitted_since_adoption = TRUE,
		last_submitted_on = ?, last_submitted_at = ?, updated_at = ? WHERE id = ?`, next, nullDate(on), now, now, f.id)
	return err
}

// markDrafts keeps the follow-up's draft_saved_at in step with the Party's drafts (not the
// stakeholders'): when the latest unsent one was saved, or NULL when none is left.
func markDrafts(ctx context.Context, tx *Tx, f followUpRow) error {
	_, err := tx.ExecContext(ctx, `UPDATE followups SET draft_saved_at = (SELECT max(s.updated_at) FROM submissions s
		WHERE s.followup_id = ? AND s.draft = TRUE AND s.organisation IS NULL) WHERE id = ?`, f.id, f.id)
	return err
}

// reportAdoptedOn reads the adoption date of a follow-up's report, before which nothing of
// the follow-up may be dated.
func reportAdoptedOn(ctx context.Context, q queryer, f followUpRow) (followup.Date, error) {
	var on string
	err := q.QueryRowContext(ctx, `SELECT r.adopted_on FROM followups f JOIN recommendations c ON c.id = f.recommendation_id
		JOIN reports r ON r.id = c.report_id WHERE f.id = ?`, f.id).Scan(&on)
	return scanDate(sql.NullString{String: on, Valid: true}), err
}

// checkSubmissionDate runs followup.CheckSubmissionDate with the facts of the follow-up.
func checkSubmissionDate(ctx context.Context, q queryer, key followup.FollowUpKey, f followUpRow, in followup.SubmissionInput) error {
	reportOn, err := reportAdoptedOn(ctx, q, f)
	if err != nil {
		return err
	}
	return followup.CheckSubmissionDate(key, in, reportOn, f.AdoptedOn)
}

// UpdateSubmission edits a draft, or submits it. Submitted texts are never changed.
func (s *Store) UpdateSubmission(ctx context.Context, key followup.FollowUpKey, id int64, p followup.SubmissionPatch) (followup.Submission, error) {
	actor := followup.ActorFrom(ctx)
	party := strings.ToUpper(key.Party)
	if err := actor.Require(actor.CanSubmit(party) || actor.CanSubmitInformation(party), "write submissions for "+party); err != nil {
		return followup.Submission{}, err
	}
	var out followup.Submission
	err := s.write(ctx, func(tx *Tx) error {
		f, err := s.writableFollowUp(ctx, tx, key)
		if err != nil {
			return err
		}
		before, err := s.readSubmission(ctx, tx, id)
		if err == nil && !actor.CanEditSubmission(before.Facts(f.Party)) {
			// Another writer's submission (the Party's for a stakeholder, or the reverse):
			// as if it did not exist.
			err = sql.ErrNoRows
		}
		if err == nil {
			var owner int64
			if err = tx.QueryRowContext(ctx, `SELECT followup_id FROM submissions WHERE id = ?`, id).Scan(&owner); err == nil && owner != f.id {
				err = sql.ErrNoRows
			}
		}
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("follow-up %s has no submission %d", key, id)
		}
		if err != nil {
			return err
		}
		if !before.Draft {
			return followup.Errorf(followup.EConflict, "submission %d was submitted on %s and can no longer be changed; add a new submission instead", id, before.SubmittedOn)
		}
		in := followup.SubmissionInput{Text: before.Text, Draft: true}
		if p.Text != nil {
			in.Text = *p.Text
		}
		if p.Draft != nil {
			in.Draft = *p.Draft
		}
		if p.SubmittedOn != nil {
			in.SubmittedOn = *p.SubmittedOn
		}
		if err := in.Validate(s.Today()); err != nil {
			return err
		}
		if err := checkSubmissionDate(ctx, tx, key, f, in); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET text = ?, draft = ?, submitted_on = ?, updated_at = ? WHERE id = ?`,
			in.Text, in.Draft, nullDate(in.SubmittedOn), s.stamp(), id); err != nil {
			return err
		}
		if out, err = s.readSubmission(ctx, tx, id); err != nil {
			return err
		}
		action := "submission.edit_draft"
		if !in.Draft {
			action = "submission.submit"
			if err := s.submitted(ctx, tx, key, f, out); err != nil {
				return err
			}
		}
		if err := markDrafts(ctx, tx, f); err != nil {
			return err
		}
		return s.audit(ctx, tx, action, "submission", key.String()+"#"+strconv.FormatInt(id, 10), f.id, before, out)
	})
	return out, err
}

// CreateAssessment records a rapporteur's assessment; it stays a draft until adopted.
func (s *Store) CreateAssessment(ctx context.Context, key followup.FollowUpKey, in followup.AssessmentInput) (followup.Assessment, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.CanAssess(), "write assessments"); err != nil {
		return followup.Assessment{}, err
	}
	if err := in.Validate(s.Today()); err != nil {
		return followup.Assessment{}, err
	}
	var out followup.Assessment
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		out, err = s.createAssessment(ctx, tx, key, in)
		return err
	})
	return out, err
}

// createAssessment records a validated assessment within tx.
func (s *Store) createAssessment(ctx context.Context, tx *Tx, key followup.FollowUpKey, in followup.AssessmentInput) (followup.Assessment, error) {
	actor := followup.ActorFrom(ctx)
	f, err := s.writableFollowUp(ctx, tx, key)
	if err != nil {
		return followup.Assessment{}, err
	}
	reportOn, err := reportAdoptedOn(ctx, tx, f)
	if err != nil {
		return followup.Assessment{}, err
	}
	if err := followup.CheckAssessmentDate(key, in, reportOn, f.AdoptedOn); err != nil {
		return followup.Assessment{}, err
	}
	next, err := f.State.Next(followup.EventAssess)
	if err != nil {
		return followup.Assessment{}, err
	}
	now := s.stamp()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO assessments (followup_id, status, comment, comment_fr, source, assessed_on, author_id, author_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, f.id, in.Status, in.Comment, in.CommentFR, in.Source, in.AssessedOn.String(), authorID(actor), actor.Name, now).Scan(&id); err != nil {
		return followup.Assessment{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE followups SET state = ?, updated_at = ? WHERE id = ?`, next, now, f.id); err != nil {
		return followup.Assessment{}, err
	}
	out, err := scanAssessment(tx.QueryRowContext(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE id = ?`, id))
	if err != nil {
		return out, err
	}
	return out, s.audit(ctx, tx, "assessment.create", "assessment", key.String()+"#"+strconv.FormatInt(id, 10), f.id, nil, out)
}

// Adopt stamps the latest not-yet-adopted assessment of each follow-up of the report (or of
// the given recommendations) with the adoption date, all or nothing.
func (s *Store) Adopt(ctx context.Context, slug string, in followup.AdoptionInput) (int, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.CanManage(), "adopt assessments"); err != nil {
		return 0, err
	}
	if err := in.Validate(s.Today()); err != nil {
		return 0, err
	}
	adopted := 0
	err := s.write(ctx, func(tx *Tx) error {
		report, err := findOpenReport(ctx, tx, slug)
		if err != nil {
			return err
		}
		if err := followup.CheckAdoptionDate(slug, in, report.AdoptedOn); err != nil {
			return err
		}
		query := `SELECT f.id, c.label, f.party_code, f.state, f.status_adopted_on, f.submitted_since_adoption,
				coalesce(f.due_on, c.due_on, r.followup_due_on),
				` + assessmentColumnsOf + `
			FROM followups f
			JOIN recommendations c ON c.id = f.recommendation_id
			JOIN reports r ON r.id = c.report_id
			JOIN assessments a ON a.id = (SELECT max(id) FROM assessments WHERE followup_id = f.id)
			WHERE c.report_id = ? AND c.archived = FALSE AND f.active = TRUE AND a.adopted_on IS NULL`
		args := []any{report.id}
		if len(in.Labels) > 0 {
			for _, l := range in.Labels {
				if _, err := findRecommendation(ctx, tx, report, l); err != nil {
					return followup.Invalid("labels", "report %s has no recommendation %q", slug, l)
				}
				args = append(args, l)
			}
			query += ` AND c.label IN (` + placeholders(len(in.Labels)) + `)`
		}
		rows, err := tx.QueryContext(ctx, query+` ORDER BY c.position, f.party_code`, args...)
		if err != nil {
			return err
		}
		type pending struct {
			f        followUpRow
			previous followup.Date
			a        followup.Assessment
		}
		var todo []pending
		for rows.Next() {
			var p pending
			var prev, due sql.NullString
			var err error
			p.a, err = scanAssessment(leading(rows, &p.f.id, &p.f.Label, &p.f.Party, &p.f.State, &prev, &p.f.submittedSinceAdoption, &due))
			p.f.DueOn = scanDate(due)
			if err != nil {
				rows.Close()
				return err
			}
			p.previous = scanDate(prev)
			todo = append(todo, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := s.stamp()
		for _, p := range todo {
			key := followup.FollowUpKey{Report: slug, Label: p.f.Label, Party: p.f.Party}
			if err := followup.CheckAdoption(key, p.a, p.previous, in.AdoptedOn); err != nil {
				return err
			}
			next, err := p.f.State.Next(followup.EventAdopt)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE assessments SET adopted_on = ? WHERE id = ?`, in.AdoptedOn.String(), p.a.ID); err != nil {
				return err
			}
			// A Party that submitted after this assessment was made has answered it already, so
			// it is not "silent since the adoption" for the overdue rule; otherwise the clock restarts.
			answered := next == followup.Submitted
			if _, err := tx.ExecContext(ctx, `UPDATE followups SET state = ?, status = ?, status_adopted_on = ?, submitted_since_adoption = ?,
				updated_at = ? WHERE id = ?`, next, p.a.Status, in.AdoptedOn.String(), answered, now, p.f.id); err != nil {
				return err
			}
			before := p.a
			after := p.a
			after.AdoptedOn = in.AdoptedOn
			if err := s.audit(ctx, tx, "assessment.adopt", "assessment", key.String()+"#"+strconv.FormatInt(p.a.ID, 10), p.f.id, before, after); err != nil {
				return err
			}
			if !p.a.Status.Closes() {
				if err := s.setNextDue(ctx, tx, key, p.f, in); err != nil {
					return err
				}
			}
			adopted++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return adopted, nil
}

// setNextDue gives a follow-up that an adoption leaves open its next deadline, in force from the
// day of the adoption, and keeps it dated (followup_due_dates) for the pictures of past days.
func (s *Store) setNextDue(ctx context.Context, tx *Tx, key followup.FollowUpKey, f followUpRow, in followup.AdoptionInput) error {
	next := followup.NextDueOn(in.AdoptedOn, in.NextDueOn, s.nextDueAfter)
	if _, err := tx.ExecContext(ctx, `UPDATE followups SET due_on = ? WHERE id = ?`, next.String(), f.id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO followup_due_dates (followup_id, from_on, due_on, created_at) VALUES (?, ?, ?, ?)`,
		f.id, in.AdoptedOn.String(), next.String(), s.stamp()); err != nil {
		return err
	}
	return s.audit(ctx, tx, "followup.due", "followup", key.String(), f.id,
		map[string]any{"due_on": nullDate(f.DueOn)}, map[string]any{"due_on": next.String(), "from": in.AdoptedOn.String()})
}

// FollowUpHistory returns the audit entries of a follow-up, oldest first, as the actor may see
// them (followup.VisibleHistory).
func (s *Store) FollowUpHistory(ctx context.Context, key followup.FollowUpKey) ([]followup.AuditEntry, error) {
	actor := followup.ActorFrom(ctx)
	if err := checkOpen(actor, key); err != nil {
		return nil, err
	}
	f, err := s.findFollowUp(ctx, s.reader, key)
	if err != nil {
		return nil, err
	}
	entries, err := queryAll(ctx, s.reader, scanAudit, auditSelect+` WHERE a.followup_id = ? ORDER BY a.id`, f.id)
	if err != nil {
		return nil, err
	}
	subs, err := queryAll(ctx, s.reader, scanSubmission, `SELECT `+submissionColumns+` FROM submissions WHERE followup_id = ?`, f.id)
	if err != nil {
		return nil, err
	}
	reqs, err := queryAll(ctx, s.reader, scanRequest, requestSelect+` WHERE q.followup_id = ?`, f.id)
	if err != nil {
		return nil, err
	}
	facts := followup.HistoryFacts{Submissions: map[int64]followup.SubmissionFacts{}, Requests: map[int64]bool{}}
	for _, sub := range subs {
		facts.Submissions[sub.ID] = sub.Facts(f.Party)
	}
	for _, r := range reqs {
		facts.Requests[r.ID] = r.AnswerPublished
	}
	return followup.VisibleHistoryOf(actor, f.Party, entries, facts), nil
}

func authorID(a followup.Actor) any {
	if a.UserID > 0 {
		return a.UserID
	}
	return nil
}

// auditSelect reads audit entries (aliased "a") with the report they are under and whether it
// is published, and the Party of their follow-up.
const auditSelect = `SELECT a.id, a.at, a.actor_email, a.actor_name, a.actor_role, a.action, a.entity, a.entity_key,
		coalesce(r.slug, ''), coalesce(a.party_code, ''), r.id IS NOT NULL AND r.published_on IS NULL, a.before_json, a.after_json
	FROM audit_log a LEFT JOIN reports r ON r.id = a.report_id`

func scanAudit(row scanner) (followup.AuditEntry, error) {
	var e followup.AuditEntry
	var at string
	var before, after sql.NullString
	if err := row.Scan(&e.ID, &at, &e.Actor, &e.ActorName, &e.ActorRole, &e.Action, &e.Entity, &e.EntityKey,
		&e.Report, &e.Party, &e.DraftReport, &before, &after); err != nil {
		return e, err
	}
	e.At = parseStamp(at)
	if before.Valid {
		e.Before = json.RawMessage(before.String)
	}
	if after.Valid {
		e.After = json.RawMessage(after.String)
	}
	return e, nil
}

// ListAudit returns a page of the audit log, newest first (committee roles): the entries the
// actor may see (followup.AuditScopeOf, in SQL, so that the page and the count are of those
// only), as the actor may see them (followup.RedactAudit).
func (s *Store) ListAudit(ctx context.Context, f followup.AuditFilter) (followup.AuditPage, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.IsCommittee(), "read the audit log"); err != nil {
		return followup.AuditPage{}, err
	}
	if err := f.Validate(); err != nil {
		return followup.AuditPage{}, err
	}
	where, args := auditScopeSQL(followup.AuditScopeOf(actor))
	if f.Entity != "" {
		where = append(where, "a.entity = ?")
		args = append(args, f.Entity)
	}
	if f.Actor != "" {
		where = append(where, "a.actor_email = ?")
		args = append(args, strings.ToLower(strings.TrimSpace(f.Actor)))
	}
	// Instants are stored as RFC 3339 text in UTC: a day's bounds, written without a zone
	// suffix, compare as text with every stamp of the day, fractions of a second included.
	const boundLayout = "2006-01-02T15:04:05"
	if !f.From.IsZero() {
		where = append(where, "a.at >= ?")
		args = append(args, s.dayStart(f.From).Format(boundLayout))
	}
	if !f.To.IsZero() {
		where = append(where, "a.at < ?")
		args = append(args, s.dayStart(f.To.AddDays(1)).Format(boundLayout))
	}
	cond := strings.Join(where, " AND ")
	page := followup.AuditPage{Items: []followup.AuditEntry{}}
	if err := s.reader.QueryRowContext(ctx, `SELECT count(*) FROM audit_log a LEFT JOIN reports r ON r.id = a.report_id WHERE `+cond,
		args...).Scan(&page.Total); err != nil {
		return page, err
	}
	if f.Cursor != "" {
		cond += " AND a.id < ?"
		n, _ := strconv.ParseInt(f.Cursor, 10, 64)
		args = append(args, n)
	}
	args = append(args, f.Limit+1)
	entries, err := queryAll(ctx, s.reader, scanAudit, auditSelect+` WHERE `+cond+` ORDER BY a.id DESC LIMIT ?`, args...)
	if err != nil {
		return page, err
	}
	if len(entries) > f.Limit {
		entries = entries[:f.Limit]
		next := strconv.FormatInt(entries[len(entries)-1].ID, 10)
		page.NextCursor = &next
	}
	for _, e := range entries {
		page.Items = append(page.Items, followup.RedactAudit(actor, e))
	}
	return page, nil
}

// auditScopeSQL writes followup.AuditScope.Allows as conditions on audit_log a (with its report
// r): the same rule, so that the log is filtered, counted and paged in the database.
func auditScopeSQL(sc followup.AuditScope) ([]string, []any) {
	grant := func(g followup.PartyGrant) (string, []any) {
		if sc.OwnParty == "" {
			return `?`, []any{g.Others}
		}
		return `((coalesce(a.party_code, '') = ? AND ?) OR (coalesce(a.party_code, '') <> ? AND ?))`, []any{sc.OwnParty, g.Own, sc.OwnParty, g.Others}
	}
	subs, subsArgs := grant(sc.Submissions)
	drafts, draftsArgs := grant(sc.DraftSubmissions)
	assess, assessArgs := grant(sc.DraftAssessments)
	cond := `(r.id IS NULL OR r.published_on IS NOT NULL OR ?) AND (
		a.entity IN ('party', 'report', 'recommendation')
		OR (a.entity IN ('followup', 'submission', 'assessment', 'request') AND CASE
			WHEN a.action = 'submission.submit' THEN ` + subs + `
			WHEN a.action IN ('submission.draft', 'submission.edit_draft') THEN ` + drafts + `
			WHEN a.action = 'assessment.create' THEN ` + assess + `
			ELSE TRUE END)
		OR (a.entity = 'user' AND (? OR (? <> '' AND lower(a.entity_key) = ?)))
		OR (a.entity = 'outbox' AND ?)
		OR (a.entity NOT IN ('party', 'report', 'recommendation', 'followup', 'submission', 'assessment', 'request', 'user', 'outbox') AND ?))`
	args := []any{sc.DraftReports}
	args = append(args, subsArgs...)
	args = append(args, draftsArgs...)
	args = append(args, assessArgs...)
	own := strings.ToLower(sc.OwnAccount)
	args = append(args, sc.Accounts, own, own, sc.Outbox, sc.Others)
	return []string{cond}, args
}
