package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// The import pages: the Secretariat loads recommendations into a report and Parties into the
// tracker, rapporteurs load assessments into a report, from a CSV or XLSX file. Upload →
// preview (a dry run: what each row would do, or every bad row) → confirm (the same file,
// kept on the server's disk for a short while under a random id bound to the user, is applied
// in one transaction) → flash.
//
// A file may hold tens of thousands of rows, which take a while to check and to write. The
// pages use no script, so each step runs as a background job: the upload (or the
// confirmation) starts it and waits a few seconds; a small file is done by then and its page
// is shown at once; a large one sends the browser to the job's page, which reloads itself
// (<meta http-equiv="refresh">) and says how many rows have been read of how many, until the
// job is done. The request never waits for the whole import (no proxy or browser timeout),
// the job's memory is one row and a bounded result, and the file stays on disk.

// Limits of the import jobs.
const (
	importJobTTL         = 20 * time.Minute // a finished job and its file are kept this long
	importJobsMax        = 64               // jobs kept; beyond, the oldest finished ones go
	importJobsRunningMax = 4                // jobs running at once
	importDefaultWait    = 5 * time.Second  // an upload or a confirmation waits this long for its job
	importRefreshSeconds = 2                // the job page reloads itself this often
)

// importJob is the reading (dry run) or the applying of one uploaded file.
type importJob struct {
	id     string
	user   int64
	slug   string // the report imported into; "" for Parties
	kind   followup.ImportKind
	name   string // the file's name, as uploaded
	format followup.ImportFormat
	dryRun bool
	done   chan struct{}

	mu       sync.Mutex
	path     string // the spooled file; "" once handed to the job that applies it
	progress followup.ImportProgress
	result   followup.ImportResult
	err      error
	finished time.Time
}

// state returns the job's progress, and its result once done.
func (j *importJob) state() (followup.ImportProgress, *followup.ImportResult, error, bool) {
	select {
	case <-j.done:
	default:
		j.mu.Lock()
		defer j.mu.Unlock()
		return j.progress, nil, nil, false
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	res := j.result
	return j.progress, &res, j.err, true
}

// importJobs keeps the import jobs of this server, in memory: a restart loses them (and the
// user uploads again).
type importJobs struct {
	mu   sync.Mutex
	jobs map[string]*importJob
	now  func() time.Time
	wait time.Duration
}

func newImportJobs(wait time.Duration) *importJobs {
	if wait == 0 {
		wait = importDefaultWait
	}
	return &importJobs{jobs: map[string]*importJob{}, now: time.Now, wait: wait}
}

// start registers a job and runs it in the background: run reads the file at path.
func (js *importJobs) start(j *importJob, run func(path string, progress func(followup.ImportProgress)) (followup.ImportResult, error)) error {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	j.id = base64.RawURLEncoding.EncodeToString(b)
	j.done = make(chan struct{})
	js.mu.Lock()
	js.sweep()
	running := 0
	for _, x := range js.jobs {
		if x.finished.IsZero() {
			running++
		}
	}
	if running >= importJobsRunningMax {
		js.mu.Unlock()
		return followup.Invalid("file", "the server is busy with %d other imports: try again in a minute", running)
	}
	js.jobs[j.id] = j
	js.mu.Unlock()
	path := j.path
	go func() {
		res, err := run(path, func(p followup.ImportProgress) {
			j.mu.Lock()
			j.progress = p
			j.mu.Unlock()
		})
		j.mu.Lock()
		j.result, j.err = res, err
		j.finished = js.now()
		if !j.dryRun {
			// Applied or refused, the file is not needed any more: a new try is a new upload.
			_ = os.Remove(path)
			j.path = ""
		}
		j.mu.Unlock()
		close(j.done)
	}()
	return nil
}

// sweep drops expired finished jobs with their files and, beyond importJobsMax, the oldest
// finished ones. The caller holds js.mu.
func (js *importJobs) sweep() {
	now := js.now()
	oldest, oldestAt := "", time.Time{}
	for id, j := range js.jobs {
		j.mu.Lock()
		fin := j.finished
		j.mu.Unlock()
		if fin.IsZero() {
			continue
		}
		if now.Sub(fin) > importJobTTL {
			js.forget(id)
			continue
		}
		if oldest == "" || fin.Before(oldestAt) {
			oldest, oldestAt = id, fin
		}
	}
	if len(js.jobs) >= importJobsMax && oldest != "" {
		js.forget(oldest)
	}
}

// forget drops a job and its file. The caller holds js.mu.
func (js *importJobs) forget(id string) {
	j := js.jobs[id]
	delete(js.jobs, id)
	j.mu.Lock()
	if j.path != "" {
		_ = os.Remove(j.path)
		j.path = ""
	}
	j.mu.Unlock()
}

// get returns a job of the user for the report (or the Parties) and kind.
func (js *importJobs) get(id string, user int64, slug string, kind followup.ImportKind) (*importJob, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.sweep()
	j, ok := js.jobs[id]
	if !ok || j.user != user || j.slug != slug || j.kind != kind {
		return nil, false
	}
	return j, true
}

// take hands the file of a finished dry run to the job that applies it; false when the file
// is gone (expired, or applied already).
func (js *importJobs) take(j *importJob) (string, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.path == "" || j.finished.IsZero() {
		return "", false
	}
	path := j.path
	j.path = ""
	return path, true
}

// waitFor waits for a job to finish, at most the configured wait or until the request ends.
func (js *importJobs) waitFor(ctx context.Context, j *importJob) {
	if js.wait < 0 {
		return
	}
	t := time.NewTimer(js.wait)
	defer t.Stop()
	select {
	case <-j.done:
	case <-t.C:
	case <-ctx.Done():
	}
}

type importData struct {
	Report     followup.Report       // the report imported into; zero for Parties
	Base       string                // the import page's address
	Kinds      []followup.ImportKind // what the user may import here
	Kind       followup.ImportKind   // the kind being previewed or refused
	FileName   string
	Result     *followup.ImportResult
	JobID      string // the finished dry run the confirmation applies
	Columns    map[followup.ImportKind][]string
	Confirming bool // the result is of the confirmation (errors found against the database)
	// Running is set while the job is still reading the file; Progress says how far it is.
	Running  bool
	Progress followup.ImportProgress
}

// importKinds returns what the actor may import into a report, or into the Parties.
func importKinds(a followup.Actor, intoReport bool) []followup.ImportKind {
	var out []followup.ImportKind
	if !intoReport {
		if a.CanManage() {
			out = append(out, followup.ImportParties)
		}
		return out
	}
	if a.CanManage() {
		out = append(out, followup.ImportRecommendations)
	}
	if a.CanAssess() {
		out = append(out, followup.ImportAssessments)
	}
	return out
}

// importView checks access (and the kind, when given) and prepares the page: a report's
// import page when the route has a slug, else the Parties' one.
func (s *Server) importView(c *gin.Context, kind string) (*view, *importData, error) {
	ctx := c.Request.Context()
	actor := followup.ActorFrom(ctx)
	slug := c.Param("slug")
	kinds := importKinds(actor, slug != "")
	what := "import into a report"
	if slug == "" {
		what = "import Parties"
	}
	if err := actor.Require(len(kinds) > 0, what); err != nil {
		return nil, nil, err
	}
	d := &importData{Kinds: kinds, Columns: map[followup.ImportKind][]string{}, Base: "/manage/parties/import"}
	for _, k := range kinds {
		d.Columns[k] = s.svc.Parser.Columns(k)
	}
	if kind != "" {
		d.Kind = followup.ImportKind(kind)
		if !d.Kind.Valid() || d.Kind.IntoReport() != (slug != "") {
			return nil, nil, followup.Errorf(followup.ENotFound, "no import of %q here", kind)
		}
		if err := actor.Require(importAllowed(actor, d.Kind), "import "+string(d.Kind)); err != nil {
			return nil, nil, err
		}
	}
	title := ""
	if slug != "" {
		r, err := s.svc.Reports.FindReport(ctx, slug)
		if err != nil {
			return nil, nil, err
		}
		d.Report, d.Base, title = r, "/manage/reports/"+url.PathEscape(r.Slug)+"/import", r.Title
	}
	v := s.newView(c, "import.title", d)
	if title == "" {
		title = v.T("import.parties_title")
	}
	v.Title = v.T("import.title") + " — " + title
	return v, d, nil
}

// importAllowed reports whether the actor may import files of the kind.
func importAllowed(a followup.Actor, kind followup.ImportKind) bool {
	if kind == followup.ImportAssessments {
		return a.CanAssess()
	}
	return a.CanManage()
}

func (s *Server) pageImport(c *gin.Context) error {
	v, _, err := s.importView(c, "")
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "import", v)
}

// importFile imports the file at path, as a dry run or for real, telling progress how far the
// reading has gone. The result keeps the first errors (each naming its cell) and rows, with
// the counts of all.
func (s *Server) importFile(ctx context.Context, kind followup.ImportKind, slug, path string, format followup.ImportFormat,
	dryRun bool, progress func(followup.ImportProgress)) (followup.ImportResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return followup.ImportResult{Kind: kind, Report: slug, DryRun: dryRun}, err
	}
	defer f.Close()
	return s.importReader(ctx, kind, slug, f, format, dryRun, progress)
}

// importReader imports a file read from f (see importFile).
func (s *Server) importReader(ctx context.Context, kind followup.ImportKind, slug string, f *os.File, format followup.ImportFormat,
	dryRun bool, progress func(followup.ImportProgress)) (followup.ImportResult, error) {
	switch kind {
	case followup.ImportRecommendations:
		return s.svc.Imports.ImportRecommendations(ctx, slug, s.svc.Parser.RecommendationStream(f, format, progress), dryRun)
	case followup.ImportAssessments:
		return s.svc.Imports.ImportAssessments(ctx, slug, s.svc.Parser.AssessmentStream(f, format, followup.Date{}, progress), dryRun)
	default:
		return s.svc.Imports.ImportParties(ctx, s.svc.Parser.PartyStream(f, format, progress), dryRun)
	}
}

// startImport starts the job of a file and waits a little for it; it renders the outcome when
// the job is done by then, else sends the browser to the job's page.
func (s *Server) startImport(c *gin.Context, v *view, d *importData, j *importJob) error {
	ctx := context.WithoutCancel(c.Request.Context()) // the job outlives the request
	err := s.web.imports.start(j, func(path string, progress func(followup.ImportProgress)) (followup.ImportResult, error) {
		return s.importFile(ctx, j.kind, j.slug, path, j.format, j.dryRun, progress)
	})
	if err != nil {
		_ = os.Remove(j.path)
		if v.formError("import-"+string(d.Kind), url.Values{}, err) {
			return s.render(c, http.StatusUnprocessableEntity, "import", v)
		}
		return err
	}
	s.web.imports.waitFor(c.Request.Context(), j)
	return s.showImportJob(c, v, d, j)
}

// showImportJob renders a job: its progress while it runs, then its preview, its errors or,
// once applied, the flash on the page imported into.
func (s *Server) showImportJob(c *gin.Context, v *view, d *importData, j *importJob) error {
	progress, res, err, done := j.state()
	d.FileName, d.Kind = j.name, j.kind
	if !done {
		// Reached at once from the upload: send the browser to the page that reloads itself.
		if c.Request.Method == http.MethodPost {
			return redirect(c, d.Base+"/"+string(j.kind)+"/jobs/"+j.id)
		}
		d.Running, d.Progress = true, progress
		v.Refresh = importRefreshSeconds
		return s.render(c, http.StatusOK, "import", v)
	}
	if err != nil && len(res.Errors) == 0 {
		if v.formError("import-"+string(d.Kind), url.Values{}, err) {
			return s.render(c, http.StatusUnprocessableEntity, "import", v)
		}
		return err
	}
	d.Result = res
	if len(res.Errors) > 0 {
		d.Confirming = !j.dryRun
		v.Alert = v.T("import.has_errors", res.ErrorsTotal)
		return s.render(c, http.StatusUnprocessableEntity, "import", v)
	}
	if !j.dryRun {
		s.flash(c, "flash.imported", v.T("import.kind."+string(j.kind)), j.name, strconv.Itoa(res.Created), strconv.Itoa(res.Updated), strconv.Itoa(res.Unchanged))
		if j.slug == "" {
			return redirect(c, "/manage")
		}
		return redirect(c, "/reports/"+url.PathEscape(j.slug))
	}
	if res.Created+res.Updated > 0 {
		d.JobID = j.id
	}
	return s.render(c, http.StatusOK, "import", v)
}

// postImportPreview keeps the uploaded file on disk and starts its dry run: what importing it
// would do, or every bad row (422); nothing is written.
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
	up, err := s.spoolUpload(c)
	if err != nil {
		return fail(err)
	}
	path := up.file.Name()
	up.file.Close()
	j := &importJob{user: v.Actor.UserID, slug: d.Report.Slug, kind: d.Kind, name: up.name, format: up.format, dryRun: true, path: path}
	return s.startImport(c, v, d, j)
}

// pageImportJob shows a job of the user: its progress, or its outcome.
func (s *Server) pageImportJob(c *gin.Context) error {
	v, d, err := s.importView(c, c.Param("kind"))
	if err != nil {
		return err
	}
	j, ok := s.web.imports.get(c.Param("id"), v.Actor.UserID, d.Report.Slug, d.Kind)
	if !ok {
		v.FormID, v.Form = "import-"+string(d.Kind), url.Values{}
		v.Errors["file"] = v.T("import.expired")
		v.Alert = v.T("import.expired")
		return s.render(c, http.StatusNotFound, "import", v)
	}
	return s.showImportJob(c, v, d, j)
}

// postImportConfirm applies the file previewed, in one transaction, as a job of its own.
func (s *Server) postImportConfirm(c *gin.Context) error {
	v, d, err := s.importView(c, c.Param("kind"))
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	expired := func() error {
		v.FormID, v.Form = "import-"+string(d.Kind), url.Values{}
		v.Errors["file"] = v.T("import.expired")
		v.Alert = v.T("import.expired")
		return s.render(c, http.StatusUnprocessableEntity, "import", v)
	}
	preview, ok := s.web.imports.get(form.Get("upload"), v.Actor.UserID, d.Report.Slug, d.Kind)
	if !ok || !preview.dryRun {
		return expired()
	}
	if _, res, _, done := preview.state(); !done || len(res.Errors) > 0 {
		return expired()
	}
	path, ok := s.web.imports.take(preview)
	if !ok {
		return expired()
	}
	j := &importJob{user: preview.user, slug: preview.slug, kind: preview.kind, name: preview.name, format: preview.format, path: path}
	return s.startImport(c, v, d, j)
}
