package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"followup/internal/followup"
)

const reportColumns = `r.id, r.slug, r.title, r.title_fr, r.kind, r.round, r.round_fr, r.doc_ref, r.url, r.source, r.adopted_on, r.followup_due_on, r.archived, r.created_at, r.updated_at, r.published_on,
	(SELECT count(*) FROM recommendations c WHERE c.report_id = r.id AND c.archived = FALSE)`

type reportRow struct {
	id int64
	followup.Report
}

func scanReport(row scanner) (reportRow, error) {
	var r reportRow
	var adopted string
	var due, published sql.NullString
	var created, updated string
	err := row.Scan(&r.id, &r.Slug, &r.Title, &r.TitleFR, &r.Kind, &r.Round, &r.RoundFR, &r.DocRef, &r.URL, &r.Source, &adopted, &due, &r.Archived, &created, &updated,
		&published, &r.RecommendationCount)
	if err != nil {
		return r, err
	}
	r.AdoptedOn = scanDate(sql.NullString{String: adopted, Valid: true})
	r.FollowupDueOn = scanDate(due)
	r.PublishedOn = scanDate(published)
	r.CreatedAt, r.UpdatedAt = parseStamp(created), parseStamp(updated)
	return r, nil
}

func reportParties(ctx context.Context, q queryer, reportID int64) ([]string, error) {
	return queryAll(ctx, q, scanString, `SELECT party_code FROM report_parties WHERE report_id = ? ORDER BY party_code`, reportID)
}

func findReport(ctx context.Context, q queryer, slug string) (reportRow, error) {
	r, err := scanReport(q.QueryRowContext(ctx, `SELECT `+reportColumns+` FROM reports r WHERE r.slug = ?`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("no report %q", slug)
	}
	if err != nil {
		return r, err
	}
	r.Parties, err = reportParties(ctx, q, r.id)
	return r, err
}

// findVisibleReport finds a report the actor of ctx may see: a draft report is not found by
// those who may not know of it, with the message of a report that does not exist.
func findVisibleReport(ctx context.Context, q queryer, slug string) (reportRow, error) {
	r, err := findReport(ctx, q, slug)
	if err == nil && !followup.ActorFrom(ctx).CanSeeReport(r.Published()) {
		return reportRow{}, notFound("no report %q", slug)
	}
	return r, err
}

// findOpenReport finds a report that may still change: an archived one is read-only.
func findOpenReport(ctx context.Context, tx *Tx, slug string) (reportRow, error) {
	r, err := findReport(ctx, tx, slug)
	if err == nil && r.Archived {
		err = followup.Errorf(followup.EConflict, "report %s is archived", slug)
	}
	return r, err
}

// ListReports returns the reports the actor may see, newest first: the published ones, and the
// drafts for the committee.
func (s *Store) ListReports(ctx context.Context, includeArchived bool) ([]followup.Report, error) {
	list, err := queryAll(ctx, s.reader, scanReport, `SELECT `+reportColumns+` FROM reports r
		WHERE (r.archived = FALSE OR ?) AND (r.published_on IS NOT NULL OR ?) ORDER BY r.adopted_on DESC, r.slug`,
		includeArchived, followup.ActorFrom(ctx).CanSeeReport(false))
	if err != nil {
		return nil, err
	}
	out := make([]followup.Report, 0, len(list))
	for _, r := range list {
		if r.Parties, err = reportParties(ctx, s.reader, r.id); err != nil {
			return nil, err
		}
		out = append(out, r.Report)
	}
	return out, nil
}

// FindReport returns one report, if the actor may see it.
func (s *Store) FindReport(ctx context.Context, slug string) (followup.Report, error) {
	r, err := findVisibleReport(ctx, s.reader, slug)
	return r.Report, err
}

// PublishReport makes a draft report public from today (secretariat and admin).
func (s *Store) PublishReport(ctx context.Context, slug string) (followup.Report, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.CanManage(), "publish reports"); err != nil {
		return followup.Report{}, err
	}
	var out reportRow
	err := s.write(ctx, func(tx *Tx) error {
		before, err := findReport(ctx, tx, slug)
		if err != nil {
			return err
		}
		if before.Published() {
			return followup.Errorf(followup.EConflict, "report %s was published on %s", slug, before.PublishedOn)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET published_on = ?, updated_at = ? WHERE id = ?`,
			s.Today().String(), s.stamp(), before.id); err != nil {
			return err
		}
		if out, err = findReport(ctx, tx, slug); err != nil {
			return err
		}
		return s.audit(ctx, tx, "report.publish", "report", slug, 0, before.Report, out.Report)
	})
	return out.Report, err
}

// defaultParties returns the Parties that had joined by the given date (those whose date of
// joining is not known are taken to have joined).
func defaultParties(ctx context.Context, q queryer, by followup.Date) ([]string, error) {
	return queryAll(ctx, q, scanString, `SELECT code FROM parties WHERE joined_on IS NULL OR joined_on <= ? ORDER BY code`, by.String())
}

// CreateReport adds a report (secretariat and admin).
func (s *Store) CreateReport(ctx context.Context, in followup.ReportInput) (followup.Report, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.CanManage(), "create reports"); err != nil {
		return followup.Report{}, err
	}
	if err := in.Validate(s.Today()); err != nil {
		return followup.Report{}, err
	}
	var out reportRow
	err := s.write(ctx, func(tx *Tx) error {
		if _, err := findReport(ctx, tx, in.Slug); err == nil {
			return followup.Errorf(followup.EConflict, "a report with slug %q already exists", in.Slug)
		}
		parties := in.Parties
		if len(parties) == 0 {
			var err error
			if parties, err = defaultParties(ctx, tx, in.AdoptedOn); err != nil {
				return err
			}
			if len(parties) == 0 {
				return followup.Invalid("parties", "no Party had joined by %s; name the Parties the report covers", in.AdoptedOn)
			}
		} else if err := partyCodesExist(ctx, tx, "parties", parties); err != nil {
			return err
		}
		now := s.stamp()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO reports (slug, title, title_fr, kind, round, round_fr, doc_ref, url, source, adopted_on, followup_due_on, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Slug, in.Title, in.TitleFR, in.Kind, in.Round, in.RoundFR, in.DocRef, in.URL, in.Source,
			in.AdoptedOn.String(), nullDate(in.FollowupDueOn), now, now).Scan(&id); err != nil {
			return err
		}
		if err := setReportParties(ctx, tx, id, parties); err != nil {
			return err
		}
		var err error
		if out, err = findReport(ctx, tx, in.Slug); err != nil {
			return err
		}
		return s.audit(ctx, tx, "report.create", "report", in.Slug, 0, nil, out.Report)
	})
	return out.Report, err
}

func setReportParties(ctx context.Context, tx *Tx, reportID int64, parties []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM report_parties WHERE report_id = ?`, reportID); err != nil {
		return err
	}
	for _, c := range parties {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_parties (report_id, party_code) VALUES (?, ?)`, reportID, c); err != nil {
			return err
		}
	}
	return nil
}

// UpdateReport edits a report (secretariat and admin). Changing the Parties it covers adds or
// de-activates the follow-ups of the recommendations addressed to all of them.
func (s *Store) UpdateReport(ctx context.Context, slug string, p followup.ReportPatch) (followup.Report, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.CanManage(), "edit reports"); err != nil {
		return followup.Report{}, err
	}
	var out reportRow
	err := s.write(ctx, func(tx *Tx) error {
		before, err := findReport(ctx, tx, slug)
		if err != nil {
			return err
		}
		after, err := p.Apply(before.Report, s.Today())
		if err != nil {
			return err
		}
		if after.AdoptedOn.After(before.AdoptedOn) {
			var earliest sql.NullString
			if err := tx.QueryRowContext(ctx, `SELECT min(d) FROM (
				SELECT s.submitted_on AS d FROM submissions s JOIN followups f ON f.id = s.followup_id JOIN recommendations c ON c.id = f.recommendation_id WHERE c.report_id = ?
				UNION ALL SELECT a.assessed_on FROM assessments a JOIN followups f ON f.id = a.followup_id JOIN recommendations c ON c.id = f.recommendation_id WHERE c.report_id = ?) dated`,
				before.id, before.id).Scan(&earliest); err != nil {
				return err
			}
			if err := followup.CheckReportAdoptionChange(slug, after.AdoptedOn, scanDate(earliest)); err != nil {
				return err
			}
		}
		if err := partyCodesExist(ctx, tx, "parties", after.Parties); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE reports SET title = ?, title_fr = ?, kind = ?, round = ?, round_fr = ?, doc_ref = ?, url = ?, source = ?,
			adopted_on = ?, followup_due_on = ?, archived = ?, updated_at = ? WHERE id = ?`,
			after.Title, after.TitleFR, after.Kind, after.Round, after.RoundFR, after.DocRef, after.URL, after.Source, after.AdoptedOn.String(),
			nullDate(after.FollowupDueOn), after.Archived, s.stamp(), before.id)
		if err != nil {
			return err
		}
		if !slices.Equal(before.Parties, after.Parties) {
			if err := s.changeReportParties(ctx, tx, before, after.Parties); err != nil {
				return err
			}
		}
		if out, err = findReport(ctx, tx, slug); err != nil {
			return err
		}
		return s.audit(ctx, tx, "report.update", "report", slug, 0, before.Report, out.Report)
	})
	return out.Report, err
}

func (s *Store) changeReportParties(ctx context.Context, tx *Tx, report reportRow, parties []string) error {
	kept := map[string]bool{}
	for _, c := range parties {
		kept[c] = true
	}
	recs, err := listRecommendations(ctx, tx, report, true)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		for _, c := range rec.AddressedTo {
			if !kept[c] {
				return followup.Invalid("parties", "%s cannot be removed: recommendation %s is addressed to it", c, rec.Label)
			}
		}
	}
	if err := setReportParties(ctx, tx, report.id, parties); err != nil {
		return err
	}
	for _, rec := range recs {
		if len(rec.AddressedTo) == 0 {
			if err := s.syncFollowUps(ctx, tx, report.Slug, rec, parties); err != nil {
				return err
			}
		}
	}
	return nil
}

type recommendationRow struct {
	id int64
	followup.Recommendation
}

const recommendationColumns = `c.id, c.label, c.category, c.text, c.text_fr, c.url, c.source, c.articles, c.due_on, c.archived, c.created_at, c.updated_at,
	(SELECT count(*) FROM followups f WHERE f.recommendation_id = c.id AND f.active = TRUE)`

func scanRecommendation(row scanner, report reportRow) (recommendationRow, error) {
	var r recommendationRow
	var articles, created, updated string
	var due sql.NullString
	err := row.Scan(&r.id, &r.Label, &r.Category, &r.Text, &r.TextFR, &r.URL, &r.Source, &articles, &due, &r.Archived, &created, &updated, &r.FollowupCount)
	if err != nil {
		return r, err
	}
	r.Report = report.Slug
	r.Articles = []string{}
	if articles != "" {
		r.Articles = strings.Split(articles, ",")
	}
	r.AddressedTo = []string{}
	r.DueOn = scanDate(due)
	r.EffectiveDueOn = r.DueOn
	if r.EffectiveDueOn.IsZero() {
		r.EffectiveDueOn = report.FollowupDueOn
	}
	r.CreatedAt, r.UpdatedAt = parseStamp(created), parseStamp(updated)
	return r, nil
}

func listRecommendations(ctx context.Context, q queryer, report reportRow, includeArchived bool) ([]recommendationRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+recommendationColumns+` FROM recommendations c
		WHERE c.report_id = ? AND (c.archived = FALSE OR ?) ORDER BY c.position`, report.id, includeArchived)
	if err != nil {
		return nil, err
	}
	var out []recommendationRow
	index := map[int64]int{}
	for rows.Next() {
		r, err := scanRecommendation(rows, report)
		if err != nil {
			rows.Close()
			return nil, err
		}
		index[r.id] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT a.recommendation_id, a.party_code FROM recommendation_addressees a
		JOIN recommendations c ON c.id = a.recommendation_id WHERE c.report_id = ? ORDER BY a.party_code`, report.id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].AddressedTo = append(out[i].AddressedTo, code)
		}
	}
	return out, rows.Err()
}

func findRecommendation(ctx context.Context, q queryer, report reportRow, label string) (recommendationRow, error) {
	r, err := scanRecommendation(q.QueryRowContext(ctx, `SELECT `+recommendationColumns+` FROM recommendations c
		WHERE c.report_id = ? AND c.label = ?`, report.id, label), report)
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("report %s has no recommendation %q", report.Slug, label)
	}
	if err != nil {
		return r, err
	}
	r.AddressedTo, err = queryAll(ctx, q, scanString, `SELECT party_code FROM recommendation_addressees WHERE recommendation_id = ? ORDER BY party_code`, r.id)
	return r, err
}

// ListRecommendations returns a report's recommendations in report order, to those who may see
// the report.
func (s *Store) ListRecommendations(ctx context.Context, slug string, includeArchived bool) ([]followup.Recommendation, error) {
	report, err := findVisibleReport(ctx, s.reader, slug)
	if err != nil {
		return nil, err
	}
	rows, err := listRecommendations(ctx, s.reader, report, includeArchived)
	if err != nil {
		return nil, err
	}
	out := make([]followup.Recommendation, len(rows))
	for i, r := range rows {
		out[i] = r.Recommendation
	}
	return out, nil
}

// FindRecommendation returns one recommendation of a report.
func (s *Store) FindRecommendation(ctx context.Context, slug, label string) (followup.Recommendation, error) {
	report, err := findVisibleReport(ctx, s.reader, slug)
	if err != nil {
		return followup.Recommendation{}, err
	}
	r, err := findRecommendation(ctx, s.reader, report, label)
	return r.Recommendation, err
}

// CreateRecommendation adds a recommendation and one follow-up per addressed Party.
func (s *Store) CreateRecommendation(ctx context.Context, slug string, in followup.RecommendationInput) (followup.Recommendation, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.CanManage(), "add recommendations"); err != nil {
		return followup.Recommendation{}, err
	}
	if err := in.Validate(); err != nil {
		return followup.Recommendation{}, err
	}
	var out recommendationRow
	err := s.write(ctx, func(tx *Tx) error {
		report, err := findOpenReport(ctx, tx, slug)
		if err != nil {
			return err
		}
		if _, err := findRecommendation(ctx, tx, report, in.Label); err == nil {
			return &followup.Error{Code: followup.EConflict, Field: "label",
				Message: "report " + slug + " already has a recommendation " + in.Label}
		}
		out, err = s.createRecommendation(ctx, tx, report, in)
		return err
	})
	return out.Recommendation, err
}

// createRecommendation adds a validated recommendation and its follow-ups within tx; the
// caller has found no recommendation with its label in the transaction (the table's unique
// key refuses it otherwise).
func (s *Store) createRecommendation(ctx context.Context, tx *Tx, report reportRow, in followup.RecommendationInput) (recommendationRow, error) {
	slug := report.Slug
	targets, err := followup.AddresseesWithin(in.AddressedTo, report.Parties)
	if err != nil {
		return recommendationRow{}, err
	}
	now := s.stamp()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO recommendations (report_id, position, label, category, text, text_fr, url, source, articles, due_on, created_at, updated_at)
		VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM recommendations WHERE report_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		report.id, report.id, in.Label, in.Category, in.Text, in.TextFR, in.URL, in.Source, strings.Join(in.Articles, ","), nullDate(in.DueOn), now, now).Scan(&id); err != nil {
		return recommendationRow{}, err
	}
	for _, c := range in.AddressedTo {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recommendation_addressees (recommendation_id, party_code) VALUES (?, ?)`, id, c); err != nil {
			return recommendationRow{}, err
		}
	}
	// A new recommendation has no follow-ups yet, and is what was just written: neither is read
	// back (an import creates tens of thousands in one transaction).
	out := newRecommendationRow(report, id, in, len(targets), parseStamp(now))
	if err := s.applyFollowUps(ctx, tx, slug, out, targets, nil); err != nil {
		return recommendationRow{}, err
	}
	return out, s.audit(ctx, tx, "recommendation.create", "recommendation", slug+"/"+in.Label, 0, nil, out.Recommendation)
}

// newRecommendationRow is a recommendation just created from a validated input, as
// findRecommendation would read it back.
func newRecommendationRow(report reportRow, id int64, in followup.RecommendationInput, followups int, at time.Time) recommendationRow {
	r := recommendationRow{id: id, Recommendation: followup.Recommendation{Report: report.Slug, Label: in.Label, Category: in.Category,
		Text: in.Text, TextFR: in.TextFR, Articles: append([]string{}, in.Articles...), AddressedTo: append([]string{}, in.AddressedTo...),
		DueOn: in.DueOn, EffectiveDueOn: in.DueOn, URL: in.URL, Source: in.Source, FollowupCount: followups, CreatedAt: at, UpdatedAt: at}}
	slices.Sort(r.AddressedTo)
	if r.EffectiveDueOn.IsZero() {
		r.EffectiveDueOn = report.FollowupDueOn
	}
	return r
}

// UpdateRecommendation edits a recommendation; a change of addressees adds, re-activates or
// de-activates follow-ups without deleting any.
func (s *Store) UpdateRecommendation(ctx context.Context, slug, label string, p followup.RecommendationPatch) (followup.Recommendation, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.CanManage(), "edit recommendations"); err != nil {
		return followup.Recommendation{}, err
	}
	var out recommendationRow
	err := s.write(ctx, func(tx *Tx) error {
		report, err := findReport(ctx, tx, slug)
		if err != nil {
			return err
		}
		out, err = s.updateRecommendation(ctx, tx, report, label, p)
		return err
	})
	return out.Recommendation, err
}

// updateRecommendation applies a patch to a recommendation and its follow-ups within tx.
func (s *Store) updateRecommendation(ctx context.Context, tx *Tx, report reportRow, label string, p followup.RecommendationPatch) (recommendationRow, error) {
	slug := report.Slug
	before, err := findRecommendation(ctx, tx, report, label)
	if err != nil {
		return before, err
	}
	after, err := p.Apply(before.Recommendation)
	if err != nil {
		return before, err
	}
	targets, err := followup.AddresseesWithin(after.AddressedTo, report.Parties)
	if err != nil {
		return before, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE recommendations SET category = ?, text = ?, text_fr = ?, url = ?, source = ?, articles = ?, due_on = ?, archived = ?, updated_at = ?
		WHERE id = ?`, after.Category, after.Text, after.TextFR, after.URL, after.Source, strings.Join(after.Articles, ","), nullDate(after.DueOn), after.Archived, s.stamp(), before.id)
	if err != nil {
		return before, err
	}
	// Archiving or un-archiving opens or closes the recommendation's archived period on today,
	// so that the pictures of the days before are kept.
	switch {
	case after.Archived && !before.Archived:
		_, err = tx.ExecContext(ctx, `INSERT INTO recommendation_archive_periods (recommendation_id, from_on) VALUES (?, ?)`, before.id, s.Today().String())
	case !after.Archived && before.Archived:
		_, err = tx.ExecContext(ctx, `UPDATE recommendation_archive_periods SET until_on = ? WHERE recommendation_id = ? AND until_on IS NULL`,
			s.Today().String(), before.id)
	}
	if err != nil {
		return before, err
	}
	if !slices.Equal(before.AddressedTo, after.AddressedTo) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM recommendation_addressees WHERE recommendation_id = ?`, before.id); err != nil {
			return before, err
		}
		for _, c := range after.AddressedTo {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recommendation_addressees (recommendation_id, party_code) VALUES (?, ?)`, before.id, c); err != nil {
				return before, err
			}
		}
		if err := s.syncFollowUps(ctx, tx, slug, before, targets); err != nil {
			return before, err
		}
	}
	out, err := findRecommendation(ctx, tx, report, label)
	if err != nil {
		return out, err
	}
	return out, s.audit(ctx, tx, "recommendation.update", "recommendation", slug+"/"+label, 0, before.Recommendation, out.Recommendation)
}

// syncFollowUps makes the recommendation's active follow-ups exactly those of targets: missing
// ones are created, returning ones re-activated, dropped ones de-activated (never deleted).
func (s *Store) syncFollowUps(ctx context.Context, tx *Tx, slug string, rec recommendationRow, targets []string) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, party_code, active FROM followups WHERE recommendation_id = ?`, rec.id)
	if err != nil {
		return err
	}
	have := map[string]existingFollowUp{}
	for rows.Next() {
		var e existingFollowUp
		var code string
		if err := rows.Scan(&e.id, &code, &e.active); err != nil {
			rows.Close()
			return err
		}
		have[code] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return s.applyFollowUps(ctx, tx, slug, rec, targets, have)
}

// existingFollowUp is a follow-up of a recommendation, by Party.
type existingFollowUp struct {
	id     int64
	active bool
}

// applyFollowUps makes the recommendation's active follow-ups those of targets, given the
// follow-ups it has (have, by Party; nil for a new recommendation). Each change opens or closes
// the follow-up's active period on today (followup.Span); the follow-ups of a new
// recommendation are active from the start.
func (s *Store) applyFollowUps(ctx context.Context, tx *Tx, slug string, rec recommendationRow, targets []string, have map[string]existingFollowUp) error {
	want := map[string]bool{}
	for _, c := range targets {
		want[c] = true
	}
	now := s.stamp()
	today := s.Today().String()
	for _, code := range targets {
		key := slug + "/" + rec.Label + "/" + code
		e, ok := have[code]
		switch {
		case !ok:
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO followups (recommendation_id, party_code, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
				rec.id, code, now, now).Scan(&id); err != nil {
				return err
			}
			var from any = today
			if have == nil {
				from = nil
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO followup_periods (followup_id, from_on) VALUES (?, ?)`, id, from); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, "followup.create", "followup", key, id, nil, map[string]any{"active": true}); err != nil {
				return err
			}
		case !e.active:
			if _, err := tx.ExecContext(ctx, `UPDATE followups SET active = TRUE, updated_at = ? WHERE id = ?`, now, e.id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO followup_periods (followup_id, from_on) VALUES (?, ?)`, e.id, today); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, "followup.activate", "followup", key, e.id, map[string]any{"active": false}, map[string]any{"active": true}); err != nil {
				return err
			}
		}
	}
	for code, e := range have {
		if want[code] || !e.active {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE followups SET active = FALSE, updated_at = ? WHERE id = ?`, now, e.id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE followup_periods SET until_on = ? WHERE followup_id = ? AND until_on IS NULL`, today, e.id); err != nil {
			return err
		}
		key := slug + "/" + rec.Label + "/" + code
		if err := s.audit(ctx, tx, "followup.deactivate", "followup", key, e.id, map[string]any{"active": true}, map[string]any{"active": false}); err != nil {
			return err
		}
	}
	return nil
}
