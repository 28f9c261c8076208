package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wneessen/go-mail"

	"followup/internal/followup"
)

// SMTPConfig says how to reach the mail server. Password is never logged nor printed.
type SMTPConfig struct {
	Host     string // empty: SMTP is off and messages stay in the outbox
	Port     int
	TLS      string // none | starttls | tls
	User     string
	Password string
	From     string
	Timeout  time.Duration
}

// SMTPMailer sends messages through one SMTP server with github.com/wneessen/go-mail, one
// connection per delivery pass message (the volume is a few digests a day).
type SMTPMailer struct {
	cfg SMTPConfig
}

var _ followup.Mailer = (*SMTPMailer)(nil)

// NewSMTPMailer checks the configuration and returns a mailer.
func NewSMTPMailer(cfg SMTPConfig) (*SMTPMailer, error) {
	if cfg.Host == "" {
		return nil, errors.New("smtp.host is empty: SMTP is off")
	}
	if cfg.From == "" {
		return nil, errors.New("smtp.from is empty: the sender address is required")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTPMailer{cfg: cfg}, nil
}

func (s *SMTPMailer) client() (*mail.Client, error) {
	opts := []mail.Option{mail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "starttls":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	if s.cfg.Port != 0 {
		opts = append(opts, mail.WithPort(s.cfg.Port))
	}
	if s.cfg.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(s.cfg.User), mail.WithPassword(s.cfg.Password))
	}
	return mail.NewClient(s.cfg.Host, opts...)
}

// Send delivers one message. A 5xx answer of the server is a *followup.PermanentError; every
// other failure (no connection, 4xx) is worth a retry.
func (s *SMTPMailer) Send(ctx context.Context, m followup.Message) error {
	msg := mail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return &followup.PermanentError{Err: fmt.Errorf("sender %q: %w", s.cfg.From, err)}
	}
	if err := msg.To(m.Recipient); err != nil {
		return &followup.PermanentError{Err: fmt.Errorf("recipient %q: %w", m.Recipient, err)}
	}
	msg.Subject(m.Subject)
	msg.SetGenHeader(mail.HeaderContentLang, m.Lang)
	// The outbox id and key make the Message-ID stable, so a receiving server that dedupes on it
	// sees a retried message as the same one.
	msg.SetMessageIDWithValue(fmt.Sprintf("outbox-%d.%s@followup", m.ID, shortHash(m.IdempotencyKey)))
	msg.SetDate()
	msg.SetBodyString(mail.TypeTextPlain, m.BodyText)
	if m.BodyHTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.BodyHTML)
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *mail.SendError
		if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
			return &followup.PermanentError{Err: err}
		}
		return err
	}
	return nil
}
