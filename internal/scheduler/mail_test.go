package scheduler

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"followup/internal/followup"
	"followup/internal/notify"
)

// received is one message as the test SMTP server got it.
type received struct {
	from    string
	to      []string
	subject string
	lang    string
	text    string
	html    string
}

// mailbox is a go-smtp backend that keeps what it receives and refuses some recipients for good.
type mailbox struct {
	mu     sync.Mutex
	msgs   []received
	refuse map[string]bool
}

func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{box: b}, nil }

func (b *mailbox) all() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.msgs...)
}

type session struct {
	box  *mailbox
	from string
	to   []string
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.box.refuse[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	dec := new(mime.WordDecoder)
	subject, _ := dec.DecodeHeader(m.Header.Get("Subject"))
	got := received{from: s.from, to: s.to, subject: subject, lang: m.Header.Get("Content-Language")}
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		return err
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(p)
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			got.html = string(b)
		} else {
			got.text = string(b)
		}
	}
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, got)
	s.box.mu.Unlock()
	return nil
}

// startSMTP serves box on addr ("127.0.0.1:0" for any port) until the test ends.
func startSMTP(t *testing.T, addr string, box *mailbox) (string, func()) {
	t.Helper()
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	stop := func() { srv.Close() }
	t.Cleanup(stop)
	return ln.Addr().String(), stop
}

func mailer(t *testing.T, addr string) *notify.SMTPMailer {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	m, err := notify.NewSMTPMailer(notify.SMTPConfig{Host: host, Port: p, TLS: "none", From: "tracker@coe.example", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDeliveryOverRealSMTP(t *testing.T) {
	w := newWorld(t)
	box := &mailbox{refuse: map[string]bool{}}
	addr, _ := startSMTP(t, "127.0.0.1:0", box)
	w.clock.Set(at("2025-07-30"))
	if _, err := remindersJob(t, w).Run(context.Background(), at("2025-07-30")); err != nil {
		t.Fatal(err)
	}
	d := &notify.Deliverer{Outbox: w.store, Mailer: mailer(t, addr), Clock: w.clock}
	c, err := d.Pass(context.Background())
	if err != nil || c.Sent != 3 || c.Retried+c.Failed != 0 {
		t.Fatalf("pass %+v %v, want 3 sent", c, err)
	}
	byTo := map[string]received{}
	for _, m := range box.all() {
		if len(m.to) != 1 || m.from != "tracker@coe.example" {
			t.Fatalf("envelope %s → %v", m.from, m.to)
		}
		byTo[m.to[0]] = m
	}
	fr, de, sec := byTo["desk@fr.example"], byTo["desk@de.example"], byTo["sec@coe.example"]
	if fr.lang != "fr" || fr.subject != "Rappel de suivi : 1 recommandation en retard ou à échéance" ||
		!strings.Contains(fr.text, "en retard de 30 jours") ||
		!strings.Contains(fr.text, "https://tracker.example.org/followups/sim-2025/R1/FR") ||
		!strings.Contains(fr.html, `href="https://tracker.example.org/followups/sim-2025/R1/FR"`) {
		t.Errorf("French desk: %q %q\n%s\n%s", fr.lang, fr.subject, fr.text, fr.html)
	}
	// Germany submitted nothing in this world, so it is at overdue-28 for R1 as well.
	if de.lang != "en" || de.subject != "Follow-up reminder: 1 recommendation overdue or due" ||
		!strings.Contains(de.text, "https://tracker.example.org/followups/sim-2025/R1/DE") {
		t.Errorf("German desk: %q %q\n%s", de.lang, de.subject, de.text)
	}
	if sec.subject != "Escalation: 2 follow-ups long overdue" || !strings.Contains(sec.text, "Germany (DE)") ||
		!strings.Contains(sec.text, "France (FR)") {
		t.Errorf("Secretariat: %q\n%s", sec.subject, sec.text)
	}
	// Sent once: a second pass and a rerun of the job send nothing.
	if c, err := d.Pass(context.Background()); err != nil || c.Sent != 0 {
		t.Errorf("second pass %+v %v", c, err)
	}
	if _, err := remindersJob(t, w).Run(context.Background(), at("2025-07-30")); err != nil {
		t.Fatal(err)
	}
	if c, _ := d.Pass(context.Background()); c.Sent != 0 || len(box.all()) != 3 {
		t.Errorf("after a rerun: %+v, %d received", c, len(box.all()))
	}
	for _, m := range outbox(t, w.store) {
		if m.Status != followup.OutboxSent || m.Attempts != 1 || m.SentAt.IsZero() {
			t.Errorf("message %d: %s after %d attempts", m.ID, m.Status, m.Attempts)
		}
	}
}

func TestDeliverySMTPDownThenUp(t *testing.T) {
	w := newWorld(t)
	// Take a free port and leave it closed: the server is down.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	w.clock.Set(at("2025-06-30"))
	if _, err := remindersJob(t, w).Run(context.Background(), at("2025-06-30")); err != nil {
		t.Fatal(err)
	}
	d := &notify.Deliverer{Outbox: w.store, Mailer: mailer(t, addr), Clock: w.clock}
	c, err := d.Pass(context.Background())
	if err != nil || c.Retried != 2 || c.Sent != 0 {
		t.Fatalf("pass while down %+v %v, want 2 retried", c, err)
	}
	for _, m := range outbox(t, w.store) {
		if m.Status != followup.OutboxPending || m.Attempts != 1 || m.LastError == "" || !m.NextAttemptAt.Equal(at("2025-06-30").Add(time.Minute)) {
			t.Errorf("message %d after a failure: %+v", m.ID, m)
		}
	}
	// Up again, but the retry is not due yet.
	box := &mailbox{}
	startSMTP(t, addr, box)
	if c, _ := d.Pass(context.Background()); c.Sent != 0 {
		t.Errorf("sent before the retry was due: %+v", c)
	}
	w.clock.Set(at("2025-06-30").Add(2 * time.Minute))
	if c, err := d.Pass(context.Background()); err != nil || c.Sent != 2 {
		t.Fatalf("pass when up %+v %v, want 2 sent", c, err)
	}
	w.clock.Set(at("2025-07-01"))
	if c, _ := d.Pass(context.Background()); c.Sent != 0 {
		t.Errorf("sent again: %+v", c)
	}
	if n := len(box.all()); n != 2 {
		t.Errorf("%d messages received, want each of the 2 once", n)
	}
}

func TestDeliveryPermanentFailure(t *testing.T) {
	w := newWorld(t)
	box := &mailbox{refuse: map[string]bool{"desk@de.example": true}}
	addr, _ := startSMTP(t, "127.0.0.1:0", box)
	w.clock.Set(at("2025-06-30"))
	if _, err := remindersJob(t, w).Run(context.Background(), at("2025-06-30")); err != nil {
		t.Fatal(err)
	}
	d := &notify.Deliverer{Outbox: w.store, Mailer: mailer(t, addr), Clock: w.clock}
	c, err := d.Pass(context.Background())
	if err != nil || c.Sent != 1 || c.Failed != 1 {
		t.Fatalf("pass %+v %v, want 1 sent and 1 failed", c, err)
	}
	failed, _ := w.store.ListOutbox(sys(), followup.OutboxFilter{Status: followup.OutboxFailed})
	if len(failed) != 1 || failed[0].Recipient != "desk@de.example" || !strings.Contains(failed[0].LastError, "550") {
		t.Errorf("failed messages %+v", failed)
	}
	// The failed message stays in the outbox; an admin can put it back in the queue.
	if err := w.store.RetryOutbox(sys(), failed[0].ID); err != nil {
		t.Fatal(err)
	}
	pending, _ := w.store.ListOutbox(sys(), followup.OutboxFilter{Status: followup.OutboxPending})
	if len(pending) != 1 {
		t.Errorf("after retry: %d pending", len(pending))
	}
}
