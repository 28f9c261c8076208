// Package importtest makes large import files for tests and benchmarks: recommendations files
// of any number of rows in the shape of a UN treaty body's history (each recommendation
// addressed to one to three States), as CSV or XLSX, the same rows for the same seed.
package importtest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Header is the header row of the files: every column of a recommendations file.
var Header = []string{"label", "category", "text", "articles", "addressed_to", "due_on", "text_fr", "source"}

var (
	words = strings.Fields("the Parties should ensure that children who are victims of sexual exploitation and abuse receive " +
		"protection support and assistance adapted to their needs including in the digital environment through training of professionals")
	mots = strings.Fields("les Parties devraient veiller à ce que les enfants victimes d'exploitation et d'abus sexuels reçoivent " +
		"protection soutien et assistance adaptés à leurs besoins y compris dans l'environnement numérique")
	categories = []string{"urge", "consider", "invite"}
)

// Row is one recommendation of a file, in the order of Header.
type Row []string

// Label, Category and AddressedTo read the row's cells.
func (r Row) Label() string       { return r[0] }
func (r Row) Category() string    { return r[1] }
func (r Row) AddressedTo() string { return r[4] }

// Rows calls fn with each of n rows drawn from seed, addressed to one to three of parties.
func Rows(n int, parties []string, seed uint64, fn func(Row) error) error {
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	for i := 1; i <= n; i++ {
		text := make([]string, 20+rng.IntN(40))
		for j := range text {
			text[j] = words[rng.IntN(len(words))]
		}
		texte := make([]string, 20+rng.IntN(30))
		for j := range texte {
			texte[j] = mots[rng.IntN(len(mots))]
		}
		to := map[string]bool{}
		var codes []string
		for range 1 + rng.IntN(3) {
			c := parties[rng.IntN(len(parties))]
			if !to[c] {
				to[c] = true
				codes = append(codes, c)
			}
		}
		row := Row{fmt.Sprintf("R%d", i), categories[rng.IntN(3)], strings.Join(text, " ") + ".",
			fmt.Sprintf("%d; %d", 18+rng.IntN(10), 30+rng.IntN(10)), strings.Join(codes, "; "),
			fmt.Sprintf("2027-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28)),
			strings.Join(texte, " ") + ".", fmt.Sprintf("Session %d, paragraph %d", 1+i/1000, 1+i%1000)}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV writes a file of n rows as CSV.
func WriteCSV(w io.Writer, n int, parties []string, seed uint64) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	if err := Rows(n, parties, seed, func(r Row) error { return cw.Write(r) }); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes a file of n rows as XLSX (one sheet, written as a stream).
func WriteXLSX(w io.Writer, n int, parties []string, seed uint64) error {
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	cells := func(r []string) []any {
		out := make([]any, len(r))
		for i, v := range r {
			out[i] = v
		}
		return out
	}
	if err := sw.SetRow("A1", cells(Header)); err != nil {
		return err
	}
	row := 1
	err = Rows(n, parties, seed, func(r Row) error {
		row++
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return sw.SetRow(cell, cells(r))
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = x.WriteTo(w)
	return err
}

// CSV returns a file of n rows as CSV.
func CSV(n int, parties []string, seed uint64) []byte {
	var b bytes.Buffer
	if err := WriteCSV(&b, n, parties, seed); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// XLSX returns a file of n rows as XLSX.
func XLSX(n int, parties []string, seed uint64) []byte {
	var b bytes.Buffer
	if err := WriteXLSX(&b, n, parties, seed); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Parties returns n Party codes: the two-letter codes AA, AB, … in order.
func Parties(n int) []string {
	out := make([]string, 0, n)
	for a := 'A'; a <= 'Z' && len(out) < n; a++ {
		for b := 'A'; b <= 'Z' && len(out) < n; b++ {
			out = append(out, string([]rune{a, b}))
		}
	}
	return out
}
