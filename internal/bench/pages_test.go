package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2/memstore"
	"github.com/gin-gonic/gin"

	"followup/internal/export"
	"followup/internal/followup"
	"followup/internal/importer"
	"followup/internal/server"
	"followup/internal/sniff"
	"followup/internal/sqlstore"
)

// The page benchmarks serve one request at a time through the real handler (router, sessions,
// middleware, templates) with ServeHTTP on the benchmark's own thread, so that measure's CPU
// time counts the whole request. Their ceiling is a bare Gin handler that makes the same service
// reads as the page (the same summary through the same cache, on the same basis; the same list)
// and writes a prepared HTML body of the same size: the least work that gives the same answer,
// so that the ratio is the cost of the page's own work (building the rows, rendering the
// template) over reading its data and sending its bytes.

// benchUsers are the users of the page benchmarks. The synthetic data set has no users, and the
// benchmarks do not write to it (other benchmarks share the file): benchAuth signs them in.
var benchUsers = map[string]followup.Actor{
	"rapporteur": {UserID: 900001, Email: "rapporteur@bench.example", Name: "Rapporteur", Role: followup.RoleRapporteur},
	// The Party user's Party is set by deskParty.
	"party": {UserID: 900002, Email: "party@bench.example", Name: "Party desk", Role: followup.RoleParty},
}

// benchAuth is the store's AuthService with the bench users instead of the users table. It still
// makes the store's lookup of the session's user on every request (a primary-key read that finds
// nothing), so that a signed-in request costs what it costs on the real server.
type benchAuth struct {
	*sqlstore.Store
	users map[int64]followup.Actor
}

func (a benchAuth) AuthenticatePassword(ctx context.Context, email, password string) (followup.Actor, error) {
	for _, u := range a.users {
		if u.Email == email {
			return u, nil
		}
	}
	return followup.Actor{}, followup.Errorf(followup.EUnauthorized, "wrong e-mail address or password")
}

func (a benchAuth) ActorByID(ctx context.Context, id int64) (followup.Actor, error) {
	_, _ = a.Store.ActorByID(ctx, id) // the real lookup, which finds no such user in the data set
	if u, ok := a.users[id]; ok {
		return u, nil
	}
	return followup.Actor{}, followup.Errorf(followup.EUnauthorized, "the account no longer exists or is deactivated")
}

// noJobs is the job runner of the benchmark server: the jobs page is not measured.
type noJobs struct{}

func (noJobs) Jobs(context.Context, int) ([]followup.JobInfo, error) { return nil, nil }
func (noJobs) RunJob(context.Context, string) (followup.JobRun, error) {
	return followup.JobRun{}, followup.Errorf(followup.ENotFound, "no jobs in the benchmarks")
}
func (noJobs) Leadership() followup.Leadership { return followup.Leadership{} }

// everWrittenVersions stands for a database written between every two reads: the data version
// is new each time, so the server's compliance cache never serves a summary twice (a page as it
// is served just after a write, when the summary must be computed again).
type everWrittenVersions struct{ n atomic.Int64 }

func (v *everWrittenVersions) DataVersion(context.Context) (int64, error) { return v.n.Add(1), nil }

// benchServer is the server as `followup serve` wires it, on the synthetic data set, with
// in-memory sessions (the real server keeps them in the database; the benchmarks do not write
// to the shared data set) and benchAuth. uncached makes every compliance summary computed anew.
func benchServer(b testing.TB, uncached bool) http.Handler {
	return benchServerOn(b, benchStore(b), uncached)
}

// benchServerOn is benchServer on the store s (of either engine).
func benchServerOn(b testing.TB, s *sqlstore.Store, uncached bool) http.Handler {
	users := map[int64]followup.Actor{}
	for _, u := range benchUsers {
		if u.Role == followup.RoleParty {
			u.Party = deskParty(b)
		}
		users[u.UserID] = u
	}
	svc := s.Services()
	svc.Auth, svc.Sessions, svc.Throttle = benchAuth{Store: s, users: users}, memSessions{memstore.New()}, noThrottle{}
	svc.Jobs, svc.Exporter, svc.Parser, svc.Detector = noJobs{}, export.Encoder{}, importer.Parser{}, sniff.Detector{}
	if uncached {
		svc.Versions = &everWrittenVersions{}
	}
	srv, err := server.New(server.Options{Services: svc})
	if err != nil {
		b.Fatal(err)
	}
	return srv.Handler()
}

// memSessions keeps the sessions in scs's memory store, behind the domain's interface.
type memSessions struct{ m *memstore.MemStore }

func (s memSessions) Find(_ context.Context, token string) ([]byte, bool, error) {
	return s.m.Find(token)
}

func (s memSessions) Commit(_ context.Context, token string, _ int64, data []byte, expiry time.Time) error {
	return s.m.Commit(token, data, expiry)
}

func (s memSessions) Delete(_ context.Context, token string) error { return s.m.Delete(token) }

// noThrottle lets every sign-in through without counting it in the shared data set.
type noThrottle struct{}

func (noThrottle) LoginAttempt(context.Context, string, string, time.Time) (time.Duration, error) {
	return 0, nil
}

func (noThrottle) ClearLoginFailures(context.Context, string, string) error { return nil }

// signIn signs who in through POST /login, as a browser does, and returns the session cookie.
func signIn(b testing.TB, h http.Handler, who string) *http.Cookie {
	b.Helper()
	form := url.Values{"email": {benchUsers[who].Email}, "password": {"any"}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		b.Fatalf("sign-in as %s: %d %s", who, rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "followup_session" {
			return c
		}
	}
	b.Fatalf("sign-in as %s: no session cookie", who)
	return nil
}

// serve answers one GET through h on the calling thread; the body is returned when the status
// is 200, else an error.
func serve(h http.Handler, path string, cookie *http.Cookie) ([]byte, error) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %.300s", path, rec.Code, rec.Body)
	}
	return rec.Body.Bytes(), nil
}

func mustServe(b testing.TB, h http.Handler, path string, cookie *http.Cookie) []byte {
	b.Helper()
	body, err := serve(h, path, cookie)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

var (
	largestOnce          sync.Once
	largestSlug, deskPty string
	largestN, deskN      int
	largestErr           error
)

// largestReport returns the report with the most active follow-ups (synthetic-004, 7,903 of
// them, on the data set of the issue); deskParty the Party with the most open follow-ups.
func largestReport(b testing.TB) string {
	findLargest(b)
	return largestSlug
}

func deskParty(b testing.TB) string {
	findLargest(b)
	return deskPty
}

func findLargest(b testing.TB) {
	b.Helper()
	largestOnce.Do(func() {
		db := openRaw(b)
		const live = ` FROM followups f JOIN recommendations c ON c.id = f.recommendation_id JOIN reports r ON r.id = c.report_id
			WHERE f.active = 1 AND c.archived = 0 AND r.archived = 0`
		largestErr = db.QueryRow(`SELECT r.slug, count(*)`+live+` GROUP BY r.id ORDER BY 2 DESC, r.slug LIMIT 1`).Scan(&largestSlug, &largestN)
		if largestErr == nil {
			largestErr = db.QueryRow(`SELECT f.party_code, count(*)`+live+`
				AND (f.status IS NULL OR f.status NOT IN ('implemented', 'not_applicable'))
				GROUP BY f.party_code ORDER BY 2 DESC, f.party_code LIMIT 1`).Scan(&deskPty, &deskN)
		}
	})
	if largestErr != nil {
		b.Fatal(largestErr)
	}
}

// BenchmarkReportPage: GET /reports/{slug} (the compliance matrix, HTML) of the largest report
// (about 200 Parties × 40 recommendations), anonymous and as a rapporteur (the draft basis,
// drafts marked), with the summary served from the store's cache as it is between two writes,
// and anonymous with the cache bypassed, as the first request after a write. Ceiling: a bare
// Gin handler that reads the report, its recommendations and the same summary through the same
// service (cached or not alike) and writes a prepared body of the page's size.
func BenchmarkReportPage(b *testing.B) {
	slug := largestReport(b)
	s := benchStore(b)
	for _, tc := range []struct {
		name     string
		who      string
		uncached bool
	}{{"anonymous", "", false}, {"rapporteur-drafts", "rapporteur", false}, {"anonymous-after-write", "", true}} {
		b.Run(tc.name, func(b *testing.B) {
			h := benchServer(b, tc.uncached)
			// The bare handler reads the summary as the server does: cached, or computed anew.
			var comp followup.ComplianceService = server.NewComplianceCache(s, s, s.Today, 0)
			if tc.uncached {
				comp = s
			}
			var cookie *http.Cookie
			actor := followup.Actor{}
			basis := followup.BasisAdopted
			if tc.who != "" {
				cookie = signIn(b, h, tc.who)
				actor = benchUsers[tc.who]
				basis = followup.BasisDraft
			}
			path := "/reports/" + slug
			body := mustServe(b, h, path, cookie) // fills the cache
			if tc.who == "rapporteur" && !strings.Contains(string(body), "draft-banner") {
				b.Fatal("the rapporteur's matrix is not on the draft basis")
			}
			bare := bareHandler(path, body, func(ctx context.Context) error {
				ctx = followup.WithActor(ctx, actor)
				if _, err := s.FindReport(ctx, slug); err != nil {
					return err
				}
				if _, err := comp.ReportCompliance(ctx, slug, followup.ComplianceQuery{Basis: basis}); err != nil {
					return err
				}
				_, err := s.ListRecommendations(ctx, slug, false)
				return err
			})
			measureProc(b, func() error { _, err := serve(h, path, cookie); return err },
				func() error { _, err := serve(bare, path, nil); return err })
			b.ReportMetric(float64(len(body)), "body-bytes")
		})
	}
}

// BenchmarkDeskPage: GET /desk, the desk of a user of the Party with the most open follow-ups
// (signed in with a session cookie): its open follow-ups, earliest deadline first. Ceiling: a
// bare Gin handler that makes the same reads (the list of the Party's open follow-ups, the
// reports, the user's calendar feeds) and writes a prepared body of the page's size.
func BenchmarkDeskPage(b *testing.B) {
	s := benchStore(b)
	h := benchServer(b, false)
	cookie := signIn(b, h, "party")
	actor := benchUsers["party"]
	actor.Party = deskParty(b)
	body := mustServe(b, h, "/desk", cookie)
	open := true
	bare := bareHandler("/desk", body, func(ctx context.Context) error {
		ctx = followup.WithActor(ctx, actor)
		if _, err := s.ListFollowUps(ctx, followup.FollowUpFilter{Party: actor.Party, Open: &open, Limit: 1000}); err != nil {
			return err
		}
		if _, err := s.ListReports(ctx, false); err != nil {
			return err
		}
		_, err := s.LiveCalendarTokens(ctx, actor.Email)
		return err
	})
	measureProc(b, func() error { _, err := serve(h, "/desk", cookie); return err },
		func() error { _, err := serve(bare, "/desk", nil); return err })
	b.ReportMetric(float64(len(body)), "body-bytes")
	b.ReportMetric(float64(strings.Count(string(body), "<tr>")), "rows")
}

// bareHandler is a bare Gin engine answering path with read's service calls and then body.
func bareHandler(path string, body []byte, read func(ctx context.Context) error) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.GET(path, func(c *gin.Context) {
		if err := read(c.Request.Context()); err != nil {
			c.String(http.StatusInternalServerError, err.Error())
			return
		}
		c.Data(http.StatusOK, "text/html; charset=utf-8", body)
	})
	return e
}

// procTimer adds up the CPU time of the whole process (RUSAGE_SELF) spent in the calls it wraps:
// unlike measure's thread CPU, it includes the garbage collector's background work, a large part
// of pages and exports that allocate megabytes. Nothing else runs in the process meanwhile.
type procTimer struct {
	cpu time.Duration
	n   int
}

func (t *procTimer) wrap(f func() error) func() error {
	return func() error {
		c0 := procCPU()
		err := f()
		t.cpu += procCPU() - c0
		t.n++
		return err
	}
}

func (t *procTimer) ms() float64 { return float64(t.cpu.Nanoseconds()) / float64(max(t.n, 1)) / 1e6 }

// measureProc is measure with, besides, the process CPU of op and ceiling: proc-cpu-ms/op,
// ceiling-proc-cpu-ms/op and x-ceiling-proc-cpu.
func measureProc(b *testing.B, op, ceil func() error) {
	var o, c procTimer
	measure(b, o.wrap(op), c.wrap(ceil))
	b.ReportMetric(o.ms(), "proc-cpu-ms/op")
	b.ReportMetric(c.ms(), "ceiling-proc-cpu-ms/op")
	if c.cpu > 0 {
		b.ReportMetric(float64(o.cpu)/float64(c.cpu), "x-ceiling-proc-cpu")
	}
}

func procCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
