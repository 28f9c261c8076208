package server

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alexedwards/scs/v2"
	"github.com/gin-gonic/gin"

	"followup/internal/followup"
	"followup/internal/i18n"
	"followup/web"
)

// WebOptions configure the web interface.
type WebOptions struct {
	IdleTimeout time.Duration // 2h when zero
	Lifetime    time.Duration // 12h when zero
	// BaseURL is the public URL: its origin is trusted for cross-origin checks (a proxy may
	// rewrite Host), and an https URL makes the session cookie Secure.
	BaseURL        string
	TrustedProxies []string // reverse proxies whose X-Forwarded-For is believed; none when empty
	// ImportWait is how long an upload waits for its import job before sending the browser to
	// the job's page, which reloads itself (page_import.go): 5 s when zero, none when negative.
	ImportWait time.Duration
	// ImportHeldBytes bounds the bytes of the import files a user keeps waiting for their
	// confirmation: followup.ImportUploadsHeld times the parser's largest file when zero.
	ImportHeldBytes int64
}

// Session keys.
const (
	sessUserID = "user_id"
	sessFlash  = "flash"
)

// langCookie remembers the language chosen with the switch.
const langCookie = "lang"

// webState is what the pages need besides the services.
type webState struct {
	sessions   *scs.SessionManager
	pages      map[string]*template.Template
	catalogue  *i18n.Catalogue
	imports    *importJobs // the import jobs this replica runs (page_import.go)
	importHeld int64       // WebOptions.ImportHeldBytes
	baseURL    string      // the public URL, for links shown to users (calendar feeds)
}

// pageNames lists the page templates (web/templates/NAME.html), each parsed with the layout
// and the partials into a set of its own, so that no two pages can overwrite each other's blocks.
var pageNames = []string{"error", "home", "login", "password", "report", "recommendation", "party", "desk",
	"followup", "queue", "manage", "report_form", "recommendation_form", "adopt", "users", "audit",
	"jobs", "outbox", "outbox_message", "import", "account", "confirm", "search", "article", "submit_confirm"}

// setupWeb prepares sessions (kept by the Sessions service, so shared by every process on the
// database), templates and catalogues.
func (s *Server) setupWeb(o WebOptions) error {
	if o.IdleTimeout == 0 {
		o.IdleTimeout = 2 * time.Hour
	}
	if o.Lifetime == 0 {
		o.Lifetime = 12 * time.Hour
	}
	sm := scs.New()
	sm.Store = sessionStore{store: s.svc.Sessions, codec: sm.Codec}
	sm.IdleTimeout = o.IdleTimeout
	sm.Lifetime = o.Lifetime
	sm.Cookie.Name = "followup_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	sm.Cookie.Secure = strings.HasPrefix(o.BaseURL, "https://")
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.log.Error("session", "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
	st := &webState{sessions: sm, pages: map[string]*template.Template{}, catalogue: i18n.Builtin(),
		imports: newImportJobs(o.ImportWait), importHeld: o.ImportHeldBytes,
		baseURL: strings.TrimRight(o.BaseURL, "/")}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(templateFuncs).ParseFS(web.FS, "templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("web: template %s: %w", name, err)
		}
		st.pages[name] = t
	}
	s.web = st
	// Every state-changing request (forms and API) from another origin is refused: browsers
	// say where a request comes from in Sec-Fetch-Site or Origin. Clients that send neither
	// (curl with a bearer token) are not browsers and cannot be tricked into a request.
	cop := http.NewCrossOriginProtection()
	if u, err := url.Parse(o.BaseURL); err == nil && u.Host != "" {
		_ = cop.AddTrustedOrigin(u.Scheme + "://" + u.Host)
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintln(w, "403 Forbidden: cross-origin request refused / requête d’une autre origine refusée")
	}))
	s.handler = cop.Handler(sm.LoadAndSave(s.engine))
	return nil
}

var staticFiles = http.FileServerFS(web.Static())

func (s *Server) webRoutes() {
	e := s.engine
	e.GET("/static/*file", func(c *gin.Context) {
		if f := c.Param("file"); strings.HasSuffix(f, "/") {
			s.writeError(c, followup.Errorf(followup.ENotFound, "no such file"))
			return
		}
		c.Header("Cache-Control", "public, max-age=3600")
		http.StripPrefix("/static", staticFiles).ServeHTTP(c.Writer, c.Request)
	})
	e.GET("/", s.wrap(s.pageHome))
	e.GET("/lang", s.wrap(s.pageLang))
	e.GET("/print/stamp.css", s.wrap(s.printStamp))
	e.GET("/login", s.wrap(s.pageLogin))
	e.POST("/login", s.wrap(s.postLogin))
	e.POST("/logout", s.wrap(s.postLogout))
	e.GET("/account/password", s.wrap(s.pagePassword))
	e.POST("/account/password", s.wrap(s.postPassword))
	e.GET("/account", s.wrap(s.pageAccount))
	e.POST("/account/lang", s.wrap(s.postAccountLang))
	e.GET("/reports/:slug", s.wrap(s.pageReport))
	e.GET("/reports/:slug/recommendations/:label", s.wrap(s.pageRecommendation))
	e.GET("/parties/:code", s.wrap(s.pageParty))
	e.GET("/recommendations", s.wrap(s.pageSearch))
	e.GET("/articles/:n", s.wrap(s.pageArticle))
	e.GET("/desk", s.wrap(s.pageDesk))
	e.POST("/desk/calendar", s.wrap(s.postCalendarCreate))
	e.POST("/desk/calendar/revoke", s.wrap(s.postCalendarRevoke))
	e.GET("/queue", s.wrap(s.pageQueue))
	e.GET("/followups/:slug/:label/:party", s.wrap(s.pageFollowUp))
	e.POST("/followups/:slug/:label/:party/submissions", s.wrap(s.postSubmission))
	e.POST("/followups/:slug/:label/:party/submissions/:id", s.wrap(s.postDraft))
	e.GET("/followups/:slug/:label/:party/submissions/:id/confirm", s.wrap(s.pageSubmitConfirm))
	e.POST("/followups/:slug/:label/:party/assessments", s.wrap(s.postAssessment))
	e.POST("/followups/:slug/:label/:party/submissions/:id/publish", s.wrap(s.postPublish))
	e.POST("/followups/:slug/:label/:party/requests", s.wrap(s.postRequest))
	m := e.Group("/manage")
	m.GET("", s.wrap(s.pageManage))
	m.GET("/reports/new", s.wrap(s.pageReportNew))
	m.POST("/reports", s.wrap(s.postReportNew))
	m.GET("/reports/:slug/edit", s.wrap(s.pageReportEdit))
	m.POST("/reports/:slug/publish", s.wrap(s.postReportPublish))
	m.POST("/reports/:slug/edit", s.wrap(s.postReportEdit))
	m.GET("/reports/:slug/recommendations/new", s.wrap(s.pageRecommendationNew))
	m.POST("/reports/:slug/recommendations", s.wrap(s.postRecommendationNew))
	m.GET("/reports/:slug/recommendations/:label/edit", s.wrap(s.pageRecommendationEdit))
	m.POST("/reports/:slug/recommendations/:label/edit", s.wrap(s.postRecommendationEdit))
	m.GET("/reports/:slug/adopt", s.wrap(s.pageAdopt))
	m.POST("/reports/:slug/adopt", s.wrap(s.postAdopt))
	m.GET("/users", s.wrap(s.pageUsers))
	m.POST("/users", s.wrap(s.postUserCreate))
	m.GET("/users/:email/:action", s.wrap(s.pageUserActionConfirm))
	m.POST("/users/:email/:action", s.wrap(s.postUserAction))
	m.POST("/tokens", s.wrap(s.postTokenCreate))
	m.POST("/tokens/:id/revoke", s.wrap(s.postTokenRevoke))
	m.GET("/audit", s.wrap(s.pageAudit))
	m.GET("/jobs", s.wrap(s.pageJobs))
	m.GET("/jobs/:name/run", s.wrap(s.pageJobRunConfirm))
	m.POST("/jobs/:name/run", s.wrap(s.postJobRun))
	m.GET("/outbox", s.wrap(s.pageOutbox))
	m.GET("/outbox/:id", s.wrap(s.pageOutboxMessage))
	m.POST("/outbox/:id/retry", s.wrap(s.postOutboxRetry))
	m.GET("/reports/:slug/import", s.wrap(s.pageImport))
	m.POST("/reports/:slug/import/:kind", s.wrap(s.postImportPreview))
	m.POST("/reports/:slug/import/:kind/confirm", s.wrap(s.postImportConfirm))
	m.GET("/reports/:slug/import/:kind/jobs/:id", s.wrap(s.pageImportJob))
	m.GET("/parties/import", s.wrap(s.pageImport))
	m.POST("/parties/import/:kind", s.wrap(s.postImportPreview))
	m.POST("/parties/import/:kind/confirm", s.wrap(s.postImportConfirm))
	m.GET("/parties/import/:kind/jobs/:id", s.wrap(s.pageImportJob))
}

// isAPI tells the machine requests (JSON errors) from the pages (HTML errors).
func isAPI(c *gin.Context) bool {
	p := c.Request.URL.Path
	return strings.HasPrefix(p, "/api/") || p == "/healthz"
}

// sessionActor returns the signed-in user of the browser session.
func (s *Server) sessionActor(c *gin.Context) (followup.Actor, bool) {
	if s.web == nil {
		return followup.Actor{}, false
	}
	ctx := c.Request.Context()
	id := s.web.sessions.GetInt64(ctx, sessUserID)
	if id == 0 {
		return followup.Actor{}, false
	}
	actor, err := s.svc.Auth.ActorByID(ctx, id)
	if err != nil {
		// Deactivated or gone: the session is over.
		_ = s.web.sessions.Destroy(ctx)
		return followup.Actor{}, false
	}
	return actor, true
}

// flash keeps a message (a catalogue key and its arguments) for the next page.
func (s *Server) flash(c *gin.Context, key string, args ...string) {
	s.web.sessions.Put(c.Request.Context(), sessFlash, strings.Join(append([]string{key}, args...), "\x1f"))
}

// redirect answers a successful form with 303 See Other, so that reloading the next page does
// not post the form again.
func redirect(c *gin.Context, to string) error {
	c.Redirect(http.StatusSeeOther, to)
	return nil
}

// localPath returns p when it is a path on this site, else fallback: a "next" parameter must
// not send the user to another site. Browsers drop tabs and newlines from a URL, read a
// backslash as a slash, and a page may decode the path once more, so p is judged as printable
// ASCII without spaces, then percent-decoded until it no longer changes, with backslashes read
// as slashes: it must then still be a path ("/" not followed by another "/") without control
// characters or spaces. Only a few rounds of decoding are allowed; more is refused.
func localPath(p, fallback string) string {
	if !isLocalPath(p) {
		return fallback
	}
	return p
}

func isLocalPath(p string) bool {
	const maxLen, maxDecodings = 2048, 4
	if p == "" || len(p) > maxLen {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] <= ' ' || p[i] >= 0x7f {
			return false
		}
	}
	s := p
	for round := 0; ; round++ {
		if !pathOnly(s) {
			return false
		}
		decoded, err := url.PathUnescape(s)
		if err != nil {
			return false
		}
		if decoded == s {
			return true
		}
		if round == maxDecodings {
			return false
		}
		s = decoded
	}
}

// pathOnly reports whether s, read as a browser reads it, is a path with no host and no
// scheme, without control characters or spaces.
func pathOnly(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return false
		}
	}
	s = strings.ReplaceAll(s, "\\", "/")
	return strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//")
}

// language returns the language of the request: the cookie set by the switch, else the best of
// Accept-Language, else English.
func language(r *http.Request) string {
	if ck, err := r.Cookie(langCookie); err == nil && (ck.Value == "en" || ck.Value == "fr") {
		return ck.Value
	}
	best, bestQ := "en", -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if (primary == "en" || primary == "fr") && q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}

// view is what every page template gets: the request's language and user, the flash message,
// the form being redisplayed with its errors, and the page's own data.
type view struct {
	Lang   string
	Actor  followup.Actor
	Title  string
	Flash  string
	Path   string // the current path and query, for the language switch and "next"
	Today  followup.Date
	Data   any
	FormID string            // which form Errors and Form belong to
	Form   url.Values        // the input of a form that is shown again
	Errors map[string]string // field → message
	Alert  string            // an error shown at the top of the page
	Page   string            // the page template, for the page's own print rules
	// Refresh, when not zero, makes the page reload itself after that many seconds (the page
	// of an import job still running).
	Refresh int
	// PrintStamp is the address of the print stylesheet that stamps every printed page with
	// the "as of" and print dates (page_print.go); empty for pages without one.
	PrintStamp string

	msgs    *i18n.Catalogue
	parties map[string]followup.Party // read by newView, so that templates call no service
	loadErr error                     // why the Parties could not be read; render fails with it
	s       *Server
}

func (s *Server) newView(c *gin.Context, titleKey string, data any) *view {
	lang := language(c.Request)
	v := &view{Lang: lang, Actor: followup.ActorFrom(c.Request.Context()), Data: data, Path: c.Request.URL.RequestURI(),
		Errors: map[string]string{}, msgs: s.web.catalogue, s: s, parties: map[string]followup.Party{},
		Today: s.today()}
	// Pages name Parties everywhere (the menu of a Party's user, matrices, lists): the names are
	// read here, once, and a failure is the page's (render returns it) rather than codes shown
	// in place of names.
	if ps, err := s.svc.Parties.ListParties(c.Request.Context()); err != nil {
		v.loadErr = err
	} else {
		for _, p := range ps {
			v.parties[p.Code] = p
		}
	}
	v.Title = v.T(titleKey)
	if f := s.web.sessions.PopString(c.Request.Context(), sessFlash); f != "" {
		parts := strings.Split(f, "\x1f")
		args := make([]any, len(parts)-1)
		for i, p := range parts[1:] {
			args[i] = p
		}
		v.Flash = v.T(parts[0], args...)
	}
	return v
}

// render executes a page into a buffer first, so that a template error becomes a clean 500.
func (s *Server) render(c *gin.Context, status int, page string, v *view) error {
	t := s.web.pages[page]
	if t == nil {
		return fmt.Errorf("web: no page %q", page)
	}
	v.Page = page
	if v.loadErr != nil {
		return fmt.Errorf("web: %s: the Parties: %w", page, v.loadErr)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// T translates a catalogue key; arguments fill its verbs, and the first one is the count of a
// plural entry (i18n.Catalogue.T). A missing key shows itself, so that it is noticed (and the
// catalogue tests fail first).
func (v *view) T(key string, args ...any) string { return v.msgs.T(v.Lang, key, args...) }

// TOr translates key, or returns fallback when the catalogue has no such key (audit actions
// added by other parts of the program, for instance).
func (v *view) TOr(key, fallback string) string {
	if m, ok := v.msgs.Lookup(v.Lang, key); ok {
		return m
	}
	return fallback
}

// Date writes a date in the page's language: "6 June 2019", "6 juin 2019".
func (v *view) Date(d followup.Date) string {
	if d.IsZero() {
		return "—"
	}
	return v.msgs.Date(v.Lang, d)
}

// Time writes an instant in the server's time zone, day and minute, with the zone's
// abbreviation: "28 November 2026 09:25 CET".
func (v *view) Time(t time.Time) string { return v.timeIn(t, v.s.loc) }

// timeIn writes an instant in a time zone, day and minute, with the zone's abbreviation.
func (v *view) timeIn(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return v.msgs.DateTime(v.Lang, t, loc)
}

// Party returns a Party's name in the page's language (the code of an unknown Party).
func (v *view) Party(code string) string {
	if p, ok := v.parties[code]; ok {
		return p.Name(v.Lang)
	}
	return code
}

// Status returns the label of a status (nil: pending).
func (v *view) Status(st *followup.Status) string {
	return v.T("status." + statusKey(st))
}

// Val returns the value of a field of the form that is shown again, or def when another form
// (or none) is being shown again.
func (v *view) Val(form, field, def string) string {
	if v.FormID == form && v.Form != nil {
		return v.Form.Get(field)
	}
	return def
}

// Err returns the error message of a field of a form.
func (v *view) Err(form, field string) string {
	if v.FormID != form {
		return ""
	}
	return v.Errors[field]
}

// Checked reports whether a checkbox value is among a field's values in the form shown again,
// or in def otherwise.
func (v *view) Checked(form, field, value string, def []string) bool {
	vals := def
	if v.FormID == form && v.Form != nil {
		vals = v.Form[field]
	}
	for _, x := range vals {
		if x == value {
			return true
		}
	}
	return false
}

// Badge shows a status as symbol, text and colour (never colour alone); a draft is marked.
func (v *view) Badge(st *followup.Status, draft bool) template.HTML {
	key := statusKey(st)
	out := `<span class="status st-` + key
	if draft {
		out += ` draft`
	}
	out += `"><span aria-hidden="true" class="sym">` + statusSymbols[key] + `</span> ` + template.HTMLEscapeString(v.T("status."+key))
	if draft {
		out += ` <em class="draft-mark">(` + template.HTMLEscapeString(v.T("label.draft")) + `)</em>`
	}
	return template.HTML(out + `</span>`)
}

// StateBadge shows a workflow state.
func (v *view) StateBadge(st followup.State) template.HTML {
	return template.HTML(`<span class="state state-` + string(st) + `">` + template.HTMLEscapeString(v.T("state."+string(st))) + `</span>`)
}

func statusKey(st *followup.Status) string {
	if st == nil {
		return followup.Pending
	}
	return string(*st)
}

// statusSymbols give every status a symbol, so that colour is never the only sign.
var statusSymbols = map[string]string{
	string(followup.Implemented):          "✔",
	string(followup.PartiallyImplemented): "◐",
	string(followup.NotImplemented):       "✘",
	string(followup.NoInformation):        "?",
	string(followup.NotApplicable):        "–",
	followup.Pending:                      "…",
}

var templateFuncs = template.FuncMap{
	"statusKey": statusKey,
	"symbol":    func(st *followup.Status) string { return statusSymbols[statusKey(st)] },
	"symbolOf":  func(key string) string { return statusSymbols[key] },
	"pct": func(score *float64) string {
		if score == nil {
			return "—"
		}
		return strconv.Itoa(int(*score*100+0.5)) + " %"
	},
	"join": strings.Join,
	"ptrStatus": func(s string) *followup.Status {
		st := followup.Status(s)
		return &st
	},
	"parseDate": func(s string) followup.Date {
		d, _ := followup.ParseDate("date", s)
		return d
	},
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"add": func(a, b int) int { return a + b },
	"pathEscape": func(s string) string {
		return url.PathEscape(s)
	},
	"followupURL": func(report, label, party string) string {
		return "/followups/" + url.PathEscape(report) + "/" + url.PathEscape(label) + "/" + url.PathEscape(party)
	},
	"recURL": func(report, label string) string {
		return "/reports/" + url.PathEscape(report) + "/recommendations/" + url.PathEscape(label)
	},
	"countKeys":  func() []string { return followup.CountKeys },
	"statuses":   func() []followup.Status { return followup.Statuses },
	"categories": func() []followup.Category { return followup.Categories },
	"kinds":      func() []followup.ReportKind { return followup.ReportKinds },
	"roles":      func() []followup.Role { return followup.Roles },
	"str":        func(v any) string { return fmt.Sprint(v) },
	"raw": func(v any) string {
		switch x := v.(type) {
		case nil:
			return ""
		case json.RawMessage:
			return string(x)
		}
		b, _ := json.Marshal(v)
		return string(b)
	},
	"base": path.Base,
	"size": fileSize,
	// detail is what a history entry says beyond its action: the question of a request, the
	// text of a submission, as its after-image holds them.
	"detail": func(v any) string {
		raw, ok := v.(json.RawMessage)
		if !ok {
			return ""
		}
		var m struct {
			Question string `json:"question"`
			Text     string `json:"text"`
		}
		if json.Unmarshal(raw, &m) != nil {
			return ""
		}
		return cmp.Or(m.Question, m.Text)
	},
}

// fileSize writes a size in bytes for people: "812 B", "34 KiB", "2.5 MiB".
func fileSize(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
}

// formValues reads a posted form (urlencoded, at most maxBodyBytes).
func formValues(c *gin.Context) (url.Values, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes)
	if err := c.Request.ParseForm(); err != nil {
		if strings.Contains(err.Error(), "too large") {
			return nil, followup.Errorf(followup.ETooLarge, "the form is larger than 1 MiB")
		}
		return nil, followup.Errorf(followup.EBadRequest, "the form could not be read")
	}
	return c.Request.PostForm, nil
}

// formError turns an EInvalid error into a message next to its field, in the page's language
// (fieldMessage). It reports false for any other error, which then goes to writeError.
func (v *view) formError(form string, values url.Values, err error) bool {
	if followup.ErrorCode(err) != followup.EInvalid {
		return false
	}
	field := followup.ErrorField(err)
	if field == "" {
		field = "_"
	}
	msg := v.fieldMessage(err)
	if field == "files" && msg == v.T("invalid.files") {
		// A refusal of a file that the catalogue has no words for: the domain's words follow
		// the catalogue's, so that the reader still learns which file and why.
		msg += " " + followup.ErrorMessage(err)
	}
	v.FormID, v.Form = form, values
	v.Errors[field] = msg
	if field == "_" {
		v.Alert = msg
	} else {
		v.Alert = v.T("form.has_errors")
	}
	return true
}

// requireSignedIn sends the anonymous to the sign-in page.
func requireSignedIn(actor followup.Actor, action string) error {
	return actor.Require(!actor.Anonymous(), action)
}

// sortedCodes returns the keys of a set in order.
func sortedCodes(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ReportMark marks a report that is not published yet, for the committee who alone see it.
func (v *view) ReportMark(r followup.Report) template.HTML {
	if r.Published() {
		return ""
	}
	return template.HTML(` <span class="badge draft-report">` + template.HTMLEscapeString(v.T("report.draft_mark")) + `</span>`)
}

// PeriodText writes a period in the page's language: "12 months", "90 jours".
func (v *view) PeriodText(p followup.Period) string {
	var parts []string
	if p.Months != 0 {
		parts = append(parts, v.T("period.months", p.Months))
	}
	if p.Days != 0 || len(parts) == 0 {
		parts = append(parts, v.T("period.days", p.Days))
	}
	return strings.Join(parts, " ")
}
