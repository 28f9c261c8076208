package followup

import "sort"

// Basis says which assessments a compliance summary is computed from.
type Basis string

// Bases.
const (
	BasisAdopted Basis = "adopted" // the public picture: adopted assessments only
	BasisDraft   Basis = "draft"   // the committee's working picture: latest assessment, adopted or not
)

// Pending is the count key of follow-ups that have no assessment on the basis asked for.
const Pending = "pending"

// CountKeys lists the keys of Counts in display order.
var CountKeys = []string{string(Implemented), string(PartiallyImplemented), string(NotImplemented),
	string(NoInformation), string(NotApplicable), Pending}

// Counts counts follow-ups by status, with all six keys present.
type Counts map[string]int

// NewCounts returns counts with every key at zero.
func NewCounts() Counts {
	c := make(Counts, len(CountKeys))
	for _, k := range CountKeys {
		c[k] = 0
	}
	return c
}

// Tally is the counts and score of a set of follow-ups.
type Tally struct {
	Score *float64 `json:"score"` // mean score of the follow-ups whose status counts; nil when none
	// Scored is the base of the score: how many of the Total follow-ups have a status that
	// counts (pending and not_applicable ones do not), so that "57 %" reads "57 % of 60".
	Scored int    `json:"scored"`
	Counts Counts `json:"counts"`
	Total  int    `json:"total"`
	sum    float64
}

func newTally() *Tally { return &Tally{Counts: NewCounts()} }

func (t *Tally) add(status *Status) {
	t.Total++
	if status == nil {
		t.Counts[Pending]++
		return
	}
	t.Counts[string(*status)]++
	if s, ok := status.Score(); ok {
		t.sum += s
		t.Scored++
	}
}

func (t *Tally) finish() {
	if t.Scored > 0 {
		s := t.sum / float64(t.Scored)
		t.Score = &s
	}
}

// ComplianceCell is one follow-up's status on the chosen basis and date: one cell of the matrix.
type ComplianceCell struct {
	Label     string   `json:"label"`
	Category  Category `json:"category"`
	Party     string   `json:"party"`
	Status    *Status  `json:"status"`
	AdoptedOn Date     `json:"adopted_on"` // zero for a draft or a pending cell
	Comment   string   `json:"comment"`
	CommentFR string   `json:"comment_fr"`
	Draft     bool     `json:"draft"` // the status comes from an assessment not adopted yet
	// DueOn is the deadline in force on the summary's day: the follow-up's own (set by an
	// adoption on or before that day), else its recommendation's, else its report's.
	DueOn Date `json:"due_on"`
}

// RecommendationTally is a recommendation's line of a summary.
type RecommendationTally struct {
	Label    string   `json:"label"`
	Category Category `json:"category"`
	Tally
}

// PartyTally is a Party's line of a summary.
type PartyTally struct {
	Party string `json:"party"`
	Tally
}

// Compliance is the compliance summary of a report on a date.
type Compliance struct {
	Report           string                 `json:"report"`
	AsOf             Date                   `json:"as_of"`
	Basis            Basis                  `json:"basis"`
	Overall          *Tally                 `json:"overall"`
	ByCategory       map[Category]*Tally    `json:"by_category"`
	ByRecommendation []*RecommendationTally `json:"by_recommendation"`
	ByParty          []*PartyTally          `json:"by_party"`
	// Selection is the category and Parties the figures were narrowed to (Select); nil for the
	// whole report.
	Selection *Selection       `json:"selection,omitempty"`
	Cells     []ComplianceCell `json:"-"` // the matrix, for pages and exports
	// ReportPublished says whether the report is published, so that a summary kept for one
	// reader (a cache) is shown only to those who may see the report (Actor.CanSeeReport).
	ReportPublished bool `json:"-"`
}

// Selection names the part of a report a summary covers: one category (every category when
// empty) and some Parties (every Party when none).
type Selection struct {
	Category Category `json:"category,omitempty"`
	Parties  []string `json:"parties,omitempty"`
}

// Select returns the summary of the follow-ups of one category (every category when empty) and
// of some Parties (every Party when none): the tallies are rebuilt from the selected cells with
// Summarize, so that the figures agree with the matrix shown for the same filter. The lines by
// recommendation are those of the category, in report order; with Parties chosen, only the
// recommendations addressed to one of them. The summary it is called on is left as it is
// (summaries are shared between readers).
func (c Compliance) Select(category Category, parties []string) Compliance {
	if category == "" && len(parties) == 0 {
		return c
	}
	chosen := make(map[string]bool, len(parties))
	for _, p := range parties {
		chosen[p] = true
	}
	var cells []ComplianceCell
	withCells := map[string]bool{}
	for _, cell := range c.Cells {
		if (category == "" || cell.Category == category) && (len(chosen) == 0 || chosen[cell.Party]) {
			cells = append(cells, cell)
			withCells[cell.Label] = true
		}
	}
	var labels []RecommendationTally
	for _, rt := range c.ByRecommendation {
		if (category == "" || rt.Category == category) && (len(chosen) == 0 || withCells[rt.Label]) {
			labels = append(labels, RecommendationTally{Label: rt.Label, Category: rt.Category})
		}
	}
	out := Summarize(c.Report, c.AsOf, c.Basis, labels, cells)
	sel := &Selection{Category: category}
	if len(parties) > 0 {
		sel.Parties = append([]string(nil), parties...)
		sort.Strings(sel.Parties)
	}
	out.Selection = sel
	out.ReportPublished = c.ReportPublished
	return out
}

// Summarize computes a report's summary from its cells. labels gives the recommendations in
// report order, so that a recommendation with no follow-up still has its line; Parties are
// listed in code order.
func Summarize(report string, asOf Date, basis Basis, labels []RecommendationTally, cells []ComplianceCell) Compliance {
	c := Compliance{Report: report, AsOf: asOf, Basis: basis, Overall: newTally(),
		ByCategory: map[Category]*Tally{}, Cells: cells}
	for _, cat := range Categories {
		c.ByCategory[cat] = newTally()
	}
	byLabel := map[string]*RecommendationTally{}
	for _, l := range labels {
		rt := &RecommendationTally{Label: l.Label, Category: l.Category, Tally: *newTally()}
		byLabel[l.Label] = rt
		c.ByRecommendation = append(c.ByRecommendation, rt)
	}
	byParty := map[string]*PartyTally{}
	for _, cell := range cells {
		c.Overall.add(cell.Status)
		if t := c.ByCategory[cell.Category]; t != nil {
			t.add(cell.Status)
		}
		rt := byLabel[cell.Label]
		if rt == nil {
			rt = &RecommendationTally{Label: cell.Label, Category: cell.Category, Tally: *newTally()}
			byLabel[cell.Label] = rt
			c.ByRecommendation = append(c.ByRecommendation, rt)
		}
		rt.add(cell.Status)
		pt := byParty[cell.Party]
		if pt == nil {
			pt = &PartyTally{Party: cell.Party, Tally: *newTally()}
			byParty[cell.Party] = pt
			c.ByParty = append(c.ByParty, pt)
		}
		pt.add(cell.Status)
	}
	c.Overall.finish()
	for _, t := range c.ByCategory {
		t.finish()
	}
	for _, t := range c.ByRecommendation {
		t.finish()
	}
	for _, t := range c.ByParty {
		t.finish()
	}
	sort.Slice(c.ByParty, func(i, j int) bool { return c.ByParty[i].Party < c.ByParty[j].Party })
	if c.ByRecommendation == nil {
		c.ByRecommendation = []*RecommendationTally{}
	}
	if c.ByParty == nil {
		c.ByParty = []*PartyTally{}
	}
	return c
}

// ComplianceQuery asks for a summary on a date and basis. A zero AsOf means today; an empty
// Basis means adopted.
type ComplianceQuery struct {
	AsOf  Date
	Basis Basis
}

// Validate fills in the defaults and checks that the actor may see the basis asked for.
func (q *ComplianceQuery) Validate(actor Actor, today Date) error {
	if q.AsOf.IsZero() {
		q.AsOf = today
	}
	switch q.Basis {
	case "":
		q.Basis = BasisAdopted
	case BasisAdopted:
	case BasisDraft:
		if !actor.CanSeeDrafts() {
			return actor.Require(false, "see draft assessments")
		}
	default:
		return Invalid("basis", "%q is not a basis (adopted, draft)", q.Basis)
	}
	return nil
}
