package server

import (
	"fmt"
	"strings"
	"testing"

	"followup/internal/followup"
)

func TestBuildMatrix(t *testing.T) {
	implemented, not := followup.Implemented, followup.NotImplemented
	recs := []followup.Recommendation{
		{Label: "R1", Category: followup.Urge, Text: "Protect the children", TextFR: "Protéger les enfants"},
		{Label: "R2", Category: followup.Invite, Text: strings.Repeat("word ", 40)},
	}
	var parties []string
	names := map[string]string{}
	var cells []followup.ComplianceCell
	for i := 0; i < 60; i++ {
		code := fmt.Sprintf("%c%c", 'A'+i/26, 'A'+i%26)
		parties = append(parties, code)
		names[code] = "Party " + code
		cells = append(cells, followup.ComplianceCell{Label: "R1", Party: code})
		if i%10 == 0 {
			cells = append(cells, followup.ComplianceCell{Label: "R2", Party: code, Status: &implemented, AdoptedOn: followup.MustDate("2020-01-01")})
		}
	}
	cells = append(cells, followup.ComplianceCell{Label: "R1", Party: "AC", Status: &not, Draft: true})
	in := matrixInput{Lang: "fr", Recs: recs, Cells: cells, Parties: parties, Names: names, Awaiting: map[string]bool{"R1\x00AB": true}}

	m := buildMatrix(in)
	if m.Pages != 3 || m.Page != 1 || len(m.Rows) != matrixPageRows || m.First != 1 || m.Last != 25 || m.TotalRows != 60 {
		t.Fatalf("page 1: pages %d page %d rows %d (%d–%d of %d)", m.Pages, m.Page, len(m.Rows), m.First, m.Last, m.TotalRows)
	}
	if c := m.Columns[0]; c.Text != "Protéger les enfants" || c.Fallback || c.Tip != "Protéger les enfants" {
		t.Errorf("column R1: %+v", c)
	}
	if c := m.Columns[1]; !c.Fallback || len([]rune(c.Tip)) > tipLength || !strings.HasSuffix(c.Tip, "…") {
		t.Errorf("column R2: %+v", c)
	}
	if ab := m.Rows[1].Cells[0]; ab.Party != "AB" || !ab.Awaiting || ab.Status != nil {
		t.Errorf("AB's R1 is submitted and awaits its assessment: %+v", ab)
	}
	if ac := m.Rows[2].Cells[0]; ac.Awaiting || !ac.Draft || ac.Status == nil {
		t.Errorf("AC's R1 has a draft assessment: %+v", ac)
	}
	if m.Rows[1].Cells[1].Present {
		t.Errorf("AB has no follow-up of R2")
	}
	in.Page = 9
	if last := buildMatrix(in); last.Page != 3 || len(last.Rows) != 10 || last.Rows[0].Party != "BY" {
		t.Errorf("a page past the end shows the last: page %d, %d rows", last.Page, len(last.Rows))
	}
	// The status filter keeps the rows and columns with a cell of that status, and dims the rest.
	in.Page, in.Status = 1, "implemented"
	f := buildMatrix(in)
	if len(f.Columns) != 1 || f.Columns[0].Label != "R2" || f.TotalRows != 6 || f.Rows[0].Party != "AA" || f.Rows[1].Party != "AK" {
		t.Errorf("implemented: %d columns, %d rows", len(f.Columns), f.TotalRows)
	}
	in.Status = "pending"
	if p := buildMatrix(in); len(p.Columns) != 1 || p.TotalRows != 59 || p.Columns[0].Label != "R1" {
		t.Errorf("pending: %d columns %d rows", len(p.Columns), p.TotalRows)
	}
	// Wide matrices print in groups of columns, each with every row of the page.
	in.Status = ""
	var many []followup.Recommendation
	for i := 1; i <= 14; i++ {
		many = append(many, followup.Recommendation{Label: fmt.Sprintf("R%d", i), Text: "x"})
	}
	in.Recs = many
	w := buildMatrix(in)
	if len(w.PrintGroups) != 2 || len(w.PrintGroups[1].Columns) != 2 || len(w.PrintGroups[1].Rows) != matrixPageRows || w.PrintGroups[1].First != "R13" {
		t.Errorf("print groups: %+v", w.PrintGroups)
	}
}
