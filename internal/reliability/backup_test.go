package reliability

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBackupUnderLoad runs `followup backup PATH` while writers keep writing, then checks the
// copy: SQLite's integrity check, every write acknowledged before the backup started present,
// nothing half-written; and a server restored from it serves and accepts writes.
func TestBackupUnderLoad(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	p := start(t, db, "")
	l := &load{t: t, base: p.base, keys: followUpKeys(t, p.base), readFrac: 20, adopt: true}
	stop := make(chan struct{})
	wait := l.run(8, stop)
	defer func() {
		select {
		case <-stop:
		default:
			close(stop)
			wait()
		}
	}()
	time.Sleep(pick(1*time.Second, 5*time.Second))

	before := l.acked()
	copyPath := filepath.Join(dir, "backup.db")
	cmd := exec.Command(binPath, "backup", "--db", db, copyPath)
	cmd.Env = cleanEnv()
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil && strings.Contains(string(out), "unknown command") {
		t.Skip("`followup backup` does not exist yet (issue 4); this test runs once it does")
	}
	if err != nil {
		t.Fatalf("followup backup: %v\n%s", err, out)
	}
	time.Sleep(300 * time.Millisecond) // writes go on after the backup
	close(stop)
	wait()
	if err := p.stop(20 * time.Second); err != nil {
		t.Errorf("stop: %v", err)
	}
	l.check()
	t.Logf("%d writes acknowledged before the backup, %d in all", len(before), len(l.acked()))
	checkDatabase(t, copyPath, before)

	// Restore: serve the copy (as an operator would, from a copy of the file).
	restored := filepath.Join(dir, "restored.db")
	b, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restored, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := start(t, restored, "")
	l2 := &load{t: t, base: r.base, keys: followUpKeys(t, r.base), readFrac: 0}
	stop2 := make(chan struct{})
	wait2 := l2.run(2, stop2)
	time.Sleep(300 * time.Millisecond)
	close(stop2)
	wait2()
	if err := r.stop(20 * time.Second); err != nil {
		t.Errorf("restored server stop: %v", err)
	}
	l2.check()
	if len(l2.acked()) == 0 {
		t.Error("the restored server acknowledged no write")
	}
	checkDatabase(t, restored, append(before, l2.acked()...))
}
