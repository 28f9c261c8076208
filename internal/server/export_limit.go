package server

import (
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// ExportLimits bound how many expensive downloads (PDF and XLSX: a report's compliance, a
// Party's dossier, a search, the report on one recommendation) this process renders at once.
// Each takes a CPU and holds its whole file in memory for seconds, and anyone may ask for
// them: without a bound a few clients could take the server from everyone else.
type ExportLimits struct {
	// PerClient is the most in flight for one client: a signed-in user (by session or token,
	// from any address), else a client address as sign-in throttling counts it. 2 when zero.
	PerClient int
	// Total is the most in flight for every client together: twice GOMAXPROCS when zero.
	Total int
}

// DefaultExportsPerClient is the renders one client may have in flight when none is set.
const DefaultExportsPerClient = 2

// exportRetryAfter is the wait a refused download is told: a render takes a few seconds.
const exportRetryAfter = 5 * time.Second

// renderLimiter counts the expensive renders in flight, per client and in all. A client is
// refused at once rather than queued, so that a waiting request holds no connection.
type renderLimiter struct {
	perClient int
	total     int

	mu       sync.Mutex
	inFlight int
	// byClient holds only the clients with a render in flight, so it has at most total
	// entries whoever asks.
	byClient map[string]int
}

func newRenderLimiter(l ExportLimits) (*renderLimiter, error) {
	if l.PerClient < 0 || l.Total < 0 {
		return nil, fmt.Errorf("server: export limits must not be negative (per client %d, total %d)", l.PerClient, l.Total)
	}
	if l.PerClient == 0 {
		l.PerClient = DefaultExportsPerClient
	}
	if l.Total == 0 {
		l.Total = 2 * runtime.GOMAXPROCS(0)
	}
	return &renderLimiter{perClient: l.PerClient, total: l.Total, byClient: map[string]int{}}, nil
}

// acquire takes a place for a render of client, or returns the 429 to answer when the client
// or the process is at its limit. release gives the place back; call it once.
func (l *renderLimiter) acquire(client string) (release func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.byClient[client] >= l.perClient:
		return nil, busy(fmt.Sprintf("%d downloads of yours are being prepared: try again when one is done", l.byClient[client]))
	case l.inFlight >= l.total:
		return nil, busy("the server is preparing as many downloads as it can: try again in a few seconds")
	}
	l.byClient[client]++
	l.inFlight++
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.inFlight--
		if l.byClient[client]--; l.byClient[client] <= 0 {
			delete(l.byClient, client)
		}
	}, nil
}

func busy(message string) error {
	return &httpError{status: http.StatusTooManyRequests, code: "busy", message: message, retryAfter: exportRetryAfter}
}

// exportClient is who a render counts against: the signed-in user wherever they are, else the
// client address (behind the trusted proxies, and an IPv6 client by its /64 network, as
// sign-in throttling counts it).
func exportClient(c *gin.Context) string {
	if a := followup.ActorFrom(c.Request.Context()); !a.Anonymous() {
		return "user:" + strconv.FormatInt(a.UserID, 10)
	}
	return "address:" + followup.ThrottleAddress(c.ClientIP())
}

// expensiveFormat reports whether a download of this format counts against the limits: CSV
// and JSON cost little next to a laid-out PDF or a styled workbook.
func expensiveFormat(ext string) bool { return ext == "pdf" || ext == "xlsx" }

// limitRender bounds a download handler of format ext by the export limits, for the whole
// request: loading the data, rendering and sending the file.
func (s *Server) limitRender(ext string, h handlerFunc) handlerFunc {
	if !expensiveFormat(ext) {
		return h
	}
	return func(c *gin.Context) error {
		release, err := s.renders.acquire(exportClient(c))
		if err != nil {
			return err
		}
		defer release()
		return h(c)
	}
}
