package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
)

func (s *Store) passwordCost() int {
	if s.cost == 0 {
		return bcrypt.DefaultCost
	}
	return s.cost
}

const userColumns = `id, email, name, role, coalesce(party_code, ''), coalesce(organisation, ''), active, created_at`

func scanUser(row scanner) (followup.User, error) {
	var u followup.User
	var created string
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Party, &u.Organisation, &u.Active, &created); err != nil {
		return u, err
	}
	u.CreatedAt = parseStamp(created)
	return u, nil
}

// CreateUser adds an account (admin) with a bcrypt hash of its password.
func (s *Store) CreateUser(ctx context.Context, in followup.UserInput) (followup.User, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin, "create users"); err != nil {
		return followup.User{}, err
	}
	if err := in.Validate(); err != nil {
		return followup.User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), s.passwordCost())
	if err != nil {
		return followup.User{}, err
	}
	var out followup.User
	err = s.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email = ?`, in.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &followup.Error{Code: followup.EConflict, Field: "email", Message: "a user with e-mail " + in.Email + " already exists"}
		}
		var party any
		if in.Party != "" {
			if _, err := findParty(ctx, tx, in.Party); err != nil {
				return followup.UnknownParty("party", in.Party)
			}
			party = in.Party
		}
		var organisation any
		if in.Organisation != "" {
			organisation = in.Organisation
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, role, party_code, organisation, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Email, in.Name, in.Role, party, organisation, string(hash), s.stamp()).Scan(&id); err != nil {
			return err
		}
		if out, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id)); err != nil {
			return err
		}
		return s.audit(ctx, tx, "user.create", "user", in.Email, 0, nil, out)
	})
	return out, err
}

// ListUsers returns every account (admin).
func (s *Store) ListUsers(ctx context.Context) ([]followup.User, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin, "list users"); err != nil {
		return nil, err
	}
	return queryAll(ctx, s.reader, scanUser, `SELECT `+userColumns+` FROM users ORDER BY email`)
}

// FindUserByEmail returns one account (admin, or the user itself).
func (s *Store) FindUserByEmail(ctx context.Context, email string) (followup.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin || actor.Email == email, "look up users"); err != nil {
		return followup.User{}, err
	}
	u, err := scanUser(s.reader.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
	if errors.Is(err, sql.ErrNoRows) {
		return u, notFound("no user with e-mail %s", email)
	}
	return u, err
}

// tokenPrefix marks the tracker's tokens, so that a leaked one is easy to recognise in a scan.
const tokenPrefix = "fut_"

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes an API token for a user (admin). Tokens are 256 random bits, so a plain
// SHA-256 is enough to keep them safe at rest; only that hash is stored.
func (s *Store) CreateToken(ctx context.Context, email, name, secret string) (string, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin, "create API tokens"); err != nil {
		return "", err
	}
	if secret == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		secret = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	} else if len(secret) < 24 {
		return "", followup.Invalid("token", "a token must have at least 24 characters")
	}
	name, err := followup.NormalizeTokenName("name", name)
	if err != nil {
		return "", err
	}
	if name == "" {
		name = "api"
	}
	email = strings.ToLower(strings.TrimSpace(email))
	err = s.write(ctx, func(tx *Tx) error {
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
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`,
			u.ID, name, hashToken(secret), s.stamp()); err != nil {
			return err
		}
		return s.audit(ctx, tx, "token.create", "user", email, 0, nil, map[string]string{"token": name})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// AuthenticateToken returns the actor of a valid, unrevoked token of an active user.
func (s *Store) AuthenticateToken(ctx context.Context, token string) (followup.Actor, error) {
	u, err := scanUser(s.reader.QueryRowContext(ctx, `SELECT u.id, u.email, u.name, u.role, coalesce(u.party_code, ''), coalesce(u.organisation, ''), u.active, u.created_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.active = TRUE`, hashToken(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return followup.Actor{}, followup.Errorf(followup.EUnauthorized, "the token is not valid")
	}
	if err != nil {
		return followup.Actor{}, err
	}
	return u.Actor(), nil
}
