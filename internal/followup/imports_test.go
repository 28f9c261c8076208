package followup_test

import (
	"fmt"
	"strings"
	"testing"

	"followup/internal/followup"
)

func TestImportErrorAtNamesItsCell(t *testing.T) {
	for _, c := range []struct {
		name         string
		err          followup.ImportError
		letter       string
		cell, string string
	}{
		{"named column", followup.ImportError{Row: 5, Column: "category", Message: "bad"}, "C", "C5", "cell C5 (category): bad"},
		{"column known by its letter only", followup.ImportError{Row: 2, Column: "XFD", Message: "beyond"}, "XFD", "XFD2", "cell XFD2: beyond"},
		{"no letter: left as it is", followup.ImportError{Row: 3, Column: "label", Message: "bad"}, "", "", "row 3, column label: bad"},
		{"the file as a whole", followup.ImportError{Row: 0, Message: "empty"}, "A", "", "empty"},
		{"already named", followup.ImportError{Row: 4, Column: "text", Cell: "C4", Message: "cell C4 (text): long"}, "C", "C4", "cell C4 (text): long"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := c.err.At(c.letter)
			if got.Cell != c.cell || got.String() != c.string {
				t.Errorf("At(%q) = cell %q, %q; want cell %q, %q", c.letter, got.Cell, got.String(), c.cell, c.string)
			}
		})
	}
}

// LimitErrors keeps the first errors by row, names their cells and counts every error,
// those the parser dropped included; Failed then says how many there were in all.
func TestImportResultLimitErrors(t *testing.T) {
	letters := map[string]string{"label": "A", "category": "B"}
	errs := func(rows ...int) []followup.ImportError {
		var out []followup.ImportError
		for _, r := range rows {
			out = append(out, followup.ImportError{Row: r, Column: "category", Message: "bad"})
		}
		return out
	}
	many := make([]int, 150)
	for i := range many {
		many[i] = 151 - i // in reverse, as a store might add them
	}
	for _, c := range []struct {
		name      string
		errors    []followup.ImportError
		dropped   int
		kept      int
		total     int
		truncated bool
		failed    string
	}{
		{"one", errs(4), 0, 1, 1, false, "1 error in 1 row: nothing was imported (first: cell B4 (category): bad)"},
		{"two in one row", errs(2, 2), 0, 2, 2, false, "2 errors in 1 row: nothing was imported (first: cell B2 (category): bad)"},
		{"a few", errs(3, 2), 0, 2, 2, false, "2 errors in 2 rows: nothing was imported (first: cell B2 (category): bad)"},
		{"more than the cap", errs(many...), 0, 100, 150, true, "150 errors (the first 100 are listed): nothing was imported (first: cell B2 (category): bad)"},
		{"the parser dropped some", errs(2, 3), 4998, 2, 5000, true, "5000 errors (the first 2 are listed)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := followup.ImportResult{Errors: c.errors}
			res.LimitErrors(letters, c.dropped, followup.MaxImportErrors)
			if len(res.Errors) != c.kept || res.ErrorsTotal != c.total || res.ErrorsTruncated != c.truncated {
				t.Fatalf("kept %d of %d (truncated %v), want %d of %d (%v)", len(res.Errors), res.ErrorsTotal, res.ErrorsTruncated, c.kept, c.total, c.truncated)
			}
			for i, e := range res.Errors {
				if c.name == "one" || c.name == "two in one row" {
					break // not consecutive rows
				}
				if want := fmt.Sprintf("B%d", i+2); e.Cell != want || e.Row != i+2 {
					t.Fatalf("error %d is %+v, want row %d, cell %s: the first errors by row", i, e, i+2, want)
				}
			}
			if err := res.Failed(); err == nil || !strings.Contains(followup.ErrorMessage(err), c.failed) || followup.ErrorField(err) != "file" {
				t.Errorf("Failed() = %v, want the field file and %q", err, c.failed)
			}
		})
	}
}

// An import result lists its first MaxImportRowResults rows and counts them all, so that its
// size does not grow with the file.
func TestImportResultRecordCapsTheRows(t *testing.T) {
	var res followup.ImportResult
	n := followup.MaxImportRowResults + 500
	for i := range n {
		action := followup.ActionCreate
		if i%2 == 1 {
			action = followup.ActionUnchanged
		}
		res.Record(followup.ImportRowResult{Row: i + 2, Label: fmt.Sprintf("R%d", i), Action: action})
	}
	if len(res.Rows) != followup.MaxImportRowResults || res.RowsTotal != n || !res.RowsTruncated ||
		res.Created != n/2 || res.Unchanged != n/2 || res.Rows[0].Row != 2 {
		t.Errorf("%d rows listed of %d (truncated %v), %d created, %d unchanged", len(res.Rows), res.RowsTotal, res.RowsTruncated, res.Created, res.Unchanged)
	}
}

// Finish joins the reader's errors (first kept, all counted) to those found against the
// database (likewise), keeping the first MaxImportErrors of them all by row, with their cells.
func TestImportResultFinish(t *testing.T) {
	var res followup.ImportResult
	for i := range 150 {
		res.Fail(followup.ImportError{Row: 2 + 2*i, Column: "addressed_to", Message: "XX is not a known Party"})
	}
	if !res.Failing() || len(res.Errors) != followup.MaxImportErrors {
		t.Fatalf("after Fail: %d errors kept", len(res.Errors))
	}
	sum := followup.ImportSummary{Letters: map[string]string{"addressed_to": "E", "category": "B"}, ErrorsTotal: 130}
	for i := range 100 {
		sum.Errors = append(sum.Errors, followup.ImportError{Row: 3 + 2*i, Column: "category", Cell: fmt.Sprintf("B%d", 3+2*i),
			Message: fmt.Sprintf("cell B%d (category): bad", 3+2*i)})
	}
	res.Finish(sum)
	if res.ErrorsTotal != 280 || len(res.Errors) != followup.MaxImportErrors || !res.ErrorsTruncated {
		t.Fatalf("%d errors kept of %d (truncated %v), want 100 of 280", len(res.Errors), res.ErrorsTotal, res.ErrorsTruncated)
	}
	for i, e := range res.Errors {
		if e.Row != 2+i {
			t.Fatalf("error %d is on row %d, want %d: the first by row of both lists", i, e.Row, 2+i)
		}
	}
	if res.Errors[0].String() != "cell E2 (addressed_to): XX is not a known Party" || res.Errors[1].String() != "cell B3 (category): bad" {
		t.Errorf("first errors %q, %q", res.Errors[0], res.Errors[1])
	}
	if res.Rows == nil {
		t.Error("Rows is nil: the JSON answer would say null")
	}
}

// A column the file does not have leaves the field alone; text_fr and source are compared like
// the other fields.
func TestPlanRecommendationFrenchTextAndSource(t *testing.T) {
	report := followup.Report{Slug: "rep", Parties: []string{"FR"}}
	cur := followup.Recommendation{Label: "R1", Category: followup.Urge, Text: "One.", TextFR: "Un.", Source: "Para. 1", Articles: []string{}, AddressedTo: []string{}}
	row := followup.RecommendationRow{Row: 2, Input: followup.RecommendationInput{Label: "R1", Category: followup.Urge, Text: "One."}}
	plan, change, errs := followup.PlanRecommendation(report, &cur, nil, []string{"label", "category", "text"}, row)
	if len(errs) != 0 || change != nil || plan.Action != followup.ActionUnchanged {
		t.Errorf("without the columns: %+v %+v %v", plan, change, errs)
	}
	row.Input.TextFR, row.Input.Source = "Un !", "Para. 1"
	plan, change, errs = followup.PlanRecommendation(report, &cur, nil, []string{"label", "category", "text", "text_fr", "source"}, row)
	if len(errs) != 0 || change == nil || plan.Action != followup.ActionUpdate || strings.Join(plan.Changes, ",") != "text_fr" {
		t.Errorf("with the columns: %+v %+v %v", plan, change, errs)
	}
	plan, change, _ = followup.PlanRecommendation(report, nil, nil, []string{"label", "category", "text"}, row)
	if change == nil || change.Patch != nil || plan.Action != followup.ActionCreate {
		t.Errorf("a new label: %+v %+v", plan, change)
	}
}

// A Party's row: a new code is created, the same names unchanged, other names (or another date,
// when the file has the column) an update.
func TestPlanParty(t *testing.T) {
	cur := followup.Party{Code: "DE", NameEN: "Germany", NameFR: "Allemagne", JoinedOn: followup.MustDate("2015-01-01")}
	row := func(en, fr, joined string) followup.PartyRow {
		p := followup.Party{Code: "DE", NameEN: en, NameFR: fr}
		if joined != "" {
			p.JoinedOn = followup.MustDate(joined)
		}
		return followup.PartyRow{Row: 2, Party: p}
	}
	all := []string{"code", "name_en", "name_fr", "joined_on"}
	names := []string{"code", "name_en", "name_fr"}
	for _, tc := range []struct {
		name    string
		cur     *followup.Party
		columns []string
		row     followup.PartyRow
		action  followup.ImportAction
		changes string
	}{
		{"new", nil, all, row("Germany", "Allemagne", ""), followup.ActionCreate, ""},
		{"same", &cur, all, row("Germany", "Allemagne", "2015-01-01"), followup.ActionUnchanged, ""},
		{"same names, no date column", &cur, names, row("Germany", "Allemagne", ""), followup.ActionUnchanged, ""},
		{"other English name", &cur, names, row("Federal Republic of Germany", "Allemagne", ""), followup.ActionUpdate, "name_en"},
		{"other date", &cur, all, row("Germany", "Allemagne", "2016-01-01"), followup.ActionUpdate, "joined_on"},
		{"date cleared", &cur, all, row("Germany", "Allemagne", ""), followup.ActionUpdate, "joined_on"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan, change := followup.PlanParty(tc.cur, tc.columns, tc.row)
			if plan.Action != tc.action || strings.Join(plan.Changes, ",") != tc.changes || plan.Party != "DE" ||
				(change == nil) != (tc.action == followup.ActionUnchanged) {
				t.Errorf("plan %+v, change %+v; want %s %q", plan, change, tc.action, tc.changes)
			}
			if change != nil && !change.Create && (change.Party.NameEN != tc.row.Party.NameEN || change.Party.Code != "DE") {
				t.Errorf("change %+v", change)
			}
		})
	}
}
