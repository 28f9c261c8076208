package server

import (
	"strconv"
	"strings"

	"followup/internal/followup"
)

// The compliance trend of a report: its overall adopted score over time, from the daily
// snapshots, as a server-side SVG line with a title, a description and a table of the points.

// lineChart is drawn by the "linechart" template.
type lineChart struct {
	ID, Title, Desc string
	Width, Height   int
	Points          string // the polyline's points
	Dots            []trendPoint
	YTicks          []trendTick
	XTicks          []trendTick
	Table           []trendPoint // the points in the table: every change of score, the first and the last
	Total           int
}

type trendPoint struct {
	X, Y   int
	On     followup.Date
	Score  *float64
	Counts followup.Counts
	Total  int
}

type trendTick struct {
	Pos   int
	Label string
}

// Geometry of the trend chart (SVG user units).
const (
	trendW, trendH           = 640, 240
	trendLeft, trendRight    = 56, 620
	trendTop, trendBottom    = 16, 200
	trendMaxDots, trendLimit = 62, 40
)

// trendChart draws the snapshots that have a score; ok is false when fewer than two have.
func (v *view) trendChart(snaps []followup.ComplianceSnapshot, asOf followup.Date) (lineChart, bool) {
	var pts []followup.ComplianceSnapshot
	for _, s := range snaps {
		if s.Score != nil && (asOf.IsZero() || !s.On.After(asOf)) {
			pts = append(pts, s)
		}
	}
	if len(pts) < 2 {
		return lineChart{}, false
	}
	first, last := pts[0].On, pts[len(pts)-1].On
	span := first.DaysUntil(last)
	if span <= 0 {
		span = 1
	}
	x := func(d followup.Date) int { return trendLeft + first.DaysUntil(d)*(trendRight-trendLeft)/span }
	y := func(score float64) int { return trendBottom - int(score*float64(trendBottom-trendTop)+0.5) }
	ch := lineChart{ID: "chart-trend", Width: trendW, Height: trendH, Total: len(pts),
		Title: v.T("chart.trend.title"),
		Desc:  v.T("chart.trend.desc", len(pts), v.Date(first), pctOf(pts[0].Score), v.Date(last), pctOf(pts[len(pts)-1].Score))}
	var b strings.Builder
	for i, s := range pts {
		p := trendPoint{X: x(s.On), Y: y(*s.Score), On: s.On, Score: s.Score, Counts: s.Counts, Total: s.Total}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(p.X) + "," + strconv.Itoa(p.Y))
		if len(pts) <= trendMaxDots {
			ch.Dots = append(ch.Dots, p)
		}
		changed := i == 0 || i == len(pts)-1 || pctOf(pts[i-1].Score) != pctOf(s.Score) || len(pts) <= trendLimit
		if changed {
			ch.Table = append(ch.Table, p)
		}
	}
	ch.Points = b.String()
	for _, pc := range []int{0, 25, 50, 75, 100} {
		ch.YTicks = append(ch.YTicks, trendTick{Pos: y(float64(pc) / 100), Label: strconv.Itoa(pc) + " %"})
	}
	ch.XTicks = []trendTick{{Pos: trendLeft, Label: v.Date(first)}, {Pos: trendRight, Label: v.Date(last)}}
	return ch, true
}

func pctOf(score *float64) string { return templateFuncs["pct"].(func(*float64) string)(score) }
