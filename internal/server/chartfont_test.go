package server

import (
	"math"
	"os"
	"testing"

	"github.com/go-pdf/fpdf"
)

// The chart font's width table is DejaVu Sans's, rounded up.
func TestChartFontWidthsAreDejaVuSans(t *testing.T) {
	ttf, err := os.ReadFile("../export/fonts/DejaVuSans.ttf")
	if err != nil {
		t.Fatal(err)
	}
	pdf := fpdf.New("P", "pt", "A4", "")
	pdf.AddUTF8FontFromBytes("D", "", ttf)
	pdf.SetFont("D", "", 1000)
	for r := rune(chartFontFirst); r <= chartFontLast; r++ {
		want := int(math.Ceil(pdf.GetStringWidth(string(r))))
		if got := int(chartFontWidths[r-chartFontFirst]); got != want {
			t.Errorf("U+%04X: %d, want %d", r, got, want)
		}
	}
}
