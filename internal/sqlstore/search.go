package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"sort"
	"strings"

	"followup/internal/followup"
)

// FullText is an engine's full-text index of the recommendations' labels and texts (English
// and French). The index is kept in step with every write of a recommendation by the engine
// itself, in the writing transaction (triggers on SQLite, generated columns on PostgreSQL), so
// that creations, edits, imports and the synthetic data set all reach it.
type FullText interface {
	// Match is what the search says of how it matches words: "stems" or "substrings".
	Match() string
	// Ensure builds the index where the engine makes it outside its migrations; it runs in a
	// write transaction when the store opens, after the migrations.
	Ensure(ctx context.Context, tx *sql.Tx) error
	// Matches returns a query with the columns (id, rank) of the recommendations whose label or
	// texts hold every word, with its arguments; a lower rank is a better match.
	Matches(words []string) (query string, args []any)
	// Marked returns a query with the columns (id, label, text, text_fr) of the recommendations
	// whose ids are in the JSON array given as the last argument, with the words that match
	// between followup.MarkOpen and followup.MarkClose; "" when the engine cannot mark them.
	// idSet is the engine's IDSet.
	Marked(words []string, idSet string) (query string, args []any)
}

// searchCandidate is a recommendation the words found, with what ordering and facets need.
type searchCandidate struct {
	id       int64
	rank     float64
	due      followup.Date
	adopted  followup.Date
	slug     string
	position int
	followup.SearchCandidate
}

// SearchRecommendations finds recommendations across reports (not archived, of reports not
// archived) by words and facets, and counts the facets of the query. Recommendations are
// public once their report is published, and the follow-up facets read adopted outcomes only,
// so every actor gets the same answer, but for the reports not yet published, which only the
// committee finds (Actor.CanSeeReport).
func (s *Store) SearchRecommendations(ctx context.Context, q followup.RecommendationQuery) (followup.SearchPage, error) {
	if err := q.Validate(); err != nil {
		return followup.SearchPage{}, err
	}
	offset, _ := q.Offset()
	words := q.Words()
	ft := s.eng.FullText()
	today := s.Today()
	page := followup.SearchPage{Items: []followup.RecommendationHit{}, Facets: followup.NewFacets()}
	if len(words) > 0 {
		page.Match = ft.Match()
	}

	cands, err := s.searchCandidates(ctx, words, followup.ActorFrom(ctx).CanSeeReport(false))
	if err != nil {
		return page, err
	}
	facts, err := s.followUpFacts(ctx)
	if err != nil {
		return page, err
	}
	if q.FollowUpFiltered() {
		for i := range cands {
			cands[i].FollowUps = facts.meets(q, today, cands[i].id, cands[i].due, "")
		}
	}
	plain := make([]followup.SearchCandidate, len(cands))
	for i, c := range cands {
		plain[i] = c.SearchCandidate
	}
	q.CountCandidates(page.Facets, plain)

	// The recommendations that pass every recommendation-level filter are those the follow-up
	// facets count over; those that also meet the follow-up conditions are the results.
	var found []*searchCandidate
	for i := range cands {
		c := &cands[i]
		all := c.SearchCandidate
		all.FollowUps = true
		if q.Passes(all, "") {
			if c.FollowUps {
				found = append(found, c)
			}
		}
	}
	tally := facts.newTally()
	for _, c := range cands {
		all := c.SearchCandidate
		all.FollowUps = true
		if q.Passes(all, "") {
			facts.count(q, today, c.id, c.due, tally)
		}
	}
	facts.write(tally, page.Facets)
	sortCandidates(found, q.Sort, len(words) > 0)
	page.Total = len(found)
	if offset >= len(found) {
		return page, nil
	}
	end := min(offset+q.Limit, len(found))
	if end < len(found) {
		next := followup.SearchCursor(end)
		page.NextCursor = &next
	}
	ids := make([]int64, 0, end-offset)
	for _, c := range found[offset:end] {
		ids = append(ids, c.id)
	}
	page.Items, err = s.searchHits(ctx, ids, words)
	return page, err
}

// searchCandidates reads the recommendations the words find (every one without words), of the
// published reports, and of the drafts too when drafts is set.
func (s *Store) searchCandidates(ctx context.Context, words []string, drafts bool) ([]searchCandidate, error) {
	from := `recommendations c JOIN reports r ON r.id = c.report_id`
	rank := "0"
	var args []any
	if len(words) > 0 {
		mq, margs := s.eng.FullText().Matches(words)
		from += ` JOIN (` + mq + `) m ON m.id = c.id`
		rank = "m.rank"
		args = margs
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT c.id, `+rank+`, r.slug, r.round, c.category, c.articles,
		coalesce(c.due_on, r.followup_due_on), r.adopted_on, c.position
		FROM `+from+` WHERE c.archived = FALSE AND r.archived = FALSE AND (r.published_on IS NOT NULL OR ?)`, append(args, drafts)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []searchCandidate
	for rows.Next() {
		var c searchCandidate
		var articles, adopted string
		var due sql.NullString
		if err := rows.Scan(&c.id, &c.rank, &c.slug, &c.Round, &c.Category, &articles, &due, &adopted, &c.position); err != nil {
			return nil, err
		}
		c.Report = c.slug
		if articles != "" {
			c.Articles = strings.Split(articles, ",")
		}
		c.due = scanDate(due)
		c.adopted = scanDate(sql.NullString{String: adopted, Valid: true})
		c.FollowUps = true
		out = append(out, c)
	}
	return out, rows.Err()
}

// idSet writes ids as the JSON array the engine's IDSet reads.
func idSet(ids []int64) string {
	b, _ := json.Marshal(ids)
	return string(b)
}

// categoryOrder is the strength of a category, strongest first.
func categoryOrder(c followup.Category) int {
	for i, v := range followup.Categories {
		if v == c {
			return i
		}
	}
	return len(followup.Categories)
}

// sortCandidates orders the results: by relevance (with words), newest report first with the
// recommendations in report order (the default without words, and the tie-break of the
// others), by category or by deadline.
func sortCandidates(cs []*searchCandidate, by followup.SearchSort, words bool) {
	reportOrder := func(a, b *searchCandidate) bool {
		if a.adopted != b.adopted {
			return a.adopted.After(b.adopted)
		}
		if a.slug != b.slug {
			return a.slug < b.slug
		}
		return a.position < b.position
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		switch by {
		case followup.SortRelevance:
			if words && a.rank != b.rank {
				return a.rank < b.rank
			}
		case followup.SortCategory:
			if ca, cb := categoryOrder(a.Category), categoryOrder(b.Category); ca != cb {
				return ca < cb
			}
		case followup.SortDue:
			if a.due != b.due {
				switch {
				case a.due.IsZero():
					return false
				case b.due.IsZero():
					return true
				}
				return a.due.Before(b.due)
			}
		}
		return reportOrder(a, b)
	})
}

// searchHits reads the recommendations of a page of results, in the order of ids, with their
// reports' titles and, with words, their marked texts.
func (s *Store) searchHits(ctx context.Context, ids []int64, words []string) ([]followup.RecommendationHit, error) {
	set := idSet(ids)
	rows, err := s.reader.QueryContext(ctx, `SELECT `+recommendationColumns+`, r.slug, r.followup_due_on, r.title, r.title_fr, r.round, r.round_fr, r.adopted_on
		FROM recommendations c JOIN reports r ON r.id = c.report_id WHERE c.id IN (`+s.eng.IDSet()+`)`, set)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*followup.RecommendationHit{}
	for rows.Next() {
		var h followup.RecommendationHit
		var id int64
		var articles, created, updated, slug, adopted string
		var due, reportDue sql.NullString
		if err := rows.Scan(&id, &h.Label, &h.Category, &h.Text, &h.TextFR, &h.URL, &h.Source, &articles, &due, &h.Archived, &created, &updated,
			&h.FollowupCount, &slug, &reportDue, &h.ReportTitle, &h.ReportTitleFR, &h.Round, &h.RoundFR, &adopted); err != nil {
			rows.Close()
			return nil, err
		}
		h.Report = slug
		h.Articles = []string{}
		if articles != "" {
			h.Articles = strings.Split(articles, ",")
		}
		h.AddressedTo = []string{}
		h.DueOn = scanDate(due)
		h.EffectiveDueOn = h.DueOn
		if h.EffectiveDueOn.IsZero() {
			h.EffectiveDueOn = scanDate(reportDue)
		}
		h.ReportAdoptedOn = scanDate(sql.NullString{String: adopted, Valid: true})
		h.CreatedAt, h.UpdatedAt = parseStamp(created), parseStamp(updated)
		byID[id] = &h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.reader.QueryContext(ctx, `SELECT recommendation_id, party_code FROM recommendation_addressees
		WHERE recommendation_id IN (`+s.eng.IDSet()+`) ORDER BY party_code`, set)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			rows.Close()
			return nil, err
		}
		if h := byID[id]; h != nil {
			h.AddressedTo = append(h.AddressedTo, code)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(words) > 0 {
		if mq, margs := s.eng.FullText().Marked(words, s.eng.IDSet()); mq != "" {
			rows, err := s.reader.QueryContext(ctx, mq, append(margs, set)...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var id int64
				var label, text, textFR string
				if err := rows.Scan(&id, &label, &text, &textFR); err != nil {
					rows.Close()
					return nil, err
				}
				if h := byID[id]; h != nil {
					h.Highlight = &followup.Highlight{Label: followup.ParseMarked(label), Text: followup.ParseMarked(text), TextFR: followup.ParseMarked(textFR)}
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	out := make([]followup.RecommendationHit, 0, len(ids))
	for _, id := range ids {
		if h := byID[id]; h != nil {
			out = append(out, *h)
		}
	}
	return out, nil
}
