package followup

// What held on a day. A follow-up is active, and a recommendation archived, over periods of
// days that the store keeps as they happen (in the transaction of the change): a follow-up
// that exists since its recommendation was created is active from the start, one added by a
// later change of addressees from the day of that change; de-activating it, or archiving or
// un-archiving a recommendation, closes or opens a period on the day. A past picture (a
// summary, a dossier, a list "as of" a day) takes the follow-ups active on that day and the
// recommendations not archived on it, so that a later change of addressees or an archiving
// never rewrites it.

// Span is a period of days: from From (the zero Date: from the start) until Until, excluded
// (the zero Date: still running).
type Span struct {
	From  Date
	Until Date
}

// Holds reports whether the span covers the day.
func (s Span) Holds(day Date) bool {
	return (s.From.IsZero() || !s.From.After(day)) && (s.Until.IsZero() || s.Until.After(day))
}

// HeldOn reports whether one of the spans covers the day.
func HeldOn(spans []Span, day Date) bool {
	for _, s := range spans {
		if s.Holds(day) {
			return true
		}
	}
	return false
}

// BegunBy reports whether one of the spans began on or before the day: a follow-up existed on a
// day when one of its active periods had begun by then, whether or not it was still active.
func BegunBy(spans []Span, day Date) bool {
	for _, s := range spans {
		if s.From.IsZero() || !s.From.After(day) {
			return true
		}
	}
	return false
}

// FollowUpOnDay says whether a follow-up is part of a picture of the day (a dossier "as of" it),
// and whether it was active then, from its active periods and its recommendation's archived
// ones: it is part of the picture once it had been added (one of its active periods had begun)
// and while its recommendation was not archived; no longer addressed on the day, it is shown
// flagged inactive, as a follow-up that is no longer addressed today is.
func FollowUpOnDay(active, archived []Span, day Date) (shown, wasActive bool) {
	if !BegunBy(active, day) || HeldOn(archived, day) {
		return false, false
	}
	return true, HeldOn(active, day)
}

// RecommendationsIn returns the recommendations a summary covers, in the order of recs (the
// report's order): a summary of a past day covers those that were not archived on that day,
// which the caller lists archived ones included.
func RecommendationsIn(c Compliance, recs []Recommendation) []Recommendation {
	in := make(map[string]bool, len(c.ByRecommendation))
	for _, rt := range c.ByRecommendation {
		in[rt.Label] = true
	}
	out := make([]Recommendation, 0, len(in))
	for _, r := range recs {
		if in[r.Label] {
			out = append(out, r)
		}
	}
	return out
}
