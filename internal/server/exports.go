package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// exportFormats are the extensions of the export downloads.
var exportFormats = []string{"csv", "xlsx", "pdf", "json"}

// exportRoutes registers the downloads (compliance of a report, dossier of a Party), the
// import templates and the import uploads.
func (s *Server) exportRoutes(api *gin.RouterGroup) {
	for _, ext := range exportFormats {
		api.GET("/reports/:slug/compliance."+ext, s.wrap(s.reportExport(ext)))
		api.GET("/parties/:code/dossier."+ext, s.wrap(s.dossierExport(ext)))
	}
	for _, ext := range []string{"pdf", "xlsx"} {
		api.GET("/reports/:slug/recommendations/:label/compliance."+ext, s.wrap(s.recommendationExport(ext)))
	}
	api.GET("/import-templates/:file", s.wrap(s.importTemplate))
	api.POST("/reports/:slug/import/:kind", s.wrap(s.importUpload))
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
// admin) into a report from an uploaded CSV or XLSX file: a multipart form's "file" field, or
// the raw body with its Content-Type. dry_run=true returns the plan and writes nothing.
func (s *Server) importUpload(c *gin.Context) error {
	kind := followup.ImportKind(c.Param("kind"))
	if !kind.Valid() {
		return followup.Errorf(followup.ENotFound, "no import of %q: import recommendations or assessments", c.Param("kind"))
	}
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	if kind == followup.ImportRecommendations {
		if err := actor.Require(actor.CanManage(), "import recommendations"); err != nil {
			return err
		}
	} else if err := actor.Require(actor.CanAssess(), "import assessments"); err != nil {
		return err
	}
	dry, err := boolQuery(c, "dry_run")
	if err != nil {
		return err
	}
	dryRun := dry != nil && *dry
	data, name, contentType, err := s.readUpload(c)
	if err != nil {
		return err
	}
	format, err := s.svc.Parser.FormatOf(name, contentType, data)
	if err != nil {
		return err
	}
	res, err := s.runImport(c, kind, c.Param("slug"), data, format, dryRun)
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

// readUpload reads an uploaded file of at most the parser's size: the "file" field of a
// multipart form, or the raw body.
func (s *Server) readUpload(c *gin.Context) (data []byte, name, contentType string, err error) {
	maxBytes := s.svc.Parser.MaxBytes()
	body := http.MaxBytesReader(c.Writer, c.Request.Body, maxBytes+64<<10)
	contentType = c.GetHeader("Content-Type")
	mediaType, _, _ := mime.ParseMediaType(contentType)
	tooLarge := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return followup.Errorf(followup.ETooLarge, "the file is larger than %d MiB", maxBytes>>20)
		}
		var fe *followup.Error
		if errors.As(err, &fe) {
			return err
		}
		return followup.Errorf(followup.EBadRequest, "the upload could not be read")
	}
	if mediaType == "multipart/form-data" {
		c.Request.Body = body
		if err := c.Request.ParseMultipartForm(1 << 20); err != nil {
			return nil, "", "", tooLarge(err)
		}
		defer c.Request.MultipartForm.RemoveAll()
		f, hdr, err := c.Request.FormFile("file")
		if err != nil {
			return nil, "", "", followup.Invalid("file", "send the file in the form field \"file\"")
		}
		defer f.Close()
		data, err = readAll(f, maxBytes)
		if err != nil {
			return nil, "", "", tooLarge(err)
		}
		return data, hdr.Filename, hdr.Header.Get("Content-Type"), nil
	}
	data, err = readAll(body, maxBytes)
	if err != nil {
		return nil, "", "", tooLarge(err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, "", "", followup.Invalid("file", "the request body is empty: send a CSV or XLSX file")
	}
	return data, "", contentType, nil
}

// readAll reads a file of at most maxBytes.
func readAll(r io.Reader, maxBytes int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > maxBytes {
		return nil, followup.Errorf(followup.ETooLarge, "the file is larger than %d MiB", maxBytes>>20)
	}
	return data, nil
}
