package scheduler

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"followup/internal/followup"
)

func remindersJob(t *testing.T, w *world) Reminders {
	return Reminders{Store: w.store, Renderer: renderer(t), Rules: followup.DefaultReminderRules(), Location: paris}
}

// summary writes a message as "recipient kind R1:point,R2:point".
func summary(m followup.Message) string {
	var items []string
	for _, it := range m.Items {
		items = append(items, it.Party+"/"+it.Label+":"+it.Point)
	}
	return m.Recipient + " " + m.Kind + " " + strings.Join(items, ",")
}

// TestSimulatedYear runs the reminders job every morning for a year with a fixed clock and
// checks every message: Germany answers R1 ten days after its due date, France never does.
func TestSimulatedYear(t *testing.T) {
	w := newWorld(t)
	job := remindersJob(t, w)
	byDay := map[string][]string{}
	seen := 0
	day := followup.MustDate("2025-01-15")
	for ; !day.After(followup.MustDate("2026-01-15")); day = day.AddDays(1) {
		if day == followup.MustDate("2025-07-10") {
			w.submit(t, "R1", "DE", "2025-07-10")
		}
		now := at(day.String())
		w.clock.Set(now)
		counts, err := job.Run(context.Background(), now)
		if err != nil {
			t.Fatalf("%s: %v", day, err)
		}
		ms := outbox(t, w.store)
		if counts["messages"] != len(ms)-seen {
			t.Fatalf("%s: counts say %d messages, the outbox has %d new", day, counts["messages"], len(ms)-seen)
		}
		for _, m := range ms[seen:] {
			byDay[day.String()] = append(byDay[day.String()], summary(m))
		}
		seen = len(ms)
		// Running the same day again sends nothing new.
		again, err := job.Run(context.Background(), now.Add(3*60*60*1e9))
		if err != nil || again["messages"] != 0 || again["items"] != 0 {
			t.Fatalf("%s: second run of the day: %v %v", day, again, err)
		}
	}

	// The exact messages of the key days.
	want := map[string][]string{
		"2025-05-31": {"desk@de.example reminder DE/R1:due-30", "desk@fr.example reminder FR/R1:due-30"},
		"2025-06-23": {"desk@de.example reminder DE/R1:due-7", "desk@fr.example reminder FR/R1:due-7"},
		"2025-06-30": {"desk@de.example reminder DE/R1:due-0", "desk@fr.example reminder FR/R1:due-0"},
		"2025-07-07": {"desk@de.example reminder DE/R1:overdue-7", "desk@fr.example reminder FR/R1:overdue-7"},
		// Germany submitted on 10 July: France alone is reminded, then escalated.
		"2025-07-14": {"desk@fr.example reminder FR/R1:overdue-14"},
		"2025-07-30": {"sec@coe.example escalation FR/R1:escalation-30"},
		"2025-08-31": {"desk@de.example reminder DE/R2:due-30", "desk@fr.example reminder FR/R2:due-30"},
		"2025-09-30": {"desk@de.example reminder DE/R2:due-0", "desk@fr.example reminder FR/R2:due-0"},
		"2025-10-30": {"sec@coe.example escalation DE/R2:escalation-30,FR/R2:escalation-30"},
		"2026-01-12": {"desk@fr.example reminder FR/R1:overdue-196"},
		"2026-01-13": {"desk@de.example reminder DE/R2:overdue-105", "desk@fr.example reminder FR/R2:overdue-105"},
	}
	for d, w := range want {
		got := slices.Clone(byDay[d])
		slices.Sort(got)
		if !slices.Equal(got, w) {
			t.Errorf("%s: messages\n  %v\nwant\n  %v", d, got, w)
		}
	}
	// Nothing before the first point.
	for d := range byDay {
		if d < "2025-05-31" {
			t.Errorf("%s: unexpected messages %v", d, byDay[d])
		}
	}
	// France: R1 due-30, due-7, due-0 and 28 weekly overdue points up to overdue-196; R2 the same
	// three and 15 up to overdue-105. Germany: R1 up to overdue-7 (then it submitted), R2 like
	// France. No two points fall on the same day here, so one message per point.
	count := map[string]int{}
	for _, ms := range byDay {
		for _, m := range ms {
			count[strings.Fields(m)[0]]++
		}
	}
	if count["desk@fr.example"] != 3+28+3+15 || count["desk@de.example"] != 4+3+15 || count["sec@coe.example"] != 2 || count["rap@coe.example"] != 0 {
		t.Errorf("message counts %v, want France 49, Germany 22, Secretariat 2, rapporteur 0", count)
	}

	// Content: language, subject, links.
	for _, m := range outbox(t, w.store) {
		switch m.Recipient {
		case "desk@fr.example":
			if m.Lang != "fr" || !strings.HasPrefix(m.Subject, "Rappel de suivi") || !strings.Contains(m.BodyText, "recommandation") {
				t.Fatalf("French desk got %q / %q:\n%s", m.Lang, m.Subject, m.BodyText)
			}
		case "desk@de.example", "sec@coe.example":
			if m.Lang != "en" || strings.Contains(m.BodyText, "recommandation") {
				t.Fatalf("%s got %q / %q", m.Recipient, m.Lang, m.Subject)
			}
		}
		for _, it := range m.Items {
			link := fmt.Sprintf("https://tracker.example.org/followups/sim-2025/%s/%s", it.Label, it.Party)
			if !strings.Contains(m.BodyText, link) || !strings.Contains(m.BodyHTML, `href="`+link+`"`) {
				t.Fatalf("message %d lacks the link %s:\n%s", m.ID, link, m.BodyText)
			}
		}
		if m.Status != followup.OutboxPending {
			t.Fatalf("message %d is %s with SMTP off, want pending", m.ID, m.Status)
		}
	}
}

// TestAdoptionAndNewDeadlineReschedule follows France's R1 only and checks that an adoption answers the points before it and
// that a new deadline starts the points over.
func TestAdoptionAndNewDeadlineReschedule(t *testing.T) {
	w := newWorld(t)
	job := remindersJob(t, w)
	run := func(day string) []string {
		t.Helper()
		before := len(outbox(t, w.store))
		w.clock.Set(at(day))
		if _, err := job.Run(context.Background(), at(day)); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range outbox(t, w.store)[before:] {
			if m.Recipient == "desk@fr.example" {
				m.Items = slices.DeleteFunc(m.Items, func(it followup.MessageItem) bool { return it.Label != "R1" })
				if len(m.Items) > 0 {
					out = append(out, summary(m))
				}
			}
		}
		return out
	}
	run("2025-07-07") // France gets R1 overdue-7
	// A new deadline for R1: its points start over.
	w.clock.Set(at("2025-07-08"))
	due := followup.MustDate("2025-12-31")
	if _, err := w.store.UpdateRecommendation(sys(), "sim-2025", "R1", followup.RecommendationPatch{DueOn: &due}); err != nil {
		t.Fatal(err)
	}
	if got := run("2025-07-08"); len(got) != 0 {
		t.Errorf("after the new deadline: %v, want nothing until due-30", got)
	}
	if got := run("2025-12-01"); !slices.Equal(got, []string{"desk@fr.example reminder FR/R1:due-30"}) {
		t.Errorf("on 1 December: %v", got)
	}
	// An assessment adopted on 2026-01-20 answers the overdue points before it and leaves R1
	// open, due again a year later (the default period): its points start over from that date.
	w.clock.Set(at("2026-01-20"))
	key := followup.FollowUpKey{Report: "sim-2025", Label: "R1", Party: "FR"}
	if _, err := w.store.CreateAssessment(sys(), key, followup.AssessmentInput{Status: followup.NotImplemented}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.Adopt(sys(), "sim-2025", followup.AdoptionInput{Labels: []string{"R1"}}); err != nil {
		t.Fatal(err)
	}
	if got := run("2026-01-20"); len(got) != 0 {
		t.Errorf("on the adoption day: %v, want nothing", got)
	}
	if got := run("2026-01-21"); len(got) != 0 {
		t.Errorf("after the adoption: %v, want nothing before the new deadline's due-30", got)
	}
	if got := run("2026-12-21"); !slices.Equal(got, []string{"desk@fr.example reminder FR/R1:due-30"}) {
		t.Errorf("30 days before the new deadline, 2027-01-20: %v, want due-30", got)
	}
}

// TestConcurrentRunsSendOnce runs the reminders of the same day from two stores on the same
// file at once, as two schedulers would.
func TestConcurrentRunsSendOnce(t *testing.T) {
	w := newWorld(t)
	other := openStore(t, w.path, w.clock)
	w.clock.Set(at("2025-10-30"))
	jobs := []Reminders{remindersJob(t, w), {Store: other, Renderer: renderer(t), Rules: followup.DefaultReminderRules(), Location: paris}}
	var wg sync.WaitGroup
	results := make([]followup.JobCounts, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := jobs[i%2].Run(context.Background(), at("2025-10-30"))
			if err != nil {
				t.Error(err)
			}
			results[i] = c
		}()
	}
	wg.Wait()
	total := 0
	for _, c := range results {
		total += c["messages"]
	}
	ms := outbox(t, w.store)
	// France and Germany: one digest each (R1 overdue-119... R2 escalation day), the Secretariat one.
	if total != len(ms) || len(ms) != 3 {
		for _, m := range ms {
			t.Log(summary(m))
		}
		t.Fatalf("%d messages reported, %d in the outbox, want 3 once", total, len(ms))
	}
	keys := map[string]bool{}
	for _, m := range ms {
		if keys[m.Recipient] {
			t.Errorf("%s got two messages", m.Recipient)
		}
		keys[m.Recipient] = true
	}
}
