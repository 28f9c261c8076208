package server

import (
	"context"
	"errors"
	"io"
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
// preview (a dry run: what each row would do, or every bad row) → confirm (the same file is
// applied in one transaction) → flash.
//
// A file may hold tens of thousands of rows, which take a while to check and to write. The
// pages use no script, so each step runs as a background job: the upload (or the
// confirmation) starts it and waits a few seconds; a small file is done by then and its page
// is shown at once; a large one sends the browser to the job's page, which reloads itself
// (<meta http-equiv="refresh">) and says how far the job is, until it is done. The request
// never waits for the whole import (no proxy or browser timeout), and the job's memory is one
// row and a bounded result.
//
// The file and the record of its job are kept in the database (followup.ImportUploadService,
// where the design is told in full), so that the job's page and the confirmation may reach any
// replica, and a restart loses neither: the upload is stored in pieces for its owner only, and
// its dry run runs on the replica that took it, reading the spooled copy it still has, while
// it writes its progress and heartbeat every few seconds. The confirmation claims the job for
// the replica it reaches, copies the stored file to a temporary file there (an XLSX file needs
// to be read anywhere) and applies it in one write transaction that records its outcome too.
// While it writes, no other write can land, so its progress is kept in this replica's memory
// (importJobs) and shown by this replica; the others say which replica applies it, until the
// outcome commits or the job's heartbeat passes, when the job reads failed (its runner
// stopped; nothing was written) and may be confirmed again.

// Limits of the import jobs of this replica.
const (
	importJobsRunningMax = 4               // jobs running at once on this replica
	importDefaultWait    = 5 * time.Second // an upload or a confirmation waits this long for its job
	importRefreshSeconds = 2               // the job page reloads itself this often
	importProgressEvery  = 2 * time.Second // a dry run records its progress this often, when it moved
	importHeartbeatTicks = 10              // and says it is alive at least every this many times that
)

// localJob is a job running on this replica: the dry run or the apply of one upload.
type localJob struct {
	id    string
	claim int64
	done  chan struct{}

	mu       sync.Mutex
	progress followup.ImportProgress
}

func (j *localJob) setProgress(p followup.ImportProgress) {
	j.mu.Lock()
	j.progress = p
	j.mu.Unlock()
}

func (j *localJob) Progress() followup.ImportProgress {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.progress
}

// importJobs are the jobs this replica runs, in memory: how far each is (an apply's progress is
// known nowhere else), and how many run at once.
type importJobs struct {
	mu      sync.Mutex
	jobs    map[string]*localJob // by upload id
	running int                  // jobs reserved or running
	wait    time.Duration
}

func newImportJobs(wait time.Duration) *importJobs {
	if wait == 0 {
		wait = importDefaultWait
	}
	return &importJobs{jobs: map[string]*localJob{}, wait: wait}
}

// reserve takes a place for a job before the upload is stored or claimed, so that a busy
// replica refuses it before anything is written.
func (js *importJobs) reserve() (*localJob, error) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.running >= importJobsRunningMax {
		return nil, followup.Invalid("file", "the server is busy with %d other imports: try again in a minute", js.running)
	}
	js.running++
	return &localJob{done: make(chan struct{})}, nil
}

// cancel gives a reserved place back.
func (js *importJobs) cancel(j *localJob) {
	js.mu.Lock()
	js.running--
	js.mu.Unlock()
}

// run runs a reserved job of an upload under its claim in the background.
func (js *importJobs) run(j *localJob, id string, claim int64, fn func()) {
	js.mu.Lock()
	j.id, j.claim = id, claim
	js.jobs[id] = j
	js.mu.Unlock()
	go func() {
		defer func() {
			js.mu.Lock()
			js.running--
			if js.jobs[id] == j {
				delete(js.jobs, id)
			}
			js.mu.Unlock()
			close(j.done)
		}()
		fn()
	}()
}

// local returns the job of an upload under a claim when it runs on this replica, else nil.
func (js *importJobs) local(id string, claim int64) *localJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	if j := js.jobs[id]; j != nil && j.claim == claim {
		return j
	}
	return nil
}

// waitFor waits for a job to finish, at most the configured wait or until the request ends.
func (js *importJobs) waitFor(ctx context.Context, j *localJob) {
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
	JobID      string // the upload the confirmation applies, when it may be confirmed
	Columns    map[followup.ImportKind][]string
	Confirming bool // the result is of the confirmation (errors found against the database)
	// Running is set while the job is still reading or applying the file (Applying); Progress
	// says how far it is, when known here: an apply's progress is known to its runner only.
	Running  bool
	Applying bool
	Progress followup.ImportProgress
	// Elsewhere names the replica running the job when it is not this one.
	Elsewhere string
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

// readUpload runs the dry run of a stored upload on the copy this replica spooled, recording its
// progress as it goes and its preview at the end.
func (s *Server) readUpload(ctx context.Context, u followup.ImportUpload, up upload, j *localJob) {
	defer up.discard()
	stop := s.recordProgress(ctx, u, j)
	res, err := s.importReader(ctx, u.Kind, u.Report, up.file, u.Format, true, j.setProgress)
	stop()
	if followup.ErrorCode(err) == followup.EInternal {
		s.log.Error("import: reading the file failed", "upload", u.ID, "err", err)
	}
	if _, err := s.svc.Uploads.FinishImportRead(ctx, u.ID, u.Claim, res, err, s.clock.Now()); err != nil {
		s.log.Warn("import: the preview could not be recorded", "upload", u.ID, "err", err)
	}
}

// recordProgress writes how far a dry run has read every importProgressEvery when it moved, and
// at least every importHeartbeatTicks times that, with the heartbeat that says its runner is
// alive, until the returned function is called. The writes are short and apart from the dry
// run's read-only transaction, which never waits for them: one behind a long write only delays
// the next.
func (s *Server) recordProgress(ctx context.Context, u followup.ImportUpload, j *localJob) (stop func()) {
	quit, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(importProgressEvery)
		defer tick.Stop()
		var last followup.ImportProgress
		for n := 1; ; n++ {
			select {
			case <-quit:
				return
			case <-tick.C:
			}
			p := j.Progress()
			if p == last && n%importHeartbeatTicks != 0 {
				continue
			}
			wctx, cancel := context.WithTimeout(ctx, time.Minute)
			err := s.svc.Uploads.RecordImportProgress(wctx, u.ID, u.Claim, p, s.clock.Now().Add(followup.ImportReadHeartbeat))
			cancel()
			if errors.Is(err, followup.ErrImportClaimLost) {
				return
			}
			if err != nil {
				s.log.Warn("import: the progress could not be recorded", "upload", u.ID, "err", err)
				continue
			}
			last = p
		}
	}()
	return func() {
		close(quit)
		<-finished
	}
}

// applyUpload applies a stored upload under its claim: the file is copied from the database to
// a temporary file of this replica, then applied in one transaction with its outcome.
func (s *Server) applyUpload(ctx context.Context, u followup.ImportUpload, j *localJob) {
	path, err := s.spoolStored(ctx, u.ID)
	if path != "" {
		defer os.Remove(path)
	}
	_, err = s.svc.Uploads.ApplyImportUpload(ctx, u.ID, u.Claim, s.clock, func(ctx context.Context) (followup.ImportResult, error) {
		if err != nil {
			return followup.ImportResult{Kind: u.Kind, Report: u.Report}, err
		}
		return s.importFile(ctx, u.Kind, u.Report, path, u.Format, false, j.setProgress)
	})
	if followup.ErrorCode(err) == followup.EInternal {
		s.log.Error("import: applying the file failed", "upload", u.ID, "err", err)
	}
}

// spoolStored copies the stored file of an upload to a temporary file and returns its path.
func (s *Server) spoolStored(ctx context.Context, id string) (string, error) {
	rc, err := s.svc.Uploads.OpenImportUpload(ctx, id)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	f, err := os.CreateTemp("", "followup-import-*")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, rc); err != nil {
		f.Close()
		return f.Name(), err
	}
	return f.Name(), f.Close()
}

// jobPath is the address of an upload's job page.
func (d *importData) jobPath(u followup.ImportUpload) string {
	return d.Base + "/" + string(u.Kind) + "/jobs/" + u.ID
}

// importGone renders the page of an upload that cannot be found: 410 once it expired, 404 when
// it never was the user's (another user's, or an unknown id).
func (s *Server) importGone(c *gin.Context, v *view, d *importData, err error) error {
	status, key := http.StatusNotFound, "import.unknown"
	switch {
	case errors.Is(err, followup.ErrImportExpired):
		status, key = http.StatusGone, "import.expired"
	case followup.ErrorCode(err) != followup.ENotFound:
		return err
	}
	v.FormID, v.Form = "import-"+string(d.Kind), url.Values{}
	v.Errors["file"] = v.T(key)
	v.Alert = v.T(key)
	return s.render(c, status, "import", v)
}

// findUpload returns an upload of the user for the page's report (or the Parties) and kind.
func (s *Server) findUpload(c *gin.Context, d *importData, id string) (followup.ImportUpload, error) {
	u, err := s.svc.Uploads.FindImportUpload(c.Request.Context(), id, s.clock.Now())
	if err == nil && (u.Report != d.Report.Slug || u.Kind != d.Kind) {
		return u, followup.Errorf(followup.ENotFound, "no upload %q here", id)
	}
	return u, err
}

// showUpload renders the job of an upload: its progress while it runs, then its preview, its
// errors or, once applied, the flash on the page imported into.
func (s *Server) showUpload(c *gin.Context, v *view, d *importData, id string) error {
	u, err := s.findUpload(c, d, id)
	if err != nil {
		return s.importGone(c, v, d, err)
	}
	now := s.clock.Now()
	d.FileName = u.Name
	here := s.web.imports.local(u.ID, u.Claim)
	if u.Running() && (here != nil || !u.Stopped(now)) {
		// Reached at once from the upload or the confirmation: send the browser to the page
		// that reloads itself.
		if c.Request.Method == http.MethodPost {
			return redirect(c, d.jobPath(u))
		}
		d.Running, d.Applying = true, u.State == followup.ImportApplying
		switch {
		case here != nil:
			d.Progress = here.Progress()
		case u.State == followup.ImportReading:
			d.Progress, d.Elsewhere = u.Progress, u.Runner
		default:
			d.Elsewhere = u.Runner
		}
		v.Refresh = importRefreshSeconds
		return s.render(c, http.StatusOK, "import", v)
	}
	confirmable := u.CheckConfirm(now) == nil
	if confirmable {
		d.JobID = u.ID
	}
	if stopped := u.StoppedError(now); stopped != nil {
		if u.State == followup.ImportApplying {
			// The preview again, to confirm again: the file is still stored.
			d.Result = u.Preview
			v.Alert = v.T("import.stopped_apply", u.Runner)
		} else {
			v.FormID, v.Form = "import-"+string(d.Kind), url.Values{}
			v.Errors["file"] = v.T("import.stopped_read", u.Runner)
			v.Alert = v.Errors["file"]
		}
		return s.render(c, http.StatusOK, "import", v)
	}
	switch u.State {
	case followup.ImportApplied:
		res := u.Result
		s.flash(c, "flash.imported", v.T("import.kind."+string(u.Kind)), u.Name, strconv.Itoa(res.Created), strconv.Itoa(res.Updated), strconv.Itoa(res.Unchanged))
		if u.Report == "" {
			return redirect(c, "/manage")
		}
		return redirect(c, "/reports/"+url.PathEscape(u.Report))
	case followup.ImportReady:
		d.Result = u.Preview
		return s.render(c, http.StatusOK, "import", v)
	}
	// Failed: rows refused by the dry run or at the confirmation, or another error.
	switch {
	case u.Confirmed && u.Result != nil && len(u.Result.Errors) > 0:
		d.Result, d.Confirming = u.Result, true
	case !u.Confirmed && u.Preview != nil && len(u.Preview.Errors) > 0:
		d.Result = u.Preview
	case u.Confirmed && confirmable:
		d.Result = u.Preview
		v.Alert = v.T("import.apply_failed")
		return s.render(c, http.StatusOK, "import", v)
	case u.Failure != nil:
		if v.formError("import-"+string(d.Kind), url.Values{}, u.Failure) {
			return s.render(c, http.StatusUnprocessableEntity, "import", v)
		}
		return u.Failure
	default:
		return followup.Errorf(followup.EInternal, "the import job of %s failed", u.Name)
	}
	v.Alert = v.T("import.has_errors", d.Result.ErrorsTotal)
	return s.render(c, http.StatusUnprocessableEntity, "import", v)
}

// postImportPreview stores the uploaded file and starts its dry run: what importing it would
// do, or every bad row (422); nothing is imported.
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
	j, err := s.web.imports.reserve()
	if err != nil {
		up.discard()
		return fail(err)
	}
	u, err := s.storeUpload(c, d, up)
	if err != nil {
		s.web.imports.cancel(j)
		up.discard()
		return fail(err)
	}
	ctx := context.WithoutCancel(c.Request.Context()) // the job outlives the request
	s.web.imports.run(j, u.ID, u.Claim, func() { s.readUpload(ctx, u, up, j) })
	s.web.imports.waitFor(c.Request.Context(), j)
	return s.showUpload(c, v, d, u.ID)
}

// storeUpload stores a spooled upload in the database, leaving the spooled copy at its start
// for the dry run.
func (s *Server) storeUpload(c *gin.Context, d *importData, up upload) (followup.ImportUpload, error) {
	st, err := up.file.Stat()
	if err != nil {
		return followup.ImportUpload{}, err
	}
	in := followup.ImportUploadInput{Report: d.Report.Slug, Kind: d.Kind, Name: up.name, Format: up.format, Size: st.Size(),
		Runner: s.replica, MaxHeld: s.web.importHeld}
	if in.MaxHeld <= 0 {
		in.MaxHeld = followup.ImportUploadsHeld * s.svc.Parser.MaxBytes()
	}
	u, err := s.svc.Uploads.CreateImportUpload(c.Request.Context(), in, up.file, s.clock.Now())
	if err != nil {
		return u, err
	}
	_, err = up.file.Seek(0, io.SeekStart)
	return u, err
}

// pageImportJob shows a job of the user: its progress, or its outcome.
func (s *Server) pageImportJob(c *gin.Context) error {
	v, d, err := s.importView(c, c.Param("kind"))
	if err != nil {
		return err
	}
	return s.showUpload(c, v, d, c.Param("id"))
}

// postImportConfirm applies the file previewed, in one transaction, as a job of its own on this
// replica, whichever replica took the upload.
func (s *Server) postImportConfirm(c *gin.Context) error {
	v, d, err := s.importView(c, c.Param("kind"))
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	u, err := s.findUpload(c, d, form.Get("upload"))
	if errors.Is(err, followup.ErrImportExpired) {
		// A confirmation writes anyway: what expired goes now, this file with it.
		if _, perr := s.svc.Uploads.PurgeImportUploads(c.Request.Context(), s.clock.Now()); perr != nil {
			return perr
		}
	}
	if err != nil {
		return s.importGone(c, v, d, err)
	}
	refuse := func(err error) error {
		if followup.ErrorCode(err) != followup.EConflict {
			return s.importGone(c, v, d, err)
		}
		key := "import.not_confirmable"
		switch {
		case u.State == followup.ImportApplied:
			key = "import.already_applied"
		case u.Running() && !u.Stopped(s.clock.Now()):
			key = "import.still_running"
		}
		v.FormID, v.Form = "import-"+string(d.Kind), url.Values{}
		v.Errors["file"] = v.T(key)
		v.Alert = v.T(key)
		return s.render(c, http.StatusUnprocessableEntity, "import", v)
	}
	if err := u.CheckConfirm(s.clock.Now()); err != nil {
		return refuse(err)
	}
	j, err := s.web.imports.reserve()
	if err != nil {
		if v.formError("import-"+string(d.Kind), url.Values{}, err) {
			return s.render(c, http.StatusUnprocessableEntity, "import", v)
		}
		return err
	}
	u, err = s.svc.Uploads.ClaimImportApply(c.Request.Context(), u.ID, s.replica, s.clock.Now())
	if err != nil {
		s.web.imports.cancel(j)
		return refuse(err)
	}
	ctx := context.WithoutCancel(c.Request.Context()) // the job outlives the request
	s.web.imports.run(j, u.ID, u.Claim, func() { s.applyUpload(ctx, u, j) })
	s.web.imports.waitFor(c.Request.Context(), j)
	return s.showUpload(c, v, d, u.ID)
}
