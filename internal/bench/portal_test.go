package bench

import (
	"bytes"
	"context"
	"database/sql"
	"html/template"
	"net/url"
	"sort"
	"testing"
	"time"

	"followup/internal/followup"
	"followup/internal/server"
)

// p50 runs op once per benchmark iteration and reports the median wall time, beside the median
// of ceil run alternately with it, and their ratio.
func p50(b *testing.B, unit string, op, ceil func() error) {
	b.Helper()
	var ops, ceils []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if err := op(); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := ceil(); err != nil {
			b.Fatal(err)
		}
		ops, ceils = append(ops, t1.Sub(t0)), append(ceils, time.Since(t1))
	}
	med := func(ds []time.Duration) float64 {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return float64(ds[len(ds)/2].Nanoseconds()) / 1e6
	}
	o, c := med(ops), med(ceils)
	b.ReportMetric(o, "p50-ms")
	b.ReportMetric(c, unit+"-p50-ms")
	if c > 0 {
		b.ReportMetric(o/c, "x-"+unit)
	}
}

// bareMatrix is the least template that draws the same rows as the report page's matrix: a
// table of the page's Parties with one linked, labelled symbol per follow-up.
var bareMatrix = template.Must(template.New("m").Parse(`<table>{{range .}}<tr><th scope="row"><a href="/parties/{{.Party}}">{{.Party}}</a></th>
{{range .Cells}}<td class="cell st-{{.Key}}"><a href="{{.Href}}" aria-label="{{.Label}} · {{.Party}}: {{.Key}}">{{.Sym}}</a></td>{{end}}</tr>
{{end}}</table>`))

type bareCell struct{ Key, Href, Label, Party, Sym string }
type bareRow struct {
	Party string
	Cells []bareCell
}

// BenchmarkReportPagePaged: GET /reports/{slug} of the largest report (about 200 Parties × 40
// recommendations), anonymous, its first page of the matrix (25 Parties), the summary from the
// cache as between two writes; p50 of the whole request beside the p50 of a bare html/template
// render of the same 25 rows after the same service reads.
func BenchmarkReportPagePaged(b *testing.B) {
	slug := largestReport(b)
	s := benchStore(b)
	h := benchServer(b, false)
	path := "/reports/" + slug
	body := mustServe(b, h, path, nil)
	comp := server.NewComplianceCache(s, s, s.Today, 0)
	ctx := context.Background()
	symbols := map[string]string{"implemented": "✔", "partially_implemented": "◐", "not_implemented": "✘", "no_information": "?", "not_applicable": "–", "pending": "…"}
	bare := func() error {
		if _, err := s.FindReport(ctx, slug); err != nil {
			return err
		}
		c, err := comp.ReportCompliance(ctx, slug, followup.ComplianceQuery{})
		if err != nil {
			return err
		}
		recs, err := s.ListRecommendations(ctx, slug, false)
		if err != nil {
			return err
		}
		cells := map[string]followup.ComplianceCell{}
		parties := map[string]bool{}
		for _, cell := range c.Cells {
			cells[cell.Label+"\x00"+cell.Party] = cell
			parties[cell.Party] = true
		}
		var codes []string
		for p := range parties {
			codes = append(codes, p)
		}
		sort.Strings(codes)
		var rows []bareRow
		for _, p := range codes[:min(25, len(codes))] {
			row := bareRow{Party: p}
			for _, r := range recs {
				cell := cells[r.Label+"\x00"+p]
				key := "pending"
				if cell.Status != nil {
					key = string(*cell.Status)
				}
				row.Cells = append(row.Cells, bareCell{Key: key, Href: "/followups/" + slug + "/" + url.PathEscape(r.Label) + "/" + p,
					Label: r.Label, Party: p, Sym: symbols[key]})
			}
			rows = append(rows, row)
		}
		var buf bytes.Buffer
		return bareMatrix.Execute(&buf, rows)
	}
	p50(b, "bare-template", func() error { _, err := serve(h, path, nil); return err }, bare)
	b.ReportMetric(float64(len(body)), "body-bytes")
}

// BenchmarkSearch: GET /api/v1/recommendations?q=measure, a one-word query that every
// recommendation of the synthetic set (2,000, in 50 reports) matches, with its facets; p50
// beside the p50 of the raw full-text query alone (FTS5 MATCH ranked by bm25, on a connection
// of its own).
func BenchmarkSearch(b *testing.B) {
	h := benchServer(b, false)
	const path = "/api/v1/recommendations?q=measure"
	body := mustServe(b, h, path, nil)
	raw, err := sql.Open("sqlite3", "file:"+benchDBPath(b)+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	ctx := context.Background()
	fullText := func() error {
		rows, err := raw.QueryContext(ctx, `SELECT rowid, bm25(fts_recommendations, 5.0, 1.0, 1.0) FROM fts_recommendations
			WHERE fts_recommendations MATCH ? ORDER BY 2`, `"measure"`)
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			n++
		}
		if n == 0 {
			return sql.ErrNoRows
		}
		return rows.Err()
	}
	if err := fullText(); err != nil {
		b.Fatalf("raw full-text query (a build without FTS5? use -tags sqlite_fts5): %v", err)
	}
	p50(b, "raw-fulltext", func() error { _, err := serve(h, path, nil); return err }, fullText)
	b.ReportMetric(float64(len(body)), "body-bytes")
}
