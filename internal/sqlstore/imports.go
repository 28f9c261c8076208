package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

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
	err := s.write(ctx, func(tx *Tx) error {
		report, err := findOpenReport(ctx, tx, slug)
		if err != nil {
			return err
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
				_, err = s.createRecommendation(ctx, tx, report, ch.Input)
			} else {
				_, err = s.updateRecommendation(ctx, tx, report, ch.Label, *ch.Patch)
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
	err := s.write(ctx, func(tx *Tx) error {
		report, err := findOpenReport(ctx, tx, slug)
		if err != nil {
			return err
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
			if _, err := s.createAssessment(ctx, tx, ch.Key, ch.In); err != nil {
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
	rows, err = q.QueryContext(ctx, `SELECT c.label, f.party_code, `+assessmentColumnsOf+`
		FROM assessments a JOIN followups f ON f.id = a.followup_id JOIN recommendations c ON c.id = f.recommendation_id
		WHERE c.report_id = ? ORDER BY a.id`, report.id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var label, party string
		a, err := scanAssessment(leading(rows, &label, &party))
		if err != nil {
			return nil, err
		}
		if t, ok := out[label]; ok {
			t.Assessments[party] = append(t.Assessments[party], a)
		}
	}
	return out, rows.Err()
}
