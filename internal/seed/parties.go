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
}

// partyTable holds the 48 Parties: the 46 member States of the Council of Europe, the Russian
// Federation and Tunisia. The code is ISO 3166-1 alpha-2 ("NO" is Norway).
var partyTable = []partyRow{
	{"AL", "Albania", "Albanie", "", true},
	{"AD", "Andorra", "Andorre", "", true},
	{"AM", "Armenia", "Arménie", "2021-01-01", false},
	{"AT", "Austria", "Autriche", "", true},
	{"AZ", "Azerbaijan", "Azerbaïdjan", "2020-04-01", false},
	{"BE", "Belgium", "Belgique", "", true},
	{"BA", "Bosnia and Herzegovina", "Bosnie-Herzégovine", "", true},
	{"BG", "Bulgaria", "Bulgarie", "", true},
	{"HR", "Croatia", "Croatie", "", true},
	{"CY", "Cyprus", "Chypre", "", true},
	{"CZ", "Czech Republic", "République tchèque", "", true},
	{"DK", "Denmark", "Danemark", "", true},
	{"EE", "Estonia", "Estonie", "", false},
	{"FI", "Finland", "Finlande", "", true},
	{"FR", "France", "France", "", true},
	{"GE", "Georgia", "Géorgie", "", true},
	{"DE", "Germany", "Allemagne", "", true},
	{"GR", "Greece", "Grèce", "", true},
	{"HU", "Hungary", "Hongrie", "2015-12-01", true},
	{"IS", "Iceland", "Islande", "", true},
	{"IE", "Ireland", "Irlande", "2021-04-01", false},
	{"IT", "Italy", "Italie", "", true},
	{"LV", "Latvia", "Lettonie", "", true},
	{"LI", "Liechtenstein", "Liechtenstein", "", true},
	{"LT", "Lithuania", "Lituanie", "", true},
	{"LU", "Luxembourg", "Luxembourg", "", true},
	{"MT", "Malta", "Malte", "", true},
	{"MD", "Republic of Moldova", "République de Moldova", "", true},
	{"MC", "Monaco", "Monaco", "", true},
	{"ME", "Montenegro", "Monténégro", "", true},
	{"NL", "Netherlands", "Pays-Bas", "", true},
	{"MK", "North Macedonia", "Macédoine du Nord", "", true},
	{"NO", "Norway", "Norvège", "", false},
	{"PL", "Poland", "Pologne", "", true},
	{"PT", "Portugal", "Portugal", "", true},
	{"RO", "Romania", "Roumanie", "", true},
	{"RU", "Russian Federation", "Fédération de Russie", "", true},
	{"SM", "San Marino", "Saint-Marin", "", true},
	{"RS", "Serbia", "Serbie", "", true},
	{"SK", "Slovak Republic", "République slovaque", "", true},
	{"SI", "Slovenia", "Slovénie", "", true},
	{"ES", "Spain", "Espagne", "", true},
	{"SE", "Sweden", "Suède", "", true},
	{"CH", "Switzerland", "Suisse", "", true},
	{"TN", "Tunisia", "Tunisie", "2020-02-01", false},
	{"TR", "Türkiye", "Türkiye", "", true},
	{"UA", "Ukraine", "Ukraine", "", true},
	{"GB", "United Kingdom", "Royaume-Uni", "", false},
}

// party returns the row as a domain Party.
func (r partyRow) party() followup.Party {
	p := followup.Party{Code: r.code, NameEN: r.nameEN, NameFR: r.nameFR}
	if r.joinedOn != "" {
		p.JoinedOn = followup.MustDate(r.joinedOn)
	}
	return p
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
