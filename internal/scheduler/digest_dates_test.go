package scheduler

import (
	"context"
	"strings"
	"testing"
	"time"

	"followup/internal/followup"
)

// The rapporteurs' digest dates each submission by the date the Party gave it, not by when it
// was recorded (nor by the day of that instant in another zone), and lists the oldest by that
// date first.
func TestDigestDatesSubmissionsByTheirDate(t *testing.T) {
	w := newWorld(t)
	// France submits at half past midnight in Paris on 8 July (still 7 July in UTC).
	w.clock.Set(time.Date(2025, 7, 8, 0, 30, 0, 0, paris))
	must[followup.Submission](t)(w.store.CreateSubmission(sys(), followup.FollowUpKey{Report: "sim-2025", Label: "R2", Party: "FR"},
		followup.SubmissionInput{Text: "Measures taken."}))
	// Germany's submission is recorded later, dated the first of July.
	w.clock.Set(at("2025-07-10"))
	must[followup.Submission](t)(w.store.CreateSubmission(sys(), followup.FollowUpKey{Report: "sim-2025", Label: "R1", Party: "DE"},
		followup.SubmissionInput{Text: "Measures taken.", SubmittedOn: followup.MustDate("2025-07-01")}))
	digest := Digest{Store: w.store, Renderer: renderer(t), Location: paris}
	if c, err := digest.Run(context.Background(), at("2025-07-14")); err != nil || c["messages"] != 1 {
		t.Fatalf("digest %v %v", c, err)
	}
	m := outbox(t, w.store)[0]
	if len(m.Items) != 2 || m.Items[0].Party != "DE" || m.Items[0].SubmittedOn.String() != "2025-07-01" ||
		m.Items[1].Party != "FR" || m.Items[1].SubmittedOn.String() != "2025-07-08" {
		t.Fatalf("digest items %+v", m.Items)
	}
	de, fr := strings.Index(m.BodyText, "Germany (DE)"), strings.Index(m.BodyText, "France (FR)")
	if de < 0 || fr < de {
		t.Errorf("the digest does not list Germany's older submission first:\n%s", m.BodyText)
	}
	for _, want := range []string{"recommendation R1, submitted on 1 July 2025", "recommendation R2, submitted on 8 July 2025"} {
		if !strings.Contains(m.BodyText, want) || !strings.Contains(m.BodyHTML, want[len("recommendation R1"):]) {
			t.Errorf("the digest lacks %q:\n%s", want, m.BodyText)
		}
	}
}
