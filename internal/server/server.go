// Package server is the HTTP face of the tracker: the JSON API under /api/v1 over the domain's
// services. Handlers are small: they parse, call a service and render; errors go to one place
// (writeError) that maps domain codes to status codes.
package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// Options configure the server.
type Options struct {
	// Services are every service the server calls (a store's, with the job runner, the export
	// encoder and the import parser): New refuses a value with one missing.
	Services followup.Services
	Logger   *slog.Logger
	Web      WebOptions // sessions, cookies and proxies of the web interface (web.go)
	// Clock tells the time: today on the pages, when an export was generated, the stamp of a
	// calendar feed. The system clock when nil.
	Clock followup.Clock
	// Location is the time zone of today and of the instants the pages show. UTC when nil.
	Location *time.Location
	// Engine names the database engine ("sqlite", "postgres") for /healthz.
	Engine string
	// Exports bound the expensive downloads (PDF, XLSX) rendered at once (export_limit.go).
	Exports ExportLimits
	// Replica names this process among those serving the database, in the import jobs it
	// runs ("applying on ..."): the host, the process id and a random suffix when empty.
	Replica string
	// NextDueAfter is the store's period after an adoption at the end of which a follow-up it
	// leaves open is due again (configuration followup.next_due_after), for the adoption's
	// preview to say; followup.DefaultNextDueAfter when zero.
	NextDueAfter followup.Period
}

// Server holds what the handlers need.
type Server struct {
	svc        followup.Services
	cache      *ComplianceCache // in front of the compliance service (compliance_cache.go)
	renders    *renderLimiter   // the PDF and XLSX downloads in flight (export_limit.go)
	log        *slog.Logger
	engine     *gin.Engine
	handler    http.Handler // the engine inside sessions and cross-origin protection
	web        *webState
	clock      followup.Clock
	loc        *time.Location
	engineName string // the database engine, for /healthz
	replica    string // this process's name in the import jobs it runs
	// nextDueAfter: see Options.NextDueAfter.
	nextDueAfter followup.Period
}

// maxBodyBytes is the largest request body accepted (413 beyond).
const maxBodyBytes = 1 << 20

// New builds the server and its routes. It fails when a service is missing or an option is
// wrong.
func New(opts Options) (*Server, error) {
	if err := opts.Services.Check(); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	gin.SetMode(gin.ReleaseMode)
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = followup.SystemClock{}
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Replica == "" {
		opts.Replica = processName()
	}
	if opts.NextDueAfter.IsZero() {
		opts.NextDueAfter = followup.DefaultNextDueAfter
	}
	s := &Server{svc: opts.Services, log: opts.Logger, clock: opts.Clock, loc: opts.Location, engineName: opts.Engine,
		replica: opts.Replica, nextDueAfter: opts.NextDueAfter}
	renders, err := newRenderLimiter(opts.Exports)
	if err != nil {
		return nil, err
	}
	s.renders = renders
	// Summaries are cached in front of the store, on the store's data version, so that a write
	// through any process or replica invalidates them.
	s.cache = NewComplianceCache(opts.Services.Compliance, newSharedVersionReads(opts.Services.Versions), s.today, 0)
	s.svc.Compliance = s.cache
	e := gin.New()
	// Client addresses come from the connection only, unless proxies are configured: an
	// X-Forwarded-For header from anyone else could spoof them.
	if err := e.SetTrustedProxies(opts.Web.TrustedProxies); err != nil {
		return nil, fmt.Errorf("server: trusted proxies: %w", err)
	}
	e.HandleMethodNotAllowed = true
	e.Use(s.recoverer(), s.logRequests(), securityHeaders(), s.cacheControl(), s.authenticate())
	e.NoRoute(s.wrap(func(c *gin.Context) error {
		return followup.Errorf(followup.ENotFound, "no such page: %s", c.Request.URL.Path)
	}))
	e.NoMethod(s.wrap(func(c *gin.Context) error {
		return &httpError{status: http.StatusMethodNotAllowed, code: "method_not_allowed", message: c.Request.Method + " is not allowed here"}
	}))
	s.engine = e
	if err := s.setupWeb(opts.Web); err != nil {
		return nil, err
	}
	s.routes()
	s.webRoutes()
	return s, nil
}

// processName names this process: host/pid/random, as the scheduler names the holder of its
// lease.
func processName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "host"
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Handler returns the http.Handler to serve.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes lists the method and path of every API route (not the pages), for the OpenAPI test.
func (s *Server) Routes() gin.RoutesInfo {
	var out gin.RoutesInfo
	for _, r := range s.engine.Routes() {
		if strings.HasPrefix(r.Path, "/api/") || r.Path == "/healthz" {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) routes() {
	e := s.engine
	e.GET("/healthz", s.wrap(s.health))
	api := e.Group("/api/v1")
	api.GET("/openapi.json", s.wrap(s.openAPI))
	api.GET("/me", s.wrap(s.me))

	api.GET("/parties", s.wrap(s.listParties))
	api.POST("/parties", s.wrap(s.createParty))
	api.GET("/parties/:code", s.wrap(s.getParty))

	api.GET("/reports", s.wrap(s.listReports))
	api.POST("/reports", s.wrap(s.createReport))
	api.GET("/reports/:slug", s.wrap(s.getReport))
	api.PATCH("/reports/:slug", s.wrap(s.updateReport))
	api.POST("/reports/:slug/publish", s.wrap(s.publishReport))
	api.GET("/reports/:slug/recommendations", s.wrap(s.listRecommendations))
	api.POST("/reports/:slug/recommendations", s.wrap(s.createRecommendation))
	api.GET("/reports/:slug/recommendations/:label", s.wrap(s.getRecommendation))
	api.PATCH("/reports/:slug/recommendations/:label", s.wrap(s.updateRecommendation))
	api.POST("/reports/:slug/adopt", s.wrap(s.adopt))
	api.GET("/reports/:slug/compliance", s.wrap(s.compliance))

	api.GET("/followups", s.wrap(s.listFollowUps))
	fu := api.Group("/followups/:slug/:label/:party")
	fu.GET("", s.wrap(s.getFollowUp))
	fu.POST("/submissions", s.wrap(s.createSubmission))
	fu.PATCH("/submissions/:id", s.wrap(s.updateSubmission))
	fu.POST("/submissions/:id/publish", s.wrap(s.publishSubmission))
	fu.POST("/assessments", s.wrap(s.createAssessment))
	fu.GET("/history", s.wrap(s.followUpHistory))
	fu.GET("/requests", s.wrap(s.followUpRequests))
	fu.POST("/requests", s.wrap(s.createRequest))
	api.GET("/requests", s.wrap(s.listRequests))
	api.GET("/attachments/:id", s.wrap(s.getAttachment))

	api.GET("/audit", s.wrap(s.listAudit))
	s.jobRoutes(api) // outbox and calendar feeds: admin_outbox.go

	s.exportRoutes(api) // downloads, import templates and uploads (exports.go)
	s.searchRoutes(api) // search across reports (search.go)
}

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(c *gin.Context) error

// wrap turns a handlerFunc into a gin handler; errors go to writeError.
func (s *Server) wrap(h handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.writeError(c, err)
		}
	}
}

// today is the current day in the server's time zone.
func (s *Server) today() followup.Date { return followup.DateOf(s.clock.Now(), s.loc) }

// logRequests logs each request. It reads the wall clock to measure a duration, not to decide
// anything, so it does not ask the injected clock.
func (s *Server) logRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		// The query string is left out: it may carry tokens (calendar feeds) or personal data.
		s.log.Info("request", "method", c.Request.Method, "path", c.Request.URL.Path, "status", c.Writer.Status(),
			"duration", time.Since(start).Round(time.Microsecond), "client", c.ClientIP())
	}
}

func (s *Server) recoverer() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("panic", "method", c.Request.Method, "path", c.Request.URL.Path, "panic", v)
				s.writeError(c, followup.Errorf(followup.EInternal, "internal error"))
				c.Abort()
			}
		}()
		c.Next()
	}
}

func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		c.Next()
	}
}

// cacheControl keeps what depends on who asks out of every cache: every page (it shows the
// signed-in user, a flash message, a form), and every API answer to a request that carries a
// bearer token, a session cookie or a calendar feed's token (in the query string, as calendar
// programs cannot send headers), refusals included. It is set before the handler runs, so
// that an answer that is more particular (a download) may still say more. Static files, the
// same for everyone, keep the caching their handler gives them; API answers say that they
// vary with credentials.
func (s *Server) cacheControl() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch {
		case strings.HasPrefix(c.Request.URL.Path, "/static/"):
		case isAPI(c):
			c.Writer.Header().Add("Vary", "Authorization")
			if c.GetHeader("Authorization") != "" || s.hasSessionCookie(c.Request) || c.Query("token") != "" {
				c.Header("Cache-Control", "no-store")
			}
		default:
			c.Header("Cache-Control", "no-store")
		}
		c.Next()
	}
}

// hasSessionCookie reports whether the request carries a session cookie, valid or not.
func (s *Server) hasSessionCookie(r *http.Request) bool {
	if s.web == nil {
		return false
	}
	_, err := r.Cookie(s.web.sessions.Cookie.Name)
	return err == nil
}

// healthAnswer is what /healthz says, for load balancers and operators: no secrets, and
// nothing that costs a query (the leadership is what the scheduler's last lease renewal found).
type healthAnswer struct {
	Status    string              `json:"status"`
	Engine    string              `json:"engine,omitempty"`
	Scheduler followup.Leadership `json:"scheduler"`
}

func (s *Server) health(c *gin.Context) error {
	c.JSON(http.StatusOK, healthAnswer{Status: "ok", Engine: s.engineName, Scheduler: s.svc.Jobs.Leadership()})
	return nil
}
