package sqlite

import (
	"context"
	"database/sql"

	"followup/internal/followup"
)

// The status of each follow-up as the Committee had adopted it on a date: its latest adopted
// assessment on or before that date. Later adoptions never change the answer for an earlier
// date, so past pictures are never rewritten.
const adoptedCellsQuery = `SELECT c.label, c.category, f.party_code, a.status, a.adopted_on, a.comment
	FROM followups f
	JOIN recommendations c ON c.id = f.recommendation_id
	LEFT JOIN assessments a ON a.id = (
		SELECT a2.id FROM assessments a2
		WHERE a2.followup_id = f.id AND a2.adopted_on IS NOT NULL AND a2.adopted_on <= ?
		ORDER BY a2.adopted_on DESC, a2.id DESC LIMIT 1)
	WHERE c.report_id = ? AND c.archived = 0 AND f.active = 1
	ORDER BY c.position, f.party_code`

// The committee's working picture: the latest assessment made on or before the date, adopted
// or not.
const draftCellsQuery = `SELECT c.label, c.category, f.party_code, a.status, a.adopted_on, a.comment
	FROM followups f
	JOIN recommendations c ON c.id = f.recommendation_id
	LEFT JOIN assessments a ON a.id = (
		SELECT a2.id FROM assessments a2
		WHERE a2.followup_id = f.id AND a2.assessed_on <= ?
		ORDER BY a2.id DESC LIMIT 1)
	WHERE c.report_id = ? AND c.archived = 0 AND f.active = 1
	ORDER BY c.position, f.party_code`

// ReportCompliance computes a report's compliance summary as of a date. Only committee roles
// may ask for the draft basis.
func (s *Store) ReportCompliance(ctx context.Context, slug string, q followup.ComplianceQuery) (followup.Compliance, error) {
	actor := followup.ActorFrom(ctx)
	if err := q.Validate(actor, s.Today()); err != nil {
		return followup.Compliance{}, err
	}
	report, err := findReport(ctx, s.reader, slug)
	if err != nil {
		return followup.Compliance{}, err
	}
	recs, err := listRecommendations(ctx, s.reader, report, false)
	if err != nil {
		return followup.Compliance{}, err
	}
	labels := make([]followup.RecommendationTally, len(recs))
	for i, r := range recs {
		labels[i] = followup.RecommendationTally{Label: r.Label, Category: r.Category}
	}
	query := adoptedCellsQuery
	if q.Basis == followup.BasisDraft {
		query = draftCellsQuery
	}
	rows, err := s.reader.QueryContext(ctx, query, q.AsOf.String(), report.id)
	if err != nil {
		return followup.Compliance{}, err
	}
	defer rows.Close()
	var cells []followup.ComplianceCell
	for rows.Next() {
		var c followup.ComplianceCell
		var status, adopted, comment sql.NullString
		if err := rows.Scan(&c.Label, &c.Category, &c.Party, &status, &adopted, &comment); err != nil {
			return followup.Compliance{}, err
		}
		if status.Valid {
			st := followup.Status(status.String)
			c.Status = &st
			c.Comment = comment.String
			c.AdoptedOn = scanDate(adopted)
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
	return followup.Summarize(slug, q.AsOf, q.Basis, labels, cells), nil
}
