package seed

import (
	"context"
	"fmt"

	"followup/internal/followup"
)

// loadPublishedOutcomes records, for the recommendations of a real report that this call of
// Load created, the outcomes the Committee adopted (PublishedStatus), and adopts them on the
// day the Committee did. A recommendation created earlier already has its outcomes (or a
// history the seed must not add to), so it is left alone.
func loadPublishedOutcomes(ctx context.Context, fu followup.FollowUpService, rs reportSeed, created []followup.Recommendation, res *Result) error {
	slug := rs.input.Slug
	adoptions := map[followup.Date][]string{}
	var days []followup.Date
	for _, rec := range created {
		parties, err := followup.AddresseesWithin(rec.AddressedTo, rs.input.Parties)
		if err != nil {
			return fmt.Errorf("seed: %s/%s: %w", slug, rec.Label, err)
		}
		for _, party := range parties {
			status, on, ok := PublishedStatus(slug, rec.Label, party)
			if !ok {
				continue
			}
			key := followup.FollowUpKey{Report: slug, Label: rec.Label, Party: party}
			words := publishedComments[status]
			in := followup.AssessmentInput{Status: status, Comment: words[0], CommentFR: words[1],
				Source: evaluation2019Source, AssessedOn: on}
			if _, err := fu.CreateAssessment(ctx, key, in); err != nil {
				return fmt.Errorf("seed: recording the published outcome of %s: %w", key, err)
			}
			res.Assessments++
			if len(adoptions[on]) == 0 || adoptions[on][len(adoptions[on])-1] != rec.Label {
				if len(adoptions[on]) == 0 {
					days = append(days, on)
				}
				adoptions[on] = append(adoptions[on], rec.Label)
			}
		}
	}
	for _, on := range days {
		if _, err := fu.Adopt(ctx, slug, followup.AdoptionInput{AdoptedOn: on, Labels: adoptions[on]}); err != nil {
			return fmt.Errorf("seed: adopting the published outcomes of %s on %s: %w", slug, on, err)
		}
	}
	return nil
}
