package importer

import (
	"bytes"
	"encoding/csv"

	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
)

// Template returns an empty file to fill in: the header row of the kind's columns. The XLSX
// template has every column formatted as text (so that dates and labels stay as typed) and a
// second sheet describing the columns; only the first sheet is read back.
func Template(kind followup.ImportKind, f Format) ([]byte, error) {
	cols := columnsOf(kind)
	if f == CSV {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		if err := w.Write(names(cols)); err != nil {
			return nil, err
		}
		w.Flush()
		return buf.Bytes(), w.Error()
	}
	x := excelize.NewFile()
	defer x.Close()
	data := string(kind)
	if err := x.SetSheetName("Sheet1", data); err != nil {
		return nil, err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return nil, err
	}
	text, err := x.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text
	if err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	if err := x.SetColStyle(data, "A:"+last, text); err != nil {
		return nil, err
	}
	for i, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := x.SetCellStr(data, cell, c.name); err != nil {
			return nil, err
		}
		width := 16.0
		if c.name == "text" || c.name == "comment" || c.name == "text_fr" || c.name == "comment_fr" {
			width = 60
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := x.SetColWidth(data, name, name, width); err != nil {
			return nil, err
		}
	}
	if err := x.SetCellStyle(data, "A1", last+"1", bold); err != nil {
		return nil, err
	}
	if err := x.SetPanes(data, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if _, err := x.NewSheet("columns"); err != nil {
		return nil, err
	}
	_ = x.SetSheetRow("columns", "A1", &[]any{"column", "required", "meaning"})
	_ = x.SetCellStyle("columns", "A1", "C1", bold)
	_ = x.SetColWidth("columns", "A", "A", 16)
	_ = x.SetColWidth("columns", "C", "C", 90)
	for i, c := range cols {
		req := "no"
		if c.required {
			req = "yes"
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow("columns", cell, &[]any{c.name, req, c.help}); err != nil {
			return nil, err
		}
	}
	x.SetActiveSheet(0)
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
