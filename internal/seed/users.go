package seed

import "followup/internal/followup"

// Login is a demo account: its e-mail address, password, role, Party (for the party role) and
// the API token created for it. These are fixed, public values for trying the tracker out and
// must never be used on a server that holds real data.
type Login struct{ Email, Password, Role, Party, Token string }

// demoUser is a Login with the user's display name.
type demoUser struct {
	Login
	name         string
	organisation string // for the stakeholder role
}

// demoUsers: one user per committee role, party users for France, Hungary and Germany, and a
// stakeholder speaking for an organisation that does not exist.
// Tokens are 32 characters or more so that any reasonable minimum length for a given secret is met.
var demoUsers = []demoUser{
	{Login{"admin@example.org", "demo-admin-pass", string(followup.RoleAdmin), "", "demo-token-admin-0000000000000000"}, "Demo Administrator", ""},
	{Login{"secretariat@example.org", "demo-secretariat-pass", string(followup.RoleSecretariat), "", "demo-token-secretariat-0000000000"}, "Demo Secretariat", ""},
	{Login{"rapporteur@example.org", "demo-rapporteur-pass", string(followup.RoleRapporteur), "", "demo-token-rapporteur-00000000000"}, "Demo Rapporteur", ""},
	{Login{"party-fr@example.org", "demo-party-fr-pass", string(followup.RoleParty), "FR", "demo-token-party-fr-00000000000000"}, "Demo Party user (France)", ""},
	{Login{"party-hu@example.org", "demo-party-hu-pass", string(followup.RoleParty), "HU", "demo-token-party-hu-00000000000000"}, "Demo Party user (Hungary)", ""},
	{Login{"party-de@example.org", "demo-party-de-pass", string(followup.RoleParty), "DE", "demo-token-party-de-00000000000000"}, "Demo Party user (Germany)", ""},
	{Login{"stakeholder@example.org", "demo-stakeholder-pass", string(followup.RoleStakeholder), "", "demo-token-stakeholder-0000000000"}, "Demo stakeholder", "Demonstration NGO (fictional)"},
}

// Logins returns the fixed demo logins, in a new slice the caller may keep.
func Logins() []Login {
	out := make([]Login, len(demoUsers))
	for i, u := range demoUsers {
		out[i] = u.Login
	}
	return out
}

// demoTokenName is the name under which the demo API tokens are created.
const demoTokenName = "demo"

func (u demoUser) input() followup.UserInput {
	return followup.UserInput{Email: u.Email, Name: u.name, Role: followup.Role(u.Role), Party: u.Party, Organisation: u.organisation, Password: u.Password}
}
