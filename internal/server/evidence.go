package server

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// Evidence: the files of submissions (uploaded with a multipart submission, downloaded one by
// one), the publication of submissions, and requests for clarification.

// maxFormFieldBytes bounds the text fields of a multipart submission, all together: the text
// of a submission is at most 100,000 characters.
const maxFormFieldBytes = 1 << 20

// submissionUpload is what a multipart submission carries: its fields and its files, each spooled to a
// temporary file of its own (named by the system, never after the upload) and checked. close
// removes the temporary files.
type submissionUpload struct {
	fields url.Values
	files  []followup.FileUpload
	temps  []*os.File
}

func (u *submissionUpload) close() {
	for _, f := range u.temps {
		f.Close()
		os.Remove(f.Name())
	}
}

// isMultipart reports whether the request body is a multipart form.
func isMultipart(c *gin.Context) bool {
	mediaType, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	return mediaType == "multipart/form-data"
}

// readUploadForm reads a multipart submission part by part: the fields into memory (1 MiB at
// most in all), each file of the field "files" to a temporary file, so that memory holds a
// copy buffer, not the files. A file over followup.MaxFileBytes, or files over
// followup.MaxSubmissionFileBytes together, stop the reading with ETooLarge; each file's type
// is told by its content (the Detector) before the submission is made.
func (s *Server) readUploadForm(c *gin.Context) (*submissionUpload, error) {
	u := &submissionUpload{fields: url.Values{}}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, followup.MaxSubmissionFileBytes+maxFormFieldBytes+1<<20)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return u, followup.Errorf(followup.EBadRequest, "the request is not a multipart form (%v)", err)
	}
	var fieldBytes, total int64
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return u, nil
		}
		if err != nil {
			return u, uploadError(err)
		}
		name, fileName := part.FormName(), part.FileName()
		if name != "files" {
			if fileName != "" {
				return u, &followup.Error{Code: followup.EBadRequest, Field: name, Message: fmt.Sprintf("files go in the field \"files\", not %q", name)}
			}
			b, err := io.ReadAll(io.LimitReader(part, maxFormFieldBytes-fieldBytes+1))
			if err != nil {
				return u, uploadError(err)
			}
			fieldBytes += int64(len(b))
			if fieldBytes > maxFormFieldBytes {
				return u, followup.Errorf(followup.ETooLarge, "the fields of the form are larger than 1 MiB")
			}
			u.fields.Add(name, string(b))
			continue
		}
		tmp, err := os.CreateTemp("", "followup-upload-*")
		if err != nil {
			return u, err
		}
		u.temps = append(u.temps, tmp)
		n, err := io.Copy(tmp, io.LimitReader(part, followup.MaxFileBytes+1))
		if err != nil {
			return u, uploadError(err)
		}
		shown := followup.SanitizeFileName(fileName)
		switch {
		case n == 0 && fileName == "":
			continue // a file input left empty
		case n > followup.MaxFileBytes:
			return u, &followup.Error{Code: followup.ETooLarge, Field: "files", Message: "the file " + shown + " is larger than 20 MiB"}
		}
		total += n
		if total > followup.MaxSubmissionFileBytes {
			return u, &followup.Error{Code: followup.ETooLarge, Field: "files", Message: "the files of a submission add up to more than 50 MiB"}
		}
		if len(u.files) == followup.MaxFilesPerSubmission {
			return u, followup.Invalid("files", "a submission has at most %d files", followup.MaxFilesPerSubmission)
		}
		if n == 0 {
			return u, followup.Invalid("files", "the file %s is empty", shown)
		}
		contentType, err := s.svc.Detector.Detect(tmp, n)
		if err != nil {
			var fe *followup.Error
			if errors.As(err, &fe) {
				return u, &followup.Error{Code: fe.Code, Field: "files", Message: "the file " + shown + ": " + fe.Message}
			}
			return u, err
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return u, err
		}
		u.files = append(u.files, followup.FileUpload{Name: fileName, ContentType: contentType, Size: n, Content: tmp})
	}
}

// uploadError tells a body over the limit (413) from one that could not be read.
func uploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return followup.Errorf(followup.ETooLarge, "the request is larger than the files of a submission may be (50 MiB)")
	}
	return followup.Errorf(followup.EBadRequest, "the form could not be read")
}

// submissionFromForm reads a submission's fields from a multipart form, as the JSON body names
// them.
func submissionFromForm(v url.Values) (followup.SubmissionInput, error) {
	for key := range v {
		switch key {
		case "text", "submitted_on", "draft", "answers_request":
		default:
			return followup.SubmissionInput{}, &followup.Error{Code: followup.EBadRequest, Field: key, Message: fmt.Sprintf("unknown field %q", key)}
		}
	}
	in := followup.SubmissionInput{Text: v.Get("text")}
	var err error
	if in.SubmittedOn, err = dateField("submitted_on", v.Get("submitted_on")); err != nil {
		return in, err
	}
	if d := v.Get("draft"); d != "" {
		if in.Draft, err = strconv.ParseBool(d); err != nil {
			return in, followup.Invalid("draft", "%q is not true or false", d)
		}
	}
	if in.AnswersRequest, err = requestID(v.Get("answers_request")); err != nil {
		return in, err
	}
	return in, nil
}

// requestID reads the number of a request for clarification; "" is none.
func requestID(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, followup.Invalid("answers_request", "%q is not the number of a request for clarification", v)
	}
	return id, nil
}

// getAttachment downloads a file, to whoever may see its submission: always as a download
// (never shown inline, so that a document cannot run as a page of this site), with the type
// found when it was uploaded and nothing a shared cache may keep.
func (s *Server) getAttachment(c *gin.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return followup.Errorf(followup.ENotFound, "no file %q", c.Param("id"))
	}
	a, content, err := s.svc.Evidence.OpenAttachment(c.Request.Context(), id)
	if err != nil {
		return err
	}
	defer content.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("Content-Disposition", AttachmentDisposition(a.Name))
	h.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, content); err != nil {
		// The headers are gone: the client sees a body shorter than its Content-Length.
		s.log.Error("attachment download", "id", id, "err", err)
		c.Abort()
	}
	return nil
}

// AttachmentDisposition returns the Content-Disposition of a download (RFC 6266): a plain
// ASCII filename for every client and, when the name is not plain ASCII, the exact name as
// filename* in RFC 5987 form.
func AttachmentDisposition(name string) string {
	var ascii strings.Builder
	plain := true
	for _, r := range name {
		switch {
		case r < 0x20 || r >= 0x7f:
			plain = false
			ascii.WriteByte('_')
		case r == '"' || r == '\\':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	v := `attachment; filename="` + ascii.String() + `"`
	if !plain {
		v += "; filename*=UTF-8''" + rfc5987(name)
	}
	return v
}

// rfc5987 percent-encodes a value as an RFC 5987 ext-value: every byte but attr-char.
func rfc5987(s string) string {
	const attrChar = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte(attrChar, ch) >= 0 {
			b.WriteByte(ch)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", ch)
	}
	return b.String()
}

func (s *Server) publishSubmission(c *gin.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return followup.Errorf(followup.ENotFound, "no submission %q", c.Param("id"))
	}
	if err := decodeJSON(c, &struct{}{}, true); err != nil {
		return err
	}
	sub, err := s.svc.Evidence.PublishSubmission(c.Request.Context(), followUpKey(c), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, sub)
	return nil
}

type requestRequest struct {
	Question string `json:"question"`
	DueOn    string `json:"due_on"`
}

func (s *Server) createRequest(c *gin.Context) error {
	var req requestRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	due, err := dateField("due_on", req.DueOn)
	if err != nil {
		return err
	}
	out, err := s.svc.Evidence.CreateRequest(c.Request.Context(), followUpKey(c), followup.RequestInput{Question: req.Question, DueOn: due})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, out)
	return nil
}

// followUpRequests lists the requests of one follow-up that the caller may see.
func (s *Server) followUpRequests(c *gin.Context) error {
	f, err := s.svc.FollowUps.FindFollowUp(c.Request.Context(), followUpKey(c))
	if err != nil {
		return err
	}
	if f.Requests == nil {
		f.Requests = []followup.ClarificationRequest{}
	}
	c.JSON(http.StatusOK, f.Requests)
	return nil
}

// listRequests lists requests for clarification: ?party=, ?report=, ?open=true|false.
func (s *Server) listRequests(c *gin.Context) error {
	open, err := boolQuery(c, "open")
	if err != nil {
		return err
	}
	limit := 0
	if v := c.Query("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil {
			return followup.Invalid("limit", "%q is not a number", v)
		}
	}
	out, err := s.svc.Evidence.ListRequests(c.Request.Context(), followup.RequestFilter{Party: c.Query("party"), Report: c.Query("report"), Open: open, Limit: limit})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}
