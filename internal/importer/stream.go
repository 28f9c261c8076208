package importer

import (
	"bytes"
	"errors"
	"io"
	"os"

	"followup/internal/followup"
)

// Parser reads import files within its Limits (the zero Parser: the default limits) and, when
// Progress is set, reports how far it has gone. It is this package as a followup.ImportParser,
// for the adapters that must not import it (the HTTP server).
type Parser struct {
	Limits Limits
	// Progress, when set, is called every progressEvery data rows and once at the end.
	Progress func(Progress)
}

var _ followup.ImportParser = Parser{}

// progressEvery is how many data rows a parse reads between calls of Progress.
const progressEvery = 256

// Progress is how far a parse has gone: Rows data rows read (blank rows left out) of about
// Total, 0 when unknown. Total is what is cheap to know before reading: the dimension the XLSX
// sheet declares, the line count of a CSV file at hand (a quoted cell may span lines); it may
// be more than the rows the file holds. Done is set on the last call.
type Progress = followup.ImportProgress

// Summary is what a streaming parse found besides its rows: the columns the file has (in the
// kind's order) and the letter of each in the file, how many rows were accepted, and the
// first errors (at most Limits.MaxErrors, by row) with the count of all. Rows with errors
// are not accepted; a file with any error imports nothing.
type Summary = followup.ImportSummary

func (p Parser) limits() Limits { return p.Limits.withDefaults() }

// MaxBytes returns the size of the largest file read.
func (p Parser) MaxBytes() int64 { return p.limits().MaxBytes }

// FormatOf calls FormatOf.
func (Parser) FormatOf(name, contentType string, data []byte) (Format, error) {
	return FormatOf(name, contentType, data)
}

// Template calls Template.
func (Parser) Template(kind followup.ImportKind, f Format) ([]byte, error) { return Template(kind, f) }

// Columns calls Columns.
func (Parser) Columns(kind followup.ImportKind) []string { return Columns(kind) }

// ParseRecommendationsStream reads a recommendations file (columns label, category, text,
// articles, addressed_to, due_on) row by row and calls fn with each row that is good, in file
// order; the memory it needs does not grow with the file (only the labels seen, to find a
// label repeated, grow with its rows). Each wrong cell is reported, and a label that appears
// twice is reported on its second row. The error returned is fn's (the reading stops), a read
// error of r, or a too_large error beyond MaxBytes; what is wrong in the file is in the
// Summary.
func (p Parser) ParseRecommendationsStream(r io.Reader, f Format, fn func(followup.RecommendationRow) error) (Summary, error) {
	return p.streamRecommendations(r, f, nil, fn)
}

func (p Parser) streamRecommendations(r io.Reader, f Format, start func([]string) error, fn func(followup.RecommendationRow) error) (Summary, error) {
	return p.stream(r, f, recommendationColumns, start, func(s *scanner) func(*record) error {
		v := newRecommendationChecker(s)
		return func(rec *record) error {
			if row, ok := v.check(rec); ok {
				s.accepted++
				return fn(row)
			}
			return nil
		}
	})
}

// ParseAssessmentsStream reads an assessments file (columns label, party, status, comment,
// assessed_on) row by row as ParseRecommendationsStream does. The date is required, so that
// importing the same file again finds the same assessments. A (label, party) pair that
// appears twice is reported on its second row. A date after today is refused; a zero today
// leaves that check to the store.
func (p Parser) ParseAssessmentsStream(r io.Reader, f Format, today followup.Date, fn func(followup.AssessmentRow) error) (Summary, error) {
	return p.streamAssessments(r, f, today, nil, fn)
}

func (p Parser) streamAssessments(r io.Reader, f Format, today followup.Date, start func([]string) error, fn func(followup.AssessmentRow) error) (Summary, error) {
	return p.stream(r, f, assessmentColumns, start, func(s *scanner) func(*record) error {
		v := newAssessmentChecker(s, today)
		return func(rec *record) error {
			if row, ok := v.check(rec); ok {
				s.accepted++
				return fn(row)
			}
			return nil
		}
	})
}

// ParsePartiesStream reads a Parties file (columns code, name_en, name_fr, joined_on) row by
// row as ParseRecommendationsStream does. A code that appears twice is reported on its second
// row.
func (p Parser) ParsePartiesStream(r io.Reader, f Format, fn func(followup.PartyRow) error) (Summary, error) {
	return p.streamParties(r, f, nil, fn)
}

func (p Parser) streamParties(r io.Reader, f Format, start func([]string) error, fn func(followup.PartyRow) error) (Summary, error) {
	return p.stream(r, f, partyColumns, start, func(s *scanner) func(*record) error {
		v := newPartyChecker(s)
		return func(rec *record) error {
			if row, ok := v.check(rec); ok {
				s.accepted++
				return fn(row)
			}
			return nil
		}
	})
}

// RecommendationStream returns a recommendations file read from r as the domain's stream, the
// parser's progress told to progress (when not nil). It reads r once.
func (p Parser) RecommendationStream(r io.Reader, f Format, progress func(Progress)) followup.ImportStream[followup.RecommendationRow] {
	if progress != nil {
		p.Progress = progress
	}
	return func(start func([]string) error, row func(followup.RecommendationRow) error) (Summary, error) {
		return p.streamRecommendations(r, f, start, row)
	}
}

// AssessmentStream returns an assessments file read from r as the domain's stream; see
// RecommendationStream.
func (p Parser) AssessmentStream(r io.Reader, f Format, today followup.Date, progress func(Progress)) followup.ImportStream[followup.AssessmentRow] {
	if progress != nil {
		p.Progress = progress
	}
	return func(start func([]string) error, row func(followup.AssessmentRow) error) (Summary, error) {
		return p.streamAssessments(r, f, today, start, row)
	}
}

// PartyStream returns a Parties file read from r as the domain's stream; see
// RecommendationStream.
func (p Parser) PartyStream(r io.Reader, f Format, progress func(Progress)) followup.ImportStream[followup.PartyRow] {
	if progress != nil {
		p.Progress = progress
	}
	return func(start func([]string) error, row func(followup.PartyRow) error) (Summary, error) {
		return p.streamParties(r, f, start, row)
	}
}

// ParseRecommendations reads a recommendations file held in memory; see
// ParseRecommendationsStream. Rows with errors are left out of Rows.
func (p Parser) ParseRecommendations(data []byte, f Format) followup.RecommendationBatch {
	b := followup.RecommendationBatch{Rows: []followup.RecommendationRow{}}
	s, err := p.ParseRecommendationsStream(bytes.NewReader(data), f, func(r followup.RecommendationRow) error {
		b.Rows = append(b.Rows, r)
		return nil
	})
	s = withError(s, err)
	b.Columns, b.Letters, b.Errors, b.ErrorsTotal = s.Columns, s.Letters, s.Errors, s.ErrorsTotal
	return b
}

// ParseAssessments reads an assessments file held in memory; see ParseAssessmentsStream.
func (p Parser) ParseAssessments(data []byte, f Format, today followup.Date) followup.AssessmentBatch {
	b := followup.AssessmentBatch{Rows: []followup.AssessmentRow{}}
	s, err := p.ParseAssessmentsStream(bytes.NewReader(data), f, today, func(r followup.AssessmentRow) error {
		b.Rows = append(b.Rows, r)
		return nil
	})
	s = withError(s, err)
	b.Letters, b.Errors, b.ErrorsTotal = s.Letters, s.Errors, s.ErrorsTotal
	return b
}

// RecommendationsFrom reads a recommendations file from r into a batch; the error is a read
// error or a too_large one.
func (p Parser) RecommendationsFrom(r io.Reader, f Format) (followup.RecommendationBatch, error) {
	b := followup.RecommendationBatch{Rows: []followup.RecommendationRow{}}
	s, err := p.ParseRecommendationsStream(r, f, func(r followup.RecommendationRow) error {
		b.Rows = append(b.Rows, r)
		return nil
	})
	b.Columns, b.Letters, b.Errors, b.ErrorsTotal = s.Columns, s.Letters, s.Errors, s.ErrorsTotal
	return b, err
}

// AssessmentsFrom reads an assessments file from r into a batch; the error is a read error or
// a too_large one.
func (p Parser) AssessmentsFrom(r io.Reader, f Format, today followup.Date) (followup.AssessmentBatch, error) {
	b := followup.AssessmentBatch{Rows: []followup.AssessmentRow{}}
	s, err := p.ParseAssessmentsStream(r, f, today, func(r followup.AssessmentRow) error {
		b.Rows = append(b.Rows, r)
		return nil
	})
	b.Letters, b.Errors, b.ErrorsTotal = s.Letters, s.Errors, s.ErrorsTotal
	return b, err
}

// withError records the error of a parse of bytes in memory (a file over MaxBytes) as an
// error of the file.
func withError(s Summary, err error) Summary {
	if err != nil {
		s.Errors = append(s.Errors, followup.NewImportError(0, "", CodeFileTooLarge, nil, "%s", followup.ErrorMessage(err)))
		s.ErrorsTotal++
		followup.SortImportErrors(s.Errors)
	}
	return s
}

// ParseRecommendations reads a recommendations file with the default limits.
func ParseRecommendations(data []byte, f Format) followup.RecommendationBatch {
	return Parser{}.ParseRecommendations(data, f)
}

// ParseAssessments reads an assessments file with the default limits.
func ParseAssessments(data []byte, f Format, today followup.Date) followup.AssessmentBatch {
	return Parser{}.ParseAssessments(data, f, today)
}

// stream opens the file, reads it with a scanner and the row checker newVisit makes, and
// sums up.
func (p Parser) stream(r io.Reader, f Format, cols []column, start func([]string) error, newVisit func(*scanner) func(*record) error) (Summary, error) {
	lim := p.limits()
	src, err := p.open(r, f, lim)
	if err != nil {
		var ie importErr
		if errors.As(err, &ie) {
			return Summary{Errors: []followup.ImportError{ie.ImportError}, ErrorsTotal: 1, Letters: map[string]string{}}, nil
		}
		return Summary{Errors: []followup.ImportError{}, Letters: map[string]string{}}, err
	}
	defer src.close()
	s := newScanner(src, cols, lim, p.Progress)
	s.start = start
	err = s.run(newVisit(s))
	followup.SortImportErrors(s.errs.kept)
	sum := Summary{Columns: s.columns(), Letters: s.letters, Errors: s.errs.kept, ErrorsTotal: s.errs.total}
	if sum.Errors == nil {
		sum.Errors = []followup.ImportError{}
	}
	sum.Rows = s.accepted
	return sum, err
}

// open returns the row source of a file. A CSV file is read as it comes, through a reader
// that stops at MaxBytes; an XLSX file needs random access (a zip archive's directory is at
// its end): a file at hand is read in place, anything else is spooled to a temp file first.
func (p Parser) open(r io.Reader, f Format, lim Limits) (rowSource, error) {
	if f != XLSX {
		lines := 0
		if ra, size, ok := atHand(r); ok {
			if size > lim.MaxBytes {
				return nil, tooLarge(lim.MaxBytes)
			}
			lines = countLines(ra, size)
		}
		return newCSVSource(&cappedReader{r: r, left: lim.MaxBytes, max: lim.MaxBytes}, lim, lines)
	}
	ra, size, ok := atHand(r)
	if !ok {
		tmp, err := os.CreateTemp("", "followup-import-*.xlsx")
		if err != nil {
			return nil, err
		}
		_ = os.Remove(tmp.Name())
		n, err := io.Copy(tmp, io.LimitReader(r, lim.MaxBytes+1))
		if err != nil {
			tmp.Close()
			return nil, err
		}
		if n > lim.MaxBytes {
			tmp.Close()
			return nil, tooLarge(lim.MaxBytes)
		}
		src, err := newXLSXSource(tmp, n, lim)
		if err != nil {
			tmp.Close()
			return nil, err
		}
		return closing{src, tmp}, nil
	}
	if size > lim.MaxBytes {
		return nil, tooLarge(lim.MaxBytes)
	}
	return newXLSXSource(ra, size, lim)
}

// closing is a row source that closes a file too.
type closing struct {
	rowSource
	f io.Closer
}

func (c closing) close() error {
	c.rowSource.close()
	return c.f.Close()
}

// atHand returns what is left of r as a file of known size that can be read anywhere, when r
// is one (a bytes.Reader, a strings.Reader, an io.SectionReader, a regular *os.File).
func atHand(r io.Reader) (io.ReaderAt, int64, bool) {
	var size int64
	switch v := r.(type) {
	case sizedReaderAt:
		size = v.Size()
	case *os.File:
		st, err := v.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return nil, 0, false
		}
		size = st.Size()
	default:
		return nil, 0, false
	}
	ra, ok1 := r.(io.ReaderAt)
	sk, ok2 := r.(io.Seeker)
	if !ok1 || !ok2 {
		return nil, 0, false
	}
	off, err := sk.Seek(0, io.SeekCurrent)
	if err != nil || off > size {
		return nil, 0, false
	}
	return io.NewSectionReader(ra, off, size-off), size - off, true
}

// cappedReader reads at most max bytes and fails with a too_large error beyond.
type cappedReader struct {
	r    io.Reader
	left int64
	max  int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, tooLarge(c.max)
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	if c.left -= int64(n); c.left < 0 {
		return 0, tooLarge(c.max)
	}
	return n, err
}
