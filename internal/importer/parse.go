package importer

import (
	"fmt"
	"hash/maphash"
	"strings"

	"followup/internal/followup"
)

// seenRow is the first row of a label (or of a label and Party) in a file, and a digest of
// its cells, to tell a repeated row from a different row with the same key without keeping
// the cells.
type seenRow struct {
	row int
	sum uint64
}

// rowChecker is what the checkers of both kinds share: the scanner (for its errors and
// column letters) and the keys seen.
type rowChecker struct {
	s     *scanner
	first map[string]seenRow
	seed  maphash.Seed
	key   string // the column of a row's key: label, or code
}

// bad records an error on a column of row r.
func (c *rowChecker) bad(r *record, column, format string, args ...any) {
	c.s.errs.add(followup.ImportError{Row: r.row, Column: column, Message: fmt.Sprintf(format, args...)}.At(c.s.letters[column]))
}

// repeated reports the second row of a key: the same row again, or another row.
func (c *rowChecker) repeated(r *record, key string, again func(first int)) {
	sum := digest(c.seed, r)
	if first, dup := c.first[key]; dup {
		if first.sum == sum {
			c.bad(r, c.key, "this row repeats row %d", first.row)
		} else {
			again(first.row)
		}
		return
	}
	c.first[key] = seenRow{row: r.row, sum: sum}
}

type recommendationChecker struct{ rowChecker }

func newRecommendationChecker(s *scanner) *recommendationChecker {
	return &recommendationChecker{rowChecker{s: s, first: map[string]seenRow{}, seed: maphash.MakeSeed(), key: "label"}}
}

// check checks a row of a recommendations file; ok when it has no error.
func (c *recommendationChecker) check(r *record) (followup.RecommendationRow, bool) {
	if r.skip {
		return followup.RecommendationRow{}, false
	}
	before := c.s.errs.total
	bad := func(column, format string, args ...any) { c.bad(r, column, format, args...) }
	in := followup.RecommendationInput{
		Label:    strings.TrimSpace(r.get("label")),
		Category: followup.Category(strings.ToLower(strings.TrimSpace(r.get("category")))),
		Text:     r.get("text"),
		TextFR:   r.get("text_fr"),
		URL:      r.get("url"),
		Source:   r.get("source"),
	}
	if err := followup.ValidateLabel("label", in.Label); err != nil {
		bad("label", "%s", followup.ErrorMessage(err))
	}
	if !in.Category.Valid() {
		if in.Category == "" {
			bad("category", "the category is required (urge, consider or invite)")
		} else {
			bad("category", "%q is not a category (urge, consider, invite)", r.get("category"))
		}
	}
	if strings.TrimSpace(in.Text) == "" {
		bad("text", "the text is required")
	}
	in.Articles = splitList(r.get("articles"))
	if len(in.Articles) > 0 {
		probe := followup.RecommendationInput{Label: "x", Category: followup.Urge, Text: "x", Articles: in.Articles}
		if err := probe.Validate(); err != nil {
			bad("articles", "%s", followup.ErrorMessage(err))
		}
	}
	for _, code := range splitList(r.get("addressed_to")) {
		n, err := followup.NormalizePartyCode("addressed_to", code)
		if err != nil {
			bad("addressed_to", "%s", followup.ErrorMessage(err))
			continue
		}
		in.AddressedTo = append(in.AddressedTo, n)
	}
	if v := strings.TrimSpace(r.get("due_on")); v != "" {
		d, err := followup.ParseDate("due_on", v)
		if err != nil {
			bad("due_on", "%s", followup.ErrorMessage(err))
		}
		in.DueOn = d
	}
	if c.s.errs.total == before {
		// What the fields above do not check (lengths, normalisation) the domain does.
		if err := in.Validate(); err != nil {
			bad(followup.ErrorField(err), "%s", followup.ErrorMessage(err))
		}
	}
	if in.Label != "" {
		c.repeated(r, in.Label, func(first int) {
			bad("label", "the label %q is also in row %d: a label may appear once in a file", in.Label, first)
		})
	}
	if c.s.errs.total != before || r.bad {
		return followup.RecommendationRow{}, false
	}
	return followup.RecommendationRow{Row: r.row, Input: in}, true
}

type assessmentChecker struct {
	rowChecker
	today followup.Date
}

func newAssessmentChecker(s *scanner, today followup.Date) *assessmentChecker {
	if today.IsZero() {
		today = followup.NewDate(9999, 12, 31)
	}
	return &assessmentChecker{rowChecker{s: s, first: map[string]seenRow{}, seed: maphash.MakeSeed(), key: "label"}, today}
}

// check checks a row of an assessments file; ok when it has no error.
func (c *assessmentChecker) check(r *record) (followup.AssessmentRow, bool) {
	if r.skip {
		return followup.AssessmentRow{}, false
	}
	before := c.s.errs.total
	bad := func(column, format string, args ...any) { c.bad(r, column, format, args...) }
	row := followup.AssessmentRow{Row: r.row, Label: strings.TrimSpace(r.get("label"))}
	if err := followup.ValidateLabel("label", row.Label); err != nil {
		bad("label", "%s", followup.ErrorMessage(err))
	}
	if v := strings.TrimSpace(r.get("party")); v == "" {
		bad("party", "the Party is required")
	} else if code, err := followup.NormalizePartyCode("party", v); err != nil {
		bad("party", "%s", followup.ErrorMessage(err))
	} else {
		row.Party = code
	}
	row.Input.Status = followup.Status(strings.ToLower(strings.TrimSpace(r.get("status"))))
	if !row.Input.Status.Valid() {
		if row.Input.Status == "" {
			bad("status", "the status is required")
		} else {
			bad("status", "%q is not on the compliance scale (implemented, partially_implemented, not_implemented, no_information, not_applicable)", r.get("status"))
		}
	}
	row.Input.Comment = r.get("comment")
	row.Input.CommentFR = r.get("comment_fr")
	row.Input.Source = r.get("source")
	if v := strings.TrimSpace(r.get("assessed_on")); v == "" {
		bad("assessed_on", "the date of the assessment is required")
	} else if d, err := followup.ParseDate("assessed_on", v); err != nil {
		bad("assessed_on", "%s", followup.ErrorMessage(err))
	} else {
		row.Input.AssessedOn = d
	}
	if c.s.errs.total == before {
		if err := row.Input.Validate(c.today); err != nil {
			bad(followup.ErrorField(err), "%s", followup.ErrorMessage(err))
		}
	}
	if row.Label != "" && row.Party != "" {
		c.repeated(r, row.Label+"\x00"+row.Party, func(first int) {
			bad("label", "%s for %s is also in row %d: a follow-up may be assessed once in a file", row.Label, row.Party, first)
		})
	}
	if c.s.errs.total != before || r.bad {
		return followup.AssessmentRow{}, false
	}
	return row, true
}

type partyChecker struct{ rowChecker }

func newPartyChecker(s *scanner) *partyChecker {
	return &partyChecker{rowChecker{s: s, first: map[string]seenRow{}, seed: maphash.MakeSeed(), key: "code"}}
}

// check checks a row of a Parties file; ok when it has no error.
func (c *partyChecker) check(r *record) (followup.PartyRow, bool) {
	if r.skip {
		return followup.PartyRow{}, false
	}
	before := c.s.errs.total
	bad := func(column, format string, args ...any) { c.bad(r, column, format, args...) }
	p := followup.Party{NameEN: r.get("name_en"), NameFR: r.get("name_fr")}
	if v := strings.TrimSpace(r.get("code")); v == "" {
		bad("code", "the code is required")
	} else if code, err := followup.NormalizePartyCode("code", v); err != nil {
		bad("code", "%s", followup.ErrorMessage(err))
	} else {
		p.Code = code
	}
	if v := strings.TrimSpace(r.get("joined_on")); v != "" {
		d, err := followup.ParseDate("joined_on", v)
		if err != nil {
			bad("joined_on", "%s", followup.ErrorMessage(err))
		}
		p.JoinedOn = d
	}
	if c.s.errs.total == before {
		if err := p.Validate(); err != nil {
			bad(followup.ErrorField(err), "%s", followup.ErrorMessage(err))
		}
	}
	if p.Code != "" {
		c.repeated(r, p.Code, func(first int) {
			bad("code", "the code %s is also in row %d: a Party may appear once in a file", p.Code, first)
		})
	}
	if c.s.errs.total != before || r.bad {
		return followup.PartyRow{}, false
	}
	return followup.PartyRow{Row: r.row, Party: p}, true
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

// digest sums up a row's trimmed cells, in column order, to recognise a repeated row (two
// different rows with the same sum are one chance in 2⁶⁴).
func digest(seed maphash.Seed, r *record) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	for _, c := range r.cells {
		h.WriteString(strings.TrimSpace(c))
		h.WriteByte(0)
	}
	return h.Sum64()
}
