package sqlstore

import (
	"context"
	"database/sql"

	"followup/internal/followup"
)

var _ followup.DossierService = (*Store)(nil)

// PartyDossier returns a Party's follow-ups across the reports that are not archived, with
// their status as of a date on the basis asked for. A Party's user may read its own Party's
// dossier only; the draft basis is for committee roles; submissions are never included. The
// follow-ups and recommendations are those of the day (followup.FollowUpOnDay): a follow-up
// added later or whose recommendation was archived on the day is left out, one whose
// recommendation was archived since is in, and each is flagged active as it was then.
func (s *Store) PartyDossier(ctx context.Context, code string, q followup.ComplianceQuery) (followup.PartyDossier, error) {
	actor := followup.ActorFrom(ctx)
	party, err := followup.NormalizePartyCode("code", code)
	if err != nil {
		return followup.PartyDossier{}, notFound("no Party with code %q", code)
	}
	if err := followup.CheckDossierAccess(actor, party); err != nil {
		return followup.PartyDossier{}, err
	}
	today := s.Today()
	if err := q.Validate(actor, today); err != nil {
		return followup.PartyDossier{}, err
	}
	p, err := findParty(ctx, s.reader, party)
	if err != nil {
		return followup.PartyDossier{}, err
	}
	out := followup.PartyDossier{Party: p, AsOf: q.AsOf, Basis: q.Basis, FollowUps: []followup.FollowUp{},
		Reports: map[string]followup.Report{}, Recommendations: map[string]followup.Recommendation{}}

	active, archived, err := partySpans(ctx, s.reader, party)
	if err != nil {
		return out, err
	}
	all, err := s.followUpRows(ctx, today, ` WHERE f.party_code = ? AND r.archived = FALSE
		AND (r.published_on IS NOT NULL OR ?) ORDER BY r.adopted_on, r.slug, c.position`, party, actor.CanSeeReport(false))
	if err != nil {
		return out, err
	}
	var fus []followUpRow
	for _, f := range all {
		shown, wasActive := followup.FollowUpOnDay(active[f.id], archived[f.id], q.AsOf)
		if !shown {
			continue
		}
		f.Active = wasActive
		fus = append(fus, f)
	}
	history, err := s.histories(ctx, `WHERE f.party_code = ?`, party)
	if err != nil {
		return out, err
	}
	for _, f := range fus {
		h := history[f.id]
		h.BaseDueOn = f.baseDueOn
		history[f.id] = h
	}

	for _, f := range fus {
		if _, ok := out.Reports[f.Report]; ok {
			continue
		}
		report, err := findReport(ctx, s.reader, f.Report)
		if err != nil {
			return out, err
		}
		out.Reports[f.Report] = report.Report
		recs, err := recommendationsOn(ctx, s.reader, report, q.AsOf)
		if err != nil {
			return out, err
		}
		for _, r := range recs {
			out.Recommendations[f.Report+"/"+r.Label] = r.Recommendation
		}
	}

	seesDrafts := actor.CanSeeDrafts()
	for _, f := range fus {
		out.FollowUps = append(out.FollowUps, followup.DossierEntry(f.forActor(actor), history[f.id], q, today, seesDrafts))
	}
	return out, nil
}

// ReportStates returns the state of each follow-up of a report as of q.AsOf, as a dossier shows
// it to the actor (followup.DossierEntry). The report's access rules are the compliance
// summary's: a report not published is the committee's, and the draft basis theirs too.
func (s *Store) ReportStates(ctx context.Context, slug string, q followup.ComplianceQuery) (map[followup.FollowUpKey]followup.State, error) {
	actor := followup.ActorFrom(ctx)
	today := s.Today()
	if err := q.Validate(actor, today); err != nil {
		return nil, err
	}
	report, err := findVisibleReport(ctx, s.reader, slug)
	if err != nil {
		return nil, err
	}
	fus, err := s.followUpRows(ctx, today, ` WHERE c.report_id = ?`, report.id)
	if err != nil {
		return nil, err
	}
	history, err := s.histories(ctx, `JOIN recommendations c ON c.id = f.recommendation_id WHERE c.report_id = ?`, report.id)
	if err != nil {
		return nil, err
	}
	seesDrafts := actor.CanSeeDrafts()
	out := make(map[followup.FollowUpKey]followup.State, len(fus))
	for _, f := range fus {
		h := history[f.id]
		h.BaseDueOn = f.baseDueOn
		fu := followup.DossierEntry(f.forActor(actor), h, q, today, seesDrafts)
		out[followup.FollowUpKey{Report: f.Report, Label: f.Label, Party: f.Party}] = fu.State
	}
	return out, nil
}

// followUpRows reads the follow-ups that cond (the rest of followUpSelect: a condition and an
// order) chooses.
func (s *Store) followUpRows(ctx context.Context, today followup.Date, cond string, args ...any) ([]followUpRow, error) {
	rows, err := s.reader.QueryContext(ctx, followUpSelect+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var fus []followUpRow
	for rows.Next() {
		f, err := s.scanFollowUp(rows, today)
		if err != nil {
			return nil, err
		}
		fus = append(fus, f)
	}
	return fus, rows.Err()
}

// partySpans reads, by follow-up id, the active periods of a Party's follow-ups and the archived
// periods of their recommendations.
func partySpans(ctx context.Context, q queryer, party string) (active, archived map[int64][]followup.Span, err error) {
	active, err = spansByID(ctx, q, `SELECT p.followup_id, p.from_on, p.until_on FROM followup_periods p
		JOIN followups f ON f.id = p.followup_id WHERE f.party_code = ?`, party)
	if err != nil {
		return nil, nil, err
	}
	archived, err = spansByID(ctx, q, `SELECT f.id, ap.from_on, ap.until_on FROM recommendation_archive_periods ap
		JOIN followups f ON f.recommendation_id = ap.recommendation_id WHERE f.party_code = ?`, party)
	return active, archived, err
}

// histories reads the dated history of follow-ups: their submission dates (submitted ones
// only), their own deadlines and their assessments, by follow-up id. where chooses the
// follow-ups (f) with arg: "WHERE f.party_code = ?", or a join and a condition.
func (s *Store) histories(ctx context.Context, where string, arg any) (map[int64]followup.History, error) {
	out := map[int64]followup.History{}
	rows, err := s.reader.QueryContext(ctx, `SELECT s.followup_id, s.submitted_on FROM submissions s
		JOIN followups f ON f.id = s.followup_id `+where+` AND s.draft = FALSE AND s.submitted_on IS NOT NULL ORDER BY s.id`, arg)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var on sql.NullString
		if err := rows.Scan(&id, &on); err != nil {
			rows.Close()
			return nil, err
		}
		h := out[id]
		h.Submitted = append(h.Submitted, scanDate(on))
		out[id] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.reader.QueryContext(ctx, `SELECT d.followup_id, d.from_on, d.due_on FROM followup_due_dates d
		JOIN followups f ON f.id = d.followup_id `+where+` ORDER BY d.from_on`, arg)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var from, due sql.NullString
		if err := rows.Scan(&id, &from, &due); err != nil {
			rows.Close()
			return nil, err
		}
		h := out[id]
		h.DueDates = append(h.DueDates, followup.DueDate{From: scanDate(from), DueOn: scanDate(due)})
		out[id] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.reader.QueryContext(ctx, `SELECT a.followup_id, `+assessmentColumnsOf+`
		FROM assessments a JOIN followups f ON f.id = a.followup_id `+where+` ORDER BY a.id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		a, err := scanAssessment(leading(rows, &id))
		if err != nil {
			return nil, err
		}
		h := out[id]
		h.Assessments = append(h.Assessments, a)
		out[id] = h
	}
	return out, rows.Err()
}

// leading scans the leading columns of a row into first, then the rest as the scan it is
// given expects: a scan function written for a table's columns reads a query that selects more.
func leading(row scanner, first ...any) scanner { return leadingScanner{row, first} }

type leadingScanner struct {
	row   scanner
	first []any
}

func (p leadingScanner) Scan(dest ...any) error {
	return p.row.Scan(append(append([]any{}, p.first...), dest...)...)
}
