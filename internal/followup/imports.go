package followup

import (
	"context"
	"fmt"
	"io"
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
	ImportParties         ImportKind = "parties"
)

// ImportKinds lists the kinds of import files.
var ImportKinds = []ImportKind{ImportRecommendations, ImportAssessments, ImportParties}

// Valid reports whether k is a known kind.
func (k ImportKind) Valid() bool { return slices.Contains(ImportKinds, k) }

// IntoReport reports whether a file of this kind is imported into a report (recommendations,
// assessments) rather than into the tracker as a whole (Parties).
func (k ImportKind) IntoReport() bool { return k == ImportRecommendations || k == ImportAssessments }

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
	// RecommendationStream, AssessmentStream and PartyStream read a file of their kind from r
	// as a stream, one row at a time, checking each row on its own; progress, when not nil, is
	// told how far the reading has gone. The stream can be read once.
	RecommendationStream(r io.Reader, f ImportFormat, progress func(ImportProgress)) ImportStream[RecommendationRow]
	// AssessmentStream: today bounds the assessment dates (a zero date leaves the check to the store).
	AssessmentStream(r io.Reader, f ImportFormat, today Date, progress func(ImportProgress)) ImportStream[AssessmentRow]
	PartyStream(r io.Reader, f ImportFormat, progress func(ImportProgress)) ImportStream[PartyRow]
	// Template returns an empty file of a kind to fill in: its header row.
	Template(kind ImportKind, f ImportFormat) ([]byte, error)
	// Columns returns the column names of a kind of file, in template order.
	Columns(kind ImportKind) []string
	// MaxBytes is the size of the largest file read.
	MaxBytes() int64
}

// ImportProgress is how far the reading of a file has gone: Rows data rows read of about
// Total (0 when unknown; it may be more than the rows the file holds). Done is set at the end.
type ImportProgress struct {
	Rows, Total int
	Done        bool
}

// ImportSummary is what reading a file found besides its good rows: the columns it has (in
// the kind's order) and the letter of each in the file, how many rows were good, and the first
// errors (by row) with the count of all. A file with any error imports nothing.
type ImportSummary struct {
	Columns     []string
	Letters     map[string]string
	Rows        int
	Errors      []ImportError
	ErrorsTotal int
}

// ImportStream reads a file once, as a stream: it calls start with the columns the file has
// before its first row (not at all when the header is wrong), then row with each good row in
// file order, and returns what it found wrong. Its error is start's or row's (the reading
// stops there), a read error, or a too_large error; what is wrong in the file is in the summary.
// The store reads a stream inside the import's transaction, so that neither the file nor the
// plan is ever held whole.
type ImportStream[R any] func(start func(columns []string) error, row func(R) error) (ImportSummary, error)

// ImportError is what is wrong with one row (Row 1 is the header; Row 0 the file as a whole).
// An error about one cell names it in Cell (C5) and at the head of its Message.
type ImportError struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Cell    string `json:"cell,omitempty"`
	Message string `json:"message"` // in English, for the API, the CLI and the logs
	// Code says what is wrong, for pages to say it in their language, and Params are the facts
	// its message names, as text (numbers, column letters, labels, Party codes, dates as
	// YYYY-MM-DD). A code is a Reason of the domain's errors (too_long, date_format, ...),
	// ImportInvalid for a domain error without one, an ImportCode of the plan, or one of the
	// importer's codes for what it reads (importer.Codes).
	Code   string   `json:"code,omitempty"`
	Params []string `json:"params,omitempty"`
}

// Codes of import errors found by planning a file against the database (ImportError.Code),
// with their parameters.
const (
	ImportInvalid                = "invalid"                 // a domain error without a reason
	ImportNoRecommendation       = "no_recommendation"       // params: the label the report does not have
	ImportRecommendationArchived = "recommendation_archived" // params: the label
	ImportNotAddressed           = "not_addressed"           // params: the label, the Party's code
	ImportNoLongerAddressed      = "no_longer_addressed"     // params: the label, the Party's code
)

// ImportCodes lists the codes of the plan's errors that are not Reasons, for the catalogue's
// tests.
var ImportCodes = []string{ImportNoRecommendation, ImportRecommendationArchived, ImportNotAddressed, ImportNoLongerAddressed}

// NewImportError returns the error of a row's column with its code, its parameters and its
// English message.
func NewImportError(row int, column, code string, params []string, format string, args ...any) ImportError {
	return ImportError{Row: row, Column: column, Message: fmt.Sprintf(format, args...), Code: code, Params: params}
}

// ImportErrorOf returns the error of a row's column from a domain error: its message, and its
// reason and facts as the code and parameters (ImportInvalid when it has no reason).
func ImportErrorOf(row int, column string, err error) ImportError {
	code, params := ErrorReason(err)
	if code == "" {
		code = ImportInvalid
	}
	return ImportError{Row: row, Column: column, Message: ErrorMessage(err), Code: code, Params: params}
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

// Stream returns the batch as a stream (for rows already in memory).
func (b RecommendationBatch) Stream() ImportStream[RecommendationRow] {
	return func(start func([]string) error, row func(RecommendationRow) error) (ImportSummary, error) {
		return streamRows(ImportSummary{Columns: b.Columns, Letters: b.Letters, Rows: len(b.Rows), Errors: b.Errors, ErrorsTotal: b.ErrorsTotal}, b.Rows, start, row)
	}
}

// streamRows hands rows in memory to a stream's functions.
func streamRows[R any](sum ImportSummary, rows []R, start func([]string) error, row func(R) error) (ImportSummary, error) {
	if sum.ErrorsTotal < len(sum.Errors) {
		sum.ErrorsTotal = len(sum.Errors)
	}
	if err := start(sum.Columns); err != nil {
		return sum, err
	}
	for _, r := range rows {
		if err := row(r); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

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

// Stream returns the batch as a stream (for rows already in memory).
func (b AssessmentBatch) Stream() ImportStream[AssessmentRow] {
	return func(start func([]string) error, row func(AssessmentRow) error) (ImportSummary, error) {
		return streamRows(ImportSummary{Letters: b.Letters, Rows: len(b.Rows), Errors: b.Errors, ErrorsTotal: b.ErrorsTotal}, b.Rows, start, row)
	}
}

// PartyRow is one checked row of a Parties file (columns code, name_en, name_fr, joined_on).
type PartyRow struct {
	Row   int
	Party Party // validated
}

// ImportAction is what an import does with a row.
type ImportAction string

// Import actions.
const (
	ActionCreate    ImportAction = "create"
	ActionUpdate    ImportAction = "update"
	ActionUnchanged ImportAction = "unchanged"
)

// ImportRowResult is what happens (or would happen, in a dry run) to one row. Label is the
// recommendation's; Party the assessed Party's, or the code of an imported Party.
type ImportRowResult struct {
	Row     int          `json:"row"`
	Label   string       `json:"label"`
	Party   string       `json:"party,omitempty"`
	Action  ImportAction `json:"action"`
	Changes []string     `json:"changes,omitempty"` // the fields an update changes
}

// ImportResult is the plan of an import and, unless DryRun, its outcome. When Errors is not
// empty nothing was written. A file may have tens of thousands of rows, so the result keeps
// only the first MaxImportRowResults rows (RowsTotal counts them all, and Created, Updated and
// Unchanged count each action) and the first MaxImportErrors errors by row (ErrorsTotal counts
// them all): its size does not grow with the file.
type ImportResult struct {
	Kind            ImportKind        `json:"kind"`
	Report          string            `json:"report"` // "" for Parties
	DryRun          bool              `json:"dry_run"`
	Applied         bool              `json:"applied"` // the changes were written
	Created         int               `json:"created"`
	Updated         int               `json:"updated"`
	Unchanged       int               `json:"unchanged"`
	Rows            []ImportRowResult `json:"rows"`
	RowsTotal       int               `json:"rows_total"`
	RowsTruncated   bool              `json:"rows_truncated"` // Rows holds only the first RowsTotal
	Errors          []ImportError     `json:"errors"`
	ErrorsTotal     int               `json:"errors_total"`
	ErrorsTruncated bool              `json:"errors_truncated"` // Errors holds only the first ErrorsTotal

	failed int // errors found against the database, kept or not (Fail)
}

// MaxImportErrors is how many errors an import reports; the rest are only counted.
const MaxImportErrors = 100

// MaxImportRowResults is how many rows an import result lists; the rest are only counted.
const MaxImportRowResults = 1000

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

// Record counts a row's action and lists the row while fewer than MaxImportRowResults are.
func (r *ImportResult) Record(row ImportRowResult) {
	switch row.Action {
	case ActionCreate:
		r.Created++
	case ActionUpdate:
		r.Updated++
	default:
		r.Unchanged++
	}
	r.RowsTotal++
	if len(r.Rows) < MaxImportRowResults {
		r.Rows = append(r.Rows, row)
	}
	r.RowsTruncated = r.RowsTotal > len(r.Rows)
}

// add is Record, for the plans of whole batches.
func (r *ImportResult) add(row ImportRowResult) { r.Record(row) }

// Fail records an error found against the database, keeping the first MaxImportErrors (rows
// come in file order, so they are the first by row) and counting them all.
func (r *ImportResult) Fail(e ImportError) {
	r.failed++
	if len(r.Errors) < MaxImportErrors {
		r.Errors = append(r.Errors, e)
	}
}

// Failing reports whether an error was recorded with Fail.
func (r *ImportResult) Failing() bool { return r.failed > 0 }

// Finish adds what the reading of the file found (its summary) to the errors found against
// the database, names each error's cell, and keeps the first MaxImportErrors of them all by
// row with the count of all.
func (r *ImportResult) Finish(sum ImportSummary) {
	kept := len(r.Errors)
	dropped := r.failed - kept
	r.Errors = append(append([]ImportError{}, sum.Errors...), r.Errors...)
	dropped += max(0, sum.ErrorsTotal-len(sum.Errors))
	r.LimitErrors(sum.Letters, max(0, dropped), MaxImportErrors)
	if r.Rows == nil {
		r.Rows = []ImportRowResult{}
	}
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
	return Invalid("file", "%s in %s: nothing was imported (first: %s)", Counted(len(r.Errors), "error", "errors"),
		Counted(len(rows), "row", "rows"), r.Errors[0])
}

// ImportService applies imports. Recommendations may be imported by those who manage reports
// (secretariat, admin), assessments by those who assess (rapporteur, admin); the assessments
// are written in the name of the actor. A batch with errors, or with errors found against the
// database, writes nothing and returns the result with every error and the error of Failed.
// A dry run returns the plan and writes nothing.
// Parties are imported by those who manage Parties (secretariat, admin). Each service reads its
// stream inside one transaction, row by row, so that an import of any size needs the memory
// of one row and of its bounded result.
type ImportService interface {
	ImportRecommendations(ctx context.Context, slug string, rows ImportStream[RecommendationRow], dryRun bool) (ImportResult, error)
	ImportAssessments(ctx context.Context, slug string, rows ImportStream[AssessmentRow], dryRun bool) (ImportResult, error)
	ImportParties(ctx context.Context, rows ImportStream[PartyRow], dryRun bool) (ImportResult, error)
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
// recommendations (archived ones included) and the known Parties, row by row with
// PlanRecommendation. It returns the result (rows and every error) and the changes to write.
func PlanRecommendations(report Report, existing []Recommendation, known map[string]bool, b RecommendationBatch) (ImportResult, []RecommendationChange) {
	res := ImportResult{Kind: ImportRecommendations, Report: report.Slug, Rows: []ImportRowResult{},
		Errors: append([]ImportError{}, b.Errors...)}
	byLabel := map[string]Recommendation{}
	for _, r := range existing {
		byLabel[r.Label] = r
	}
	var changes []RecommendationChange
	for _, row := range b.Rows {
		var cur *Recommendation
		if r, ok := byLabel[row.Input.Label]; ok {
			cur = &r
		}
		plan, change, errs := PlanRecommendation(report, cur, known, b.Columns, row)
		if len(errs) > 0 {
			res.Errors = append(res.Errors, errs...)
			continue
		}
		res.add(plan)
		if change != nil {
			changes = append(changes, *change)
		}
	}
	SortImportErrors(res.Errors)
	return res, changes
}

// PlanRecommendation plans one row of a recommendations file against the report, the
// recommendation with the row's label (cur, nil when there is none), the known Parties and the
// columns the file has: a new label is created, an existing one is updated through the same
// rules as a PATCH (a column the file does not have leaves its field alone), or left unchanged
// when the row says what the recommendation already says. It returns what happens to the row
// and the change to write (nil when unchanged), or the row's errors.
func PlanRecommendation(report Report, cur *Recommendation, known map[string]bool, columns []string, row RecommendationRow) (ImportRowResult, *RecommendationChange, []ImportError) {
	in := row.Input
	var errs []ImportError
	for _, c := range in.AddressedTo {
		if !known[c] {
			errs = append(errs, ImportErrorOf(row.Row, "addressed_to", UnknownParty("addressed_to", c)))
		}
	}
	if len(errs) > 0 {
		return ImportRowResult{}, nil, errs
	}
	fail := func(column string, err error) (ImportRowResult, *RecommendationChange, []ImportError) {
		return ImportRowResult{}, nil, []ImportError{ImportErrorOf(row.Row, column, err)}
	}
	if cur == nil {
		if _, err := AddresseesWithin(in.AddressedTo, report.Parties); err != nil {
			return fail("addressed_to", err)
		}
		return ImportRowResult{Row: row.Row, Label: in.Label, Action: ActionCreate},
			&RecommendationChange{Row: row.Row, Label: in.Label, Input: in}, nil
	}
	has := func(c string) bool { return slices.Contains(columns, c) }
	p := RecommendationPatch{Category: &in.Category, Text: &in.Text}
	if has("articles") {
		p.Articles = &in.Articles
	}
	if has("addressed_to") {
		p.AddressedTo = &in.AddressedTo
	}
	if has("due_on") {
		p.DueOn = &in.DueOn
	}
	if has("text_fr") {
		p.TextFR = &in.TextFR
	}
	if has("url") {
		p.URL = &in.URL
	}
	if has("source") {
		p.Source = &in.Source
	}
	after, err := p.Apply(*cur)
	if err != nil {
		return fail(ErrorField(err), err)
	}
	if _, err := AddresseesWithin(after.AddressedTo, report.Parties); err != nil {
		return fail("addressed_to", err)
	}
	diff := RecommendationDiff(*cur, after)
	if len(diff) == 0 {
		return ImportRowResult{Row: row.Row, Label: in.Label, Action: ActionUnchanged}, nil, nil
	}
	return ImportRowResult{Row: row.Row, Label: in.Label, Action: ActionUpdate, Changes: diff},
		&RecommendationChange{Row: row.Row, Label: in.Label, Input: in, Patch: &p}, nil
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
// and the known Parties, row by row with PlanAssessment.
func PlanAssessments(report Report, recs map[string]AssessmentTarget, known map[string]bool, b AssessmentBatch) (ImportResult, []AssessmentChange) {
	res := ImportResult{Kind: ImportAssessments, Report: report.Slug, Rows: []ImportRowResult{},
		Errors: append([]ImportError{}, b.Errors...)}
	var changes []AssessmentChange
	for _, row := range b.Rows {
		var target *AssessmentTarget
		if t, ok := recs[row.Label]; ok {
			target = &t
		}
		plan, change, errs := PlanAssessment(report, target, known, row)
		if len(errs) > 0 {
			res.Errors = append(res.Errors, errs...)
			continue
		}
		res.add(plan)
		if change != nil {
			changes = append(changes, *change)
		}
	}
	SortImportErrors(res.Errors)
	return res, changes
}

// PlanAssessment plans one row of an assessments file against the report, the recommendation
// with the row's label (target, nil when there is none: its Active and Assessments need hold
// only the row's Party) and the known Parties. A row whose assessment the follow-up already
// has (same status, comment and date, and the same French comment and source where the row
// gives them) is unchanged; any other row creates an assessment (assessments are append-only),
// dated by the rules of CheckAssessmentDate.
func PlanAssessment(report Report, target *AssessmentTarget, known map[string]bool, row AssessmentRow) (ImportRowResult, *AssessmentChange, []ImportError) {
	var errs []ImportError
	fail := func(column, code string, params []string, format string, args ...any) {
		errs = append(errs, NewImportError(row.Row, column, code, params, format, args...))
	}
	noRecommendation := func() {
		fail("label", ImportNoRecommendation, []string{row.Label}, "report %s has no recommendation %q", report.Slug, row.Label)
	}
	switch {
	case !known[row.Party]:
		errs = append(errs, ImportErrorOf(row.Row, "party", UnknownParty("party", row.Party)))
		if target == nil {
			noRecommendation()
		}
	case target == nil:
		noRecommendation()
	case !slices.Contains(report.Parties, row.Party):
		fail("party", ReasonNotCovered, []string{row.Party}, "%s is not one of the Parties report %s covers", row.Party, report.Slug)
	case target.Archived:
		fail("label", ImportRecommendationArchived, []string{row.Label}, "recommendation %s of %s is archived", row.Label, report.Slug)
	}
	if len(errs) > 0 {
		return ImportRowResult{}, nil, errs
	}
	active, has := target.Active[row.Party]
	if !has {
		fail("party", ImportNotAddressed, []string{row.Label, row.Party}, "recommendation %s of %s is not addressed to %s", row.Label, report.Slug, row.Party)
		return ImportRowResult{}, nil, errs
	}
	if !active {
		fail("party", ImportNoLongerAddressed, []string{row.Label, row.Party}, "recommendation %s of %s is no longer addressed to %s", row.Label, report.Slug, row.Party)
		return ImportRowResult{}, nil, errs
	}
	in := row.Input
	for _, a := range target.Assessments[row.Party] {
		if a.Status == in.Status && a.Comment == in.Comment && a.AssessedOn.String() == in.AssessedOn.String() &&
			(in.CommentFR == "" || a.CommentFR == in.CommentFR) && (in.Source == "" || a.Source == in.Source) {
			return ImportRowResult{Row: row.Row, Label: row.Label, Party: row.Party, Action: ActionUnchanged}, nil, nil
		}
	}
	key := FollowUpKey{Report: report.Slug, Label: row.Label, Party: row.Party}
	if err := CheckAssessmentDate(key, in, report.AdoptedOn, lastAdoptionOf(target.Assessments[row.Party])); err != nil {
		return ImportRowResult{}, nil, []ImportError{ImportErrorOf(row.Row, ErrorField(err), err)}
	}
	return ImportRowResult{Row: row.Row, Label: row.Label, Party: row.Party, Action: ActionCreate},
		&AssessmentChange{Row: row.Row, Key: key, In: in}, nil
}

// PartyChange is one write of a Parties import: a new Party (Create) or new names and date for
// an existing one.
type PartyChange struct {
	Row    int
	Party  Party
	Create bool
}

// PlanParty plans one row of a Parties file against the Party with the row's code (cur, nil
// when there is none) and the columns the file has: a new code is created; an existing Party
// with the same names (and date of joining, where the file has the column) is unchanged, and
// one with other names or another date is updated.
func PlanParty(cur *Party, columns []string, row PartyRow) (ImportRowResult, *PartyChange) {
	p := row.Party
	if cur == nil {
		return ImportRowResult{Row: row.Row, Party: p.Code, Action: ActionCreate}, &PartyChange{Row: row.Row, Party: p, Create: true}
	}
	after := *cur
	after.NameEN, after.NameFR = p.NameEN, p.NameFR
	if slices.Contains(columns, "joined_on") {
		after.JoinedOn = p.JoinedOn
	}
	var diff []string
	if after.NameEN != cur.NameEN {
		diff = append(diff, "name_en")
	}
	if after.NameFR != cur.NameFR {
		diff = append(diff, "name_fr")
	}
	if after.JoinedOn != cur.JoinedOn {
		diff = append(diff, "joined_on")
	}
	if len(diff) == 0 {
		return ImportRowResult{Row: row.Row, Party: p.Code, Action: ActionUnchanged}, nil
	}
	return ImportRowResult{Row: row.Row, Party: p.Code, Action: ActionUpdate, Changes: diff}, &PartyChange{Row: row.Row, Party: after}
}
