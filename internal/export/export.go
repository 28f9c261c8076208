// Package export writes a report's compliance summary and a Party's dossier as CSV, XLSX, PDF
// and JSON. The encoders are pure: they take data the caller has already read (with the
// caller's access rules applied: the caller decides the basis, and so whether drafts show) and
// write to an io.Writer. Every export comes in English or French; a draft basis is marked
// DRAFT on every page, sheet and row.
package export

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"followup/internal/followup"
	"followup/internal/i18n"
)

// dossierBasis is the basis of a dossier export.
func dossierBasis(d followup.DossierExport) followup.Basis {
	if d.Draft {
		return followup.BasisDraft
	}
	return followup.BasisAdopted
}

// SafeCell neutralises a spreadsheet cell against formula injection: a value starting with
// =, +, -, @, a tab or a carriage return gets a leading single quote, so that a spreadsheet
// program opening the CSV shows it as text instead of evaluating it. Other values are returned
// unchanged.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// normLang returns "fr" for French and "en" for anything else.
func normLang(lang string) string { return i18n.Lang(lang) }

// statusStyle is how a status is shown: a symbol, so that it never rests on colour alone, and
// the legend's fill colour (hex RGB, no '#').
type statusStyle struct {
	key    string // a followup.Status or followup.Pending
	symbol string
	fill   string
}

// statusStyles lists the legend in followup.CountKeys order.
var statusStyles = []statusStyle{
	{string(followup.Implemented), "✓", "8FD18C"},          // green
	{string(followup.PartiallyImplemented), "◐", "FFC766"}, // amber
	{string(followup.NotImplemented), "✗", "F08080"},       // red
	{string(followup.NoInformation), "?", "C8C8C8"},        // grey
	{string(followup.NotApplicable), "–", "D6E6F5"},        // light blue, neutral
	{followup.Pending, "○", "FFFFFF"},                      // white
}

func styleOf(key string) statusStyle {
	for _, s := range statusStyles {
		if s.key == key {
			return s
		}
	}
	return statusStyles[len(statusStyles)-1]
}

// statusKey returns the count key of a status: the status, or pending when there is none.
func statusKey(s *followup.Status) string {
	if s == nil {
		return followup.Pending
	}
	return string(*s)
}

func statusText(lang string, s *followup.Status) string {
	return tr(lang, "status."+statusKey(s))
}

// statusWithSymbol is the status as shown in a cell: "✓ Implemented".
func statusWithSymbol(lang string, s *followup.Status) string {
	k := statusKey(s)
	return styleOf(k).symbol + " " + tr(lang, "status."+k)
}

func categoryText(lang string, c followup.Category) string {
	if c == "" {
		return ""
	}
	return tr(lang, "category."+string(c))
}

func kindText(lang string, k followup.ReportKind) string {
	if k == "" {
		return ""
	}
	return tr(lang, "kind."+string(k))
}

func stateText(lang string, s followup.State) string {
	if s == "" {
		return ""
	}
	return tr(lang, "state."+string(s))
}

func yesNo(lang string, b bool) string {
	if b {
		return tr(lang, "export.yes")
	}
	return tr(lang, "export.no")
}

// percent returns a score in [0, 1] as a whole percentage: "67%" in English, "67 %" (with a
// no-break space) in French; "—" when there is no score.
func percent(lang string, score *float64) string {
	if score == nil {
		return "—"
	}
	p := int(math.Round(*score * 100))
	if lang == "fr" {
		return fmt.Sprintf("%d\u00a0%%", p)
	}
	return fmt.Sprintf("%d%%", p)
}

func basisText(lang string, draft bool) string {
	if draft {
		return tr(lang, "export.basis.draft")
	}
	return tr(lang, "export.basis.adopted")
}

func basisValue(lang string, draft bool) string {
	if draft {
		return tr(lang, "export.basis_value.draft")
	}
	return tr(lang, "export.basis_value.adopted")
}

func generatedText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func partyName(lang string, parties map[string]followup.Party, code string) string {
	if p, ok := parties[code]; ok {
		if n := p.Name(lang); n != "" {
			return n
		}
	}
	return code
}

// reportView is the shape shared by the report exports: recommendations (columns) in report
// order, Parties (rows) by name, cells in recommendation then Party order.
type reportView struct {
	lang     string
	draft    bool
	recs     []recColumn
	parties  []partyRow
	cells    []followup.ComplianceCell // sorted: recommendation order, then Party name order
	byKey    map[[2]string]followup.ComplianceCell
	recIndex map[string]int // label → index in recs
}

// rec returns the column of a cell's recommendation.
func (v reportView) rec(label string) recColumn { return v.recs[v.recIndex[label]] }

type recColumn struct {
	label    string
	category followup.Category
	text     string
	dueOn    followup.Date // the recommendation's deadline, or the report's
}

type partyRow struct {
	code, name string
}

func newReportView(d followup.ReportExport) reportView {
	v := reportView{lang: normLang(d.Lang), draft: d.Draft(), byKey: map[[2]string]followup.ComplianceCell{}}
	recIndex := map[string]int{}
	addRec := func(label string, cat followup.Category, text string, dueOn followup.Date) {
		if _, ok := recIndex[label]; ok {
			return
		}
		recIndex[label] = len(v.recs)
		v.recs = append(v.recs, recColumn{label: label, category: cat, text: text, dueOn: dueOn})
	}
	for _, r := range d.Recommendations {
		if sel := d.Compliance.Selection; sel != nil && sel.Category != "" && r.Category != sel.Category {
			continue // not in the selection: its column would be empty
		}
		due := r.EffectiveDueOn
		if due.IsZero() {
			due = r.DueOn
		}
		if due.IsZero() {
			due = d.Report.FollowupDueOn
		}
		addRec(r.Label, r.Category, localized(v.lang, r.Text, r.TextFR), due)
	}
	for _, rt := range d.Compliance.ByRecommendation {
		addRec(rt.Label, rt.Category, "", d.Report.FollowupDueOn)
	}
	seen := map[string]bool{}
	addParty := func(code string) {
		if !seen[code] {
			seen[code] = true
			v.parties = append(v.parties, partyRow{code: code, name: partyName(v.lang, d.Parties, code)})
		}
	}
	for _, pt := range d.Compliance.ByParty {
		addParty(pt.Party)
	}
	for _, c := range d.Compliance.Cells {
		addRec(c.Label, c.Category, "", d.Report.FollowupDueOn)
		addParty(c.Party)
	}
	v.recIndex = recIndex
	i18n.SortByName(v.lang, v.parties, func(p partyRow) string { return p.name })
	partyIndex := map[string]int{}
	for i, p := range v.parties {
		partyIndex[p.code] = i
	}
	v.cells = append([]followup.ComplianceCell(nil), d.Compliance.Cells...)
	sort.SliceStable(v.cells, func(i, j int) bool {
		a, b := v.cells[i], v.cells[j]
		if recIndex[a.Label] != recIndex[b.Label] {
			return recIndex[a.Label] < recIndex[b.Label]
		}
		return partyIndex[a.Party] < partyIndex[b.Party]
	})
	for _, c := range v.cells {
		v.byKey[[2]string{c.Party, c.Label}] = c
	}
	return v
}

// selectionText names the part of the report an export covers ("Category: Urge · Parties:
// France, Hungary"), or "" for the whole report.
func selectionText(lang string, d followup.ReportExport) string {
	return i18n.Builtin().Selection(lang, d.Compliance.Selection, func(code string) string { return partyName(lang, d.Parties, code) })
}

// selectionNote says that the figures cover only the selection, or "" for the whole report.
func selectionNote(lang string, d followup.ReportExport) string {
	if sel := selectionText(lang, d); sel != "" {
		return tr(lang, "selection.note", sel)
	}
	return ""
}

// cellsByParty returns the cells in Party then recommendation order.
func (v reportView) cellsByParty() []followup.ComplianceCell {
	out := make([]followup.ComplianceCell, 0, len(v.cells))
	for _, p := range v.parties {
		for _, r := range v.recs {
			if c, ok := v.byKey[[2]string{p.code, r.label}]; ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// tallyRow is one line of a summary table.
type tallyRow struct {
	name   string // first column
	detail string // second column: category, code or slug
	tally  *followup.Tally
}

func emptyTally() *followup.Tally { return &followup.Tally{Counts: followup.NewCounts()} }

func orEmpty(t *followup.Tally) *followup.Tally {
	if t == nil {
		return emptyTally()
	}
	return t
}

func (v reportView) overallRows(c followup.Compliance) []tallyRow {
	return []tallyRow{{name: tr(v.lang, "export.section.overall"), tally: orEmpty(c.Overall)}}
}

func (v reportView) categoryRows(c followup.Compliance) []tallyRow {
	var rows []tallyRow
	for _, cat := range followup.Categories {
		rows = append(rows, tallyRow{name: categoryText(v.lang, cat), tally: orEmpty(c.ByCategory[cat])})
	}
	return rows
}

func (v reportView) recommendationRows(c followup.Compliance) []tallyRow {
	by := map[string]*followup.RecommendationTally{}
	for _, rt := range c.ByRecommendation {
		by[rt.Label] = rt
	}
	var rows []tallyRow
	for _, r := range v.recs {
		t := emptyTally()
		if rt := by[r.label]; rt != nil {
			t = &rt.Tally
		}
		rows = append(rows, tallyRow{name: r.label, detail: categoryText(v.lang, r.category), tally: t})
	}
	return rows
}

func (v reportView) partyRows(c followup.Compliance) []tallyRow {
	by := map[string]*followup.PartyTally{}
	for _, pt := range c.ByParty {
		by[pt.Party] = pt
	}
	var rows []tallyRow
	for _, p := range v.parties {
		t := emptyTally()
		if pt := by[p.code]; pt != nil {
			t = &pt.Tally
		}
		rows = append(rows, tallyRow{name: p.name, detail: p.code, tally: t})
	}
	return rows
}

// dossierView is the shape shared by the dossier exports.
type dossierView struct {
	lang    string
	draft   bool
	items   []dossierItem
	reports []string // slugs in order of first appearance
	overall *followup.Tally
	byCat   map[followup.Category]*followup.Tally
	byRep   map[string]*followup.Tally
}

type dossierItem struct {
	fu        followup.FollowUp
	report    followup.Report
	rec       followup.Recommendation
	comment   string        // of the assessment the status comes from
	adoptedOn followup.Date // of that assessment: zero for a draft one
}

func newDossierView(d followup.DossierExport) dossierView {
	v := dossierView{lang: normLang(d.Lang), draft: d.Draft, byRep: map[string]*followup.Tally{}}
	bySlug := map[string][]dossierItem{}
	var all []followup.ComplianceCell
	cells := map[string][]followup.ComplianceCell{}
	for _, fu := range d.FollowUps {
		rep, ok := d.Reports[fu.Report]
		if !ok {
			rep = followup.Report{Slug: fu.Report, Title: fu.Report}
		}
		it := dossierItem{fu: fu, report: rep, rec: d.Recommendations[fu.Report+"/"+fu.Label],
			adoptedOn: fu.AdoptedOn}
		if a := statusAssessment(fu, d.AsOf, d.Draft); a != nil {
			it.comment, it.adoptedOn = localized(v.lang, a.Comment, a.CommentFR), a.AdoptedOn
		}
		if _, ok := bySlug[fu.Report]; !ok {
			v.reports = append(v.reports, fu.Report)
		}
		bySlug[fu.Report] = append(bySlug[fu.Report], it)
		if fu.Active {
			cell := followup.ComplianceCell{Label: fu.Label, Category: fu.Category, Party: fu.Party,
				Status: fu.Status, AdoptedOn: it.adoptedOn}
			// The overall and category figures are the Party's record with the Committee: a
			// fictional report's invented outcomes stay in that report's own line.
			if !rep.Fictional() {
				all = append(all, cell)
			}
			cells[fu.Report] = append(cells[fu.Report], cell)
		}
	}
	for _, slug := range v.reports {
		v.items = append(v.items, bySlug[slug]...)
		v.byRep[slug] = followup.Summarize(slug, d.AsOf, dossierBasis(d), nil, cells[slug]).Overall
	}
	sum := followup.Summarize("", d.AsOf, dossierBasis(d), nil, all)
	v.overall, v.byCat = sum.Overall, sum.ByCategory
	return v
}

// statusAssessment returns the assessment the follow-up's status comes from: the latest adopted
// on or before asOf, or on the draft basis the latest made on or before asOf. It is nil when the
// follow-up has no status, when its assessments were not given, or when the assessment found
// does not have the follow-up's status (then neither its comment nor its date would be right).
func statusAssessment(fu followup.FollowUp, asOf followup.Date, draft bool) *followup.Assessment {
	if fu.Status == nil {
		return nil
	}
	var best *followup.Assessment
	for i := range fu.Assessments {
		a := &fu.Assessments[i]
		on := a.AdoptedOn
		if draft {
			on = a.AssessedOn
		} else if !a.Adopted() {
			continue
		}
		if !asOf.IsZero() && on.After(asOf) {
			continue
		}
		if best == nil {
			best = a
			continue
		}
		bestOn := best.AdoptedOn
		if draft {
			bestOn = best.AssessedOn
		}
		if on.After(bestOn) || (!on.Before(bestOn) && a.ID > best.ID) {
			best = a
		}
	}
	if best == nil || best.Status != *fu.Status {
		return nil
	}
	return best
}

func (v dossierView) summaryRows() []tallyRow {
	rows := []tallyRow{{name: tr(v.lang, "export.section.overall"), tally: orEmpty(v.overall)}}
	return rows
}

func (v dossierView) reportRows(reports map[string]followup.Report) []tallyRow {
	var rows []tallyRow
	for _, slug := range v.reports {
		title := slug
		if r, ok := reports[slug]; ok && r.Title != "" {
			title = reportTitle(v.lang, r)
		}
		rows = append(rows, tallyRow{name: title, detail: slug, tally: orEmpty(v.byRep[slug])})
	}
	return rows
}

func (v dossierView) categoryRows() []tallyRow {
	var rows []tallyRow
	for _, cat := range followup.Categories {
		rows = append(rows, tallyRow{name: categoryText(v.lang, cat), tally: orEmpty(v.byCat[cat])})
	}
	return rows
}

func itoa(n int) string { return strconv.Itoa(n) }
