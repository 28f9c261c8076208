package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"followup/internal/followup"
)

// Deliverer sends the outbox's pending messages: claim a batch, send each, mark it sent, or
// record the failure and when to try again (exponential backoff), or mark it failed when the
// server refused it for good (5xx) or after followup.MaxDeliveryAttempts. A message is never
// deleted; a message whose sender died mid-way is due again when its claim's lease ends.
//
// Several deliverers, in one process or several on one database, share the outbox: a claim
// holds a message for one of them (followup.OutboxService.ClaimOutbox), a deliverer sends a
// message only while its claim has a margin left, and marks it only under its claim, so that a
// deliverer that was too slow (or paused) neither sends again what another one took over nor
// records an outcome over the other's. What no claim can prevent is a process dying between the
// mail server's acceptance and the mark: that message goes again when its claim runs out, under
// the same Message-ID (notify.SMTPMailer), by which a receiving server can recognise it.
type Deliverer struct {
	Outbox followup.OutboxService
	Mailer followup.Mailer
	Clock  followup.Clock
	Logger *slog.Logger
	// Lease is how long a claimed message is held by this deliverer; 5 minutes when zero. A
	// message is not sent when less than a fifth of it is left (SMTPConfig.Timeout is 30 s).
	Lease time.Duration
	// Batch is the number of messages claimed at a time; 50 when zero.
	Batch int
}

// DeliveryCounts are what one pass did.
type DeliveryCounts struct {
	Sent, Retried, Failed int
	// Lost counts the messages this pass sent or tried after their claim had been taken over
	// by another deliverer, whose outcome then stands.
	Lost int
}

func (d *Deliverer) defaults() {
	if d.Clock == nil {
		d.Clock = followup.SystemClock{}
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Lease <= 0 {
		d.Lease = 5 * time.Minute
	}
	if d.Batch == 0 {
		d.Batch = 50
	}
}

// holds reports whether the claim on m leaves time enough to send it.
func (d *Deliverer) holds(m followup.Message) bool {
	return d.Clock.Now().Add(d.Lease / 5).Before(m.ClaimedUntil)
}

// Pass sends every message due now, batch after batch, and returns what it did.
func (d *Deliverer) Pass(ctx context.Context) (DeliveryCounts, error) {
	d.defaults()
	var c DeliveryCounts
	seen := map[int64]bool{}
	for {
		now := d.Clock.Now()
		batch, err := d.Outbox.ClaimOutbox(ctx, now, d.Lease, d.Batch)
		if err != nil {
			return c, err
		}
		fresh, stale := 0, false
		for _, m := range batch {
			if seen[m.ID] {
				continue // sent or tried already in this pass: left to the next one
			}
			if !d.holds(m) {
				// The batch took so long that its claims are running out: claim afresh what is
				// still due rather than send what another deliverer may be sending.
				stale = true
				break
			}
			seen[m.ID] = true
			fresh++
			if err := ctx.Err(); err != nil {
				return c, err
			}
			err := d.Mailer.Send(ctx, m)
			at := d.Clock.Now()
			if err == nil {
				err := d.Outbox.MarkSent(ctx, m.ID, m.Claim, at)
				if errors.Is(err, followup.ErrClaimLost) {
					c.Lost++
					d.Logger.Warn("e-mail sent after its claim was taken over", "id", m.ID, "to", m.Recipient, "err", err)
					continue
				}
				if err != nil {
					return c, err
				}
				c.Sent++
				d.Logger.Info("e-mail sent", "id", m.ID, "kind", m.Kind, "to", m.Recipient)
				continue
			}
			attempts := m.Attempts + 1
			var perm *followup.PermanentError
			permanent := errors.As(err, &perm) || attempts >= followup.MaxDeliveryAttempts
			next := at.Add(followup.RetryDelay(attempts))
			if merr := d.Outbox.MarkFailedAttempt(ctx, m.ID, m.Claim, attempts, next, permanent, err.Error()); errors.Is(merr, followup.ErrClaimLost) {
				c.Lost++
				d.Logger.Warn("e-mail attempt failed after its claim was taken over", "id", m.ID, "to", m.Recipient, "err", err)
				continue
			} else if merr != nil {
				return c, merr
			}
			if permanent {
				c.Failed++
				d.Logger.Error("e-mail failed for good", "id", m.ID, "to", m.Recipient, "attempts", attempts, "err", err)
			} else {
				c.Retried++
				d.Logger.Warn("e-mail not sent, will retry", "id", m.ID, "to", m.Recipient, "attempts", attempts, "next", next, "err", err)
			}
		}
		if stale {
			continue
		}
		if len(batch) < d.Batch || fresh == 0 {
			return c, nil
		}
	}
}

// Run delivers every interval until ctx ends, and at once whenever wake receives.
func (d *Deliverer) Run(ctx context.Context, interval time.Duration, wake <-chan struct{}) {
	d.defaults()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if c, err := d.Pass(ctx); err != nil && ctx.Err() == nil {
			d.Logger.Error("outbox delivery", "err", err)
		} else if c.Sent+c.Retried+c.Failed+c.Lost > 0 {
			d.Logger.Info("outbox delivery", "sent", c.Sent, "retried", c.Retried, "failed", c.Failed, "taken_over", c.Lost)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
	}
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:6])
}
