package followup

import (
	"encoding/base64"
	"html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search across reports: recommendations found by their words and narrowed by facets. The
// follow-up facets (Party, status, open, overdue) read the adopted outcomes only, for everyone:
// a draft assessment never shows through a search, its count or its facets.

// RecommendationQuery asks for recommendations across reports. Empty fields do not filter.
// Party, Status, Open and Overdue are conditions on one follow-up: a recommendation is found
// when one of its active follow-ups meets all of them.
type RecommendationQuery struct {
	Q        string   // words, matched in the English and French texts and the labels
	Report   string   // a report's slug
	Round    string   // a monitoring round, as the reports name it in English
	Category Category //
	Article  string   // a Convention article cited by the recommendation
	Party    string   // a Party the recommendation is addressed to
	Status   string   // an adopted status, or "pending" for none yet (CountKeys)
	Open     *bool
	Overdue  *bool
	Sort     SearchSort
	Limit    int
	Cursor   string
}

// SearchSort is the order of a search's results.
type SearchSort string

// Orders. Relevance is the default with words and means report order without them.
const (
	SortRelevance SearchSort = "relevance" // best match first
	SortReport    SearchSort = "report"    // newest report first, recommendations in report order
	SortCategory  SearchSort = "category"  // urge, consider, invite, then report order
	SortDue       SearchSort = "due"       // earliest deadline first, none last
)

// SearchSorts lists the orders.
var SearchSorts = []SearchSort{SortRelevance, SortReport, SortCategory, SortDue}

// Search limits: how many words a query keeps, how long a word may be, the page sizes.
const (
	MaxSearchWords      = 12
	MaxSearchWordLength = 64
	DefaultSearchLimit  = 50
	MaxSearchLimit      = 500
)

// Validate checks a query and normalizes its codes.
func (q *RecommendationQuery) Validate() error {
	q.Q = strings.TrimSpace(q.Q)
	if err := checkLine("q", "the search text", q.Q, 500); err != nil {
		return err
	}
	if q.Report != "" {
		if err := ValidateSlug("report", q.Report); err != nil {
			return err
		}
	}
	if err := checkLine("round", "the round", q.Round, MaxRoundLength); err != nil {
		return err
	}
	if q.Category != "" && !q.Category.Valid() {
		return Invalid("category", "%q is not a category (urge, consider, invite)", q.Category)
	}
	if q.Article != "" && !articlePattern.MatchString(q.Article) {
		return Invalid("article", "%q is not a Convention article number", q.Article)
	}
	if q.Party != "" {
		c, err := NormalizePartyCode("party", q.Party)
		if err != nil {
			return err
		}
		q.Party = c
	}
	if q.Status != "" && !validCountKey(q.Status) {
		return Invalid("status", "%q is not a status (implemented, partially_implemented, not_implemented, no_information, not_applicable, pending)", q.Status)
	}
	switch q.Sort {
	case "":
		q.Sort = SortRelevance
	case SortRelevance, SortReport, SortCategory, SortDue:
	default:
		return Invalid("sort", "%q is not an order (relevance, report, category, due)", q.Sort)
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultSearchLimit
	case q.Limit < 0 || q.Limit > MaxSearchLimit:
		return Invalid("limit", "the limit must be between 1 and %d", MaxSearchLimit)
	}
	if _, err := q.Offset(); err != nil {
		return err
	}
	return nil
}

func validCountKey(k string) bool {
	for _, v := range CountKeys {
		if k == v {
			return true
		}
	}
	return false
}

// Words returns the words of the query, as the full-text search matches them.
func (q RecommendationQuery) Words() []string { return SearchWords(q.Q) }

// FollowUpFiltered reports whether the query has a condition on the follow-ups.
func (q RecommendationQuery) FollowUpFiltered() bool {
	return q.Party != "" || q.Status != "" || q.Open != nil || q.Overdue != nil
}

// Offset reads the cursor: the position of the next page in the ordered results. Results are
// ordered by relevance or by a column, which a position follows whatever the order.
func (q RecommendationQuery) Offset() (int, error) {
	if q.Cursor == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(q.Cursor)
	n, perr := strconv.Atoi(strings.TrimPrefix(string(b), "o"))
	if err != nil || perr != nil || !strings.HasPrefix(string(b), "o") || n < 0 {
		return 0, Invalid("cursor", "%q is not a cursor returned by this list", q.Cursor)
	}
	return n, nil
}

// SearchCursor is the cursor of the page that starts at offset.
func SearchCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(offset)))
}

// SearchWords splits a search text into the words a full-text index holds: runs of letters
// and digits, lower-cased, at most MaxSearchWords of at most MaxSearchWordLength characters.
// Anything else (quotes, operators, punctuation) separates words, so that nothing the user
// types is read as query syntax.
func SearchWords(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) }) {
		w = strings.ToLower(w)
		if utf8.RuneCountInString(w) > MaxSearchWordLength {
			w = string([]rune(w)[:MaxSearchWordLength])
		}
		if seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
		if len(out) == MaxSearchWords {
			break
		}
	}
	return out
}

// RecommendationHit is a recommendation found by a search, with its report's titles and, for
// a search with words, its texts with the matching words marked.
type RecommendationHit struct {
	Recommendation
	ReportTitle     string `json:"report_title"`
	ReportTitleFR   string `json:"report_title_fr"`
	Round           string `json:"round"`
	RoundFR         string `json:"round_fr"`
	ReportAdoptedOn Date   `json:"report_adopted_on"`
	// Highlight holds the label and texts with the matching words marked, as HTML with the
	// words in <mark> and everything else escaped; nil without words.
	Highlight *Highlight `json:"highlight,omitempty"`
}

// Highlight is a hit's label and texts with the words that matched marked.
type Highlight struct {
	Label  Marked `json:"label"`
	Text   Marked `json:"text"`
	TextFR Marked `json:"text_fr"`
}

// Marked is a text cut into the runs that matched a search and those that did not.
type Marked []MarkedRun

// MarkedRun is a run of a marked text.
type MarkedRun struct {
	Text  string
	Match bool
}

// MarkOpen and MarkClose delimit the matches in the text a full-text index returns: control
// characters, which no stored text may contain (checkText), so that no text can fake a mark.
const (
	MarkOpen  = "\x02"
	MarkClose = "\x03"
)

// ParseMarked cuts a text returned with MarkOpen and MarkClose around its matches into runs.
// A stray or unclosed mark ends the run it is in; the marks themselves are dropped.
func ParseMarked(s string) Marked {
	var out Marked
	match := false
	for s != "" {
		i := strings.IndexAny(s, MarkOpen+MarkClose)
		if i < 0 {
			out = append(out, MarkedRun{Text: s, Match: match})
			break
		}
		if i > 0 {
			out = append(out, MarkedRun{Text: s[:i], Match: match})
		}
		match = s[i] == MarkOpen[0]
		s = s[i+1:]
	}
	return out
}

// String is the text without marks.
func (m Marked) String() string {
	var b strings.Builder
	for _, r := range m {
		b.WriteString(r.Text)
	}
	return b.String()
}

// HasMatch reports whether any run matched.
func (m Marked) HasMatch() bool {
	for _, r := range m {
		if r.Match {
			return true
		}
	}
	return false
}

// HTML writes the text escaped, with the matches in <mark>.
func (m Marked) HTML() string {
	var b strings.Builder
	for _, r := range m {
		if r.Match {
			b.WriteString("<mark>" + html.EscapeString(r.Text) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(r.Text))
		}
	}
	return b.String()
}

// MarshalText writes the marked text as HTML (HTML), for the API.
func (m Marked) MarshalText() ([]byte, error) { return []byte(m.HTML()), nil }

// SearchPage is one page of a search, with the count of every result and the facets.
type SearchPage struct {
	Items      []RecommendationHit `json:"items"`
	NextCursor *string             `json:"next_cursor"`
	Total      int                 `json:"total"`
	Facets     Facets              `json:"facets"`
	// Match says how the words were matched: "stems" (word stems: FTS5 or PostgreSQL text
	// search), or "substrings" (no full-text index in this build: case-folded substrings).
	Match string `json:"match,omitempty"`
}

// Facets count the recommendations each value of a facet would find, with every other filter
// of the query kept and the facet's own left out, so that each count is what choosing that
// value gives. Values that would find none are left out.
type Facets struct {
	Report   map[string]int `json:"report"`
	Round    map[string]int `json:"round"`
	Category map[string]int `json:"category"`
	Article  map[string]int `json:"article"`
	Party    map[string]int `json:"party"`
	Status   map[string]int `json:"status"`
	Open     map[string]int `json:"open"`    // "true", "false"
	Overdue  map[string]int `json:"overdue"` // "true", "false"
}

// NewFacets returns empty facets (empty maps, written as {}).
func NewFacets() Facets {
	return Facets{Report: map[string]int{}, Round: map[string]int{}, Category: map[string]int{}, Article: map[string]int{},
		Party: map[string]int{}, Status: map[string]int{}, Open: map[string]int{}, Overdue: map[string]int{}}
}

// SearchCandidate is what the facets of a recommendation-level filter need to know of a
// recommendation that the words (and nothing else yet) found.
type SearchCandidate struct {
	Report   string
	Round    string
	Category Category
	Articles []string
	// FollowUps reports whether one of its follow-ups meets the query's follow-up conditions.
	FollowUps bool
}

// Passes reports whether the candidate meets the query's recommendation-level filters, all
// of them but the one named by except ("report", "round", "category", "article"), and the
// follow-up conditions.
func (q RecommendationQuery) Passes(c SearchCandidate, except string) bool {
	if !c.FollowUps {
		return false
	}
	if except != "report" && q.Report != "" && c.Report != q.Report {
		return false
	}
	if except != "round" && q.Round != "" && c.Round != q.Round {
		return false
	}
	if except != "category" && q.Category != "" && c.Category != q.Category {
		return false
	}
	if except != "article" && q.Article != "" {
		found := false
		for _, a := range c.Articles {
			found = found || a == q.Article
		}
		if !found {
			return false
		}
	}
	return true
}

// CountCandidates fills the recommendation-level facets from the candidates: each value counted
// over the candidates that pass every other filter.
func (q RecommendationQuery) CountCandidates(f Facets, cands []SearchCandidate) {
	for _, c := range cands {
		if q.Passes(c, "report") {
			f.Report[c.Report]++
		}
		if c.Round != "" && q.Passes(c, "round") {
			f.Round[c.Round]++
		}
		if q.Passes(c, "category") {
			f.Category[string(c.Category)]++
		}
		if q.Passes(c, "article") {
			for _, a := range c.Articles {
				f.Article[a]++
			}
		}
	}
}
