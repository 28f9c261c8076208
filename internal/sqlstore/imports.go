package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"followup/internal/followup"
)

var _ followup.ImportService = (*Store)(nil)

// An import reads its file as a stream inside one transaction and plans each row as it comes,
// against the database as it stands (a label, a (label, Party) pair, a Party code appears once
// in a file, so no row's plan depends on another's): an import holds one row at a time and a
// result of bounded size, whatever the size of the file. A real import writes each row's change
// as soon as it is planned, until the first error; from then on it only plans, to report
// every bad row, and the transaction is rolled back at the end. A dry run only plans, in a
// read-only transaction that never holds up the writers.

// importTx runs fn in the import's transaction: a write transaction, or a read-only one for a
// dry run. errSkip from fn rolls the transaction back and is no error.
func (s *Store) importTx(ctx context.Context, dryRun bool, fn func(tx *Tx) error) error {
	cached := func(tx *Tx) error {
		tx.cacheStatements() // the same statements for every row
		return fn(tx)
	}
	var err error
	if dryRun {
		err = s.read(ctx, cached)
	} else {
		err = s.write(ctx, cached)
	}
	if errors.Is(err, errSkip) {
		return nil
	}
	return err
}

// read runs fn in a read-only transaction of the reader pool: one consistent view of the data.
func (s *Store) read(ctx context.Context, fn func(tx *Tx) error) error {
	raw, err := s.reader.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("%s: begin: %w", s.eng.Name(), err)
	}
	defer raw.Rollback()
	if err := fn(&Tx{Tx: raw, s: s}); err != nil {
		return s.eng.Translate(err)
	}
	return nil
}

// finishImport closes the result of a stream read to its end: the reading's errors join the
// database's, and the transaction is kept only when it wrote and nothing is wrong.
func finishImport(res *followup.ImportResult, sum followup.ImportSummary, dryRun bool) error {
	res.Finish(sum)
	if len(res.Errors) > 0 || dryRun {
		return errSkip
	}
	res.Applied = true
	return nil
}

// ImportRecommendations plans a recommendations file against the report and, unless it is a
// dry run or any row is wrong, applies it in one transaction: new labels are created and
// changed ones updated with the same effects as CreateRecommendation and UpdateRecommendation
// (follow-ups, audit entries).
func (s *Store) ImportRecommendations(ctx context.Context, slug string, rows followup.ImportStream[followup.RecommendationRow], dryRun bool) (followup.ImportResult, error) {
	actor := followup.ActorFrom(ctx)
	res := followup.ImportResult{Kind: followup.ImportRecommendations, Report: slug, DryRun: dryRun}
	if err := actor.Require(actor.CanManage(), "import recommendations"); err != nil {
		return res, err
	}
	err := s.importTx(ctx, dryRun, func(tx *Tx) error {
		report, err := findOpenReport(ctx, tx, slug)
		if err != nil {
			return err
		}
		known, err := knownParties(ctx, tx)
		if err != nil {
			return err
		}
		var columns []string
		sum, err := rows(func(c []string) error { columns = c; return nil }, func(row followup.RecommendationRow) error {
			var cur *followup.Recommendation
			found, err := findRecommendation(ctx, tx, report, row.Input.Label)
			switch {
			case err == nil:
				cur = &found.Recommendation
			case followup.ErrorCode(err) != followup.ENotFound:
				return err
			}
			plan, change, errs := followup.PlanRecommendation(report.Report, cur, known, columns, row)
			for _, e := range errs {
				res.Fail(e)
			}
			if len(errs) > 0 {
				return nil
			}
			res.Record(plan)
			if change == nil || dryRun || res.Failing() {
				return nil
			}
			if change.Patch == nil {
				_, err = s.createRecommendation(ctx, tx, report, change.Input)
			} else {
				_, err = s.updateRecommendation(ctx, tx, report, change.Label, *change.Patch)
			}
			return rowError(change.Row, err)
		})
		if err != nil {
			return err
		}
		return finishImport(&res, sum, dryRun)
	})
	if err != nil {
		return res, err
	}
	return res, res.Failed()
}

// ImportAssessments plans an assessments file against the report and, unless it is a dry run
// or any row is wrong, writes the new ones in one transaction in the actor's name, with the
// same effects as CreateAssessment.
func (s *Store) ImportAssessments(ctx context.Context, slug string, rows followup.ImportStream[followup.AssessmentRow], dryRun bool) (followup.ImportResult, error) {
	actor := followup.ActorFrom(ctx)
	res := followup.ImportResult{Kind: followup.ImportAssessments, Report: slug, DryRun: dryRun}
	if err := actor.Require(actor.CanAssess(), "import assessments"); err != nil {
		return res, err
	}
	today := s.Today()
	err := s.importTx(ctx, dryRun, func(tx *Tx) error {
		report, err := findOpenReport(ctx, tx, slug)
		if err != nil {
			return err
		}
		known, err := knownParties(ctx, tx)
		if err != nil {
			return err
		}
		sum, err := rows(func([]string) error { return nil }, func(row followup.AssessmentRow) error {
			// The row was checked against the importer's day; check the date against the store's.
			if err := row.Input.Validate(today); err != nil {
				res.Fail(followup.ImportErrorOf(row.Row, followup.ErrorField(err), err))
				return nil
			}
			target, err := assessmentTarget(ctx, tx, report, row.Label, row.Party)
			if err != nil {
				return err
			}
			plan, change, errs := followup.PlanAssessment(report.Report, target, known, row)
			for _, e := range errs {
				res.Fail(e)
			}
			if len(errs) > 0 {
				return nil
			}
			res.Record(plan)
			if change == nil || dryRun || res.Failing() {
				return nil
			}
			_, err = s.createAssessment(ctx, tx, change.Key, change.In)
			return rowError(change.Row, err)
		})
		if err != nil {
			return err
		}
		return finishImport(&res, sum, dryRun)
	})
	if err != nil {
		return res, err
	}
	return res, res.Failed()
}

// ImportParties plans a Parties file and, unless it is a dry run or any row is wrong, applies
// it in one transaction: new codes are created as CreateParty does, and Parties whose names
// (or date of joining) differ are updated, each with its audit entry.
func (s *Store) ImportParties(ctx context.Context, rows followup.ImportStream[followup.PartyRow], dryRun bool) (followup.ImportResult, error) {
	actor := followup.ActorFrom(ctx)
	res := followup.ImportResult{Kind: followup.ImportParties, DryRun: dryRun}
	if err := actor.Require(actor.CanManage(), "import Parties"); err != nil {
		return res, err
	}
	err := s.importTx(ctx, dryRun, func(tx *Tx) error {
		var columns []string
		sum, err := rows(func(c []string) error { columns = c; return nil }, func(row followup.PartyRow) error {
			var cur *followup.Party
			found, err := findParty(ctx, tx, row.Party.Code)
			switch {
			case err == nil:
				cur = &found
			case followup.ErrorCode(err) != followup.ENotFound:
				return err
			}
			plan, change := followup.PlanParty(cur, columns, row)
			res.Record(plan)
			if change == nil || dryRun || res.Failing() {
				return nil
			}
			if change.Create {
				return rowError(change.Row, s.insertParty(ctx, tx, change.Party))
			}
			return rowError(change.Row, s.updateParty(ctx, tx, *cur, change.Party))
		})
		if err != nil {
			return err
		}
		return finishImport(&res, sum, dryRun)
	})
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
		return &followup.Error{Code: e.Code, Field: e.Field, Message: "row " + strconv.Itoa(row) + ": " + e.Message, Reason: e.Reason, Facts: e.Facts}
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

// assessmentTarget reads what planning a row needs of the recommendation with the label: its
// archived flag, and the follow-up of the Party with its assessments; nil when the report has
// no such recommendation.
func assessmentTarget(ctx context.Context, q queryer, report reportRow, label, party string) (*followup.AssessmentTarget, error) {
	var recID int64
	var archived bool
	err := q.QueryRowContext(ctx, `SELECT id, archived FROM recommendations WHERE report_id = ? AND label = ?`, report.id, label).Scan(&recID, &archived)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t := &followup.AssessmentTarget{Archived: archived, Active: map[string]bool{}, Assessments: map[string][]followup.Assessment{}}
	var fid int64
	var active bool
	err = q.QueryRowContext(ctx, `SELECT id, active FROM followups WHERE recommendation_id = ? AND party_code = ?`, recID, party).Scan(&fid, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return t, nil
	}
	if err != nil {
		return nil, err
	}
	t.Active[party] = active
	as, err := queryAll(ctx, q, scanAssessment, `SELECT `+assessmentColumnsOf+` FROM assessments a WHERE a.followup_id = ? ORDER BY a.id`, fid)
	if err != nil {
		return nil, err
	}
	t.Assessments[party] = as
	return t, nil
}
