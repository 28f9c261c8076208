package export

import (
	"io"

	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
)

// book is an excelize workbook with the styles the exports use.
type book struct {
	f      *excelize.File
	lang   string
	draft  bool
	banner string // the text of every sheet's first row
	err    error

	bannerStyle, headerStyle, sectionStyle, textStyle, wrapStyle, pctStyle, intStyle, dateStyle, keyStyle int
	statusStyle, statusHeader                                                                             map[string]int
}

func newBook(lang string, draft bool, banner, title string) *book {
	b := &book{f: excelize.NewFile(), lang: lang, draft: draft, banner: banner, statusStyle: map[string]int{}, statusHeader: map[string]int{}}
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	bannerStyle := &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12},
		Alignment: &excelize.Alignment{Vertical: "center"}}
	if draft {
		bannerStyle = &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: "FFFFFF"},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C00000"}},
			Alignment: &excelize.Alignment{Vertical: "center"}}
	}
	b.bannerStyle = b.style(bannerStyle)
	b.headerStyle = b.style(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: border})
	b.sectionStyle = b.style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	b.keyStyle = b.style(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}})
	b.textStyle = b.style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top"}})
	b.wrapStyle = b.style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	b.pctStyle = b.style(&excelize.Style{Border: border, NumFmt: 9, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "top"}})
	b.intStyle = b.style(&excelize.Style{Border: border, NumFmt: 1, Alignment: &excelize.Alignment{Vertical: "top"}})
	dateFmt := "yyyy-mm-dd"
	b.dateStyle = b.style(&excelize.Style{Border: border, CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}})
	for _, s := range statusStyles {
		b.statusStyle[s.key] = b.style(&excelize.Style{Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{s.fill}},
			Alignment: &excelize.Alignment{Vertical: "top"}})
		b.statusHeader[s.key] = b.style(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{s.fill}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	}
	b.check(b.f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "Follow-up Tracker", Language: lang}))
	return b
}

func (b *book) check(err error) {
	if err != nil && b.err == nil {
		b.err = err
	}
}

func (b *book) style(s *excelize.Style) int {
	id, err := b.f.NewStyle(s)
	b.check(err)
	return id
}

func cellName(col, row int) string {
	n, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return "A1"
	}
	return n
}

func colName(col int) string {
	n, err := excelize.ColumnNumberToName(col)
	if err != nil {
		return "A"
	}
	return n
}

// sheet adds a sheet (the first one renames the default sheet) and writes the banner in A1,
// merged over width columns: the title and "as of" date, or the DRAFT mark on a red fill.
func (b *book) sheet(name string, width int) string {
	if list := b.f.GetSheetList(); len(list) == 1 && list[0] == "Sheet1" {
		b.check(b.f.SetSheetName("Sheet1", name))
	} else {
		_, err := b.f.NewSheet(name)
		b.check(err)
	}
	if width < 1 {
		width = 1
	}
	b.set(name, 1, 1, b.banner, b.bannerStyle)
	if width > 1 {
		b.check(b.f.MergeCell(name, "A1", cellName(width, 1)))
		b.check(b.f.SetCellStyle(name, "A1", cellName(width, 1), b.bannerStyle))
	}
	b.check(b.f.SetRowHeight(name, 1, 24))
	return name
}

func (b *book) set(sheet string, col, row int, v any, style int) {
	cell := cellName(col, row)
	b.check(b.f.SetCellValue(sheet, cell, v))
	if style != 0 {
		b.check(b.f.SetCellStyle(sheet, cell, cell, style))
	}
}

func (b *book) date(sheet string, col, row int, d followup.Date) {
	if d.IsZero() {
		b.set(sheet, col, row, "", b.textStyle)
		return
	}
	b.set(sheet, col, row, d.Time(), b.dateStyle)
}

func (b *book) status(sheet string, col, row int, s *followup.Status) {
	b.set(sheet, col, row, statusWithSymbol(b.lang, s), b.statusStyle[statusKey(s)])
}

func (b *book) header(sheet string, row int, titles ...string) {
	for i, t := range titles {
		b.set(sheet, i+1, row, t, b.headerStyle)
	}
}

func (b *book) widths(sheet string, widths ...float64) {
	for i, w := range widths {
		c := colName(i + 1)
		b.check(b.f.SetColWidth(sheet, c, c, w))
	}
}

// freeze freezes the rows above row and the columns before col (1-based: col 2 freezes A).
func (b *book) freeze(sheet string, col, row int) {
	b.check(b.f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: col - 1, YSplit: row - 1,
		TopLeftCell: cellName(col, row), ActivePane: activePane(col, row)}))
}

func activePane(col, row int) string {
	switch {
	case col > 1 && row > 1:
		return "bottomRight"
	case col > 1:
		return "topRight"
	}
	return "bottomLeft"
}

func (b *book) autofilter(sheet string, headerRow, lastCol, lastRow int) {
	if lastRow <= headerRow {
		lastRow = headerRow + 1
	}
	b.check(b.f.AutoFilter(sheet, cellName(1, headerRow)+":"+cellName(lastCol, lastRow), nil))
}

// tallyTable writes a summary section from row: a title, a header (name and detail are the
// titles of the first two columns) and one line per tallyRow (name, detail, score as a
// percentage, its base — the follow-ups it is computed from —, the six counts, total). It
// returns the next free row.
func (b *book) tallyTable(sheet string, row int, title, name, detail string, rows []tallyRow) int {
	b.set(sheet, 1, row, title, b.sectionStyle)
	row++
	titles := []string{name, detail, tr(b.lang, "export.col.score"), tr(b.lang, "export.col.scored")}
	for _, k := range followup.CountKeys {
		titles = append(titles, styleOf(k).symbol+" "+tr(b.lang, "status."+k))
	}
	titles = append(titles, tr(b.lang, "export.col.total"))
	b.header(sheet, row, titles...)
	const firstCount = 5
	for i, k := range followup.CountKeys {
		b.set(sheet, firstCount+i, row, titles[firstCount-1+i], b.statusHeader[k])
	}
	row++
	for _, r := range rows {
		b.set(sheet, 1, row, r.name, b.textStyle)
		b.set(sheet, 2, row, r.detail, b.textStyle)
		if r.tally.Score != nil {
			b.set(sheet, 3, row, *r.tally.Score, b.pctStyle)
		} else {
			b.set(sheet, 3, row, "—", b.pctStyle)
		}
		b.set(sheet, 4, row, r.tally.Scored, b.intStyle)
		for i, k := range followup.CountKeys {
			b.set(sheet, firstCount+i, row, r.tally.Counts[k], b.intStyle)
		}
		b.set(sheet, firstCount+len(followup.CountKeys), row, r.tally.Total, b.intStyle)
		row++
	}
	return row + 1
}

// legend writes the status legend from row: symbol and name on the status's fill.
func (b *book) legend(sheet string, row int) int {
	b.set(sheet, 1, row, tr(b.lang, "export.section.legend"), b.sectionStyle)
	row++
	for _, s := range statusStyles {
		b.set(sheet, 1, row, s.symbol+" "+tr(b.lang, "status."+s.key), b.statusStyle[s.key])
		row++
	}
	b.set(sheet, 1, row, tr(b.lang, "export.score_note"), 0)
	return row + 2
}

func (b *book) metadata(sheet string, pairs [][2]string) {
	for i, p := range pairs {
		b.set(sheet, 1, i+2, p[0], b.keyStyle)
		b.set(sheet, 2, i+2, p[1], 0)
	}
	b.widths(sheet, 28, 80)
	b.freeze(sheet, 1, 2)
}

func (b *book) write(w io.Writer) error {
	if b.err != nil {
		return b.err
	}
	b.f.SetActiveSheet(0)
	if err := b.f.Write(w); err != nil {
		return err
	}
	return b.f.Close()
}

func reportBanner(lang string, r followup.Report, asOf followup.Date, draft bool, selection string) string {
	s := tr(lang, "export.title.compliance") + " — " + reportTitle(lang, r) + " — " + tr(lang, "export.meta.as_of") + " " + asOf.String()
	if selection != "" {
		s += " — " + selection
	}
	if r.Fictional() {
		// First, so that a narrow column never hides it.
		s = tr(lang, "export.fictional") + " — " + s
	}
	if draft {
		return tr(lang, "export.draft_note") + " — " + s
	}
	return s
}

// ReportXLSX writes a report's compliance as a workbook with the sheets Summary, Matrix, By
// Party, By recommendation and Report (metadata), named in the chosen language. Every sheet
// opens with a banner row, which carries the DRAFT mark on the draft basis.
func ReportXLSX(w io.Writer, d followup.ReportExport) error {
	v := newReportView(d)
	l := v.lang
	c := d.Compliance
	b := newBook(l, v.draft, reportBanner(l, d.Report, c.AsOf, v.draft, selectionText(l, d)), reportTitle(l, d.Report))
	countCols := 5 + len(followup.CountKeys)

	// Summary.
	s := b.sheet(tr(l, "export.sheet.summary"), countCols)
	if note := selectionNote(l, d); note != "" {
		b.set(s, 1, 2, note, b.keyStyle)
	}
	row := 3
	row = b.tallyTable(s, row, tr(l, "export.section.overall"), "", "", v.overallRows(c))
	row = b.tallyTable(s, row, tr(l, "export.section.by_category"), tr(l, "export.col.category"), "", v.categoryRows(c))
	row = b.tallyTable(s, row, tr(l, "export.section.by_recommendation"), tr(l, "export.col.label"), tr(l, "export.col.category"), v.recommendationRows(c))
	row = b.tallyTable(s, row, tr(l, "export.section.by_party"), tr(l, "export.col.party"), tr(l, "export.col.party_code"), v.partyRows(c))
	b.legend(s, row)
	b.widths(s, 30, 16, 10, 10, 16, 16, 16, 16, 16, 16, 9)
	b.freeze(s, 1, 2)

	// Matrix: Parties (rows) × recommendations (columns).
	s = b.sheet(tr(l, "export.sheet.matrix"), len(v.recs)+1)
	b.header(s, 2, tr(l, "export.col.party"))
	for i, r := range v.recs {
		b.set(s, i+2, 2, r.label, b.headerStyle)
	}
	for pi, p := range v.parties {
		b.set(s, 1, pi+3, p.name, b.textStyle)
		for ri, r := range v.recs {
			if cell, ok := v.byKey[[2]string{p.code, r.label}]; ok {
				b.status(s, ri+2, pi+3, cell.Status)
			} else {
				b.set(s, ri+2, pi+3, "", b.textStyle)
			}
		}
	}
	b.widths(s, 30)
	if len(v.recs) > 0 {
		b.check(b.f.SetColWidth(s, colName(2), colName(len(v.recs)+1), 26))
	}
	b.freeze(s, 2, 3)
	b.autofilter(s, 2, len(v.recs)+1, len(v.parties)+2)

	// By Party and By recommendation: the follow-ups with their dates and comments, their
	// deadline and stage on the day.
	tidy := func(name string, cells []followup.ComplianceCell, partyFirst bool) {
		s := b.sheet(name, 9)
		last := []string{tr(l, "export.col.status"), tr(l, "export.col.adopted_on"), tr(l, "export.col.comment"),
			tr(l, "export.col.due_on"), tr(l, "export.col.state")}
		if partyFirst {
			b.header(s, 2, append([]string{tr(l, "export.col.party"), tr(l, "export.col.party_code"), tr(l, "export.col.label"),
				tr(l, "export.col.category")}, last...)...)
		} else {
			b.header(s, 2, append([]string{tr(l, "export.col.label"), tr(l, "export.col.category"), tr(l, "export.col.party"),
				tr(l, "export.col.party_code")}, last...)...)
		}
		for i, cell := range cells {
			r := i + 3
			party, code := partyName(l, d.Parties, cell.Party), cell.Party
			label, cat := cell.Label, categoryText(l, cell.Category)
			if partyFirst {
				b.set(s, 1, r, party, b.textStyle)
				b.set(s, 2, r, code, b.textStyle)
				b.set(s, 3, r, label, b.textStyle)
				b.set(s, 4, r, cat, b.textStyle)
			} else {
				b.set(s, 1, r, label, b.textStyle)
				b.set(s, 2, r, cat, b.textStyle)
				b.set(s, 3, r, party, b.textStyle)
				b.set(s, 4, r, code, b.textStyle)
			}
			b.status(s, 5, r, cell.Status)
			b.date(s, 6, r, cell.AdoptedOn)
			b.set(s, 7, r, localized(l, cell.Comment, cell.CommentFR), b.wrapStyle)
			due := cell.DueOn // the follow-up's deadline on the day, which may be its own
			if due.IsZero() {
				due = v.rec(cell.Label).dueOn
			}
			b.date(s, 8, r, due)
			b.set(s, 9, r, stateText(l, d.StateOf(cell)), b.textStyle)
		}
		if partyFirst {
			b.widths(s, 30, 8, 16, 14, 28, 13, 80, 13, 24)
			b.freeze(s, 2, 3)
		} else {
			b.widths(s, 16, 14, 30, 8, 28, 13, 80, 13, 24)
			b.freeze(s, 2, 3)
		}
		b.autofilter(s, 2, 9, len(cells)+2)
	}
	tidy(tr(l, "export.sheet.by_party"), v.cellsByParty(), true)
	tidy(tr(l, "export.sheet.by_recommendation"), v.cells, false)

	// Report: the metadata.
	s = b.sheet(tr(l, "export.sheet.report"), 2)
	r := d.Report
	b.metadata(s, [][2]string{
		{tr(l, "export.meta.title"), reportTitle(l, r)},
		{tr(l, "export.meta.slug"), r.Slug},
		{tr(l, "export.meta.doc_ref"), r.DocRef},
		{tr(l, "export.meta.kind"), kindText(l, r.Kind)},
		{tr(l, "export.meta.round"), localized(l, r.Round, r.RoundFR)},
		{tr(l, "export.meta.adopted_on"), r.AdoptedOn.String()},
		{tr(l, "export.meta.followup_due_on"), r.FollowupDueOn.String()},
		{tr(l, "export.meta.parties"), itoa(len(v.parties))},
		{tr(l, "export.meta.recommendations"), itoa(len(v.recs))},
		{tr(l, "export.meta.as_of"), c.AsOf.String()},
		{tr(l, "export.meta.basis"), basisText(l, v.draft)},
		{tr(l, "export.meta.selection"), selectionText(l, d)},
		{tr(l, "export.meta.generated_at"), generatedText(d.GeneratedAt)},
	})
	return b.write(w)
}

// DossierXLSX writes a Party's dossier as a workbook with the sheets Summary (overall, by
// report, by category), Follow-ups (one row per follow-up) and Party (metadata).
func DossierXLSX(w io.Writer, d followup.DossierExport) error {
	v := newDossierView(d)
	l := v.lang
	name := d.Party.Name(l)
	banner := tr(l, "export.title.dossier") + " — " + name + " — " + tr(l, "export.meta.as_of") + " " + d.AsOf.String()
	if v.draft {
		banner = tr(l, "export.draft_note") + " — " + banner
	}
	b := newBook(l, v.draft, banner, tr(l, "export.title.dossier")+" — "+name)
	countCols := 5 + len(followup.CountKeys)

	s := b.sheet(tr(l, "export.sheet.summary"), countCols)
	row := 3
	row = b.tallyTable(s, row, tr(l, "export.section.overall"), "", "", v.summaryRows())
	row = b.tallyTable(s, row, tr(l, "export.section.by_report"), tr(l, "export.col.report_title"), tr(l, "export.col.report"), v.reportRows(d.Reports))
	row = b.tallyTable(s, row, tr(l, "export.section.by_category"), tr(l, "export.col.category"), "", v.categoryRows())
	b.legend(s, row)
	b.widths(s, 50, 24, 10, 10, 16, 16, 16, 16, 16, 16, 9)
	b.freeze(s, 1, 2)

	s = b.sheet(tr(l, "export.sheet.follow_ups"), 13)
	b.header(s, 2, tr(l, "export.col.report"), tr(l, "export.col.report_title"), tr(l, "export.col.label"), tr(l, "export.col.category"),
		tr(l, "export.col.recommendation"), tr(l, "export.col.state"), tr(l, "export.col.status"), tr(l, "export.col.adopted_on"),
		tr(l, "export.col.due_on"), tr(l, "export.col.open"), tr(l, "export.col.overdue"), tr(l, "export.col.active"), tr(l, "export.col.comment"))
	for i, it := range v.items {
		r, fu := i+3, it.fu
		b.set(s, 1, r, fu.Report, b.textStyle)
		b.set(s, 2, r, reportTitle(l, it.report), b.wrapStyle)
		b.set(s, 3, r, fu.Label, b.textStyle)
		b.set(s, 4, r, categoryText(l, fu.Category), b.textStyle)
		b.set(s, 5, r, localized(l, it.rec.Text, it.rec.TextFR), b.wrapStyle)
		b.set(s, 6, r, stateText(l, fu.State), b.textStyle)
		b.status(s, 7, r, fu.Status)
		b.date(s, 8, r, it.adoptedOn)
		b.date(s, 9, r, fu.DueOn)
		b.set(s, 10, r, yesNo(l, fu.Open), b.textStyle)
		b.set(s, 11, r, yesNo(l, fu.Overdue), b.textStyle)
		b.set(s, 12, r, yesNo(l, fu.Active), b.textStyle)
		b.set(s, 13, r, it.comment, b.wrapStyle)
	}
	b.widths(s, 20, 36, 14, 12, 60, 20, 28, 13, 13, 8, 10, 8, 60)
	b.freeze(s, 4, 3)
	b.autofilter(s, 2, 13, len(v.items)+2)

	s = b.sheet(tr(l, "export.sheet.party"), 2)
	b.metadata(s, [][2]string{
		{tr(l, "export.meta.party_code"), d.Party.Code},
		{tr(l, "export.meta.name_en"), d.Party.NameEN},
		{tr(l, "export.meta.name_fr"), d.Party.NameFR},
		{tr(l, "export.meta.joined_on"), d.Party.JoinedOn.String()},
		{tr(l, "export.meta.follow_ups"), itoa(len(v.items))},
		{tr(l, "export.meta.as_of"), d.AsOf.String()},
		{tr(l, "export.meta.basis"), basisText(l, v.draft)},
		{tr(l, "export.meta.generated_at"), generatedText(d.GeneratedAt)},
	})
	return b.write(w)
}
