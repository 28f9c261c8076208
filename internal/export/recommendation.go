package export

import (
	"io"
	"strconv"
	"strings"

	"followup/internal/followup"
	"followup/internal/i18n"
)

// The compliance report on one recommendation: the Committee's document of the compliance
// procedure on a recommendation covering every Party it is addressed to (for the "consider"
// recommendations, one such report each). It gives the recommendation, the dates, the Parties
// grouped by status, and each Party's status with the rapporteur's comment; on the draft basis
// (the committee's working copy) it is marked DRAFT throughout.

// recommendationView is what both formats show, in the chosen language.
type recommendationView struct {
	lang, title, reportTitle, text string
	draft, fictional               bool
	cells                          []followup.ComplianceCell // by Party name
	groups                         []statusGroupView
}

type statusGroupView struct {
	key     string
	parties []string // names
}

func newRecommendationView(d followup.RecommendationExport) recommendationView {
	l := normLang(d.Lang)
	r, rec := d.Report, d.Recommendation
	v := recommendationView{lang: l, draft: d.Draft(), fictional: r.Fictional(), reportTitle: reportTitle(l, r),
		text: localized(l, rec.Text, rec.TextFR), title: tr(l, "export.title.recommendation", rec.Label)}
	v.cells = append([]followup.ComplianceCell(nil), d.Cells...)
	name := func(c followup.ComplianceCell) string { return partyName(l, d.Parties, c.Party) }
	i18n.SortByName(l, v.cells, name)
	for _, g := range d.ByStatus() {
		names := make([]string, len(g.Parties))
		for i, p := range g.Parties {
			names[i] = partyName(l, d.Parties, p)
		}
		i18n.SortByName(l, names, func(s string) string { return s })
		v.groups = append(v.groups, statusGroupView{key: g.Status, parties: names})
	}
	return v
}

func (v recommendationView) metadata(d followup.RecommendationExport) [][2]string {
	l, r, rec := v.lang, d.Report, d.Recommendation
	report := v.reportTitle
	if r.DocRef != "" {
		report += " (" + r.DocRef + ")"
	}
	return [][2]string{
		{tr(l, "export.meta.report"), report},
		{tr(l, "export.meta.adopted_on"), r.AdoptedOn.String()},
		{tr(l, "export.meta.label"), rec.Label},
		{tr(l, "export.meta.category"), categoryText(l, rec.Category)},
		{tr(l, "export.meta.articles"), strings.Join(rec.Articles, ", ")},
		{tr(l, "export.meta.due_on"), rec.EffectiveDueOn.String()},
		{tr(l, "export.meta.parties"), strconv.Itoa(len(d.Cells))},
		{tr(l, "export.meta.score"), percent(l, d.Tally.Score)},
		{tr(l, "export.meta.as_of"), d.AsOf.String()},
		{tr(l, "export.meta.basis"), basisText(l, v.draft)},
		{tr(l, "export.meta.generated_at"), generatedText(d.GeneratedAt)},
	}
}

// RecommendationPDF writes the compliance report on a recommendation as an A4 PDF.
func RecommendationPDF(w io.Writer, d followup.RecommendationExport) error {
	v := newRecommendationView(d)
	l := v.lang
	head := v.title + " — " + v.reportTitle
	if v.fictional {
		// The running head is cut to fit its line: the mark goes first.
		head = tr(l, "export.fictional") + " — " + head
	}
	p := newPDF(l, v.title+" — "+v.reportTitle, head, d.AsOf, v.draft, d.GeneratedAt)
	p.addPage("P")
	p.font(false, 10)
	p.color(colMuted)
	p.pdf.CellFormat(p.pageWidth(), 6, p.fit(v.reportTitle, p.pageWidth()), "", 1, "L", false, 0, "")
	p.font(true, 16)
	p.color(colText)
	p.pdf.MultiCell(p.pageWidth(), 7.5, clean(v.title), "", "L", false)
	if v.fictional {
		p.paragraph(tr(l, "export.fictional"), 9, colDraft)
	}
	p.pdf.Ln(2)
	p.keyValues(v.metadata(d))
	p.draftBox()

	p.heading(tr(l, "export.section.recommendation"), 12)
	p.paragraph(v.text, 9.5, colText)
	p.pdf.Ln(2)
	p.legend(7.5, false)
	p.tallyTable(tr(l, "export.col.label"), tr(l, "export.col.category"), []tallyRow{{name: d.Recommendation.Label, detail: categoryText(l, d.Recommendation.Category), tally: &d.Tally}})

	p.heading(tr(l, "export.section.by_status"), 14)
	var rows [][]pcell
	for _, g := range v.groups {
		s := styleOf(g.key)
		rows = append(rows, []pcell{
			{text: s.symbol + " " + tr(l, "status."+g.key), fill: s.fill, bold: true},
			{text: strconv.Itoa(len(g.parties))},
			{text: strings.Join(g.parties, ", ")},
		})
	}
	if len(rows) == 0 {
		p.paragraph(tr(l, "export.none"), 9, colMuted)
	} else {
		p.table([]pcol{{title: tr(l, "export.col.status"), w: 45}, {title: tr(l, "export.col.count"), w: 16, align: "R"},
			{title: tr(l, "export.col.parties"), w: p.pageWidth() - 61}}, rows, 8)
	}

	p.heading(tr(l, "export.section.parties"), 14)
	rows = nil
	for _, c := range v.cells {
		rows = append(rows, []pcell{
			{text: partyName(l, d.Parties, c.Party)},
			{text: statusWithSymbol(l, c.Status), fill: styleOf(statusKey(c.Status)).fill},
			{text: c.AdoptedOn.String()},
			{text: truncateRunes(localized(l, c.Comment, c.CommentFR), 4000)},
		})
	}
	p.table([]pcol{{title: tr(l, "export.col.party"), w: 42}, {title: tr(l, "export.col.status"), w: 40},
		{title: tr(l, "export.col.adopted_on"), w: 20}, {title: tr(l, "export.col.comment"), w: p.pageWidth() - 102}}, rows, 8)
	return p.output(w)
}

// RecommendationXLSX writes the compliance report on a recommendation as a workbook: the
// recommendation with its dates, each Party's status and comment, and the Parties by status.
func RecommendationXLSX(w io.Writer, d followup.RecommendationExport) error {
	v := newRecommendationView(d)
	l := v.lang
	banner := v.title + " — " + v.reportTitle + " — " + tr(l, "export.meta.as_of") + " " + d.AsOf.String()
	if v.fictional {
		banner = tr(l, "export.fictional") + " — " + banner
	}
	if v.draft {
		banner = tr(l, "export.draft_note") + " — " + banner
	}
	b := newBook(l, v.draft, banner, v.title)

	s := b.sheet(tr(l, "export.sheet.recommendation"), 2)
	pairs := append(v.metadata(d), [2]string{tr(l, "export.section.recommendation"), v.text})
	b.metadata(s, pairs)
	b.check(b.f.SetCellStyle(s, cellName(2, len(pairs)+1), cellName(2, len(pairs)+1), b.wrapStyle))

	s = b.sheet(tr(l, "export.sheet.parties"), 5)
	b.header(s, 2, tr(l, "export.col.party"), tr(l, "export.col.party_code"), tr(l, "export.col.status"), tr(l, "export.col.adopted_on"), tr(l, "export.col.comment"))
	for i, c := range v.cells {
		r := i + 3
		b.set(s, 1, r, partyName(l, d.Parties, c.Party), b.textStyle)
		b.set(s, 2, r, c.Party, b.textStyle)
		b.status(s, 3, r, c.Status)
		b.date(s, 4, r, c.AdoptedOn)
		b.set(s, 5, r, localized(l, c.Comment, c.CommentFR), b.wrapStyle)
	}
	b.widths(s, 30, 8, 28, 13, 90)
	b.freeze(s, 2, 3)
	b.autofilter(s, 2, 5, len(v.cells)+2)

	s = b.sheet(tr(l, "export.sheet.by_status"), 3)
	b.header(s, 2, tr(l, "export.col.status"), tr(l, "export.col.count"), tr(l, "export.col.parties"))
	for i, g := range v.groups {
		r := i + 3
		b.set(s, 1, r, styleOf(g.key).symbol+" "+tr(l, "status."+g.key), b.statusStyle[g.key])
		b.set(s, 2, r, len(g.parties), b.intStyle)
		b.set(s, 3, r, strings.Join(g.parties, ", "), b.wrapStyle)
	}
	b.widths(s, 28, 10, 90)
	b.freeze(s, 1, 3)
	return b.write(w)
}
