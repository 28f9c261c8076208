package server

import (
	"sort"

	"followup/internal/followup"
	"followup/internal/i18n"
)

// barChart is a horizontal bar chart drawn as SVG by the "barchart" template, with a title and
// a description for assistive technology; pages put the same numbers in a table next to it.
type barChart struct {
	ID     string
	Title  string
	Desc   string
	Note   string // how to read the bars' values
	Bars   []chartBar
	Height int
}

type chartBar struct {
	Label string
	Value string // the number as text, written at the end of the bar
	Width int    // 0 … chartWidth
	Y     int
	Class string
	Href  string
}

const (
	chartWidth = 300
	chartRow   = 26
)

// scoreChart draws one bar per tally: its score as a percentage (no bar when no score).
func (v *view) scoreChart(id, title, desc string, labels []string, tallies []*followup.Tally, hrefs []string) barChart {
	ch := barChart{ID: id, Title: title, Desc: desc, Note: v.T("chart.base_note")}
	for i, t := range tallies {
		b := chartBar{Label: labels[i], Value: "—", Y: i*chartRow + 4, Class: "bar-none"}
		if t.Score != nil {
			b.Width = int(*t.Score*chartWidth + 0.5)
			b.Value = chartValue(t)
			switch {
			case *t.Score >= 0.75:
				b.Class = "bar-high"
			case *t.Score >= 0.4:
				b.Class = "bar-mid"
			default:
				b.Class = "bar-low"
			}
		}
		if hrefs != nil {
			b.Href = hrefs[i]
		}
		ch.Bars = append(ch.Bars, b)
	}
	ch.Height = len(ch.Bars)*chartRow + 8
	return ch
}

// partyOrder sorts Party tallies by score, best first, Parties without a score last; Parties
// of the same score by name in the page's language.
func (v *view) partyOrder(ts []*followup.PartyTally) []*followup.PartyTally {
	out := append([]*followup.PartyTally(nil), ts...)
	i18n.SortByName(v.Lang, out, func(pt *followup.PartyTally) string { return v.Party(pt.Party) })
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Score, out[j].Score
		switch {
		case a == nil:
			return false
		case b == nil:
			return true
		}
		return *a > *b
	})
	return out
}
