package followup

import (
	"context"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Evidence: the documents a submission carries (official replies, laws, statistics). Files are
// accepted by what they contain, never by their name or the type a browser claims; they are
// kept in the database, never on a path built from their name, and are seen by whoever may see
// their submission (Actor.CanSeeSubmission).

// The media types accepted as evidence, as stored and served.
const (
	TypePDF  = "application/pdf"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypeODT  = "application/vnd.oasis.opendocument.text"
	TypeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeText = "text/plain; charset=utf-8"
)

// EvidenceTypes lists the accepted types with the names people know them by.
var EvidenceTypes = []struct{ Type, Name string }{
	{TypePDF, "PDF"}, {TypeDOCX, "DOCX"}, {TypeXLSX, "XLSX"}, {TypeODT, "ODT"}, {TypeODS, "ODS"},
	{TypePNG, "PNG"}, {TypeJPEG, "JPEG"}, {TypeText, "plain text (UTF-8)"},
}

// EvidenceTypeNames is "PDF, DOCX, ..." for messages and forms.
func EvidenceTypeNames() string {
	names := make([]string, len(EvidenceTypes))
	for i, t := range EvidenceTypes {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

// AllowedEvidenceType reports whether t is one of EvidenceTypes.
func AllowedEvidenceType(t string) bool {
	for _, e := range EvidenceTypes {
		if e.Type == t {
			return true
		}
	}
	return false
}

// Limits of the files of one submission. A file over MaxFileBytes, or files adding up to more
// than MaxSubmissionFileBytes, are refused with ETooLarge (413).
const (
	MaxFileBytes           = 20 << 20 // 20 MiB per file
	MaxSubmissionFileBytes = 50 << 20 // 50 MiB for all the files of one submission
	MaxFilesPerSubmission  = 10
)

// Attachment is a file of a submission, as listed with it.
type Attachment struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"` // sanitised: see SanitizeFileName
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"` // hex
	ContentType string    `json:"content_type"`
	CreatedAt   time.Time `json:"created_at"`
}

// FileUpload is a file given with a new submission: its name as sent, the type its content was
// found to be (ContentDetector), its size, and its content to be read once.
type FileUpload struct {
	Name        string
	ContentType string
	Size        int64
	Content     io.Reader
}

// ContentDetector tells what an uploaded file is from its content: one of EvidenceTypes, or an
// EUnsupportedMedia error saying what it is and why it is refused (ETooLarge for an archive
// that would expand beyond bounds). The export package's peer for uploads (package sniff).
type ContentDetector interface {
	Detect(r io.ReaderAt, size int64) (string, error)
}

// CheckFiles checks the files of a new submission against the limits and the accepted types,
// and sanitises their names.
func CheckFiles(files []FileUpload) error {
	if len(files) > MaxFilesPerSubmission {
		return Invalid("files", "a submission has at most %d files; %d were sent", MaxFilesPerSubmission, len(files))
	}
	var total int64
	for i := range files {
		f := &files[i]
		f.Name = SanitizeFileName(f.Name)
		if f.Size > MaxFileBytes {
			return &Error{Code: ETooLarge, Field: "files", Message: "the file " + f.Name + " is larger than 20 MiB"}
		}
		total += f.Size
		if total > MaxSubmissionFileBytes {
			return &Error{Code: ETooLarge, Field: "files", Message: "the files of a submission add up to more than 50 MiB"}
		}
		if !AllowedEvidenceType(f.ContentType) {
			return &Error{Code: EUnsupportedMedia, Field: "files",
				Message: "the file " + f.Name + " is not of an accepted type (" + EvidenceTypeNames() + ")"}
		}
		if f.Size == 0 {
			return Invalid("files", "the file %s is empty", f.Name)
		}
	}
	return nil
}

// SanitizeFileName makes a name sent with a file safe to store, show and offer for download:
// the last element of any path (either slash), without control characters, bidirectional
// overrides (which make "txt.exe" read as "exe.txt") or characters that file systems or
// headers refuse, trimmed of spaces and dots, at most MaxFileNameLength characters with the
// extension kept. An empty result is "file".
func SanitizeFileName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r), r == '\u2028', r == '\u2029', r == '\uFEFF':
			return -1
		case strings.ContainsRune(`<>:"|?*`, r):
			return '_'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, name)
	name = strings.Trim(strings.Join(strings.Fields(name), " "), " .")
	if utf8.RuneCountInString(name) > MaxFileNameLength {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 16 {
			ext = ""
		}
		r := []rune(strings.TrimSuffix(name, ext))
		name = strings.TrimRight(string(r[:MaxFileNameLength-utf8.RuneCountInString(ext)]), " .") + ext
	}
	if name == "" {
		return "file"
	}
	return name
}

// CheckPublish checks that a submission may be published: it was submitted, and not published
// already.
func CheckPublish(id int64, s Submission) error {
	if s.Draft {
		return Errorf(EConflict, "submission %d is a draft: it can be published once it is submitted", id)
	}
	if s.Published {
		return Errorf(EConflict, "submission %d was published on %s", id, s.PublishedOn)
	}
	return nil
}

// EvidenceService holds what goes with the Committee's procedure beyond submissions and
// assessments: the files of submissions, their publication, and requests for clarification.
type EvidenceService interface {
	// OpenAttachment returns a file's description and its content, to be read and closed by the
	// caller, when the actor may see its submission. Anything else is "not found", so that the
	// numbers of files nobody may see tell nothing.
	OpenAttachment(ctx context.Context, id int64) (Attachment, io.ReadCloser, error)
	// PublishSubmission makes a submitted submission and its files public (Secretariat), audited.
	PublishSubmission(ctx context.Context, key FollowUpKey, id int64) (Submission, error)
	// CreateRequest asks the Party of a follow-up for clarification (committee roles).
	CreateRequest(ctx context.Context, key FollowUpKey, in RequestInput) (ClarificationRequest, error)
	// ListRequests lists the requests the actor may see, by the filter.
	ListRequests(ctx context.Context, f RequestFilter) ([]ClarificationRequest, error)
	// ListPublished lists a Party's published submissions (its own and stakeholders'), with
	// their files, latest first: public.
	ListPublished(ctx context.Context, party string) ([]PublishedSubmission, error)
}

// PublishedSubmission is a published submission with the follow-up it belongs to.
type PublishedSubmission struct {
	Report string `json:"report"`
	Label  string `json:"label"`
	Party  string `json:"party"`
	Submission
}
