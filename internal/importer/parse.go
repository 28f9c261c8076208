package importer

import (
	"fmt"
	"strings"

	"followup/internal/followup"
)

// ParseRecommendations reads a recommendations file (columns label, category, text, articles,
// addressed_to, due_on) and checks every row on its own: each wrong cell is reported, and a
// label that appears twice in the file is reported on its second row. Rows with errors are left
// out of Rows.
func ParseRecommendations(data []byte, f Format) followup.RecommendationBatch {
	t, errs := readTable(data, f, recommendationColumns)
	b := followup.RecommendationBatch{Columns: t.columns, Rows: []followup.RecommendationRow{}, Errors: errs}
	firstRow := map[string]int{}      // label -> first row
	firstCells := map[string]string{} // label -> that row's cells, to tell a duplicate row
	for _, r := range t.records {
		rowErrs := len(b.Errors)
		bad := func(column, format string, args ...any) {
			b.Errors = append(b.Errors, followup.ImportError{Row: r.row, Column: column, Message: fmt.Sprintf(format, args...)})
		}
		in := followup.RecommendationInput{
			Label:    strings.TrimSpace(r.cells["label"]),
			Category: followup.Category(strings.ToLower(strings.TrimSpace(r.cells["category"]))),
			Text:     r.cells["text"],
		}
		if err := followup.ValidateLabel("label", in.Label); err != nil {
			bad("label", "%s", followup.ErrorMessage(err))
		}
		if !in.Category.Valid() {
			if in.Category == "" {
				bad("category", "the category is required (urge, consider or invite)")
			} else {
				bad("category", "%q is not a category (urge, consider, invite)", r.cells["category"])
			}
		}
		if strings.TrimSpace(in.Text) == "" {
			bad("text", "the text is required")
		}
		in.Articles = splitList(r.cells["articles"])
		if len(in.Articles) > 0 {
			probe := followup.RecommendationInput{Label: "x", Category: followup.Urge, Text: "x", Articles: in.Articles}
			if err := probe.Validate(); err != nil {
				bad("articles", "%s", followup.ErrorMessage(err))
			}
		}
		for _, c := range splitList(r.cells["addressed_to"]) {
			code, err := followup.NormalizePartyCode("addressed_to", c)
			if err != nil {
				bad("addressed_to", "%s", followup.ErrorMessage(err))
				continue
			}
			in.AddressedTo = append(in.AddressedTo, code)
		}
		if v := strings.TrimSpace(r.cells["due_on"]); v != "" {
			d, err := followup.ParseDate("due_on", v)
			if err != nil {
				bad("due_on", "%s", followup.ErrorMessage(err))
			}
			in.DueOn = d
		}
		if len(b.Errors) == rowErrs {
			// What the fields above do not check (lengths, normalisation) the domain does.
			if err := in.Validate(); err != nil {
				bad(followup.ErrorField(err), "%s", followup.ErrorMessage(err))
			}
		}
		if in.Label != "" {
			cells := canonical(r, recommendationColumns)
			if first, dup := firstRow[in.Label]; dup {
				if firstCells[in.Label] == cells {
					bad("label", "this row repeats row %d", first)
				} else {
					bad("label", "the label %q is also in row %d: a label may appear once in a file", in.Label, first)
				}
			} else {
				firstRow[in.Label], firstCells[in.Label] = r.row, cells
			}
		}
		if len(b.Errors) == rowErrs && !r.bad {
			b.Rows = append(b.Rows, followup.RecommendationRow{Row: r.row, Input: in})
		}
	}
	followup.SortImportErrors(b.Errors)
	return b
}

// ParseAssessments reads an assessments file (columns label, party, status, comment,
// assessed_on) and checks every row on its own. The date is required, so that importing the
// same file again finds the same assessments. A (label, party) pair that appears twice in the
// file is reported on its second row. A date after today is refused; a zero today leaves that
// check to the store.
func ParseAssessments(data []byte, f Format, today followup.Date) followup.AssessmentBatch {
	if today.IsZero() {
		today = followup.NewDate(9999, 12, 31)
	}
	t, errs := readTable(data, f, assessmentColumns)
	b := followup.AssessmentBatch{Rows: []followup.AssessmentRow{}, Errors: errs}
	firstRow := map[string]int{}
	firstCells := map[string]string{}
	for _, r := range t.records {
		rowErrs := len(b.Errors)
		bad := func(column, format string, args ...any) {
			b.Errors = append(b.Errors, followup.ImportError{Row: r.row, Column: column, Message: fmt.Sprintf(format, args...)})
		}
		row := followup.AssessmentRow{Row: r.row, Label: strings.TrimSpace(r.cells["label"])}
		if err := followup.ValidateLabel("label", row.Label); err != nil {
			bad("label", "%s", followup.ErrorMessage(err))
		}
		if v := strings.TrimSpace(r.cells["party"]); v == "" {
			bad("party", "the Party is required")
		} else if code, err := followup.NormalizePartyCode("party", v); err != nil {
			bad("party", "%s", followup.ErrorMessage(err))
		} else {
			row.Party = code
		}
		row.Input.Status = followup.Status(strings.ToLower(strings.TrimSpace(r.cells["status"])))
		if !row.Input.Status.Valid() {
			if row.Input.Status == "" {
				bad("status", "the status is required")
			} else {
				bad("status", "%q is not on the compliance scale (implemented, partially_implemented, not_implemented, no_information, not_applicable)", r.cells["status"])
			}
		}
		row.Input.Comment = r.cells["comment"]
		if v := strings.TrimSpace(r.cells["assessed_on"]); v == "" {
			bad("assessed_on", "the date of the assessment is required")
		} else if d, err := followup.ParseDate("assessed_on", v); err != nil {
			bad("assessed_on", "%s", followup.ErrorMessage(err))
		} else {
			row.Input.AssessedOn = d
		}
		if len(b.Errors) == rowErrs {
			if err := row.Input.Validate(today); err != nil {
				bad(followup.ErrorField(err), "%s", followup.ErrorMessage(err))
			}
		}
		if row.Label != "" && row.Party != "" {
			key := row.Label + "\x00" + row.Party
			cells := canonical(r, assessmentColumns)
			if first, dup := firstRow[key]; dup {
				if firstCells[key] == cells {
					bad("label", "this row repeats row %d", first)
				} else {
					bad("label", "%s for %s is also in row %d: a follow-up may be assessed once in a file", row.Label, row.Party, first)
				}
			} else {
				firstRow[key], firstCells[key] = r.row, cells
			}
		}
		if len(b.Errors) == rowErrs && !r.bad {
			b.Rows = append(b.Rows, row)
		}
	}
	followup.SortImportErrors(b.Errors)
	return b
}

// splitList splits a list cell on semicolons, commas and line breaks, dropping empty items.
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == '\n' || r == '\r' })
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// canonical is a row's trimmed cells in column order, to recognise a repeated row.
func canonical(r record, cols []column) string {
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(strings.TrimSpace(r.cells[c.name]))
		b.WriteByte(0)
	}
	return b.String()
}
