// Package importer reads recommendations, assessments and Parties from CSV or XLSX files and checks
// each row on its own, returning a batch (followup.RecommendationBatch or
// followup.AssessmentBatch) with the errors found: row number, column, cell and reason. It is
// pure: it reads bytes and never touches the database. The store plans a batch against the
// database (followup.PlanRecommendations, followup.PlanAssessments) and applies it in one
// transaction.
//
// A file has a header row naming its columns (any case, in any order; spaces and hyphens count
// as underscores) and one row per recommendation or assessment. Row numbers are those a
// spreadsheet shows: the header is row 1. Empty rows are skipped.
//
// Files are read as a stream, one row at a time, within Limits: a file built to make a reader
// allocate far more than its size (a cell in the last column of each row, a line of ten million
// separators, a cell of megabytes, a zip bomb) is refused with a message naming the row or
// cell, and the errors reported are the first ones, with a count of the rest. The streaming
// form (Parser.ParseRecommendationsStream) hands each checked row to a function, so that a
// caller need not hold the whole file's rows; the []byte functions are built on it.
package importer

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
)

// Format is a file format: the domain's, so that a Parser satisfies followup.ImportParser.
type Format = followup.ImportFormat

// Formats.
const (
	CSV  = followup.ImportCSV
	XLSX = followup.ImportXLSX
)

// XLSXContentType is the media type of an XLSX file.
const XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// FormatOf tells the format of a file from its name (extension), its media type, or else its
// first bytes (an XLSX file is a ZIP archive).
func FormatOf(name, contentType string, data []byte) (Format, error) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".csv"):
		return CSV, nil
	case strings.HasSuffix(lower, ".xlsx"):
		return XLSX, nil
	}
	ct := strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	switch ct {
	case "text/csv", "application/csv", "text/plain":
		return CSV, nil
	case XLSXContentType:
		return XLSX, nil
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return XLSX, nil
	}
	if ct == "" || ct == "application/octet-stream" {
		return CSV, nil
	}
	return "", followup.Errorf(followup.EInvalid, "cannot import a file of type %q: send CSV (text/csv) or XLSX (%s)", ct, XLSXContentType)
}

// ReadAll reads a file of at most MaxBytes.
func ReadAll(r io.Reader) ([]byte, error) { return Parser{}.ReadAll(r) }

// ReadAll reads a file of at most the parser's MaxBytes.
func (p Parser) ReadAll(r io.Reader) ([]byte, error) {
	limit := p.limits().MaxBytes
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(limit)
	}
	return data, nil
}

// tooLarge is the error of a file over limit bytes.
func tooLarge(limit int64) error {
	if limit >= 1<<20 && limit%(1<<20) == 0 {
		return followup.Errorf(followup.ETooLarge, "the file is larger than %d MiB", limit>>20)
	}
	return followup.Errorf(followup.ETooLarge, "the file is larger than %s bytes", thousands(int(limit)))
}

// column describes one column of a file.
type column struct {
	name     string
	required bool
	date     bool
	help     string
}

// RecommendationColumns are the columns of a recommendations file.
var recommendationColumns = []column{
	{name: "label", required: true, help: "the recommendation's label, unique in the report (R7, IV-3, xv)"},
	{name: "category", required: true, help: "urge, consider or invite"},
	{name: "text", required: true, help: "the text of the recommendation"},
	{name: "articles", help: "Convention article numbers separated by ; or , (e.g. 23; 24)"},
	{name: "addressed_to", help: "Party codes separated by ; or , (e.g. FR; DE); empty: every Party the report covers"},
	{name: "due_on", date: true, help: "the deadline, YYYY-MM-DD; empty: the report's deadline"},
	{name: "text_fr", help: "the French text of the recommendation; empty: none yet (French pages then show the English text, marked)"},
	{name: "url", help: "a link to the document the recommendation is taken from (http:// or https://)"},
	{name: "source", help: "where the recommendation comes from (a document, a paragraph)"},
}

// AssessmentColumns are the columns of an assessments file.
var assessmentColumns = []column{
	{name: "label", required: true, help: "the label of one of the report's recommendations"},
	{name: "party", required: true, help: "the Party's ISO code (FR, DE, ...)"},
	{name: "status", required: true, help: "implemented, partially_implemented, not_implemented, no_information or not_applicable"},
	{name: "comment", help: "the rapporteur's comment"},
	{name: "assessed_on", required: true, date: true, help: "the date of the assessment, YYYY-MM-DD"},
	{name: "comment_fr", help: "the comment in French"},
	{name: "source", help: "where the assessment comes from (e.g. a compliance report)"},
}

// partyColumns are the columns of a Parties file.
var partyColumns = []column{
	{name: "code", required: true, help: "the Party's ISO 3166-1 alpha-2 code (FR, DE, ...)"},
	{name: "name_en", required: true, help: "the Party's name in English"},
	{name: "name_fr", required: true, help: "the Party's name in French"},
	{name: "joined_on", date: true, help: "the entry into force for the Party, YYYY-MM-DD; empty: not known"},
}

// Columns returns the column names of a kind of file, in template order.
func Columns(kind followup.ImportKind) []string {
	var out []string
	for _, c := range columnsOf(kind) {
		out = append(out, c.name)
	}
	return out
}

func columnsOf(kind followup.ImportKind) []column {
	switch kind {
	case followup.ImportAssessments:
		return assessmentColumns
	case followup.ImportParties:
		return partyColumns
	}
	return recommendationColumns
}

// normalizeHeader lower-cases a header cell and turns spaces and hyphens into underscores.
func normalizeHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '\t' }), "_")
	return s
}

func names(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}

// columnLetter returns the spreadsheet name of the column at index i: A, B, ..., Z, AA, ...
// (beyond XFD, the last a sheet may have, too: a CSV row may be longer).
func columnLetter(i int) string {
	var b [8]byte
	n := len(b)
	for i++; i > 0 && n > 0; i = (i - 1) / 26 {
		n--
		b[n] = byte('A' + (i-1)%26)
	}
	return string(b[n:])
}

// serialDate turns a cell that is not written YYYY-MM-DD but holds a date serial number into
// YYYY-MM-DD (date1904: the workbook counts days from 1904, as old Mac spreadsheets did).
func serialDate(v string, date1904 bool) (string, bool) {
	v = strings.TrimSpace(v)
	if _, err := followup.ParseDate("date", v); err == nil {
		return "", false
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n < 1 || n > 2958465 {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(n, date1904)
	if err != nil {
		return "", false
	}
	return t.Format("2006-01-02"), true
}
