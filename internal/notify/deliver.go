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
type Deliverer struct {
	Outbox followup.OutboxService
	Mailer followup.Mailer
	Clock  followup.Clock
	Logger *slog.Logger
	// Lease is how long a claimed message is held by this deliverer; 5 minutes when zero.
	Lease time.Duration
	// Batch is the number of messages claimed at a time; 50 when zero.
	Batch int
}

// DeliveryCounts are what one pass did.
type DeliveryCounts struct {
	Sent, Retried, Failed int
}

func (d *Deliverer) defaults() {
	if d.Clock == nil {
		d.Clock = followup.SystemClock{}
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Lease == 0 {
		d.Lease = 5 * time.Minute
	}
	if d.Batch == 0 {
		d.Batch = 50
	}
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
		fresh := 0
		for _, m := range batch {
			if seen[m.ID] {
				continue // due again within this pass (a zero lease in tests): leave it to the next one
			}
			seen[m.ID] = true
			fresh++
			if err := ctx.Err(); err != nil {
				return c, err
			}
			err := d.Mailer.Send(ctx, m)
			at := d.Clock.Now()
			if err == nil {
				if err := d.Outbox.MarkSent(ctx, m.ID, at); err != nil {
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
			if err := d.Outbox.MarkFailedAttempt(ctx, m.ID, attempts, next, permanent, err.Error()); err != nil {
				return c, err
			}
			if permanent {
				c.Failed++
				d.Logger.Error("e-mail failed for good", "id", m.ID, "to", m.Recipient, "attempts", attempts, "err", err)
			} else {
				c.Retried++
				d.Logger.Warn("e-mail not sent, will retry", "id", m.ID, "to", m.Recipient, "attempts", attempts, "next", next, "err", err)
			}
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
		} else if c.Sent+c.Retried+c.Failed > 0 {
			d.Logger.Info("outbox delivery", "sent", c.Sent, "retried", c.Retried, "failed", c.Failed)
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
