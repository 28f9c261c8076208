package followup

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
)

// Bulk imports of recommendations and assessments from spreadsheets. A file is read and each
// row checked on its own by the importer package (a batch); the store then plans the batch
// against the database with PlanRecommendations or PlanAssessments and applies the plan in one
// transaction, or nothing at all when any row is wrong or when only a dry run was asked for.

// ImportKind is what a file imports.
type ImportKind string

// Import kinds.
const (
	ImportRecommendations ImportKind = "recommendations"
	ImportAssessments     ImportKind = "assessments"
)

// Valid reports whether k is a known kind.
func (k ImportKind) Valid() bool { return k == ImportRecommendations || k == ImportAssessments }

// ImportFormat is the format of an import file.
type ImportFormat string

// Import formats.
const (
	ImportCSV  ImportFormat = "csv"
	ImportXLSX ImportFormat = "xlsx"
)

// ImportParser reads import files (the importer package implements it). It is pure: it reads
// bytes and never touches the database.
type ImportParser interface {
	// FormatOf tells the format of a file from its name, its media type or its first bytes;
	// a media type that is neither CSV nor XLSX is an invalid error.
	FormatOf(name, contentType string, data []byte) (ImportFormat, error)
	// ParseRecommendations reads a recommendations file and checks each row on its own.
	ParseRecommendations(data []byte, f ImportFormat) RecommendationBatch
	// ParseAssessments reads an assessments file and checks each row on its own; today bounds
	// the assessment dates (a zero date leaves the check to the store).
	ParseAssessments(data []byte, f ImportFormat, today Date) AssessmentBatch
	// Template returns an empty file of a kind to fill in: its header row.
	Template(kind ImportKind, f ImportFormat) ([]byte, error)
	// Columns returns the column names of a kind of file, in template order.
	Columns(kind ImportKind) []string
	// MaxBytes is the size of the largest file read.
	MaxBytes() int64
}

// ImportError is what is wrong with one row (Row 1 is the header; Row 0 the file as a whole).
// An error about one cell names it in Cell (C5) and at the head of its Message.
type ImportError struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Cell    string `json:"cell,omitempty"`
	Message string `json:"message"`
}

func (e ImportError) String() string {
	switch {
	case e.Row == 0, e.Cell != "":
		return e.Message
	case e.Column == "":
		return fmt.Sprintf("row %d: %s", e.Row, e.Message)
	}
	return fmt.Sprintf("row %d, column %s: %s", e.Row, e.Column, e.Message)
}

// At names the cell of an error on a row of the file, given the letter of its column (C): Cell
// becomes C5 and the message starts "cell C5 (category): ", or "cell C5: " when the column
// has no name. An error already named, or not on a row, is returned as it is.
func (e ImportError) At(letter string) ImportError {
	if letter == "" || e.Row < 1 || e.Cell != "" {
		return e
	}
	e.Cell = letter + strconv.Itoa(e.Row)
	if e.Column == "" || e.Column == letter {
		e.Message = "cell " + e.Cell + ": " + e.Message
	} else {
		e.Message = "cell " + e.Cell + " (" + e.Column + "): " + e.Message
	}
	return e
}

// SortImportErrors orders errors by row, then column, keeping the order of a row's errors on
// the same column.
func SortImportErrors(errs []ImportError) {
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Row != errs[j].Row {
			return errs[i].Row < errs[j].Row
		}
		return errs[i].Column < errs[j].Column
	})
}

// RecommendationRow is one checked row of a recommendations file.
type RecommendationRow struct {
	Row   int
	Input RecommendationInput // validated
}

// RecommendationBatch is a recommendations file read and checked row by row. Columns lists the
// columns the file has: an optional column that is absent leaves that field of an existing
// recommendation as it is, while an empty cell in a present column clears it.
// Errors holds the first errors found (the parser keeps a bounded number) and ErrorsTotal
// counts them all; Letters gives the letter of each column in the file (label: A).
type RecommendationBatch struct {
	Columns     []string
	Rows        []RecommendationRow
	Errors      []ImportError
	ErrorsTotal int
	Letters     map[string]string
}

// Has reports whether the file has the column.
func (b RecommendationBatch) Has(column string) bool { return slices.Contains(b.Columns, column) }

// AssessmentRow is one checked row of an assessments file.
type AssessmentRow struct {
	Row   int
	Label string
	Party string          // normalized code
	Input AssessmentInput // validated
}

// AssessmentBatch is an assessments file read and checked row by row; Errors, ErrorsTotal
// and Letters are as in RecommendationBatch.
type AssessmentBatch struct {
	Rows        []AssessmentRow
	Errors      []ImportError
	ErrorsTotal int
	Letters     map[string]string
}

// ImportAction is what an import does with a row.
type ImportAction string

// Import actions.
const (
	ActionCreate    ImportAction = "create"
	ActionUpdate    ImportAction = "update"
	ActionUnchanged ImportAction = "unchanged"
)

// ImportRowResult is what happens (or would happen, in a dry run) to one row.
type ImportRowResult struct {
	Row     int          `json:"row"`
	Label   string       `json:"label"`
	Party   string       `json:"party,omitempty"`
	Action  ImportAction `json:"action"`
	Changes []string     `json:"changes,omitempty"` // the fields an update changes
}

// ImportResult is the plan of an import and, unless DryRun, its outcome. When Errors is not
// empty nothing was written. Once LimitErrors has run, Errors holds the first errors by row
// and ErrorsTotal counts them all.
type ImportResult struct {
	Kind            ImportKind        `json:"kind"`
	Report          string            `json:"report"`
	DryRun          bool              `json:"dry_run"`
	Applied         bool              `json:"applied"` // the changes were written
	Created         int               `json:"created"`
	Updated         int               `json:"updated"`
	Unchanged       int               `json:"unchanged"`
	Rows            []ImportRowResult `json:"rows"`
	Errors          []ImportError     `json:"errors"`
	ErrorsTotal     int               `json:"errors_total"`
	ErrorsTruncated bool              `json:"errors_truncated"` // Errors holds only the first ErrorsTotal
}

// MaxImportErrors is how many errors an import reports; the rest are only counted.
const MaxImportErrors = 100

// LimitErrors prepares the errors of a result for its reader: each error on a column of the
// file names its cell (letters: the column letters of the batch), the first max errors by row
// are kept, and ErrorsTotal counts them all, with the dropped errors the parser counted
// without keeping them (the batch's ErrorsTotal less its Errors). A parser keeps its first
// errors in row order, so every error it dropped is on a row after those it kept: the errors
// kept here are the first of the whole file.
func (r *ImportResult) LimitErrors(letters map[string]string, dropped, max int) {
	for i, e := range r.Errors {
		r.Errors[i] = e.At(letters[e.Column])
	}
	SortImportErrors(r.Errors)
	r.ErrorsTotal = len(r.Errors) + dropped
	if len(r.Errors) > max {
		r.Errors = r.Errors[:max]
	}
	r.ErrorsTruncated = r.ErrorsTotal > len(r.Errors)
}

func (r *ImportResult) add(row ImportRowResult) {
	switch row.Action {
	case ActionCreate:
		r.Created++
	case ActionUpdate:
		r.Updated++
	default:
		r.Unchanged++
	}
	r.Rows = append(r.Rows, row)
}

// Failed returns the error an import with errors answers: invalid, naming the file.
func (r ImportResult) Failed() error {
	if len(r.Errors) == 0 {
		return nil
	}
	if r.ErrorsTotal > len(r.Errors) {
		return Invalid("file", "%d errors (the first %d are listed): nothing was imported (first: %s)", r.ErrorsTotal, len(r.Errors), r.Errors[0])
	}
	rows := map[int]bool{}
	for _, e := range r.Errors {
		rows[e.Row] = true
	}
	return Invalid("file", "%d error(s) in %d row(s): nothing was imported (first: %s)", len(r.Errors), len(rows), r.Errors[0])
}

// ImportService applies imports. Recommendations may be imported by those who manage reports
// (secretariat, admin), assessments by those who assess (rapporteur, admin); the assessments
// are written in the name of the actor. A batch with errors, or with errors found against the
// database, writes nothing and returns the result with every error and the error of Failed.
// A dry run returns the plan and writes nothing.
type ImportService interface {
	ImportRecommendations(ctx context.Context, slug string, b RecommendationBatch, dryRun bool) (ImportResult, error)
	ImportAssessments(ctx context.Context, slug string, b AssessmentBatch, dryRun bool) (ImportResult, error)
}

// RecommendationChange is one write of a recommendations plan: a creation (Patch nil) or an
// update of the recommendation with Label.
type RecommendationChange struct {
	Row   int
	Label string
	Input RecommendationInput
	Patch *RecommendationPatch
}

// PlanRecommendations plans a recommendations batch against a report, its current
// recommendations (archived ones included) and the known Parties: a new label is created, an
// existing one is updated through the same rules as a PATCH, or left unchanged when the row says
// what the recommendation already says. It returns the result (rows and every error) and the
// changes to write.
func PlanRecommendations(report Report, existing []Recommendation, known map[string]bool, b RecommendationBatch) (ImportResult, []RecommendationChange) {
	res := ImportResult{Kind: ImportRecommendations, Report: report.Slug, Rows: []ImportRowResult{},
		Errors: append([]ImportError{}, b.Errors...)}
	byLabel := map[string]Recommendation{}
	for _, r := range existing {
		byLabel[r.Label] = r
	}
	var changes []RecommendationChange
	for _, row := range b.Rows {
		in := row.Input
		bad := false
		for _, c := range in.AddressedTo {
			if !known[c] {
				res.Errors = append(res.Errors, ImportError{Row: row.Row, Column: "addressed_to", Message: fmt.Sprintf("%s is not a known Party", c)})
				bad = true
			}
		}
		if bad {
			continue
		}
		cur, ok := byLabel[in.Label]
		if !ok {
			if _, err := AddresseesWithin(in.AddressedTo, report.Parties); err != nil {
				res.Errors = append(res.Errors, ImportError{Row: row.Row, Column: "addressed_to", Message: ErrorMessage(err)})
				continue
			}
			res.add(ImportRowResult{Row: row.Row, Label: in.Label, Action: ActionCreate})
			changes = append(changes, RecommendationChange{Row: row.Row, Label: in.Label, Input: in})
			continue
		}
		p := RecommendationPatch{Category: &in.Category, Text: &in.Text}
		if b.Has("articles") {
			p.Articles = &in.Articles
		}
		if b.Has("addressed_to") {
			p.AddressedTo = &in.AddressedTo
		}
		if b.Has("due_on") {
			p.DueOn = &in.DueOn
		}
		if b.Has("text_fr") {
			p.TextFR = &in.TextFR
		}
		if b.Has("url") {
			p.URL = &in.URL
		}
		if b.Has("source") {
			p.Source = &in.Source
		}
		after, err := p.Apply(cur)
		if err != nil {
			res.Errors = append(res.Errors, ImportError{Row: row.Row, Column: ErrorField(err), Message: ErrorMessage(err)})
			continue
		}
		if _, err := AddresseesWithin(after.AddressedTo, report.Parties); err != nil {
			res.Errors = append(res.Errors, ImportError{Row: row.Row, Column: "addressed_to", Message: ErrorMessage(err)})
			continue
		}
		diff := RecommendationDiff(cur, after)
		if len(diff) == 0 {
			res.add(ImportRowResult{Row: row.Row, Label: in.Label, Action: ActionUnchanged})
			continue
		}
		res.add(ImportRowResult{Row: row.Row, Label: in.Label, Action: ActionUpdate, Changes: diff})
		changes = append(changes, RecommendationChange{Row: row.Row, Label: in.Label, Input: in, Patch: &p})
	}
	SortImportErrors(res.Errors)
	return res, changes
}

// RecommendationDiff lists the fields that differ between two versions of a recommendation.
func RecommendationDiff(a, b Recommendation) []string {
	var out []string
	if a.Category != b.Category {
		out = append(out, "category")
	}
	if a.Text != b.Text {
		out = append(out, "text")
	}
	if a.TextFR != b.TextFR {
		out = append(out, "text_fr")
	}
	if a.URL != b.URL {
		out = append(out, "url")
	}
	if a.Source != b.Source {
		out = append(out, "source")
	}
	if !slices.Equal(nonNil(a.Articles), nonNil(b.Articles)) {
		out = append(out, "articles")
	}
	if !slices.Equal(sorted(a.AddressedTo), sorted(b.AddressedTo)) {
		out = append(out, "addressed_to")
	}
	if a.DueOn.String() != b.DueOn.String() {
		out = append(out, "due_on")
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

// AssessmentTarget is what planning an assessments import needs to know of one recommendation.
type AssessmentTarget struct {
	Archived bool
	// Active holds the Parties with an active follow-up of the recommendation (true) and those
	// whose follow-up was de-activated (false).
	Active map[string]bool
	// Assessments are the existing assessments, by Party.
	Assessments map[string][]Assessment
}

// AssessmentChange is one assessment to write.
type AssessmentChange struct {
	Row int
	Key FollowUpKey
	In  AssessmentInput
}

// lastAdoptionOf returns the date of the latest adoption among a follow-up's assessments.
func lastAdoptionOf(as []Assessment) Date {
	var latest Date
	for _, a := range as {
		if a.AdoptedOn.After(latest) {
			latest = a.AdoptedOn
		}
	}
	return latest
}

// PlanAssessments plans an assessments batch against a report, its recommendations (by label)
// and the known Parties. A row whose assessment (same status, comment and date) the follow-up
// already has is unchanged; any other row creates an assessment (assessments are append-only),
// dated by the rules of CheckAssessmentDate.
func PlanAssessments(report Report, recs map[string]AssessmentTarget, known map[string]bool, b AssessmentBatch) (ImportResult, []AssessmentChange) {
	res := ImportResult{Kind: ImportAssessments, Report: report.Slug, Rows: []ImportRowResult{},
		Errors: append([]ImportError{}, b.Errors...)}
	covered := map[string]bool{}
	for _, c := range report.Parties {
		covered[c] = true
	}
	var changes []AssessmentChange
	for _, row := range b.Rows {
		fail := func(column, format string, args ...any) {
			res.Errors = append(res.Errors, ImportError{Row: row.Row, Column: column, Message: fmt.Sprintf(format, args...)})
		}
		rec, ok := recs[row.Label]
		switch {
		case !known[row.Party]:
			fail("party", "%s is not a known Party", row.Party)
			if !ok {
				fail("label", "report %s has no recommendation %q", report.Slug, row.Label)
			}
			continue
		case !ok:
			fail("label", "report %s has no recommendation %q", report.Slug, row.Label)
			continue
		case !covered[row.Party]:
			fail("party", "%s is not one of the Parties report %s covers", row.Party, report.Slug)
			continue
		case rec.Archived:
			fail("label", "recommendation %s of %s is archived", row.Label, report.Slug)
			continue
		}
		active, has := rec.Active[row.Party]
		if !has {
			fail("party", "recommendation %s of %s is not addressed to %s", row.Label, report.Slug, row.Party)
			continue
		}
		if !active {
			fail("party", "recommendation %s of %s is no longer addressed to %s", row.Label, report.Slug, row.Party)
			continue
		}
		same := false
		for _, a := range rec.Assessments[row.Party] {
			if a.Status == row.Input.Status && a.Comment == row.Input.Comment && a.CommentFR == row.Input.CommentFR &&
				a.Source == row.Input.Source && a.AssessedOn.String() == row.Input.AssessedOn.String() {
				same = true
				break
			}
		}
		if same {
			res.add(ImportRowResult{Row: row.Row, Label: row.Label, Party: row.Party, Action: ActionUnchanged})
			continue
		}
		key := FollowUpKey{Report: report.Slug, Label: row.Label, Party: row.Party}
		if err := CheckAssessmentDate(key, row.Input, report.AdoptedOn, lastAdoptionOf(rec.Assessments[row.Party])); err != nil {
			fail(ErrorField(err), "%s", ErrorMessage(err))
			continue
		}
		res.add(ImportRowResult{Row: row.Row, Label: row.Label, Party: row.Party, Action: ActionCreate})
		changes = append(changes, AssessmentChange{Row: row.Row, Key: key, In: row.Input})
	}
	SortImportErrors(res.Errors)
	return res, changes
}
