package followup_test

import (
	"encoding/json"
	"strings"
	"testing"

	"followup/internal/followup"
)

func TestVisibleHistory(t *testing.T) {
	draft := map[string]string{"text": "DRAFT-TEXT"}
	entries := []followup.AuditEntry{
		{ID: 1, Actor: "system", ActorName: "System", ActorRole: followup.RoleAdmin, Action: "followup.create"},
		{ID: 2, Actor: "desk@gouv.fr", ActorName: "Desk FR", ActorRole: followup.RoleParty, Action: "submission.draft", After: draft},
		{ID: 3, Actor: "desk@gouv.fr", ActorName: "Desk FR", ActorRole: followup.RoleParty, Action: "submission.edit_draft", Before: draft, After: draft},
		{ID: 4, Actor: "desk@gouv.fr", ActorName: "Desk FR", ActorRole: followup.RoleParty, Action: "submission.submit", Before: draft, After: map[string]string{"text": "final"}},
		{ID: 5, Actor: "rap@coe.int", ActorName: "Rita Rapporteur", ActorRole: followup.RoleRapporteur, Action: "assessment.create"},
		{ID: 6, Actor: "anne@coe.int", ActorName: "Anne Martin", ActorRole: followup.RoleSecretariat, Action: "assessment.adopt"},
		{ID: 7, Actor: "old@coe.int", ActorRole: followup.RoleSecretariat, Action: "submission.submit"}, // written before names were kept
		{ID: 8, Actor: "gone@coe.int", Action: "followup.deactivate"},                                   // nor the role
	}
	type seen struct {
		id            int64
		actor, name   string
		role          followup.Role
		draftInBefore bool
	}
	full := func(id int64) seen {
		e := entries[id-1]
		return seen{id, e.Actor, e.ActorName, e.ActorRole, e.Before != nil}
	}
	noDraft := func(s seen) seen { s.draftInBefore = false; return s }
	party := func(s seen) seen {
		s.actor = ""
		if s.name == "" && s.role == "" {
			s.role = followup.RoleSecretariat
		}
		return s
	}
	public := func(id int64) seen { return seen{id: id} }
	admin := followup.Actor{UserID: 1, Email: "admin@coe.int", Role: followup.RoleAdmin}
	secretariat := followup.Actor{UserID: 2, Email: "anne@coe.int", Role: followup.RoleSecretariat}
	rapporteur := followup.Actor{UserID: 3, Email: "rap@coe.int", Role: followup.RoleRapporteur}
	fr := followup.Actor{UserID: 4, Email: "desk@gouv.fr", Role: followup.RoleParty, Party: "FR"}
	de := followup.Actor{UserID: 5, Email: "desk@bund.de", Role: followup.RoleParty, Party: "DE"}
	tests := []struct {
		name  string
		actor followup.Actor
		want  []seen
	}{
		{"admin", admin, []seen{full(1), full(2), full(3), full(4), full(5), full(6), full(7), full(8)}},
		{"secretariat", secretariat, []seen{full(1), full(2), full(3), full(4), full(5), full(6), full(7), full(8)}},
		{"rapporteur: no drafts of the Party", rapporteur, []seen{full(1), noDraft(full(4)), full(5), full(6), full(7), full(8)}},
		{"the Party: names, no addresses, no draft assessments", fr, []seen{party(full(1)), party(full(2)), party(full(3)), party(full(4)),
			party(full(6)), party(full(7)), party(full(8))}},
		{"another Party", de, []seen{public(1), public(6), public(8)}},
		{"the public", followup.Actor{}, []seen{public(1), public(6), public(8)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := followup.VisibleHistory(tt.actor, "FR", entries)
			if len(got) != len(tt.want) {
				t.Fatalf("%d entries, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, e := range got {
				g := seen{e.ID, e.Actor, e.ActorName, e.ActorRole, e.Before != nil}
				if g != tt.want[i] {
					t.Errorf("entry %d = %+v, want %+v", i, g, tt.want[i])
				}
			}
			if tt.actor.Role == followup.RoleParty || tt.actor.Anonymous() {
				j, _ := json.Marshal(got)
				if strings.Contains(string(j), "@coe.int") {
					t.Errorf("a Secretariat address reaches %s: %s", tt.name, j)
				}
			}
		})
	}
	if entries[6].ActorRole != followup.RoleSecretariat || entries[0].Actor != "system" || entries[3].Before == nil {
		t.Error("VisibleHistory changed the entries it was given")
	}
}
