package export

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"time"

	"followup/internal/followup"
)

// writeCSV writes a header and rows as UTF-8 CSV, every cell passed through SafeCell.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	safe := func(rec []string) []string {
		out := make([]string, len(rec))
		for i, s := range rec {
			out[i] = SafeCell(s)
		}
		return out
	}
	if err := cw.Write(safe(header)); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(safe(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func headers(lang string, keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = tr(lang, "export.csv."+k)
	}
	return out
}

// ReportCSV writes a report's compliance as tidy CSV: a header, then one row per follow-up (a
// cell of the matrix) in recommendation then Party order, each with the recommendation's text,
// the follow-up's deadline on the summary's day (its own, or the recommendation's) and its stage
// on that day as the reader may see it (awaiting submission, submitted, assessed, adopted,
// clarification requested), as the Party dossier has them. The stage and the status come as
// text in the chosen language and as their codes; the selection column names the category and
// Parties the export was narrowed to (empty for the whole report) and the basis column says
// adopted or DRAFT, on every row. Every cell is neutralised against formulas (SafeCell).
func ReportCSV(w io.Writer, d followup.ReportExport) error {
	v := newReportView(d)
	l := v.lang
	header := headers(l, "report", "label", "category", "recommendation", "due_on", "party_code", "party_name",
		"state", "state_code", "status", "status_code", "adopted_on", "comment", "selection", "basis")
	rows := make([][]string, 0, len(v.cells))
	basis, sel := basisValue(l, v.draft), selectionText(l, d)
	for _, c := range v.cells {
		rec := v.rec(c.Label)
		due := c.DueOn // the follow-up's deadline on the day, which may be its own
		if due.IsZero() {
			due = rec.dueOn
		}
		state := d.StateOf(c)
		rows = append(rows, []string{d.Report.Slug, c.Label, categoryText(l, c.Category), rec.text, due.String(),
			c.Party, partyName(l, d.Parties, c.Party), stateText(l, state), string(state), statusText(l, c.Status), statusKey(c.Status),
			c.AdoptedOn.String(), localized(l, c.Comment, c.CommentFR), sel, basis})
	}
	return writeCSV(w, header, rows)
}

// DossierCSV writes a Party's dossier as tidy CSV: one row per follow-up, across reports.
func DossierCSV(w io.Writer, d followup.DossierExport) error {
	v := newDossierView(d)
	l := v.lang
	header := headers(l, "party_code", "party_name", "report", "report_title", "label", "category",
		"recommendation", "state", "status", "status_code", "adopted_on", "due_on", "open", "overdue",
		"active", "comment", "basis")
	basis := basisValue(l, v.draft)
	name := d.Party.Name(l)
	rows := make([][]string, 0, len(v.items))
	for _, it := range v.items {
		fu := it.fu
		rows = append(rows, []string{fu.Party, name, fu.Report, reportTitle(l, it.report), fu.Label,
			categoryText(l, fu.Category), localized(l, it.rec.Text, it.rec.TextFR), stateText(l, fu.State), statusText(l, fu.Status),
			statusKey(fu.Status), it.adoptedOn.String(), fu.DueOn.String(), yesNo(l, fu.Open),
			yesNo(l, fu.Overdue), yesNo(l, fu.Active), it.comment, basis})
	}
	return writeCSV(w, header, rows)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// ReportJSON writes the compliance summary as the compliance API serves it (followup.Compliance:
// report, as_of, basis, overall, by_category, by_recommendation, by_party).
func ReportJSON(w io.Writer, d followup.ReportExport) error {
	return writeJSON(w, d.Compliance)
}

// Dossier is the JSON document of a Party's dossier.
type Dossier struct {
	Party       followup.Party                        `json:"party"`
	AsOf        followup.Date                         `json:"as_of"`
	Basis       followup.Basis                        `json:"basis"`
	GeneratedAt time.Time                             `json:"generated_at"`
	Overall     *followup.Tally                       `json:"overall"`
	ByCategory  map[followup.Category]*followup.Tally `json:"by_category"`
	ByReport    []DossierReport                       `json:"by_report"`
	FollowUps   []followup.FollowUp                   `json:"follow_ups"`
}

// DossierReport is a report's line of a dossier: its tally of the Party's active follow-ups.
type DossierReport struct {
	Report string `json:"report"`
	Title  string `json:"title"`
	followup.Tally
}

// NewDossier builds the JSON document of a dossier, for DossierJSON and for an API that
// serves the same data.
func NewDossier(d followup.DossierExport) Dossier {
	v := newDossierView(d)
	doc := Dossier{Party: d.Party, AsOf: d.AsOf, Basis: dossierBasis(d), GeneratedAt: d.GeneratedAt.UTC(),
		Overall: orEmpty(v.overall), ByCategory: v.byCat, ByReport: []DossierReport{},
		FollowUps: make([]followup.FollowUp, 0, len(v.items))}
	for _, r := range v.reportRows(d.Reports) {
		doc.ByReport = append(doc.ByReport, DossierReport{Report: r.detail, Title: r.name, Tally: *r.tally})
	}
	for _, it := range v.items {
		doc.FollowUps = append(doc.FollowUps, it.fu)
	}
	return doc
}

// DossierJSON writes a Party's dossier as JSON (see Dossier).
func DossierJSON(w io.Writer, d followup.DossierExport) error {
	return writeJSON(w, NewDossier(d))
}
