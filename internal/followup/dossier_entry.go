package followup

// DossierEntry is a follow-up as a Party's dossier shows it as of q.AsOf on q.Basis, for a
// reader who may (seesDrafts) or may not see draft assessments. live is the follow-up as it
// stands today, already as the reader may see it; h its dated history. For today or later the
// workflow fields are today's; for a past day they are rebuilt from the history (FollowUpAsOf).
// The status is the basis's, as the compliance summary chooses it: on the adopted basis, the
// latest assessment adopted on or before the day, with its adoption date; on the draft basis,
// the latest assessment made on or before the day, adopted or not. Assessments lists those
// that existed on the day (adopted ones only on the adopted basis; on the draft basis an
// adoption after the day is not shown). Submissions are never part of a dossier.
func DossierEntry(live FollowUp, h History, q ComplianceQuery, today Date, seesDrafts bool) FollowUp {
	fu := live
	if q.AsOf.Before(today) {
		fu = FollowUpAsOf(live, h, q.AsOf, seesDrafts)
	}
	fu.Submissions = nil
	fu.Assessments = []Assessment{}
	var latestAdopted, latestDraft *Assessment
	for i := range h.Assessments {
		a := h.Assessments[i]
		if a.AssessedOn.After(q.AsOf) {
			continue
		}
		adopted := a.Adopted() && !a.AdoptedOn.After(q.AsOf)
		if adopted && (latestAdopted == nil || !a.AdoptedOn.Before(latestAdopted.AdoptedOn)) {
			latestAdopted = &h.Assessments[i]
		}
		latestDraft = &h.Assessments[i] // assessments are in id order
		switch {
		case q.Basis == BasisDraft:
			if !adopted {
				a.AdoptedOn = Date{}
			}
			fu.Assessments = append(fu.Assessments, a)
		case adopted:
			fu.Assessments = append(fu.Assessments, a)
		}
	}
	if q.Basis == BasisDraft {
		fu.Status = nil
		if latestDraft != nil {
			st := latestDraft.Status
			fu.Status = &st
		}
		return fu
	}
	fu.Status, fu.AdoptedOn = nil, Date{}
	if latestAdopted != nil {
		st := latestAdopted.Status
		fu.Status, fu.AdoptedOn = &st, latestAdopted.AdoptedOn
	}
	return fu
}
