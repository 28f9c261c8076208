package followup

// VisibleHistory returns the entries of the history of one of a Party's follow-ups that the
// actor may see, in their order, with what the actor may not read taken out:
//   - a submission's drafts (the draft entries, and the draft a submission was before it was
//     submitted) only for those who may write the Party's submissions;
//   - the Party's submissions only for those who may read them;
//   - assessments before their adoption only for the committee;
//   - who did what: the committee roles read the e-mail address, name and role; the Party's own
//     users the name and role only (an entry without either says "Secretariat"), never an
//     address of the Secretariat's staff; the public nothing of who.
func VisibleHistory(actor Actor, party string, entries []AuditEntry) []AuditEntry {
	out := make([]AuditEntry, 0, len(entries))
	for _, e := range entries {
		if !historyVisible(actor, party, e.Action) {
			continue
		}
		if e.Action == "submission.submit" && !actor.CanSeeDraftSubmissions(party) {
			e.Before = nil
		}
		switch {
		case actor.IsCommittee():
		case actor.Role == RoleParty && actor.Party == party:
			e.Actor = ""
			if e.ActorName == "" && e.ActorRole == "" {
				e.ActorRole = RoleSecretariat
			}
		default:
			e.Actor, e.ActorName, e.ActorRole = "", "", ""
		}
		out = append(out, e)
	}
	return out
}

// historyVisible reports whether the actor may see an entry of the action at all.
func historyVisible(actor Actor, party, action string) bool {
	switch action {
	case "submission.submit":
		return actor.CanSeeSubmissions(party)
	case "submission.draft", "submission.edit_draft":
		return actor.CanSeeDraftSubmissions(party)
	case "assessment.create":
		return actor.CanSeeDrafts()
	}
	return true
}
