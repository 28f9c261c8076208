package sqlstore_test

import (
	"testing"

	"followup/internal/followup"
)

func TestCreateAndFindParty(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	audits := f.auditCount(t)

	p, err := f.store.CreateParty(f.as("secretariat"), followup.Party{Code: " at ", NameEN: " Austria ", NameFR: "Autriche", JoinedOn: date("2011-08-01")})
	must(t, err)
	if p.Code != "AT" || p.NameEN != "Austria" || p.NameFR != "Autriche" || p.JoinedOn.String() != "2011-08-01" {
		t.Fatalf("CreateParty returned %+v", p)
	}
	for _, code := range []string{"AT", "at", "At", " aT"} {
		got, err := f.store.FindParty(f.as("anon"), code)
		must(t, err)
		if got != p {
			t.Fatalf("FindParty(%q) = %+v, want %+v", code, got, p)
		}
	}
	if got := f.count(t, `SELECT count(*) FROM parties WHERE code = 'AT'`); got != 1 {
		t.Fatalf("rows for AT = %d, want 1", got)
	}
	if got := f.auditCount(t); got != audits+1 {
		t.Fatalf("audit entries = %d, want %d", got, audits+1)
	}
	e := f.lastAudit(t)
	if e.Action != "party.create" || e.Entity != "party" || e.EntityKey != "AT" || e.Actor != "secretariat@coe.test" {
		t.Fatalf("audit entry = %+v", e)
	}

	list, err := f.store.ListParties(f.as("anon"))
	must(t, err)
	var codes []string
	for _, p := range list {
		codes = append(codes, p.Code)
	}
	wantStrings(t, "ListParties codes", codes, []string{"AT", "DE", "FR", "HU", "IT"})

	_, err = f.store.FindParty(f.as("anon"), "ZZ")
	wantErr(t, err, followup.ENotFound, "")
	_, err = f.store.FindParty(f.as("anon"), "not-a-code")
	wantErr(t, err, followup.ENotFound, "")
}

func TestCreatePartyRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	good := followup.Party{Code: "AT", NameEN: "Austria", NameFR: "Autriche"}
	for _, tc := range []struct {
		name  string
		who   string
		p     followup.Party
		code  string
		field string
	}{
		{"duplicate", "secretariat", followup.Party{Code: "FR", NameEN: "France", NameFR: "France"}, followup.EConflict, ""},
		{"duplicate lower case", "admin", followup.Party{Code: "fr", NameEN: "France", NameFR: "France"}, followup.EConflict, ""},
		{"code with a digit", "secretariat", followup.Party{Code: "F1", NameEN: "X", NameFR: "X"}, followup.EInvalid, "code"},
		{"three-letter code", "secretariat", followup.Party{Code: "AUT", NameEN: "Austria", NameFR: "Autriche"}, followup.EInvalid, "code"},
		{"empty code", "secretariat", followup.Party{NameEN: "Austria", NameFR: "Autriche"}, followup.EInvalid, "code"},
		{"no English name", "secretariat", followup.Party{Code: "AT", NameEN: "  ", NameFR: "Autriche"}, followup.EInvalid, "name_en"},
		{"no French name", "secretariat", followup.Party{Code: "AT", NameEN: "Austria"}, followup.EInvalid, "name_fr"},
		{"rapporteur", "rapporteur", good, followup.EForbidden, ""},
		{"party user", "fr", good, followup.EForbidden, ""},
		{"anonymous", "anon", good, followup.EUnauthorized, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump(t)
			_, err := f.store.CreateParty(f.as(tc.who), tc.p)
			wantErr(t, err, tc.code, tc.field)
			f.unchanged(t, before)
			list, err := f.store.ListParties(f.as("anon"))
			must(t, err)
			if len(list) != 4 {
				t.Fatalf("ListParties has %d Parties, want the fixture's 4", len(list))
			}
		})
	}
}
