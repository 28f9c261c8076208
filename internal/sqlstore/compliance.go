package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"followup/internal/followup"
)

// The cells come in no particular order; computeCompliance sorts them by recommendation
// position, then Party, which is cheaper in Go than in SQLite's sorter.
//
// The status of each follow-up as the Committee had adopted it on a date: its latest adopted
// assessment on or before that date. Later adoptions never change the answer for an earlier
// date, so past pictures are never rewritten.
const adoptedCellsQuery = `SELECT c.id, f.party_code, a.status, a.adopted_on, a.comment, a.comment_fr, ` + ownDueAsOf + `
	FROM followups f
	JOIN recommendations c ON c.id = f.recommendation_id
	LEFT JOIN assessments a ON a.id = (
		SELECT a2.id FROM assessments a2
		WHERE a2.followup_id = f.id AND a2.adopted_on IS NOT NULL AND a2.adopted_on <= ?
		ORDER BY a2.adopted_on DESC, a2.id DESC LIMIT 1)
	WHERE c.report_id = ? AND ` + heldOnDay

// The committee's working picture: the latest assessment made on or before the date, adopted
// or not.
const draftCellsQuery = `SELECT c.id, f.party_code, a.status, a.adopted_on, a.comment, a.comment_fr, ` + ownDueAsOf + `
	FROM followups f
	JOIN recommendations c ON c.id = f.recommendation_id
	LEFT JOIN assessments a ON a.id = (
		SELECT a2.id FROM assessments a2
		WHERE a2.followup_id = f.id AND a2.assessed_on <= ?
		ORDER BY a2.id DESC LIMIT 1)
	WHERE c.report_id = ? AND ` + heldOnDay

// heldOnDay keeps the follow-ups that were active on the day, of recommendations that were not
// archived on it (followup.Span; its four parameters are the day): a past picture is of what
// held then, whatever the changes of addressees and archiving since.
const heldOnDay = `EXISTS (SELECT 1 FROM followup_periods p WHERE p.followup_id = f.id
		AND (p.from_on IS NULL OR p.from_on <= ?) AND (p.until_on IS NULL OR p.until_on > ?))
	AND NOT EXISTS (SELECT 1 FROM recommendation_archive_periods ap WHERE ap.recommendation_id = c.id
		AND ap.from_on <= ? AND (ap.until_on IS NULL OR ap.until_on > ?))`

// ownDueAsOf is the follow-up's own deadline in force on the day (its first parameter): the one
// set by its latest adoption on or before it; NULL when none was.
const ownDueAsOf = `(SELECT d.due_on FROM followup_due_dates d WHERE d.followup_id = f.id AND d.from_on <= ?
		ORDER BY d.from_on DESC LIMIT 1)`

// ReportCompliance computes a report's compliance summary as of a date. Only committee roles
// may ask for the draft basis. It reads the database every time: the HTTP layer keeps summaries
// between writes (server.ComplianceCache), with the store's DataVersion.
func (s *Store) ReportCompliance(ctx context.Context, slug string, q followup.ComplianceQuery) (followup.Compliance, error) {
	if err := q.Validate(followup.ActorFrom(ctx), s.Today()); err != nil {
		return followup.Compliance{}, err
	}
	return s.computeCompliance(ctx, slug, q)
}

// computeCompliance computes a summary from the database, for a validated query.
func (s *Store) computeCompliance(ctx context.Context, slug string, q followup.ComplianceQuery) (followup.Compliance, error) {
	report, err := findVisibleReport(ctx, s.reader, slug)
	if err != nil {
		return followup.Compliance{}, err
	}
	recs, err := recommendationsOn(ctx, s.reader, report, q.AsOf)
	if err != nil {
		return followup.Compliance{}, err
	}
	labels := make([]followup.RecommendationTally, len(recs))
	byID := make(map[int64]followup.RecommendationTally, len(recs))
	recDue := make(map[int64]followup.Date, len(recs))
	position := make(map[string]int, len(recs))
	total := 0
	for i, r := range recs {
		labels[i] = followup.RecommendationTally{Label: r.Label, Category: r.Category}
		byID[r.id] = labels[i]
		recDue[r.id] = r.EffectiveDueOn
		position[r.Label] = i
		total += r.FollowupCount
	}
	query := adoptedCellsQuery
	if q.Basis == followup.BasisDraft {
		query = draftCellsQuery
	}
	day := q.AsOf.String()
	rows, err := s.reader.QueryContext(ctx, query, day, day, report.id, day, day, day, day)
	if err != nil {
		return followup.Compliance{}, err
	}
	defer rows.Close()
	// A large report has thousands of cells but only a few distinct Parties, statuses and
	// adoption dates: the rows are scanned as raw bytes and those values shared, so that a
	// summary costs one allocation per cell with a comment rather than six per cell.
	cells := make([]followup.ComplianceCell, 0, total)
	parties := map[string]string{}
	statuses := map[string]*followup.Status{}
	dates := map[string]followup.Date{}
	var recID int64
	var party, status, adopted, comment, commentFR, ownDue sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&recID, &party, &status, &adopted, &comment, &commentFR, &ownDue); err != nil {
			return followup.Compliance{}, err
		}
		rec := byID[recID]
		c := followup.ComplianceCell{Label: rec.Label, Category: rec.Category, DueOn: recDue[recID]}
		if ownDue != nil {
			d, ok := dates[string(ownDue)]
			if !ok {
				d = scanDate(sql.NullString{String: string(ownDue), Valid: true})
				dates[string(ownDue)] = d
			}
			c.DueOn = d
		}
		code, ok := parties[string(party)]
		if !ok {
			code = string(party)
			parties[code] = code
		}
		c.Party = code
		if status != nil {
			st, ok := statuses[string(status)]
			if !ok {
				v := followup.Status(status)
				st = &v
				statuses[string(v)] = st
			}
			c.Status = st
			if len(comment) > 0 {
				c.Comment = string(comment)
			}
			if len(commentFR) > 0 {
				c.CommentFR = string(commentFR)
			}
			if adopted != nil {
				d, ok := dates[string(adopted)]
				if !ok {
					d = scanDate(sql.NullString{String: string(adopted), Valid: true})
					dates[string(adopted)] = d
				}
				c.AdoptedOn = d
			}
			if c.AdoptedOn.After(q.AsOf) {
				c.AdoptedOn = followup.Date{}
			}
			c.Draft = c.AdoptedOn.IsZero()
		}
		cells = append(cells, c)
	}
	if err := rows.Err(); err != nil {
		return followup.Compliance{}, err
	}
	slices.SortFunc(cells, func(a, b followup.ComplianceCell) int {
		if d := position[a.Label] - position[b.Label]; d != 0 {
			return d
		}
		return strings.Compare(a.Party, b.Party)
	})
	c := followup.Summarize(slug, q.AsOf, q.Basis, labels, cells)
	c.ReportPublished = report.Published()
	return c, nil
}

// recommendationsOn lists a report's recommendations that were not archived on the day, in report
// order (followup.Span).
func recommendationsOn(ctx context.Context, q queryer, report reportRow, day followup.Date) ([]recommendationRow, error) {
	recs, err := listRecommendations(ctx, q, report, true)
	if err != nil {
		return nil, err
	}
	archived, err := archiveSpans(ctx, q, report.id)
	if err != nil {
		return nil, err
	}
	var out []recommendationRow
	for _, r := range recs {
		if !followup.HeldOn(archived[r.id], day) {
			out = append(out, r)
		}
	}
	return out, nil
}

// archiveSpans reads the archived periods of a report's recommendations, by recommendation id.
func archiveSpans(ctx context.Context, q queryer, reportID int64) (map[int64][]followup.Span, error) {
	return spansByID(ctx, q, `SELECT ap.recommendation_id, ap.from_on, ap.until_on FROM recommendation_archive_periods ap
		JOIN recommendations c ON c.id = ap.recommendation_id WHERE c.report_id = ?`, reportID)
}

// spansByID reads periods by the id in the first column of the query (then from_on, until_on).
func spansByID(ctx context.Context, q queryer, query string, args ...any) (map[int64][]followup.Span, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]followup.Span{}
	for rows.Next() {
		var id int64
		var from, until sql.NullString
		if err := rows.Scan(&id, &from, &until); err != nil {
			return nil, err
		}
		out[id] = append(out[id], followup.Span{From: scanDate(from), Until: scanDate(until)})
	}
	return out, rows.Err()
}
