package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"followup/internal/export"
	"followup/internal/followup"
	"followup/internal/importer"
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
	api.GET("/import-templates/:file", s.wrap(s.importTemplate))
	api.POST("/reports/:slug/import/:kind", s.wrap(s.importUpload))
}

// exportParams reads lang, as_of and basis.
func exportParams(c *gin.Context) (followup.ComplianceQuery, string, error) {
	var q followup.ComplianceQuery
	lang := strings.ToLower(strings.TrimSpace(c.Query("lang")))
	switch lang {
	case "":
		lang = "en"
	case "en", "fr":
	default:
		return q, "", followup.Invalid("lang", "%q is not a language of the exports (en, fr)", c.Query("lang"))
	}
	asOf, err := dateField("as_of", c.Query("as_of"))
	if err != nil {
		return q, "", err
	}
	q.AsOf, q.Basis = asOf, followup.Basis(c.Query("basis"))
	return q, lang, nil
}

// ReportExport builds the data of a report's compliance export with the caller's rights: the
// same service calls as the compliance API, so the same access rules. Also used by the CLI.
func ReportExport(ctx context.Context, svc Services, slug string, q followup.ComplianceQuery, lang string) (export.ReportData, error) {
	comp, err := svc.Compliance.ReportCompliance(ctx, slug, q)
	if err != nil {
		return export.ReportData{}, err
	}
	report, err := svc.Reports.FindReport(ctx, slug)
	if err != nil {
		return export.ReportData{}, err
	}
	recs, err := svc.Reports.ListRecommendations(ctx, slug, false)
	if err != nil {
		return export.ReportData{}, err
	}
	parties, err := svc.Parties.ListParties(ctx)
	if err != nil {
		return export.ReportData{}, err
	}
	byCode := make(map[string]followup.Party, len(parties))
	for _, p := range parties {
		byCode[p.Code] = p
	}
	return export.ReportData{Report: report, Recommendations: recs, Parties: byCode, Compliance: comp,
		Lang: lang, GeneratedAt: time.Now().UTC()}, nil
}

// DossierExport builds the data of a Party's dossier export with the caller's rights.
func DossierExport(ctx context.Context, svc followup.DossierService, code string, q followup.ComplianceQuery, lang string) (export.DossierData, error) {
	d, err := svc.PartyDossier(ctx, code, q)
	if err != nil {
		return export.DossierData{}, err
	}
	return export.DossierData{Party: d.Party, FollowUps: d.FollowUps, Reports: d.Reports, Recommendations: d.Recommendations,
		AsOf: d.AsOf, Draft: d.Basis == followup.BasisDraft, Lang: lang, GeneratedAt: time.Now().UTC()}, nil
}

// EncodeReport writes a report export in the format of ext.
func EncodeReport(w io.Writer, ext string, d export.ReportData) error {
	switch ext {
	case "csv":
		return export.ReportCSV(w, d)
	case "xlsx":
		return export.ReportXLSX(w, d)
	case "pdf":
		return export.ReportPDF(w, d)
	case "json":
		return export.ReportJSON(w, d)
	}
	return followup.Invalid("format", "%q is not an export format (csv, xlsx, pdf, json)", ext)
}

// EncodeDossier writes a dossier export in the format of ext.
func EncodeDossier(w io.Writer, ext string, d export.DossierData) error {
	switch ext {
	case "csv":
		return export.DossierCSV(w, d)
	case "xlsx":
		return export.DossierXLSX(w, d)
	case "pdf":
		return export.DossierPDF(w, d)
	case "json":
		return export.DossierJSON(w, d)
	}
	return followup.Invalid("format", "%q is not an export format (csv, xlsx, pdf, json)", ext)
}

// ExportFileName is the download name of an export: kind (with "-draft" on the draft basis),
// key, language when French, the "as of" date and the extension.
func ExportFileName(kind, key string, asOf followup.Date, draft bool, lang, ext string) string {
	if draft {
		kind += "-draft"
	}
	if lang == "fr" {
		key += "-fr"
	}
	return export.FileName(kind, key, asOf, ext)
}

func (s *Server) reportExport(ext string) handlerFunc {
	return func(c *gin.Context) error {
		q, lang, err := exportParams(c)
		if err != nil {
			return err
		}
		slug := c.Param("slug")
		d, err := ReportExport(c.Request.Context(), s.svc, slug, q, lang)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := EncodeReport(&buf, ext, d); err != nil {
			return err
		}
		sendFile(c, ExportFileName("compliance", slug, d.Compliance.AsOf, d.Draft(), lang, ext), export.ContentType(ext), buf.Bytes())
		return nil
	}
}

func (s *Server) dossierExport(ext string) handlerFunc {
	return func(c *gin.Context) error {
		if s.svc.Dossiers == nil {
			return followup.Errorf(followup.EInternal, "dossiers are not configured")
		}
		q, lang, err := exportParams(c)
		if err != nil {
			return err
		}
		d, err := DossierExport(c.Request.Context(), s.svc.Dossiers, c.Param("code"), q, lang)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := EncodeDossier(&buf, ext, d); err != nil {
			return err
		}
		sendFile(c, ExportFileName("dossier", d.Party.Code, d.AsOf, d.Draft, lang, ext), export.ContentType(ext), buf.Bytes())
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
	body, err := importer.Template(kind, importer.Format(ext))
	if err != nil {
		return err
	}
	sendFile(c, "import-"+string(kind)+"."+ext, export.ContentType(ext), body)
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
	if s.svc.Imports == nil {
		return followup.Errorf(followup.EInternal, "imports are not configured")
	}
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
	data, name, contentType, err := readUpload(c)
	if err != nil {
		return err
	}
	format, err := importer.FormatOf(name, contentType, data)
	if err != nil {
		return err
	}
	slug := c.Param("slug")
	var res followup.ImportResult
	if kind == followup.ImportRecommendations {
		res, err = s.svc.Imports.ImportRecommendations(ctx, slug, importer.ParseRecommendations(data, format), dryRun)
	} else {
		res, err = s.svc.Imports.ImportAssessments(ctx, slug, importer.ParseAssessments(data, format, followup.Date{}), dryRun)
	}
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

// readUpload reads an uploaded file: the "file" field of a multipart form, or the raw body.
func readUpload(c *gin.Context) (data []byte, name, contentType string, err error) {
	body := http.MaxBytesReader(c.Writer, c.Request.Body, importer.MaxBytes+64<<10)
	contentType = c.GetHeader("Content-Type")
	mediaType, _, _ := mime.ParseMediaType(contentType)
	tooLarge := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return followup.Errorf(followup.ETooLarge, "the file is larger than %d MiB", importer.MaxBytes>>20)
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
		data, err = importer.ReadAll(f)
		if err != nil {
			return nil, "", "", tooLarge(err)
		}
		return data, hdr.Filename, hdr.Header.Get("Content-Type"), nil
	}
	data, err = importer.ReadAll(body)
	if err != nil {
		return nil, "", "", tooLarge(err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, "", "", followup.Invalid("file", "the request body is empty: send a CSV or XLSX file")
	}
	return data, "", contentType, nil
}
