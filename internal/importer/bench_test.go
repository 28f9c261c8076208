package importer

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
)

// bench50k is the 50,000-row file of the benchmark, made once.
var bench50k = sync.OnceValues(func() ([]byte, []byte) {
	rng := rand.New(rand.NewPCG(50, 50000))
	parties := []string{"AD", "AL", "AT", "BA", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GE", "GR", "HR", "HU", "IS",
		"IT", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "SM", "TN", "TR", "UA"}
	words := strings.Fields("the Parties should ensure that children who are victims of sexual exploitation and abuse receive " +
		"protection support and assistance adapted to their needs including in the digital environment through training of professionals")
	header := []string{"label", "category", "text", "articles", "addressed_to", "due_on"}
	var text bytes.Buffer
	w := csv.NewWriter(&text)
	_ = w.Write(header)
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		panic(err)
	}
	_ = sw.SetRow("A1", []any{"label", "category", "text", "articles", "addressed_to", "due_on"})
	categories := []string{"urge", "consider", "invite"}
	for i := 1; i <= 50000; i++ {
		n := 20 + rng.IntN(40)
		ws := make([]string, n)
		for j := range ws {
			ws[j] = words[rng.IntN(len(words))]
		}
		to := make([]string, 1+rng.IntN(3)) // 1 to 3 Parties
		for j := range to {
			to[j] = parties[rng.IntN(len(parties))]
		}
		row := []string{fmt.Sprintf("R%d", i), categories[rng.IntN(3)], strings.Join(ws, " ") + ".",
			fmt.Sprintf("%d; %d", 18+rng.IntN(10), 30+rng.IntN(10)), strings.Join(to, "; "), fmt.Sprintf("2027-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28))}
		_ = w.Write(row)
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		_ = sw.SetRow(cell, cells)
	}
	w.Flush()
	if err := sw.Flush(); err != nil {
		panic(err)
	}
	var book bytes.Buffer
	if err := x.Write(&book); err != nil {
		panic(err)
	}
	return text.Bytes(), book.Bytes()
})

// BenchmarkParseRecommendations50k reads a 50,000-row recommendations file (each row
// addressed to 1 to 3 Parties), CSV and XLSX: streamed (each row handed over and dropped, the
// way a 50,000-row import would read) and into a batch (the []byte form, which keeps every
// row). The limits are raised to fit the file: the defaults are 10,000 rows and 10 MiB.
func BenchmarkParseRecommendations50k(b *testing.B) {
	text, book := bench50k()
	p := Parser{Limits: Limits{MaxRows: 50000, MaxBytes: 64 << 20}}
	for _, c := range []struct {
		name string
		f    Format
		data []byte
	}{{"csv", CSV, text}, {"xlsx", XLSX, book}} {
		b.Run(c.name+"/stream", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				rows := 0
				s, err := p.ParseRecommendationsStream(bytes.NewReader(c.data), c.f, func(followup.RecommendationRow) error {
					rows++
					return nil
				})
				if err != nil || rows != 50000 || s.ErrorsTotal != 0 {
					b.Fatalf("%v: %d rows, errors %v", err, rows, s.Errors)
				}
			}
		})
		b.Run(c.name+"/batch", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				if bt := p.ParseRecommendations(c.data, c.f); len(bt.Rows) != 50000 {
					b.Fatalf("%d rows, errors %v", len(bt.Rows), bt.Errors)
				}
			}
		})
	}
}
