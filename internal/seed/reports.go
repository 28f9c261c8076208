package seed

import (
	"fmt"

	"followup/internal/followup"
)

// Slugs of the seeded real reports.
const (
	RefugeeReport       = "refugee-crisis-2017"
	TransitZonesReport  = "hungary-transit-zones-2018"
	CircleOfTrustReport = "round1-circle-of-trust"
	// CircleOfTrustStrategiesReport is the first round's second part (the strategies).
	CircleOfTrustStrategiesReport = "round1-circle-of-trust-strategies"
	ICTReport                     = "round2-ict"
)

// The labels of the five urge recommendations of the refugee-crisis report. The facts
// establish the topics of two of them and neither the labels nor the order the report gives
// any of them, so these labels are the tracker's own numbering, and the three whose topics are
// not established say so in their label.
const (
	labelUrgeScreening = "Urge 1 (screening)"
	labelUrgeFamily    = "Urge 2 (family reunification)"
	labelUrge3         = "Urge 3 (topic not established)"
	labelUrge4         = "Urge 4 (topic not established)"
	labelUrge5         = "Urge 5 (topic not established)"
)

// urgeLabels lists the refugee-crisis report's urge recommendations.
var urgeLabels = []string{labelUrgeScreening, labelUrgeFamily, labelUrge3, labelUrge4, labelUrge5}

const (
	roundRefugee   = "Urgent monitoring round: refugee crisis"
	roundRefugeeFR = "Cycle de suivi urgent : crise des réfugiés"
	roundFirst     = "First monitoring round: sexual abuse in the circle of trust"
	roundFirstFR   = "Premier cycle de suivi : abus sexuels dans le cercle de confiance"
	roundSecond    = "Second monitoring round: sexual exploitation and abuse facilitated by ICTs"
	roundSecondFR  = "Deuxième cycle de suivi : exploitation et abus sexuels facilités par les TIC"
)

// reportSeed is a report with the recommendations to create under it.
type reportSeed struct {
	input           followup.ReportInput
	recommendations []followup.RecommendationInput
}

// realReportSeeds returns the seeded reports of the Committee. Titles and texts are written
// for the tracker in English and French: a recommendation's text summarises the topic the facts
// establish ("Summary:" / "Résumé :"), never the report's wording. No deadline is recorded for
// any of them: the facts give when the follow-up took place, not the deadlines the Committee
// set, and an invented deadline would make real Parties appear overdue. Convention article
// numbers are not established for any recommendation, so Articles is left empty; the facts give
// no address of the documents, so URL is left empty too.
func realReportSeeds() []reportSeed {
	return []reportSeed{refugeeReportSeed(), transitZonesReportSeed(), circleOfTrustReportSeed(),
		circleOfTrustStrategiesReportSeed(), ictReportSeed()}
}

func refugeeReportSeed() reportSeed {
	const urgeSource = "Topic: the Committee's special report T-ES(2016)17 final. Outcomes: " + evaluation2019Source + "."
	const trackerLabel = "\n\nThe label is the tracker's: the report's own number for this recommendation is not established."
	const trackerLabelFR = "\n\nLe libellé est celui de l'outil de suivi : le numéro que le rapport donne à cette recommandation n'est pas établi."
	const notEstablished = "Summary: one of the five recommendations of the \"urge\" category; its topic is not established in the facts the tracker holds." +
		"\n\nThe label is the tracker's, not the report's. In its evaluation adopted on 6 June 2019 the Committee found every Party covered in compliance with this recommendation."
	const notEstablishedFR = "Résumé : l'une des cinq recommandations de la catégorie « exhorte » ; son sujet n'est pas établi dans les faits dont dispose l'outil de suivi." +
		"\n\nLe libellé est celui de l'outil de suivi, pas celui du rapport. Dans son évaluation adoptée le 6 juin 2019, le Comité a jugé toutes les Parties concernées en conformité avec cette recommandation."
	urge := func(label, text, textFR string) followup.RecommendationInput {
		return followup.RecommendationInput{Label: label, Category: followup.Urge, Text: text, TextFR: textFR, Source: urgeSource}
	}
	consider := func(label, topic, topicFR string) followup.RecommendationInput {
		cr := considerComplianceReports[label]
		text := "Summary: " + topic
		textFR := "Résumé : " + topicFR
		var source string
		switch {
		case cr.docRef != "":
			source = fmt.Sprintf("Special report T-ES(2016)17 final. Compliance report %s, considered at the Committee's %s; per-Party outcomes are not recorded in the tracker.", cr.docRef, cr.meetings)
			text += fmt.Sprintf("\n\nThe Committee's compliance report on this recommendation is %s (%s). It gives no per-Party grade that the tracker holds, so no outcome is recorded for any Party.", cr.docRef, cr.meetings)
			textFR += fmt.Sprintf("\n\nLe rapport de conformité du Comité sur cette recommandation est le %s. L'outil de suivi n'en tient aucune note par Partie : aucun résultat n'est enregistré.", cr.docRef)
		case cr.meetings != "":
			source = fmt.Sprintf("Special report T-ES(2016)17 final. Compliance report considered at the Committee's %s (reference not established); per-Party outcomes are not recorded in the tracker.", cr.meetings)
			text += fmt.Sprintf("\n\nThe Committee considered its compliance report on this recommendation at its %s. It gives no per-Party grade that the tracker holds, so no outcome is recorded for any Party.", cr.meetings)
			textFR += "\n\nLe Comité a examiné son rapport de conformité sur cette recommandation en octobre 2021. L'outil de suivi n'en tient aucune note par Partie : aucun résultat n'est enregistré."
		default:
			source = "Special report T-ES(2016)17 final. One of the ten compliance reports on the consider recommendations published in 2022 (reference not established); per-Party outcomes are not recorded in the tracker."
			text += "\n\nIts compliance report is one of the ten the Committee published in 2022 on the consider recommendations; its reference is not established here, and no outcome is recorded for any Party."
			textFR += "\n\nSon rapport de conformité est l'un des dix que le Comité a publiés en 2022 sur les recommandations « considère » ; sa référence n'est pas établie ici et aucun résultat n'est enregistré."
		}
		return followup.RecommendationInput{Label: label, Category: followup.Consider, Text: text, TextFR: textFR, Source: source}
	}
	return reportSeed{
		input: followup.ReportInput{
			Slug:      RefugeeReport,
			Title:     "Children caught up in the refugee crisis: keeping them safe from sexual exploitation and sexual abuse",
			TitleFR:   "Les enfants pris dans la crise des réfugiés : les protéger de l'exploitation et des abus sexuels",
			Kind:      followup.SpecialReport,
			Round:     roundRefugee,
			RoundFR:   roundRefugeeFR,
			DocRef:    "T-ES(2016)17 final",
			Source:    "The Committee's special report T-ES(2016)17 final (adopted 3 March 2017) and its follow-up: urge recommendations evaluated in 2019, consider recommendations in compliance reports of 2021-2022. The remaining recommendations (category invite, number not established) and the deadlines are not recorded.",
			AdoptedOn: followup.MustDate("2017-03-03"),
			Parties:   refugeeRoundParties(),
		},
		recommendations: []followup.RecommendationInput{
			urge(labelUrgeScreening,
				"Summary: background checks (screening) of the people who are in regular contact with children affected by the refugee crisis."+trackerLabel,
				"Résumé : vérification des antécédents des personnes en contact régulier avec des enfants touchés par la crise des réfugiés."+trackerLabelFR),
			urge(labelUrgeFamily,
				"Summary: safeguards against the abuse or exploitation of children in the course of family reunification."+trackerLabel+
					"\n\nIn its evaluation adopted on 6 June 2019 the Committee found North Macedonia and the Republic of Moldova not yet in compliance, without a grade that the tracker holds: no assessment is recorded for these two Parties, whose follow-up shows no adopted status.",
				"Résumé : garanties contre les abus ou l'exploitation d'enfants lors du regroupement familial."+trackerLabelFR+
					"\n\nDans son évaluation adoptée le 6 juin 2019, le Comité a jugé que la Macédoine du Nord et la République de Moldova n'étaient pas encore en conformité, sans note que l'outil de suivi détienne : aucune évaluation n'est enregistrée pour ces deux Parties, dont le suivi n'a pas de statut adopté."),
			urge(labelUrge3, notEstablished, notEstablishedFR),
			urge(labelUrge4, notEstablished, notEstablishedFR),
			urge(labelUrge5, notEstablished, notEstablishedFR),
			consider("R7", "mechanisms for collecting data on children affected by the refugee crisis.",
				"mécanismes de collecte de données sur les enfants touchés par la crise des réfugiés."),
			consider("R11", "protection of the children affected by the crisis who become victims of sexual exploitation or abuse.",
				"protection des enfants touchés par la crise qui sont victimes d'exploitation ou d'abus sexuels."),
			consider("R12", "the topic of this recommendation is not established in the facts the tracker holds.",
				"le sujet de cette recommandation n'est pas établi dans les faits dont dispose l'outil de suivi."),
			consider("R13", "co-ordination and collaboration among the different actors who deal with children affected by the crisis.",
				"coordination et collaboration entre les différents acteurs qui s'occupent des enfants touchés par la crise."),
			consider("R15", "the information and advice given to children affected by the crisis.",
				"informations et conseils donnés aux enfants touchés par la crise."),
			consider("R17", "exchange of information about awareness-raising.",
				"échange d'informations sur la sensibilisation."),
			consider("R31", "proceedings adapted to children (child-friendly proceedings).",
				"procédures adaptées aux enfants."),
			consider("R32", "helplines for child victims.",
				"lignes d'assistance pour les enfants victimes."),
			consider("R35", "co-operation across borders on missing children.",
				"coopération transfrontalière au sujet des enfants disparus."),
			consider("R37", "a co-ordinated approach among the agencies responsible for these children.",
				"approche coordonnée entre les services responsables de ces enfants."),
		},
	}
}

// transitZonesReportSeed: the facts list the subjects Hungary's follow-up covered in 2019 but
// neither the number, the labels nor the categories of the report's recommendations, and the
// Committee stated the 2019 outcome as a narrative without a grade. A recommendation cannot be
// recorded without a category, so the report is seeded without recommendations and its source
// says what was followed up.
func transitZonesReportSeed() reportSeed {
	return reportSeed{input: followup.ReportInput{
		Slug:    TransitZonesReport,
		Title:   "Visit to the Röszke and Tompa transit zones on the Serbian–Hungarian border (5-7 July 2017)",
		TitleFR: "Visite des zones de transit de Röszke et de Tompa à la frontière serbo-hongroise (5-7 juillet 2017)",
		Kind:    followup.VisitReport,
		Round:   roundRefugee,
		RoundFR: roundRefugeeFR,
		DocRef:  "T-ES(2017)11 final",
		Source: "Report T-ES(2017)11 final. Its recommendations are not recorded: their number, labels and categories are not established. " +
			"Followed up in 2019: NGO access, age assessment, children of 14-18 treated as adults, conditions in the zones, care of unaccompanied children, " +
			"housing after a children's home closes. The outcome was stated without a grade: no status is recorded.",
		AdoptedOn: followup.MustDate("2018-01-30"),
		Parties:   []string{"HU"},
	}}
}

// circleOfTrustReportSeed is the first monitoring round's first implementation report (the
// legal framework, adopted 2015-12-04; its document reference is not established) with the
// four recommendations of the Secretariat's follow-up table T-ES(2016)07.
func circleOfTrustReportSeed() reportSeed {
	const source = "The Secretariat's follow-up table T-ES(2016)07 (22 March 2016) on the first implementation report."
	rec := func(label string, cat followup.Category, to []string, text, textFR string) followup.RecommendationInput {
		return followup.RecommendationInput{Label: label, Category: cat, AddressedTo: to, Text: text, TextFR: textFR, Source: source}
	}
	return reportSeed{
		input: followup.ReportInput{
			Slug:    CircleOfTrustReport,
			Title:   "Protecting children against sexual abuse in the circle of trust: the legal framework",
			TitleFR: "Protéger les enfants contre les abus sexuels dans le cercle de confiance : le cadre juridique",
			Kind:    followup.ImplementationReport,
			Round:   roundFirst,
			RoundFR: roundFirstFR,
			Source: "The first implementation report of the first monitoring round (the framework, adopted 4 December 2015; document reference not established). " +
				"Recommendations R1-R4 as listed in the Secretariat's follow-up table T-ES(2016)07; the report's other recommendations, outcomes and deadlines are not recorded.",
			AdoptedOn: followup.MustDate("2015-12-04"),
			Parties:   round1Parties(),
		},
		recommendations: []followup.RecommendationInput{
			rec("R1", followup.Urge, nil,
				"Summary: review the legislation so that children are protected wherever abuse is made of a recognised position of influence over them.",
				"Résumé : revoir la législation afin que les enfants soient protégés chaque fois qu'il est abusé d'une position d'influence reconnue sur eux."),
			rec("R2", followup.Urge, []string{"BE", "LU"},
				"Summary: make sexual abuse within the circle of trust an offence in its own right, not only a circumstance that aggravates another offence.",
				"Résumé : faire des abus sexuels dans le cercle de confiance une infraction à part entière, et non seulement une circonstance aggravante."),
			rec("R3", followup.Invite, nil,
				"Summary: refer plainly to the abuse of a recognised position of trust, authority or influence, without relying on fixed lists of persons.",
				"Résumé : viser clairement l'abus d'une position reconnue de confiance, d'autorité ou d'influence, sans listes figées de personnes."),
			rec("R4", followup.Invite, nil,
				"Summary: cover the notion of the circle of trust, including the extended family, new partners and care-takers.",
				"Résumé : couvrir la notion de cercle de confiance, y compris la famille élargie, les nouveaux partenaires et les personnes qui s'occupent de l'enfant."),
		},
	}
}

// circleOfTrustStrategiesReportSeed is the first round's second implementation report (the
// strategies). The facts give its date and reference but none of its recommendations.
func circleOfTrustStrategiesReportSeed() reportSeed {
	return reportSeed{input: followup.ReportInput{
		Slug:      CircleOfTrustStrategiesReport,
		Title:     "Protecting children against sexual abuse in the circle of trust: the strategies",
		TitleFR:   "Protéger les enfants contre les abus sexuels dans le cercle de confiance : les stratégies",
		Kind:      followup.ImplementationReport,
		Round:     roundFirst,
		RoundFR:   roundFirstFR,
		DocRef:    "T-ES(2017)12 final",
		Source:    "The second implementation report of the first monitoring round (the strategies, adopted 31 January 2018). Its recommendations are not recorded: they are not established in the facts the tracker holds.",
		AdoptedOn: followup.MustDate("2018-01-31"),
		Parties:   round1Parties(),
	}}
}

// ictReportSeed is the second monitoring round's implementation report. The facts give its
// label format (chapter in Roman numerals, a hyphen and a number, e.g. IV-3) and its chapters,
// but no recommendation text, and that 43 Parties were monitored without saying which: the
// report is recorded without recommendations and with the default coverage (the Parties that
// had joined by its adoption), which its source says.
func ictReportSeed() reportSeed {
	return reportSeed{input: followup.ReportInput{
		Slug:    ICTReport,
		Title:   "Protecting children against sexual exploitation and abuse facilitated by information and communication technologies: self-generated sexual images and videos",
		TitleFR: "Protéger les enfants contre l'exploitation et les abus sexuels facilités par les technologies de l'information et de la communication : images et vidéos sexuelles autoproduites",
		Kind:    followup.ImplementationReport,
		Round:   roundSecond,
		RoundFR: roundSecondFR,
		DocRef:  "T-ES(2022)02",
		Source: "Implementation report T-ES(2022)02 (adopted 10 March 2022), which monitored 43 Parties; which ones is not established, so the Parties shown are those that had joined by then. " +
			"Its recommendations are labelled by chapter (I to X) and number, e.g. IV-3 in chapter IV (international co-operation); their texts are not recorded.",
		AdoptedOn: followup.MustDate("2022-03-10"),
	}}
}
