package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// exportFormats are the extensions of the export downloads.
var exportFormats = []string{"csv", "xlsx", "pdf", "json"}

// exportRoutes registers the downloads (compliance of a report, dossier of a Party, report on
// a recommendation), the import templates and the import uploads. The PDF and XLSX downloads
// are bounded by the export limits (export_limit.go).
func (s *Server) exportRoutes(api *gin.RouterGroup) {
	for _, ext := range exportFormats {
		api.GET("/reports/:slug/compliance."+ext, s.wrap(s.limitRender(ext, s.reportExport(ext))))
		api.GET("/parties/:code/dossier."+ext, s.wrap(s.limitRender(ext, s.dossierExport(ext))))
	}
	for _, ext := range []string{"pdf", "xlsx"} {
		api.GET("/reports/:slug/recommendations/:label/compliance."+ext, s.wrap(s.limitRender(ext, s.recommendationExport(ext))))
	}
	api.GET("/import-templates/:file", s.wrap(s.importTemplate))
	api.POST("/reports/:slug/import/:kind", s.wrap(s.importUpload))
	api.POST("/import/parties", s.wrap(s.importUpload))
}

// exportParams reads lang, as_of (not after today) and basis.
func exportParams(c *gin.Context, today followup.Date) (followup.ComplianceQuery, string, error) {
	var q followup.ComplianceQuery
	lang := strings.ToLower(strings.TrimSpace(c.Query("lang")))
	switch lang {
	case "":
		lang = "en"
	case "en", "fr":
	default:
		return q, "", followup.Invalid("lang", "%q is not a language of the exports (en, fr)", c.Query("lang"))
	}
	asOf, err := asOfParam(c.Query("as_of"), today)
	if err != nil {
		return q, "", err
	}
	q.AsOf, q.Basis = asOf, followup.Basis(c.Query("basis"))
	return q, lang, nil
}

// ContentType returns the media type of a download by its extension (with or without the
// dot): csv, xlsx, pdf or json; anything else is application/octet-stream.
func ContentType(ext string) string {
	switch strings.ToLower(strings.TrimPrefix(ext, ".")) {
	case "csv":
		return "text/csv; charset=utf-8"
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "pdf":
		return "application/pdf"
	case "json":
		return "application/json"
	}
	return "application/octet-stream"
}

func (s *Server) reportExport(ext string) handlerFunc {
	return func(c *gin.Context) error {
		q, lang, err := exportParams(c, s.today())
		if err != nil {
			return err
		}
		slug := c.Param("slug")
		d, err := followup.LoadReportExport(c.Request.Context(), s.svc.Compliance, s.svc.Reports, s.svc.Parties, slug, q, lang, s.clock.Now())
		if err == nil && followup.ReportFormatShowsStates(ext) {
			err = d.LoadStates(c.Request.Context(), s.svc.Dossiers)
		}
		if err != nil {
			return err
		}
		category, parties, err := selectionParams(c.Request.URL.Query(), d.Report)
		if err != nil {
			return err
		}
		d.Compliance = d.Compliance.Select(category, parties)
		var buf bytes.Buffer
		if err := s.svc.Exporter.EncodeReport(&buf, ext, d); err != nil {
			return err
		}
		sendFile(c, followup.ExportFileName("compliance", slug, d.Compliance.AsOf, d.Draft(), lang, ext), ContentType(ext), buf.Bytes())
		return nil
	}
}

// recommendationExport serves the compliance report on one recommendation (PDF or XLSX).
func (s *Server) recommendationExport(ext string) handlerFunc {
	return func(c *gin.Context) error {
		q, lang, err := exportParams(c, s.today())
		if err != nil {
			return err
		}
		slug, label := c.Param("slug"), c.Param("label")
		d, err := followup.LoadRecommendationExport(c.Request.Context(), s.svc.Compliance, s.svc.Reports, s.svc.Parties, slug, label, q, lang, s.clock.Now())
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := s.svc.Exporter.EncodeRecommendation(&buf, ext, d); err != nil {
			return err
		}
		sendFile(c, followup.ExportFileName("compliance", slug+"-"+label, d.AsOf, d.Draft(), lang, ext), ContentType(ext), buf.Bytes())
		return nil
	}
}

func (s *Server) dossierExport(ext string) handlerFunc {
	return func(c *gin.Context) error {
		q, lang, err := exportParams(c, s.today())
		if err != nil {
			return err
		}
		d, err := followup.LoadDossierExport(c.Request.Context(), s.svc.Dossiers, c.Param("code"), q, lang, s.clock.Now())
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := s.svc.Exporter.EncodeDossier(&buf, ext, d); err != nil {
			return err
		}
		sendFile(c, followup.ExportFileName("dossier", d.Party.Code, d.AsOf, d.Draft, lang, ext), ContentType(ext), buf.Bytes())
		return nil
	}
}

// sendFile answers with a download. The body was rendered before, so that a failure could
// still be answered with a clean JSON error.
func sendFile(c *gin.Context, name, contentType string, body []byte) {
	h := c.Writer.Header()
	h.Set("Content-Disposition", ContentDisposition(name))
	// Exports may carry drafts or one Party's data: no shared cache may keep them.
	h.Set("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, contentType, body)
}

// ContentDisposition returns an attachment disposition for a file name (RFC 6266): the name
// quoted as needed, and in RFC 5987 form when it is not plain ASCII.
func ContentDisposition(name string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "attachment"
}

// importTemplate serves the template of an import file: recommendations.csv, .xlsx,
// assessments.csv or .xlsx. Anyone may download it.
func (s *Server) importTemplate(c *gin.Context) error {
	file := c.Param("file")
	base, ext, _ := strings.Cut(file, ".")
	kind := followup.ImportKind(base)
	if !kind.Valid() || (ext != "csv" && ext != "xlsx") {
		return followup.Errorf(followup.ENotFound, "no import template %q: ask for recommendations or assessments, .csv or .xlsx", file)
	}
	body, err := s.svc.Parser.Template(kind, followup.ImportFormat(ext))
	if err != nil {
		return err
	}
	sendFile(c, "import-"+string(kind)+"."+ext, ContentType(ext), body)
	return nil
}

// importFailure is the answer to an import with bad rows: the usual error object and the plan
// with every error.
type importFailure struct {
	Error errorBody `json:"error"`
	followup.ImportResult
}

// importUpload imports recommendations (secretariat, admin) or assessments (rapporteur,
// admin) into a report, or Parties (secretariat, admin), from an uploaded CSV or XLSX file: a
// multipart form's "file" field, or the raw body with its Content-Type. dry_run=true returns
// the plan and writes nothing. The file is kept on disk while it is read as a stream.
func (s *Server) importUpload(c *gin.Context) error {
	kind := followup.ImportKind(c.Param("kind"))
	slug := c.Param("slug")
	if slug == "" {
		kind = followup.ImportParties
	}
	if !kind.Valid() || kind.IntoReport() != (slug != "") {
		return followup.Errorf(followup.ENotFound, "no import of %q: import recommendations or assessments", c.Param("kind"))
	}
	actor := followup.ActorFrom(c.Request.Context())
	if err := actor.Require(importAllowed(actor, kind), "import "+string(kind)); err != nil {
		return err
	}
	dry, err := boolQuery(c, "dry_run")
	if err != nil {
		return err
	}
	dryRun := dry != nil && *dry
	up, err := s.spoolUpload(c)
	if err != nil {
		return err
	}
	defer up.discard()
	res, err := s.importReader(c.Request.Context(), kind, slug, up.file, up.format, dryRun, nil)
	if err != nil {
		if len(res.Errors) > 0 {
			c.JSON(errorStatus(err), importFailure{Error: errorBody{Code: followup.ErrorCode(err),
				Message: followup.ErrorMessage(err), Field: followup.ErrorField(err)}, ImportResult: res})
			return nil
		}
		return err
	}
	c.JSON(http.StatusOK, res)
	return nil
}

// upload is an uploaded file spooled to a temporary file, with its name, media type and format.
type upload struct {
	file        *os.File
	name        string
	contentType string
	format      followup.ImportFormat
}

// discard closes and removes the temporary file.
func (u upload) discard() {
	u.file.Close()
	_ = os.Remove(u.file.Name())
}

// spoolUpload copies an uploaded file of at most the parser's size to a temporary file, never
// holding it in memory: the "file" field of a multipart form, or the raw body. The file is
// positioned at its start.
func (s *Server) spoolUpload(c *gin.Context) (upload, error) {
	maxBytes := s.svc.Parser.MaxBytes()
	body := http.MaxBytesReader(c.Writer, c.Request.Body, maxBytes+64<<10)
	contentType := c.GetHeader("Content-Type")
	mediaType, _, _ := mime.ParseMediaType(contentType)
	tooLarge := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return followup.Errorf(followup.ETooLarge, "the file is larger than %s", sizeText(maxBytes))
		}
		var fe *followup.Error
		if errors.As(err, &fe) {
			return err
		}
		return followup.Errorf(followup.EBadRequest, "the upload could not be read")
	}
	var (
		src  io.Reader = body
		name string
	)
	if mediaType == "multipart/form-data" {
		c.Request.Body = body
		mr, err := c.Request.MultipartReader()
		if err != nil {
			return upload{}, tooLarge(err)
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return upload{}, followup.Invalid("file", "send the file in the form field \"file\"")
			}
			if err != nil {
				return upload{}, tooLarge(err)
			}
			if part.FormName() == "file" && part.FileName() != "" {
				src, name, contentType = part, part.FileName(), part.Header.Get("Content-Type")
				break
			}
			part.Close()
		}
	}
	f, err := os.CreateTemp("", "followup-upload-*")
	if err != nil {
		return upload{}, err
	}
	up := upload{file: f, name: name, contentType: contentType}
	n, err := io.Copy(f, io.LimitReader(src, maxBytes+1))
	if err == nil && n > maxBytes {
		err = followup.Errorf(followup.ETooLarge, "the file is larger than %s", sizeText(maxBytes))
	}
	if err == nil && n == 0 && name == "" {
		err = followup.Invalid("file", "the request body is empty: send a CSV or XLSX file")
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		up.discard()
		return upload{}, tooLarge(err)
	}
	head := make([]byte, 4)
	k, _ := f.ReadAt(head, 0)
	up.format, err = s.svc.Parser.FormatOf(name, contentType, head[:k])
	if err != nil {
		up.discard()
		return upload{}, err
	}
	return up, nil
}

// sizeText writes a size in MiB when it is a whole number of them, else in bytes.
func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
