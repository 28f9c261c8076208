package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"followup/internal/followup"
)

var _ followup.ImportService = (*Store)(nil)

// ImportRecommendations plans a batch of recommendations against the report and, unless it is
// a dry run or any row is wrong, applies it in one transaction: new labels are created and
// changed ones updated with the same effects as CreateRecommendation and UpdateRecommendation
// (follow-ups, audit entries).
func (s *Store) ImportRecommendations(ctx context.Context, slug string, b followup.RecommendationBatch, dryRun bool) (followup.ImportResult, error) {
	actor := followup.ActorFrom(ctx)
	res := followup.ImportResult{Kind: followup.ImportRecommendations, Report: slug, DryRun: dryRun}
	if err := actor.Require(actor.CanManage(), "import recommendations"); err != nil {
		return res, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		report, err := findReport(ctx, tx, slug)
		if err != nil {
			return err
		}
		if report.Archived {
			return followup.Errorf(followup.EConflict, "report %s is archived", slug)
		}
		rows, err := listRecommendations(ctx, tx, report, true)
		if err != nil {
			return err
		}
		existing := make([]followup.Recommendation, len(rows))
		for i, r := range rows {
			existing[i] = r.Recommendation
		}
		known, err := knownParties(ctx, tx)
		if err != nil {
			return err
		}
		var changes []followup.RecommendationChange
		res, changes = followup.PlanRecommendations(report.Report, existing, known, b)
		res.DryRun = dryRun
		if len(res.Errors) > 0 || dryRun {
			return errSkip
		}
		for _, ch := range changes {
			if ch.Patch == nil {
				err = s.importCreateRecommendation(ctx, tx, report, ch.Input)
			} else {
				err = s.importUpdateRecommendation(ctx, tx, report, ch.Label, *ch.Patch)
			}
			if err != nil {
				return rowError(ch.Row, err)
			}
		}
		res.Applied = true
		return nil
	})
	if errors.Is(err, errSkip) {
		err = nil
	}
	if err != nil {
		return res, err
	}
	return res, res.Failed()
}

// ImportAssessments plans a batch of assessments against the report and, unless it is a dry
// run or any row is wrong, writes the new ones in one transaction in the actor's name, with the
// same effects as CreateAssessment.
func (s *Store) ImportAssessments(ctx context.Context, slug string, b followup.AssessmentBatch, dryRun bool) (followup.ImportResult, error) {
	actor := followup.ActorFrom(ctx)
	res := followup.ImportResult{Kind: followup.ImportAssessments, Report: slug, DryRun: dryRun}
	if err := actor.Require(actor.CanAssess(), "import assessments"); err != nil {
		return res, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		report, err := findReport(ctx, tx, slug)
		if err != nil {
			return err
		}
		if report.Archived {
			return followup.Errorf(followup.EConflict, "report %s is archived", slug)
		}
		targets, err := assessmentTargets(ctx, tx, report)
		if err != nil {
			return err
		}
		known, err := knownParties(ctx, tx)
		if err != nil {
			return err
		}
		// The rows were checked against the importer's day; check the dates against the store's.
		checked := followup.AssessmentBatch{Errors: append([]followup.ImportError{}, b.Errors...)}
		for _, row := range b.Rows {
			if err := row.Input.Validate(s.Today()); err != nil {
				checked.Errors = append(checked.Errors, followup.ImportError{Row: row.Row, Column: followup.ErrorField(err), Message: followup.ErrorMessage(err)})
				continue
			}
			checked.Rows = append(checked.Rows, row)
		}
		var changes []followup.AssessmentChange
		res, changes = followup.PlanAssessments(report.Report, targets, known, checked)
		res.DryRun = dryRun
		if len(res.Errors) > 0 || dryRun {
			return errSkip
		}
		for _, ch := range changes {
			if err := s.importCreateAssessment(ctx, tx, ch.Key, ch.In); err != nil {
				return rowError(ch.Row, err)
			}
		}
		res.Applied = true
		return nil
	})
	if errors.Is(err, errSkip) {
		err = nil
	}
	if err != nil {
		return res, err
	}
	return res, res.Failed()
}

// rowError names the row of a change that failed while being written (planning should have
// caught it; the transaction is rolled back either way).
func rowError(row int, err error) error {
	var e *followup.Error
	if errors.As(err, &e) {
		return &followup.Error{Code: e.Code, Field: e.Field, Message: "row " + strconv.Itoa(row) + ": " + e.Message}
	}
	return err
}

func knownParties(ctx context.Context, q queryer) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT code FROM parties`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}

// assessmentTargets reads, for every recommendation of the report, its follow-ups and their
// assessments.
func assessmentTargets(ctx context.Context, q queryer, report reportRow) (map[string]followup.AssessmentTarget, error) {
	out := map[string]followup.AssessmentTarget{}
	rows, err := q.QueryContext(ctx, `SELECT c.label, c.archived, f.party_code, f.active FROM recommendations c
		LEFT JOIN followups f ON f.recommendation_id = c.id WHERE c.report_id = ?`, report.id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var label string
		var archived bool
		var party sql.NullString
		var active sql.NullBool
		if err := rows.Scan(&label, &archived, &party, &active); err != nil {
			rows.Close()
			return nil, err
		}
		t, ok := out[label]
		if !ok {
			t = followup.AssessmentTarget{Archived: archived, Active: map[string]bool{}, Assessments: map[string][]followup.Assessment{}}
		}
		if party.Valid {
			t.Active[party.String] = active.Bool
		}
		out[label] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT c.label, f.party_code, a.id, a.status, a.comment, a.assessed_on, a.adopted_on, a.author_name, a.created_at
		FROM assessments a JOIN followups f ON f.id = a.followup_id JOIN recommendations c ON c.id = f.recommendation_id
		WHERE c.report_id = ? ORDER BY a.id`, report.id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var label, party string
		a, err := scanAssessment(prefixed{prefixed{rows, &label}, &party})
		if err != nil {
			return nil, err
		}
		if t, ok := out[label]; ok {
			t.Assessments[party] = append(t.Assessments[party], a)
		}
	}
	return out, rows.Err()
}

// importCreateRecommendation does in tx what CreateRecommendation does in its own transaction.
func (s *Store) importCreateRecommendation(ctx context.Context, tx *sql.Tx, report reportRow, in followup.RecommendationInput) error {
	targets, err := followup.AddresseesWithin(in.AddressedTo, report.Parties)
	if err != nil {
		return err
	}
	if _, err := findRecommendation(ctx, tx, report, in.Label); err == nil {
		return &followup.Error{Code: followup.EConflict, Field: "label",
			Message: "report " + report.Slug + " already has a recommendation " + in.Label}
	}
	now := s.stamp()
	res, err := tx.ExecContext(ctx, `INSERT INTO recommendations (report_id, position, label, category, text, articles, due_on, created_at, updated_at)
		VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM recommendations WHERE report_id = ?), ?, ?, ?, ?, ?, ?, ?)`,
		report.id, report.id, in.Label, in.Category, in.Text, strings.Join(in.Articles, ","), nullDate(in.DueOn), now, now)
	if err != nil {
		return err
	}
	id, _ := res.LastInsertId()
	for _, c := range in.AddressedTo {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recommendation_addressees (recommendation_id, party_code) VALUES (?, ?)`, id, c); err != nil {
			return err
		}
	}
	rec := recommendationRow{id: id, Recommendation: followup.Recommendation{Label: in.Label}}
	if err := s.syncFollowUps(ctx, tx, report.Slug, rec, targets); err != nil {
		return err
	}
	out, err := findRecommendation(ctx, tx, report, in.Label)
	if err != nil {
		return err
	}
	return s.audit(ctx, tx, "recommendation.create", "recommendation", report.Slug+"/"+in.Label, 0, nil, out.Recommendation)
}

// importUpdateRecommendation does in tx what UpdateRecommendation does in its own transaction.
func (s *Store) importUpdateRecommendation(ctx context.Context, tx *sql.Tx, report reportRow, label string, p followup.RecommendationPatch) error {
	before, err := findRecommendation(ctx, tx, report, label)
	if err != nil {
		return err
	}
	after, err := p.Apply(before.Recommendation)
	if err != nil {
		return err
	}
	targets, err := followup.AddresseesWithin(after.AddressedTo, report.Parties)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE recommendations SET category = ?, text = ?, articles = ?, due_on = ?, archived = ?, updated_at = ?
		WHERE id = ?`, after.Category, after.Text, strings.Join(after.Articles, ","), nullDate(after.DueOn), boolInt(after.Archived), s.stamp(), before.id)
	if err != nil {
		return err
	}
	if !slices.Equal(before.AddressedTo, after.AddressedTo) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM recommendation_addressees WHERE recommendation_id = ?`, before.id); err != nil {
			return err
		}
		for _, c := range after.AddressedTo {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recommendation_addressees (recommendation_id, party_code) VALUES (?, ?)`, before.id, c); err != nil {
				return err
			}
		}
		if err := s.syncFollowUps(ctx, tx, report.Slug, before, targets); err != nil {
			return err
		}
	}
	out, err := findRecommendation(ctx, tx, report, label)
	if err != nil {
		return err
	}
	return s.audit(ctx, tx, "recommendation.update", "recommendation", report.Slug+"/"+label, 0, before.Recommendation, out.Recommendation)
}

// importCreateAssessment does in tx what CreateAssessment does in its own transaction.
func (s *Store) importCreateAssessment(ctx context.Context, tx *sql.Tx, key followup.FollowUpKey, in followup.AssessmentInput) error {
	actor := followup.ActorFrom(ctx)
	f, err := s.writableFollowUp(ctx, tx, key)
	if err != nil {
		return err
	}
	next, err := f.State.Next(followup.EventAssess)
	if err != nil {
		return err
	}
	now := s.stamp()
	res, err := tx.ExecContext(ctx, `INSERT INTO assessments (followup_id, status, comment, assessed_on, author_id, author_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, f.id, in.Status, in.Comment, in.AssessedOn.String(), authorID(actor), actor.Name, now)
	if err != nil {
		return err
	}
	id, _ := res.LastInsertId()
	if _, err := tx.ExecContext(ctx, `UPDATE followups SET state = ?, updated_at = ? WHERE id = ?`, next, now, f.id); err != nil {
		return err
	}
	out, err := scanAssessment(tx.QueryRowContext(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE id = ?`, id))
	if err != nil {
		return err
	}
	return s.audit(ctx, tx, "assessment.create", "assessment", key.String()+"#"+strconv.FormatInt(id, 10), f.id, nil, out)
}
