package followup_test

import (
	"context"
	"strings"
	"testing"

	"followup/internal/followup"
)

var (
	actorAnonymous   = followup.Actor{}
	actorAdmin       = followup.Actor{UserID: 1, Email: "admin@coe.int", Name: "Admin", Role: followup.RoleAdmin}
	actorSecretariat = followup.Actor{UserID: 2, Email: "sec@coe.int", Name: "Sec", Role: followup.RoleSecretariat}
	actorRapporteur  = followup.Actor{UserID: 3, Email: "rap@coe.int", Name: "Rap", Role: followup.RoleRapporteur}
	actorPartyFR     = followup.Actor{UserID: 4, Email: "fr@gouv.fr", Name: "FR desk", Role: followup.RoleParty, Party: "FR"}
)

func TestActorRules(t *testing.T) {
	type perms struct {
		anonymous, committee         bool
		manage, assess, drafts       bool
		openFR, openDE               bool
		seeSubFR, seeSubDE           bool
		seeDraftSubFR, seeDraftSubDE bool
		submitFR, submitDE           bool
		draftReport                  bool // may see a report before it is published
	}
	tests := []struct {
		name  string
		actor followup.Actor
		want  perms
	}{
		{"anonymous", actorAnonymous, perms{anonymous: true,
			openFR: true, openDE: true}},
		{"admin", actorAdmin, perms{committee: true, manage: true, assess: true, drafts: true,
			openFR: true, openDE: true, seeSubFR: true, seeSubDE: true, seeDraftSubFR: true, seeDraftSubDE: true, submitFR: true, submitDE: true, draftReport: true}},
		{"secretariat", actorSecretariat, perms{committee: true, manage: true, drafts: true,
			openFR: true, openDE: true, seeSubFR: true, seeSubDE: true, seeDraftSubFR: true, seeDraftSubDE: true, submitFR: true, submitDE: true, draftReport: true}},
		{"rapporteur", actorRapporteur, perms{committee: true, assess: true, drafts: true,
			openFR: true, openDE: true, seeSubFR: true, seeSubDE: true, draftReport: true}},
		{"party FR", actorPartyFR, perms{
			openFR: true, seeSubFR: true, seeDraftSubFR: true, submitFR: true}},
		{"system", followup.SystemActor, perms{committee: true, manage: true, assess: true, drafts: true,
			openFR: true, openDE: true, seeSubFR: true, seeSubDE: true, seeDraftSubFR: true, seeDraftSubDE: true, submitFR: true, submitDE: true, draftReport: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.actor
			got := perms{
				anonymous: a.Anonymous(), committee: a.IsCommittee(),
				manage: a.CanManage(), assess: a.CanAssess(), drafts: a.CanSeeDrafts(),
				openFR: a.CanOpenFollowUp("FR"), openDE: a.CanOpenFollowUp("DE"),
				seeSubFR: a.CanSeeSubmissions("FR"), seeSubDE: a.CanSeeSubmissions("DE"),
				seeDraftSubFR: a.CanSeeDraftSubmissions("FR"), seeDraftSubDE: a.CanSeeDraftSubmissions("DE"),
				submitFR: a.CanSubmit("FR"), submitDE: a.CanSubmit("DE"),
				draftReport: a.CanSeeReport(false),
			}
			if !a.CanSeeReport(true) {
				t.Error("a published report is hidden")
			}
			if got != tt.want {
				t.Errorf("permissions\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestActorPartyDE(t *testing.T) {
	// A Party's user sees only its own Party; the comparison is on the normalised code.
	a := followup.Actor{UserID: 9, Role: followup.RoleParty, Party: "DE"}
	if a.CanOpenFollowUp("FR") || a.CanSubmit("FR") || a.CanSeeSubmissions("FR") || a.CanSeeDraftSubmissions("FR") {
		t.Error("a DE user has rights on FR")
	}
	if !a.CanOpenFollowUp("DE") || !a.CanSubmit("DE") || !a.CanSeeSubmissions("DE") || !a.CanSeeDraftSubmissions("DE") {
		t.Error("a DE user has no rights on DE")
	}
	if a.CanManage() || a.CanAssess() || a.CanSeeDrafts() || a.IsCommittee() {
		t.Error("a Party's user has committee rights")
	}
}

func TestActorRequire(t *testing.T) {
	tests := []struct {
		name    string
		actor   followup.Actor
		ok      bool
		code    string
		message string
	}{
		{"allowed anonymous", actorAnonymous, true, "", ""},
		{"allowed admin", actorAdmin, true, "", ""},
		{"anonymous refused", actorAnonymous, false, followup.EUnauthorized, "sign in to adopt assessments"},
		{"party refused", actorPartyFR, false, followup.EForbidden, "party user may not adopt assessments"},
		{"rapporteur refused", actorRapporteur, false, followup.EForbidden, "rapporteur user may not adopt assessments"},
		{"secretariat refused", actorSecretariat, false, followup.EForbidden, "secretariat user may not adopt assessments"},
		{"admin refused", actorAdmin, false, followup.EForbidden, "admin user may not adopt assessments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.actor.Require(tt.ok, "adopt assessments")
			if tt.ok {
				if err != nil {
					t.Fatalf("Require(true) = %v", err)
				}
				return
			}
			if followup.ErrorCode(err) != tt.code {
				t.Errorf("code %q, want %q", followup.ErrorCode(err), tt.code)
			}
			if !strings.Contains(followup.ErrorMessage(err), tt.message) {
				t.Errorf("message %q, want it to contain %q", followup.ErrorMessage(err), tt.message)
			}
			if followup.ErrorField(err) != "" {
				t.Errorf("field %q, want none", followup.ErrorField(err))
			}
		})
	}
}

func TestActorContext(t *testing.T) {
	if got := followup.ActorFrom(context.Background()); got != (followup.Actor{}) || !got.Anonymous() {
		t.Errorf("ActorFrom(empty) = %+v, want the anonymous actor", got)
	}
	for _, a := range []followup.Actor{actorAnonymous, actorAdmin, actorSecretariat, actorRapporteur, actorPartyFR, followup.SystemActor} {
		ctx := followup.WithActor(context.Background(), a)
		if got := followup.ActorFrom(ctx); got != a {
			t.Errorf("round trip of %+v gave %+v", a, got)
		}
	}
	// The innermost actor wins, and a derived context keeps it.
	ctx := followup.WithActor(followup.WithActor(context.Background(), actorAdmin), actorPartyFR)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if got := followup.ActorFrom(ctx); got != actorPartyFR {
		t.Errorf("nested actor = %+v, want %+v", got, actorPartyFR)
	}
	// A value of another type under another key does not count.
	type otherKey struct{}
	ctx = context.WithValue(context.Background(), otherKey{}, actorAdmin)
	if got := followup.ActorFrom(ctx); !got.Anonymous() {
		t.Errorf("actor under a foreign key leaked: %+v", got)
	}
}

func TestSystemActor(t *testing.T) {
	s := followup.SystemActor
	if s.Anonymous() || s.Role != followup.RoleAdmin || s.Email != "system" || s.UserID != -1 {
		t.Errorf("SystemActor = %+v", s)
	}
	if !strings.EqualFold(s.Name, "system") {
		t.Errorf("SystemActor name %q", s.Name)
	}
}
