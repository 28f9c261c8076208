package bench

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
)

// BenchmarkReportExport: GET /api/v1/reports/{slug}/compliance.xlsx and .pdf of the largest
// report (about 7,900 follow-ups), anonymous, in English, through the real router on the
// calling thread (the summary from the store's cache, as between two writes: encoding is the
// cost). The targets are absolute (XLSX under 2 s), so ms/op and cpu-ms/op are the figures to
// read (proc-cpu-ms/op includes the garbage collector's work); the ceilings say how far the encoders are from their library's floor:
//   - xlsx: excelize writing the same cells (same sheets, same values: the summary tables, the
//     Party × recommendation matrix, the two lists of follow-ups with their dates and comments,
//     the metadata) with its StreamWriter and no styles, merges, panes or filters;
//   - pdf: fpdf with the same embedded Unicode font writing the same table cells (the summary
//     tables, the matrix on landscape pages, the per-recommendation lists), one CellFormat per
//     cell with its border and fill, no measuring, wrapping or repeated headers.
//
// Reports body-bytes and cells (the cells of the ceiling).
//
// Once per engine (see forEachEngine).
func BenchmarkReportExport(b *testing.B) {
	forEachEngine(b, benchReportExport)
}

func benchReportExport(b *testing.B, e benchEngine) {
	slug := largestReport(b)
	s := e.store
	h := benchServerOn(b, s, false)
	ctx := context.Background()
	d, err := followup.LoadReportExport(ctx, s, s, s, slug, followup.ComplianceQuery{}, "en", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		ext     string
		ceiling func(io.Writer, followup.ReportExport) (int, error)
	}{{"xlsx", xlsxCeiling}, {"pdf", pdfCeiling}} {
		b.Run(tc.ext, func(b *testing.B) {
			path := "/api/v1/reports/" + slug + "/compliance." + tc.ext
			body := mustServe(b, h, path, nil)
			cells := 0
			measureProc(b, func() error { _, err := serve(h, path, nil); return err },
				func() error {
					var buf bytes.Buffer
					n, err := tc.ceiling(&buf, d)
					cells = n
					return err
				})
			b.ReportMetric(float64(len(body)), "body-bytes")
			b.ReportMetric(float64(cells), "cells")
		})
	}
}

// tallyValues are the rows of the summary tables of a report export: overall, by category, by
// recommendation, by Party; each a name, a detail, the score and the counts.
func tallyValues(d followup.ReportExport) [][]any {
	c := d.Compliance
	var rows [][]any
	add := func(name, detail string, t *followup.Tally) {
		if t == nil {
			t = &followup.Tally{Counts: followup.NewCounts()}
		}
		row := []any{name, detail, 0.0}
		if t.Score != nil {
			row[2] = *t.Score
		}
		for _, k := range followup.CountKeys {
			row = append(row, t.Counts[k])
		}
		rows = append(rows, append(row, t.Total))
	}
	add("Overall", "", c.Overall)
	for _, cat := range followup.Categories {
		add(string(cat), "", c.ByCategory[cat])
	}
	for _, r := range c.ByRecommendation {
		add(r.Label, string(r.Category), &r.Tally)
	}
	for _, p := range c.ByParty {
		add(d.Parties[p.Party].NameEN, p.Party, &p.Tally)
	}
	return rows
}

func statusValue(s *followup.Status) string {
	if s == nil {
		return "○ " + followup.Pending
	}
	return "✓ " + string(*s)
}

// matrixParties returns the Parties of the matrix, in code order (the export sorts by name).
func matrixParties(d followup.ReportExport) []string {
	var codes []string
	for _, p := range d.Compliance.ByParty {
		codes = append(codes, p.Party)
	}
	return codes
}

func xlsxCeiling(w io.Writer, d followup.ReportExport) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	cells := 0
	sheet := func(name string, rows [][]any) error {
		if name == "Summary" { // the first sheet: the default one, renamed
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := sw.SetRow(cell, r); err != nil {
				return err
			}
			cells += len(r)
		}
		return sw.Flush()
	}
	if err := sheet("Summary", tallyValues(d)); err != nil {
		return 0, err
	}
	byKey := map[[2]string]followup.ComplianceCell{}
	for _, c := range d.Compliance.Cells {
		byKey[[2]string{c.Party, c.Label}] = c
	}
	head := []any{"Party"}
	for _, r := range d.Recommendations {
		head = append(head, r.Label)
	}
	matrix := [][]any{head}
	for _, code := range matrixParties(d) {
		row := []any{d.Parties[code].NameEN}
		for _, r := range d.Recommendations {
			if c, ok := byKey[[2]string{code, r.Label}]; ok {
				row = append(row, statusValue(c.Status))
			} else {
				row = append(row, "")
			}
		}
		matrix = append(matrix, row)
	}
	if err := sheet("Matrix", matrix); err != nil {
		return 0, err
	}
	list := func(partyFirst bool) [][]any {
		rows := make([][]any, 0, len(d.Compliance.Cells))
		for _, c := range d.Compliance.Cells {
			var on any = ""
			if !c.AdoptedOn.IsZero() {
				on = c.AdoptedOn.Time()
			}
			name := d.Parties[c.Party].NameEN
			if partyFirst {
				rows = append(rows, []any{name, c.Party, c.Label, string(c.Category), statusValue(c.Status), on, c.Comment})
			} else {
				rows = append(rows, []any{c.Label, string(c.Category), name, c.Party, statusValue(c.Status), on, c.Comment})
			}
		}
		return rows
	}
	if err := sheet("By Party", list(true)); err != nil {
		return 0, err
	}
	if err := sheet("By recommendation", list(false)); err != nil {
		return 0, err
	}
	r := d.Report
	meta := [][]any{{"Title", r.Title}, {"Slug", r.Slug}, {"Document", r.DocRef}, {"Kind", string(r.Kind)}, {"Round", r.Round},
		{"Adopted on", r.AdoptedOn.String()}, {"Follow-up due on", r.FollowupDueOn.String()}, {"Parties", strconv.Itoa(len(d.Compliance.ByParty))},
		{"Recommendations", strconv.Itoa(len(d.Recommendations))}, {"As of", d.Compliance.AsOf.String()}, {"Basis", string(d.Compliance.Basis)},
		{"Generated at", d.GeneratedAt.Format(time.RFC3339)}}
	if err := sheet("Report", meta); err != nil {
		return 0, err
	}
	return cells, f.Write(w)
}

var (
	fontRegular, fontBold []byte
	fontErr               error
)

func pdfCeiling(w io.Writer, d followup.ReportExport) (int, error) {
	if fontRegular == nil && fontErr == nil {
		dir := filepath.Join("..", "export", "fonts")
		if fontRegular, fontErr = os.ReadFile(filepath.Join(dir, "DejaVuSans.ttf")); fontErr == nil {
			fontBold, fontErr = os.ReadFile(filepath.Join(dir, "DejaVuSans-Bold.ttf"))
		}
	}
	if fontErr != nil {
		return 0, fontErr
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	pdf.AddUTF8FontFromBytes("DejaVu", "", fontRegular)
	pdf.AddUTF8FontFromBytes("DejaVu", "B", fontBold)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 15)
	pdf.SetFont("DejaVu", "", 7.5)
	pdf.SetFillColor(0xD6, 0xE6, 0xF5)
	cells := 0
	cell := func(w, h float64, text string, fill, ln bool) {
		l := 0
		if ln {
			l = 1
		}
		pdf.CellFormat(w, h, text, "1", l, "L", fill, 0, "")
		cells++
	}
	// The summary tables, on portrait pages.
	pdf.AddPage()
	for _, r := range tallyValues(d) {
		cell(50, 4.5, r[0].(string), false, false)
		cell(24, 4.5, r[1].(string), false, false)
		cell(14, 4.5, strconv.Itoa(int(r[2].(float64)*100))+"%", false, false)
		for i, v := range r[3:] {
			cell(12, 4.5, strconv.Itoa(v.(int)), false, i == len(r)-4)
		}
	}
	// The matrix, on landscape pages, in groups of columns that fit across.
	byKey := map[[2]string]followup.ComplianceCell{}
	for _, c := range d.Compliance.Cells {
		byKey[[2]string{c.Party, c.Label}] = c
	}
	firstW, colW := 52.0, 22.0
	perPage := int((297 - 30 - firstW) / colW)
	recs := d.Recommendations
	for from := 0; from < len(recs); from += perPage {
		group := recs[from:min(from+perPage, len(recs))]
		pdf.AddPageFormat("L", pdf.GetPageSizeStr("A4"))
		for _, code := range matrixParties(d) {
			cell(firstW, 5, d.Parties[code].NameEN, false, false)
			for i, r := range group {
				c, ok := byKey[[2]string{code, r.Label}]
				text := ""
				if ok {
					text = statusValue(c.Status)
				}
				cell(colW, 5, text, ok, i == len(group)-1)
			}
		}
	}
	// The follow-ups of each recommendation with a status or a comment, on portrait pages.
	pdf.AddPageFormat("P", pdf.GetPageSizeStr("A4"))
	for _, c := range d.Compliance.Cells {
		if c.Status == nil && c.Comment == "" {
			continue
		}
		cell(45, 4.5, d.Parties[c.Party].NameEN, false, false)
		cell(40, 4.5, statusValue(c.Status), true, false)
		cell(20, 4.5, c.AdoptedOn.String(), false, false)
		cell(75, 4.5, c.Comment, false, true)
	}
	return cells, pdf.Output(w)
}
