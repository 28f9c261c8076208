package server

import (
	"sort"

	"followup/internal/followup"
	"followup/internal/i18n"
)

// barChart is a horizontal bar chart drawn as SVG by the "barchart" template, with a title and
// a description for assistive technology; pages put the same numbers in a table next to it.
// Its geometry leaves room for the widest label and the widest value, measured with the
// label font's advance widths, so that no name is cut off.
type barChart struct {
	ID     string
	Title  string
	Desc   string
	Note   string // how to read the bars' values
	Bars   []chartBar
	Width  int // of the view box
	Height int
	LabelX int // the right edge of the labels
	BarX   int // the left edge of the bars
	Track  int // the width of a full bar (100 %)
}

type chartBar struct {
	Label  string
	Full   string // the whole label when Label is shortened
	Value  string // the number as text, written at the end of the bar
	Width  int    // 0 … chartWidth
	Y      int
	ValueX int
	Class  string
	Href   string
}

const (
	chartWidth    = 300 // a full bar
	chartRow      = 26
	chartFontPx   = 13 // .chart-label and .chart-value in app.css
	chartGap      = 10 // between a label and its bar
	chartValueGap = 6  // between a bar and its value
	chartMinLabel = 40
)

// textWidth is the width in pixels of s set in the chart font at size px (bold when the
// value is), rounded up: from the advance widths of DejaVu Sans, a full em for any rune beyond
// the table, and a tenth more for bold and for fonts a little wider.
func textWidth(s string, px int, bold bool) int {
	total := 0
	for _, r := range s {
		w := 1000
		if r >= chartFontFirst && r <= chartFontLast && chartFontWidths[r-chartFontFirst] > 0 {
			w = int(chartFontWidths[r-chartFontFirst])
		}
		total += w
	}
	f := 1.1
	if bold {
		f = 1.2
	}
	return int(float64(total*px)*f/1000) + 1
}

// scoreChart draws one bar per tally: its score as a percentage (no bar when no score), with
// the follow-ups it is based on. fullLabels, when given, are the whole texts of shortened
// labels, shown as the bars' tooltips.
func (v *view) scoreChart(id, title, desc string, labels []string, tallies []*followup.Tally, hrefs []string, fullLabels ...string) barChart {
	ch := barChart{ID: id, Title: title, Desc: desc, Note: v.T("chart.base_note"), Track: chartWidth}
	labelW, valueW := chartMinLabel, 0
	for i, t := range tallies {
		b := chartBar{Label: labels[i], Value: "—", Y: i*chartRow + 4, Class: "bar-none"}
		if i < len(fullLabels) && fullLabels[i] != labels[i] {
			b.Full = fullLabels[i]
		}
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
		labelW = max(labelW, textWidth(b.Label, chartFontPx, false))
		valueW = max(valueW, b.Width+chartValueGap+textWidth(b.Value, chartFontPx, true))
		ch.Bars = append(ch.Bars, b)
	}
	ch.LabelX = labelW + 4
	ch.BarX = ch.LabelX + chartGap
	for i := range ch.Bars {
		ch.Bars[i].ValueX = ch.BarX + ch.Bars[i].Width + chartValueGap
	}
	ch.Width = ch.BarX + max(chartWidth, valueW) + 4
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
