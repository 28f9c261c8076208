package reliability

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// importRSSGrowth is how much the server's peak resident memory may grow while it refuses
// the hostile imports below. A file is at most 10 MiB and is read once; the reader keeps one
// row at a time.
const importRSSGrowth = 96 << 20

// TestImportMemoryBounded sends `followup serve` imports built to make a reader allocate far
// more than the file's size: a 20,000-row workbook whose rows each hold one cell in the last
// column (XFD), and a 10 MiB CSV made of one line of separators. Each must be refused with 422
// and a clear message, and the peak resident memory of the process (VmHWM) must stay within
// importRSSGrowth of what it was before.
func TestImportMemoryBounded(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc: peak RSS is read from /proc/<pid>/status (Linux)")
	}
	p := start(t, filepath.Join(t.TempDir(), "import.db"), "")
	defer func() {
		if err := p.stop(20 * time.Second); err != nil {
			t.Errorf("stop: %v", err)
		}
	}()
	xlsx := farRightWorkbook(t, 20000)
	csvLine := "label,category,text" + strings.Repeat(",", 10<<20-len("label,category,text")-1) + "\n"
	before := peakRSS(t, p.cmd.Process.Pid)
	t.Logf("workbook of %d bytes, CSV of %d bytes; VmHWM before: %d MiB", len(xlsx), len(csvLine), before>>20)
	for _, c := range []struct {
		name, contentType string
		body              []byte
		want              string
	}{
		{"20,000 rows with a cell in column XFD", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx,
			"cell XFD2: beyond the last column of the header (F)"},
		{"a 10 MiB line of separators", "text/csv", []byte(csvLine), "cells; a row may have at most 1,000"},
	} {
		req, err := http.NewRequest(http.MethodPost, p.base+"/api/v1/reports/"+report+"/import/recommendations?dry_run=true", bytes.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tokenSecretariat)
		req.Header.Set("Content-Type", c.contentType)
		status, body, err := send(req)
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, p.stderr)
		}
		if status != http.StatusUnprocessableEntity || !bytes.Contains(body, []byte(c.want)) {
			t.Errorf("%s: %d %.400s, want 422 with %q", c.name, status, body, c.want)
		}
		after := peakRSS(t, p.cmd.Process.Pid)
		t.Logf("%s: %d, %d-byte answer; VmHWM %d MiB", c.name, status, len(body), after>>20)
		if after-before > importRSSGrowth {
			t.Errorf("%s: peak RSS grew from %d MiB to %d MiB (at most %d MiB allowed)", c.name, before>>20, after>>20, importRSSGrowth>>20)
		}
	}
}

func send(req *http.Request) (int, []byte, error) {
	c := &http.Client{Timeout: 60 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes(), err
}

// peakRSS reads the peak resident set size of a process (VmHWM), in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM %q: %v", v, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", pid)
	return 0
}

// farRightWorkbook is a recommendations workbook whose data rows each hold one cell in
// column XFD, the last a sheet may have.
func farRightWorkbook(t *testing.T, rows int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"label", "category", "text", "articles", "addressed_to", "due_on"}); err != nil {
		t.Fatal(err)
	}
	for r := 2; r <= rows+1; r++ {
		if err := sw.SetRow("XFD"+strconv.Itoa(r), []any{"x"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
