package sqlstore_test

import (
	"fmt"
	"sync"
	"testing"

	"followup/internal/followup"
)

func TestConcurrentSubmissions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := key("R1", "FR")
	audits := f.auditCount(t)
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := f.store.CreateSubmission(f.as("fr"), k, followup.SubmissionInput{Text: fmt.Sprintf("submission %02d", i)})
			if err != nil {
				errs <- fmt.Errorf("submission %d: %w", i, err)
			}
		}()
		// Readers at the same time, through the reader pool.
		go func() {
			defer wg.Done()
			if _, err := f.store.FindFollowUp(f.as("secretariat"), k); err != nil {
				errs <- fmt.Errorf("read %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent call failed: %v", err)
	}
	fu := f.find(t, "secretariat", k)
	if len(fu.Submissions) != n || fu.State != followup.Submitted {
		t.Fatalf("%d submissions in state %s, want %d in submitted", len(fu.Submissions), fu.State, n)
	}
	seen := map[string]bool{}
	for _, s := range fu.Submissions {
		seen[s.Text] = true
	}
	if len(seen) != n {
		t.Fatalf("%d distinct submissions, want %d", len(seen), n)
	}
	if got := f.count(t, `SELECT count(*) FROM submissions`); got != n {
		t.Fatalf("submissions rows = %d, want %d", got, n)
	}
	if got := f.auditCount(t); got != audits+n {
		t.Fatalf("audit entries = %d, want %d", got, audits+n)
	}
}
