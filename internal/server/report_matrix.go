package server

import (
	"strings"
	"unicode/utf8"

	"followup/internal/followup"
)

// The compliance matrix of the report page, built by a pure function from the report's
// recommendations and cells: its columns (with the start of each text, shown on hover and
// focus and in the legend), its rows of Parties by name, one page of them at a time, and the
// printed column groups of that page. A report of the synthetic data's size (200 Parties × 40
// recommendations) is 8,000 cells, 3.5 MB of HTML at once; a page of matrixPageRows Parties
// keeps the page under 300 KB (report_size_test.go).

// matrixPageRows is how many Parties a page of the matrix shows.
const matrixPageRows = 25

// matrixColumn is a recommendation's column.
type matrixColumn struct {
	Label    string
	Category followup.Category
	Tip      string // the start of the text, for the header's tooltip and the legend
	Text     string // the whole text in the page's language
	Fallback bool   // Text is the English one on a French page
}

type matrixCell struct {
	Present   bool
	Label     string
	Party     string
	Status    *followup.Status
	Draft     bool
	AdoptedOn followup.Date
	// Awaiting is set, for those who see drafts, when the Party submitted since the latest
	// assessment: "submitted, awaiting assessment", as against "no submission".
	Awaiting bool
	// Dim is set when a status filter is on and the cell has another status.
	Dim bool
}

type matrixRow struct {
	Party string
	Name  string
	Cells []matrixCell
}

// matrixInput is what the matrix is built from.
type matrixInput struct {
	Lang     string
	Recs     []followup.Recommendation // the columns shown, in report order
	Cells    []followup.ComplianceCell // of the whole report
	Parties  []string                  // the rows' Parties, in the order to show (by name)
	Names    map[string]string         // Party code → name in the page's language
	Awaiting map[string]bool           // "label\x00party" of the follow-ups submitted since their latest assessment
	Status   string                    // a count key: only rows and columns with a cell of that status; "" for all
	Page     int                       // 1-based; out of range is brought back in
}

// matrixView is the matrix of one page.
type matrixView struct {
	Columns     []matrixColumn
	Rows        []matrixRow
	PrintGroups []printGroup
	Page, Pages int
	First, Last int // positions of the page's first and last rows among TotalRows (1-based)
	TotalRows   int
}

// tipLength is how much of a recommendation's text its column shows on hover and focus.
const tipLength = 80

// textStart is the start of a text, at most n characters cut at a word, with an ellipsis.
func textStart(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-–—") + "…"
}

// buildMatrix lays out the matrix of one page.
func buildMatrix(in matrixInput) matrixView {
	cells := make(map[string]followup.ComplianceCell, len(in.Cells))
	for _, c := range in.Cells {
		cells[c.Label+"\x00"+c.Party] = c
	}
	matches := func(c followup.ComplianceCell, ok bool) bool {
		return ok && statusKey(c.Status) == in.Status
	}
	recs := in.Recs
	parties := in.Parties
	if in.Status != "" {
		var keptRecs []followup.Recommendation
		for _, r := range recs {
			for _, p := range parties {
				if c, ok := cells[r.Label+"\x00"+p]; matches(c, ok) {
					keptRecs = append(keptRecs, r)
					break
				}
			}
		}
		var keptParties []string
		for _, p := range parties {
			for _, r := range keptRecs {
				if c, ok := cells[r.Label+"\x00"+p]; matches(c, ok) {
					keptParties = append(keptParties, p)
					break
				}
			}
		}
		recs, parties = keptRecs, keptParties
	}
	var m matrixView
	for _, r := range recs {
		text, fallback := followup.Localized(in.Lang, r.Text, r.TextFR)
		m.Columns = append(m.Columns, matrixColumn{Label: r.Label, Category: r.Category, Tip: textStart(text, tipLength), Text: text, Fallback: fallback})
	}
	m.TotalRows = len(parties)
	m.Pages = max(1, (len(parties)+matrixPageRows-1)/matrixPageRows)
	m.Page = min(max(in.Page, 1), m.Pages)
	from := (m.Page - 1) * matrixPageRows
	to := min(from+matrixPageRows, len(parties))
	if from < to {
		m.First, m.Last = from+1, to
	}
	for _, code := range parties[from:to] {
		row := matrixRow{Party: code, Name: in.Names[code]}
		if row.Name == "" {
			row.Name = code
		}
		for _, r := range recs {
			key := r.Label + "\x00" + code
			cell, ok := cells[key]
			mc := matrixCell{Present: ok, Label: r.Label, Party: code}
			if ok {
				mc.Status, mc.AdoptedOn = cell.Status, cell.AdoptedOn
				mc.Draft = cell.Status != nil && cell.Draft
				mc.Awaiting = in.Awaiting[key]
				mc.Dim = in.Status != "" && statusKey(cell.Status) != in.Status
			}
			row.Cells = append(row.Cells, mc)
		}
		m.Rows = append(m.Rows, row)
	}
	m.PrintGroups = printGroups(m.Columns, m.Rows)
	return m
}

// printColumns is how many recommendations fit across a landscape A4 page beside the Party
// column (app.css sets the printed matrix's sizes).
const printColumns = 12

// printGroup is a part of the matrix that fits across a printed page: some recommendations,
// with every row of the page.
type printGroup struct {
	First, Last string // labels of its first and last recommendations
	Columns     []matrixColumn
	Rows        []matrixRow
}

// printGroups splits a matrix too wide for a printed page into groups of columns, each with
// the Party column; nil when it fits.
func printGroups(cols []matrixColumn, rows []matrixRow) []printGroup {
	if len(cols) <= printColumns {
		return nil
	}
	var groups []printGroup
	for from := 0; from < len(cols); from += printColumns {
		to := min(from+printColumns, len(cols))
		g := printGroup{First: cols[from].Label, Last: cols[to-1].Label, Columns: cols[from:to]}
		for _, r := range rows {
			g.Rows = append(g.Rows, matrixRow{Party: r.Party, Name: r.Name, Cells: r.Cells[from:to]})
		}
		groups = append(groups, g)
	}
	return groups
}
