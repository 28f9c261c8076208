package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"

	"followup/internal/followup"
)

// calendarPrefix marks calendar-feed secrets, which travel in URLs.
const calendarPrefix = "fuc_"

// CreateCalendarToken makes a secret calendar-feed token for a user (admin, or the user itself);
// only its SHA-256 is stored.
func (s *Store) CreateCalendarToken(ctx context.Context, email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin || (!actor.Anonymous() && actor.Email == email), "create calendar tokens"); err != nil {
		return "", err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := calendarPrefix + base64.RawURLEncoding.EncodeToString(b)
	err := s.write(ctx, func(tx *Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("no user with e-mail %s", email)
		}
		if err != nil {
			return err
		}
		if !u.Active {
			return followup.Errorf(followup.EConflict, "user %s is deactivated", email)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)`,
			u.ID, hashToken(secret), s.stamp()); err != nil {
			return err
		}
		return s.audit(ctx, tx, "calendar_token.create", "user", email, 0, nil, nil)
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// RevokeCalendarTokens revokes every live calendar token of a user (admin, or the user itself).
func (s *Store) RevokeCalendarTokens(ctx context.Context, email string) (int, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin || (!actor.Anonymous() && actor.Email == email), "revoke calendar tokens"); err != nil {
		return 0, err
	}
	n := 0
	err := s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE calendar_tokens SET revoked_at = ?
			WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE email = ?)`, s.stamp(), email)
		if err != nil {
			return err
		}
		affected, _ := res.RowsAffected()
		n = int(affected)
		return s.audit(ctx, tx, "calendar_token.revoke", "user", email, 0, nil, map[string]int{"revoked": n})
	})
	return n, err
}

// AuthenticateCalendarToken returns the actor of a live calendar token of an active user.
func (s *Store) AuthenticateCalendarToken(ctx context.Context, token string) (followup.Actor, error) {
	if token == "" {
		return followup.Actor{}, followup.Errorf(followup.EUnauthorized, "the calendar feed needs its token")
	}
	u, err := scanUser(s.reader.QueryRowContext(ctx, `SELECT u.id, u.email, u.name, u.role, coalesce(u.party_code, ''), coalesce(u.organisation, ''), u.active, u.created_at
		FROM calendar_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.active = TRUE`, hashToken(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return followup.Actor{}, followup.Errorf(followup.EUnauthorized, "the calendar token is not valid")
	}
	if err != nil {
		return followup.Actor{}, err
	}
	return u.Actor(), nil
}

// SetUserLang sets the language of a user's e-mails ("en" or "fr"); admin or the user itself.
func (s *Store) SetUserLang(ctx context.Context, email, lang string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin || (!actor.Anonymous() && actor.Email == email), "change a user's language"); err != nil {
		return err
	}
	if lang != "en" && lang != "fr" {
		return followup.Invalid("lang", "%q is not a language of the tracker (en, fr)", lang)
	}
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET lang = ? WHERE email = ?`, lang, email)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("no user with e-mail %s", email)
		}
		return s.audit(ctx, tx, "user.lang", "user", email, 0, nil, map[string]string{"lang": lang})
	})
}

// UserLang returns the language of a user's e-mails; admin or the user itself.
func (s *Store) UserLang(ctx context.Context, email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin || (!actor.Anonymous() && actor.Email == email), "read a user's language"); err != nil {
		return "", err
	}
	var lang string
	err := s.reader.QueryRowContext(ctx, `SELECT lang FROM users WHERE email = ?`, email).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("no user with e-mail %s", email)
	}
	return lang, err
}

// LiveCalendarTokens counts a user's calendar tokens that are not revoked; admin or the user itself.
func (s *Store) LiveCalendarTokens(ctx context.Context, email string) (int, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin || (!actor.Anonymous() && actor.Email == email), "read calendar tokens"); err != nil {
		return 0, err
	}
	var n int
	err := s.reader.QueryRowContext(ctx, `SELECT count(*) FROM calendar_tokens t JOIN users u ON u.id = t.user_id
		WHERE u.email = ? AND t.revoked_at IS NULL`, email).Scan(&n)
	return n, err
}
