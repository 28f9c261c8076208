package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
)

func testRecommendationData(lang string, basis followup.Basis) followup.RecommendationExport {
	d := testReportData(lang, basis)
	out := followup.RecommendationExport{Report: d.Report, Recommendation: testRecommendations[0], Parties: d.Parties,
		AsOf: adopted, Basis: basis, Lang: lang, GeneratedAt: generatedAt}
	for _, c := range d.Compliance.Cells {
		if c.Label == "R1" {
			out.Cells = append(out.Cells, c)
		}
	}
	out.Tally = d.Compliance.ByRecommendation[0].Tally
	return out
}

func TestRecommendationPDF(t *testing.T) {
	var buf bytes.Buffer
	if err := RecommendationPDF(&buf, testRecommendationData("en", followup.BasisAdopted)); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pdfText(t, buf.Bytes()), "\n")
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Compliance report on recommendation R1", testRecommendations[0].Text[:30],
		"Parties by status", "Implemented 2 Austria, Türkiye", "Partially implemented 1 Hungary",
		"Transit zone at Röszke: improvements noted.", "2019-06-06", "Adopted assessments only"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, flat)
		}
	}
	if strings.Contains(flat, "DRAFT") || strings.Contains(flat, "Do the second") {
		t.Errorf("the adopted report is marked DRAFT or shows another recommendation")
	}
	buf.Reset()
	if err := RecommendationPDF(&buf, testRecommendationData("fr", followup.BasisDraft)); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, buf.Bytes())
	for i, p := range pages {
		if !strings.Contains(p, "PROJET") {
			t.Errorf("page %d of the working copy is not marked PROJET", i+1)
		}
	}
	if fr := strings.Join(pages, " "); !strings.Contains(fr, "Rapport de conformité sur la recommandation R1") || !strings.Contains(fr, "Parties par statut") {
		t.Errorf("the French report: %s", fr)
	}
}

func TestRecommendationXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := RecommendationXLSX(&buf, testRecommendationData("en", followup.BasisDraft)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.GetSheetList(), ","); got != "Recommendation,Parties,By status" {
		t.Errorf("sheets %s", got)
	}
	for _, sheet := range f.GetSheetList() {
		if a1, _ := f.GetCellValue(sheet, "A1"); !strings.HasPrefix(a1, "DRAFT") {
			t.Errorf("sheet %s banner %q is not marked DRAFT", sheet, a1)
		}
	}
	rows, _ := f.GetRows("Parties")
	if len(rows) != 2+5 || rows[2][0] != "Austria" {
		t.Errorf("Parties sheet: %v", rows)
	}
	byStatus, _ := f.GetRows("By status")
	if len(byStatus) < 3 || !strings.Contains(byStatus[2][0], "Implemented") || byStatus[2][2] != "Austria, Türkiye" {
		t.Errorf("By status sheet: %v", byStatus)
	}
}

// In French the compliance report on a recommendation gives each Party's comment in French,
// and an English text where the French one is missing marked "(en anglais)", as the pages do;
// in English it shows the English texts only.
func TestRecommendationReportLanguages(t *testing.T) {
	for _, tc := range []struct {
		lang      string
		want, not []string
	}{
		{"fr", []string{"Enregistrement à la frontière.", "Transit zone at Röszke: improvements noted. (en anglais)",
			testReport.Title + " (en anglais)", testRecommendations[0].TextFR},
			[]string{"Registration at the border."}},
		{"en", []string{"Registration at the border.", "Transit zone at Röszke: improvements noted.", testRecommendations[0].Text},
			[]string{"Enregistrement", "(en anglais)", "(in English)"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d := testRecommendationData(tc.lang, followup.BasisAdopted)
			f := openXLSX(t, render(t, func(b *bytes.Buffer) error { return RecommendationXLSX(b, d) }))
			var cells []string
			for _, sheet := range f.GetSheetList() {
				rows, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					cells = append(cells, r...)
				}
			}
			book := strings.Join(cells, "\n")
			check := func(format, text string) {
				for _, w := range tc.want {
					if !strings.Contains(text, w) {
						t.Errorf("%s: lacks %q", format, w)
					}
				}
				for _, n := range tc.not {
					if strings.Contains(text, n) {
						t.Errorf("%s: shows %q", format, n)
					}
				}
			}
			check("xlsx", book)
			pages := pdfText(t, render(t, func(b *bytes.Buffer) error { return RecommendationPDF(b, d) }))
			if len(pages) > 0 {
				check("pdf", strings.Join(strings.Fields(strings.Join(pages, " ")), " "))
			}
		})
	}
}

// A recommendation of a report invented for demonstration: its compliance report is marked
// FICTIONAL on every page and sheet, like the report's own exports; a real one never is.
func TestRecommendationReportFictional(t *testing.T) {
	fictional := followup.Report{Slug: "demo-fictional", Kind: followup.OtherReport, Title: "Workshop example",
		AdoptedOn: testReport.AdoptedOn, Parties: testReport.Parties}
	for _, tc := range []struct {
		name   string
		report followup.Report
		lang   string
		mark   string
		want   bool
	}{
		{"real", testReport, "en", "FICTIONAL", false},
		{"fictional", fictional, "en", "FICTIONAL", true},
		{"fictional, French", fictional, "fr", "FICTIF", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := testRecommendationData(tc.lang, followup.BasisAdopted)
			d.Report = tc.report
			f := openXLSX(t, render(t, func(b *bytes.Buffer) error { return RecommendationXLSX(b, d) }))
			for _, sheet := range f.GetSheetList() {
				first, err := f.GetCellValue(sheet, "A1")
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.HasPrefix(first, tc.mark); got != tc.want {
					t.Errorf("sheet %s opens with %q: marked %s = %v, want %v", sheet, first, tc.mark, got, tc.want)
				}
			}
			pages := pdfText(t, render(t, func(b *bytes.Buffer) error { return RecommendationPDF(b, d) }))
			for i, p := range pages {
				if got := strings.Contains(p, tc.mark); got != tc.want {
					t.Errorf("PDF page %d: marked %s = %v, want %v:\n%s", i+1, tc.mark, got, tc.want, p)
				}
			}
		})
	}
}
