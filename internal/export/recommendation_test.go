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
