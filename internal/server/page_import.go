package server

import (
	"crypto/rand"
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// The import pages: the Secretariat loads recommendations, rapporteurs load assessments, into a
// report from a CSV or XLSX file. Upload → preview (a dry run: what each row would do, or
// every bad row) → confirm (the same file, kept server-side for a short while under a random
// id bound to the user, is applied in one transaction) → flash.

// Limits of the files kept between the preview and the confirmation.
const (
	importStashTTL      = 20 * time.Minute
	importStashMaxFiles = 64
	importStashMaxBytes = 96 << 20
)

// importStash keeps uploaded files between the preview and the confirmation, in memory: a
// restart loses them, and the user uploads again.
type importStash struct {
	mu    sync.Mutex
	files map[string]*stashedFile
	now   func() time.Time
}

type stashedFile struct {
	user    int64
	slug    string
	kind    followup.ImportKind
	name    string
	format  followup.ImportFormat
	data    []byte
	expires time.Time
}

func newImportStash() *importStash {
	return &importStash{files: map[string]*stashedFile{}, now: time.Now}
}

// put keeps a file and returns its id, dropping expired files and, beyond the limits, the
// oldest ones.
func (st *importStash) put(f *stashedFile) string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	st.mu.Lock()
	defer st.mu.Unlock()
	now := st.now()
	f.expires = now.Add(importStashTTL)
	total := len(f.data)
	for k, x := range st.files {
		if now.After(x.expires) {
			delete(st.files, k)
			continue
		}
		total += len(x.data)
	}
	for len(st.files) >= importStashMaxFiles || (total > importStashMaxBytes && len(st.files) > 0) {
		oldest := ""
		for k, x := range st.files {
			if oldest == "" || x.expires.Before(st.files[oldest].expires) {
				oldest = k
			}
		}
		total -= len(st.files[oldest].data)
		delete(st.files, oldest)
	}
	st.files[id] = f
	return id
}

// get returns a live file of the user for the report and kind.
func (st *importStash) get(id string, user int64, slug string, kind followup.ImportKind) (*stashedFile, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	f, ok := st.files[id]
	if !ok || st.now().After(f.expires) || f.user != user || f.slug != slug || f.kind != kind {
		return nil, false
	}
	return f, true
}

func (st *importStash) drop(id string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.files, id)
}

type importData struct {
	Report     followup.Report
	Kinds      []followup.ImportKind // what the user may import
	Kind       followup.ImportKind   // the kind being previewed or refused
	FileName   string
	Result     *followup.ImportResult
	StashID    string
	Columns    map[followup.ImportKind][]string
	Confirming bool // the result is of the confirmation (errors found against the database)
}

// importKinds returns what the actor may import.
func importKinds(a followup.Actor) []followup.ImportKind {
	var out []followup.ImportKind
	if a.CanManage() {
		out = append(out, followup.ImportRecommendations)
	}
	if a.CanAssess() {
		out = append(out, followup.ImportAssessments)
	}
	return out
}

// importView checks access (and the kind, when given) and prepares the page.
func (s *Server) importView(c *gin.Context, kind string) (*view, *importData, error) {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	kinds := importKinds(actor)
	if err := actor.Require(len(kinds) > 0, "import into a report"); err != nil {
		return nil, nil, err
	}
	d := &importData{Kinds: kinds, Columns: map[followup.ImportKind][]string{}}
	for _, k := range kinds {
		d.Columns[k] = s.svc.Parser.Columns(k)
	}
	if kind != "" {
		d.Kind = followup.ImportKind(kind)
		if !d.Kind.Valid() {
			return nil, nil, followup.Errorf(followup.ENotFound, "no import of %q: import recommendations or assessments", kind)
		}
		switch d.Kind {
		case followup.ImportRecommendations:
			if err := actor.Require(actor.CanManage(), "import recommendations"); err != nil {
				return nil, nil, err
			}
		case followup.ImportAssessments:
			if err := actor.Require(actor.CanAssess(), "import assessments"); err != nil {
				return nil, nil, err
			}
		}
	}
	r, err := s.svc.Reports.FindReport(ctx, c.Param("slug"))
	if err != nil {
		return nil, nil, err
	}
	d.Report = r
	v := s.newView(c, "import.title", d)
	v.Title = v.T("import.title") + " — " + r.Title
	return v, d, nil
}

func (s *Server) pageImport(c *gin.Context) error {
	v, _, err := s.importView(c, "")
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "import", v)
}

// runImport imports a file, as a dry run or for real. The errors of the result name their
// cells, and only the first followup.MaxImportErrors are kept, with the count of all (a file
// may have a bad cell in each of thousands of rows).
func (s *Server) runImport(c *gin.Context, kind followup.ImportKind, slug string, data []byte, format followup.ImportFormat, dryRun bool) (followup.ImportResult, error) {
	ctx := c.Request.Context()
	var (
		res     followup.ImportResult
		err     error
		letters map[string]string
		dropped int // errors the parser counted but did not keep
	)
	if kind == followup.ImportRecommendations {
		b := s.svc.Parser.ParseRecommendations(data, format)
		letters, dropped = b.Letters, b.ErrorsTotal-len(b.Errors)
		res, err = s.svc.Imports.ImportRecommendations(ctx, slug, b, dryRun)
	} else {
		b := s.svc.Parser.ParseAssessments(data, format, followup.Date{})
		letters, dropped = b.Letters, b.ErrorsTotal-len(b.Errors)
		res, err = s.svc.Imports.ImportAssessments(ctx, slug, b, dryRun)
	}
	if len(res.Errors) > 0 {
		res.LimitErrors(letters, max(0, dropped), followup.MaxImportErrors)
		if err != nil {
			err = res.Failed() // counts the errors dropped too
		}
	}
	return res, err
}

// postImportPreview reads the uploaded file and shows what importing it would do, writing
// nothing: the plan and a confirmation button, or every bad row (422).
func (s *Server) postImportPreview(c *gin.Context) error {
	v, d, err := s.importView(c, c.Param("kind"))
	if err != nil {
		return err
	}
	form := url.Values{}
	fail := func(err error) error {
		if v.formError("import-"+string(d.Kind), form, err) {
			return s.render(c, http.StatusUnprocessableEntity, "import", v)
		}
		return err
	}
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt != "multipart/form-data" {
		return fail(followup.Invalid("file", "choose a CSV or XLSX file"))
	}
	data, name, contentType, err := s.readUpload(c)
	if err != nil {
		return fail(err)
	}
	format, err := s.svc.Parser.FormatOf(name, contentType, data)
	if err != nil {
		return fail(err)
	}
	d.FileName = name
	res, err := s.runImport(c, d.Kind, d.Report.Slug, data, format, true)
	if err != nil && len(res.Errors) == 0 {
		return fail(err)
	}
	d.Result = &res
	if len(res.Errors) > 0 {
		v.Alert = v.T("import.has_errors", res.ErrorsTotal)
		return s.render(c, http.StatusUnprocessableEntity, "import", v)
	}
	if res.Created+res.Updated > 0 {
		d.StashID = s.web.imports.put(&stashedFile{user: v.Actor.UserID, slug: d.Report.Slug, kind: d.Kind, name: name,
			format: format, data: data})
	}
	return s.render(c, http.StatusOK, "import", v)
}

// postImportConfirm applies the file previewed, in one transaction.
func (s *Server) postImportConfirm(c *gin.Context) error {
	v, d, err := s.importView(c, c.Param("kind"))
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	id := form.Get("upload")
	f, ok := s.web.imports.get(id, v.Actor.UserID, d.Report.Slug, d.Kind)
	if !ok {
		v.FormID, v.Form = "import-"+string(d.Kind), url.Values{}
		v.Errors["file"] = v.T("import.expired")
		v.Alert = v.T("import.expired")
		return s.render(c, http.StatusUnprocessableEntity, "import", v)
	}
	d.FileName = f.name
	res, err := s.runImport(c, d.Kind, d.Report.Slug, f.data, f.format, false)
	if err != nil {
		if len(res.Errors) == 0 {
			if v.formError("import-"+string(d.Kind), url.Values{}, err) {
				return s.render(c, http.StatusUnprocessableEntity, "import", v)
			}
			return err
		}
		// The database changed since the preview: nothing was written; show why.
		s.web.imports.drop(id)
		d.Result, d.Confirming = &res, true
		v.Alert = v.T("import.has_errors", res.ErrorsTotal)
		return s.render(c, http.StatusUnprocessableEntity, "import", v)
	}
	s.web.imports.drop(id)
	s.flash(c, "flash.imported", v.T("import.kind."+string(d.Kind)), f.name, strconv.Itoa(res.Created), strconv.Itoa(res.Updated), strconv.Itoa(res.Unchanged))
	return redirect(c, "/reports/"+url.PathEscape(d.Report.Slug))
}
