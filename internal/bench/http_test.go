package bench

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"followup/internal/sqlite"
)

// loadConnections is the number of concurrent connections of the load tests.
const loadConnections = 50

// loadDuration is how long each load runs (FOLLOWUP_BENCH_LOAD, a Go duration; 10s by default),
// split into slices that alternate between the targets so that both see the same machine.
func loadDuration() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("FOLLOWUP_BENCH_LOAD")); err == nil && d > 0 {
		return d
	}
	return 10 * time.Second
}

// attack loads the URLs in turn, slice by slice, with loadConnections connections at the
// highest rate they take, and returns the metrics of each.
func attack(urls []string, total time.Duration) []*vegeta.Metrics {
	const slices = 5
	metrics := make([]*vegeta.Metrics, len(urls))
	for i := range metrics {
		metrics[i] = &vegeta.Metrics{}
	}
	for range slices {
		for i, u := range urls {
			atk := vegeta.NewAttacker(vegeta.Connections(loadConnections), vegeta.MaxConnections(loadConnections),
				vegeta.Workers(loadConnections), vegeta.MaxWorkers(loadConnections), vegeta.KeepAlive(true), vegeta.HTTP2(false))
			tr := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: u})
			for res := range atk.Attack(tr, vegeta.Rate{Freq: 0}, total/slices, u) {
				metrics[i].Add(res)
			}
		}
	}
	for _, m := range metrics {
		m.Close()
	}
	return metrics
}

func reportLoad(b *testing.B, prefix string, m *vegeta.Metrics) {
	b.ReportMetric(m.Throughput, prefix+"req/s")
	b.ReportMetric(float64(m.Latencies.P50.Microseconds())/1000, prefix+"p50-ms")
	b.ReportMetric(float64(m.Latencies.P99.Microseconds())/1000, prefix+"p99-ms")
	bad := int(m.Requests) - m.StatusCodes["200"]
	if bad > 0 {
		b.Errorf("%s: %d of %d requests failed: %v %v", prefix, bad, m.Requests, m.StatusCodes, m.Errors)
	}
}

func listen(b testing.TB, h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// BenchmarkComplianceHTTP: GET /api/v1/reports/{slug}/compliance through the real router, with
// 50 concurrent keep-alive connections on loopback (vegeta as a library, in the same process),
// side by side with a bare Gin handler that returns a JSON body of the same size (the bytes of
// the same answer, encoded once), in the same process and run. Reports throughput, p50 and p99
// of both and the throughput ratio.
//
// Once per engine (see forEachEngine).
func BenchmarkComplianceHTTP(b *testing.B) {
	forEachEngine(b, benchComplianceHTTP)
}

func benchComplianceHTTP(b *testing.B, e benchEngine) {
	api := listen(b, benchServerOn(b, e.store, false))
	path := "/api/v1/reports/" + benchSlug + "/compliance"
	body := get(b, api+path)

	gin.SetMode(gin.ReleaseMode)
	bare := gin.New()
	bare.GET(path, func(c *gin.Context) { c.Data(http.StatusOK, "application/json; charset=utf-8", body) })
	bareURL := listen(b, bare)
	if got := get(b, bareURL+path); len(got) != len(body) {
		b.Fatalf("bare body %d bytes, compliance %d", len(got), len(body))
	}
	for b.Loop() {
		ms := attack([]string{api + path, bareURL + path}, loadDuration())
		reportLoad(b, "api-", ms[0])
		reportLoad(b, "bare-", ms[1])
		b.ReportMetric(ms[0].Throughput/ms[1].Throughput, "api/bare")
	}
	b.ReportMetric(float64(len(body)), "body-bytes")
}

// BenchmarkServerRSS: the real binary (`followup serve`) under the same load on the same
// report; reports its throughput, latencies and peak resident memory (VmHWM of
// /proc/PID/status) at the end of the load.
func BenchmarkServerRSS(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc")
	}
	dbPath := benchDBPath(b)
	bin := filepath.Join(b.TempDir(), "followup")
	build := exec.Command("go", "build", "-tags", sqlite.BuildTags, "-o", bin, "followup/cmd/followup")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for b.Loop() {
		addr := freeAddr(b)
		cmd := exec.Command(bin, "serve", "--db", dbPath, "--listen", addr)
		cmd.Dir = b.TempDir()
		cmd.Env = append(cleanEnv(), "FOLLOWUP_LOG_LEVEL=warn")
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		base := "http://" + addr
		waitHealthy(b, base)
		rssIdle := vmHWM(b, cmd.Process.Pid)
		m := attack([]string{base + "/api/v1/reports/" + benchSlug + "/compliance"}, loadDuration())[0]
		rss := vmHWM(b, cmd.Process.Pid)
		_ = cmd.Process.Signal(os.Interrupt)
		if err := cmd.Wait(); err != nil {
			b.Errorf("server exit: %v", err)
		}
		reportLoad(b, "", m)
		b.ReportMetric(float64(rssIdle)/1024, "idle-rss-MiB")
		b.ReportMetric(float64(rss)/1024, "peak-rss-MiB")
	}
}

func get(b testing.TB, url string) []byte {
	b.Helper()
	resp, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d %v %s", url, resp.StatusCode, err, body)
	}
	return body
}

func freeAddr(b testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(b testing.TB, base string) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Fatalf("%s did not become healthy", base)
}

// cleanEnv is the environment without FOLLOWUP_* variables: the program refuses unknown ones
// (FOLLOWUP_BENCH_DB is the benchmarks', not the program's).
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FOLLOWUP_") {
			env = append(env, kv)
		}
	}
	return env
}

// vmHWM returns the peak resident set size of a process, in KiB.
func vmHWM(b testing.TB, pid int) int {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal(errors.New("no VmHWM in /proc/PID/status"))
	return 0
}
