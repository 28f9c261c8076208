package seed

import "followup/internal/followup"

// partyRow is one State Party to the Lanzarote Convention (CETS No. 201) as given by the facts
// file shared/data/lanzarote-facts.yaml. joinedOn is the entry into force for the Party where the
// facts establish it, and "" where they do not (the Party is then stored with a zero JoinedOn;
// a deposit date alone is not an entry into force and is not used).
type partyRow struct {
	code, nameEN, nameFR string
	joinedOn             string
	refugeeRound         bool // covered by the urgent monitoring round on the refugee crisis
	round1               bool // covered by the first monitoring round (sexual abuse in the circle of trust)
}

// partyTable holds the 48 Parties: the 46 member States of the Council of Europe, the Russian
// Federation and Tunisia. The code is ISO 3166-1 alpha-2 ("NO" is Norway).
var partyTable = []partyRow{
	{"AL", "Albania", "Albanie", "", true, true},
	{"AD", "Andorra", "Andorre", "", true, false},
	{"AM", "Armenia", "Arménie", "2021-01-01", false, false},
	{"AT", "Austria", "Autriche", "", true, true},
	{"AZ", "Azerbaijan", "Azerbaïdjan", "2020-04-01", false, false},
	{"BE", "Belgium", "Belgique", "", true, true},
	{"BA", "Bosnia and Herzegovina", "Bosnie-Herzégovine", "", true, true},
	{"BG", "Bulgaria", "Bulgarie", "", true, true},
	{"HR", "Croatia", "Croatie", "", true, true},
	{"CY", "Cyprus", "Chypre", "", true, false},
	{"CZ", "Czech Republic", "République tchèque", "", true, false},
	{"DK", "Denmark", "Danemark", "", true, true},
	{"EE", "Estonia", "Estonie", "", false, false},
	{"FI", "Finland", "Finlande", "", true, true},
	{"FR", "France", "France", "", true, true},
	{"GE", "Georgia", "Géorgie", "", true, false},
	{"DE", "Germany", "Allemagne", "", true, false},
	{"GR", "Greece", "Grèce", "", true, true},
	{"HU", "Hungary", "Hongrie", "2015-12-01", true, false},
	{"IS", "Iceland", "Islande", "", true, true},
	{"IE", "Ireland", "Irlande", "2021-04-01", false, false},
	{"IT", "Italy", "Italie", "", true, true},
	{"LV", "Latvia", "Lettonie", "", true, false},
	{"LI", "Liechtenstein", "Liechtenstein", "", true, false},
	{"LT", "Lithuania", "Lituanie", "", true, true},
	{"LU", "Luxembourg", "Luxembourg", "", true, true},
	{"MT", "Malta", "Malte", "", true, true},
	{"MD", "Republic of Moldova", "République de Moldova", "", true, true},
	{"MC", "Monaco", "Monaco", "", true, false},
	{"ME", "Montenegro", "Monténégro", "", true, true},
	{"NL", "Netherlands", "Pays-Bas", "", true, true},
	{"MK", "North Macedonia", "Macédoine du Nord", "", true, true},
	{"NO", "Norway", "Norvège", "", false, false},
	{"PL", "Poland", "Pologne", "", true, false},
	{"PT", "Portugal", "Portugal", "", true, true},
	{"RO", "Romania", "Roumanie", "", true, true},
	{"RU", "Russian Federation", "Fédération de Russie", "", true, false},
	{"SM", "San Marino", "Saint-Marin", "", true, true},
	{"RS", "Serbia", "Serbie", "", true, true},
	{"SK", "Slovak Republic", "République slovaque", "", true, false},
	{"SI", "Slovenia", "Slovénie", "", true, false},
	{"ES", "Spain", "Espagne", "", true, true},
	{"SE", "Sweden", "Suède", "", true, false},
	{"CH", "Switzerland", "Suisse", "", true, false},
	{"TN", "Tunisia", "Tunisie", "2020-02-01", false, false},
	{"TR", "Türkiye", "Türkiye", "", true, true},
	{"UA", "Ukraine", "Ukraine", "", true, true},
	{"GB", "United Kingdom", "Royaume-Uni", "", false, false},
}

// party returns the row as a domain Party.
func (r partyRow) party() followup.Party {
	p := followup.Party{Code: r.code, NameEN: r.nameEN, NameFR: r.nameFR}
	if r.joinedOn != "" {
		p.JoinedOn = followup.MustDate(r.joinedOn)
	}
	return p
}

// round1Parties returns the codes of the 26 Parties covered by the first monitoring round, in
// table order.
func round1Parties() []string {
	var codes []string
	for _, r := range partyTable {
		if r.round1 {
			codes = append(codes, r.code)
		}
	}
	return codes
}

// refugeeRoundParties returns the codes of the 41 Parties covered by the urgent monitoring round
// on the refugee crisis, in table order.
func refugeeRoundParties() []string {
	var codes []string
	for _, r := range partyTable {
		if r.refugeeRound {
			codes = append(codes, r.code)
		}
	}
	return codes
}
