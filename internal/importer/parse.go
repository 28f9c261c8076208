package importer

import (
	"hash/maphash"
	"strconv"
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

// bad records an error on a column of row r, with its code and parameters.
func (c *rowChecker) bad(r *record, column, code string, params []string, format string, args ...any) {
	c.s.errs.add(followup.NewImportError(r.row, column, code, params, format, args...).At(c.s.letters[column]))
}

// refused records a domain error on a column of row r: its message, reason and facts.
func (c *rowChecker) refused(r *record, column string, err error) {
	c.s.errs.add(followup.ImportErrorOf(r.row, column, err).At(c.s.letters[column]))
}

// required records that a required cell of row r is empty.
func (c *rowChecker) required(r *record, column, format string, args ...any) {
	c.bad(r, column, followup.ReasonRequired, nil, format, args...)
}

// repeated reports the second row of a key: the same row again, or another row.
func (c *rowChecker) repeated(r *record, key string, again func(first int)) {
	sum := digest(c.seed, r)
	if first, dup := c.first[key]; dup {
		if first.sum == sum {
			c.bad(r, c.key, CodeRepeatedRow, []string{strconv.Itoa(first.row)}, "this row repeats row %d", first.row)
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
	refused := func(column string, err error) { c.refused(r, column, err) }
	in := followup.RecommendationInput{
		Label:    strings.TrimSpace(r.get("label")),
		Category: followup.Category(strings.ToLower(strings.TrimSpace(r.get("category")))),
		Text:     r.get("text"),
		TextFR:   r.get("text_fr"),
		URL:      r.get("url"),
		Source:   r.get("source"),
	}
	if err := followup.ValidateLabel("label", in.Label); err != nil {
		refused("label", err)
	}
	if !in.Category.Valid() {
		if in.Category == "" {
			c.required(r, "category", "the category is required (urge, consider or invite)")
		} else {
			c.bad(r, "category", followup.ReasonNotCategory, []string{r.get("category")}, "%q is not a category (urge, consider, invite)", r.get("category"))
		}
	}
	if strings.TrimSpace(in.Text) == "" {
		c.required(r, "text", "the text is required")
	}
	in.Articles = splitList(r.get("articles"))
	if len(in.Articles) > 0 {
		probe := followup.RecommendationInput{Label: "x", Category: followup.Urge, Text: "x", Articles: in.Articles}
		if err := probe.Validate(); err != nil {
			refused("articles", err)
		}
	}
	for _, code := range splitList(r.get("addressed_to")) {
		n, err := followup.NormalizePartyCode("addressed_to", code)
		if err != nil {
			refused("addressed_to", err)
			continue
		}
		in.AddressedTo = append(in.AddressedTo, n)
	}
	if v := strings.TrimSpace(r.get("due_on")); v != "" {
		d, err := followup.ParseDate("due_on", v)
		if err != nil {
			refused("due_on", err)
		}
		in.DueOn = d
	}
	if c.s.errs.total == before {
		// What the fields above do not check (lengths, normalisation) the domain does.
		if err := in.Validate(); err != nil {
			refused(followup.ErrorField(err), err)
		}
	}
	if in.Label != "" {
		c.repeated(r, in.Label, func(first int) {
			c.bad(r, "label", CodeDuplicateLabel, []string{in.Label, strconv.Itoa(first)},
				"the label %q is also in row %d: a label may appear once in a file", in.Label, first)
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
	refused := func(column string, err error) { c.refused(r, column, err) }
	row := followup.AssessmentRow{Row: r.row, Label: strings.TrimSpace(r.get("label"))}
	if err := followup.ValidateLabel("label", row.Label); err != nil {
		refused("label", err)
	}
	if v := strings.TrimSpace(r.get("party")); v == "" {
		c.required(r, "party", "the Party is required")
	} else if code, err := followup.NormalizePartyCode("party", v); err != nil {
		refused("party", err)
	} else {
		row.Party = code
	}
	row.Input.Status = followup.Status(strings.ToLower(strings.TrimSpace(r.get("status"))))
	if !row.Input.Status.Valid() {
		if row.Input.Status == "" {
			c.required(r, "status", "the status is required")
		} else {
			c.bad(r, "status", followup.ReasonNotStatus, []string{r.get("status")},
				"%q is not on the compliance scale (implemented, partially_implemented, not_implemented, no_information, not_applicable)", r.get("status"))
		}
	}
	row.Input.Comment = r.get("comment")
	row.Input.CommentFR = r.get("comment_fr")
	row.Input.Source = r.get("source")
	if v := strings.TrimSpace(r.get("assessed_on")); v == "" {
		c.required(r, "assessed_on", "the date of the assessment is required")
	} else if d, err := followup.ParseDate("assessed_on", v); err != nil {
		refused("assessed_on", err)
	} else {
		row.Input.AssessedOn = d
	}
	if c.s.errs.total == before {
		if err := row.Input.Validate(c.today); err != nil {
			refused(followup.ErrorField(err), err)
		}
	}
	if row.Label != "" && row.Party != "" {
		c.repeated(r, row.Label+"\x00"+row.Party, func(first int) {
			c.bad(r, "label", CodeDuplicateFollowUp, []string{row.Label, row.Party, strconv.Itoa(first)},
				"%s for %s is also in row %d: a follow-up may be assessed once in a file", row.Label, row.Party, first)
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
	refused := func(column string, err error) { c.refused(r, column, err) }
	p := followup.Party{NameEN: r.get("name_en"), NameFR: r.get("name_fr")}
	if v := strings.TrimSpace(r.get("code")); v == "" {
		c.required(r, "code", "the code is required")
	} else if code, err := followup.NormalizePartyCode("code", v); err != nil {
		refused("code", err)
	} else {
		p.Code = code
	}
	if v := strings.TrimSpace(r.get("joined_on")); v != "" {
		d, err := followup.ParseDate("joined_on", v)
		if err != nil {
			refused("joined_on", err)
		}
		p.JoinedOn = d
	}
	if c.s.errs.total == before {
		if err := p.Validate(); err != nil {
			refused(followup.ErrorField(err), err)
		}
	}
	if p.Code != "" {
		c.repeated(r, p.Code, func(first int) {
			c.bad(r, "code", CodeDuplicateParty, []string{p.Code, strconv.Itoa(first)},
				"the code %s is also in row %d: a Party may appear once in a file", p.Code, first)
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
