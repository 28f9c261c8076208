package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"followup/internal/followup"
)

var (
	_ followup.AuthService  = (*Store)(nil)
	_ followup.QueueService = (*Store)(nil)
)

// dummyHash is compared against when the e-mail is unknown, so that an unknown account takes
// about as long to refuse as a wrong password. It is made at the store's cost on first use,
// not when the program starts.
func (s *Store) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		s.dummy, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), s.passwordCost())
	})
	return s.dummy
}

var errBadLogin = followup.Errorf(followup.EUnauthorized, "the e-mail address or the password is wrong")

// AuthenticatePassword checks an e-mail address and password.
func (s *Store) AuthenticatePassword(ctx context.Context, email, password string) (followup.Actor, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var u followup.User
	var hash string
	var created string
	err := s.reader.QueryRowContext(ctx, `SELECT id, email, name, role, coalesce(party_code, ''), coalesce(organisation, ''), active, created_at, password_hash
		FROM users WHERE email = ?`, email).Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Party, &u.Organisation, &u.Active, &created, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		_ = bcrypt.CompareHashAndPassword(s.dummyHash(), []byte(password))
		return followup.Actor{}, errBadLogin
	}
	if err != nil {
		return followup.Actor{}, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || !u.Active {
		return followup.Actor{}, errBadLogin
	}
	return u.Actor(), nil
}

// ActorByID returns the actor of an active user.
func (s *Store) ActorByID(ctx context.Context, id int64) (followup.Actor, error) {
	u, err := scanUser(s.reader.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !u.Active) {
		return followup.Actor{}, followup.Errorf(followup.EUnauthorized, "the account no longer exists or is deactivated")
	}
	if err != nil {
		return followup.Actor{}, err
	}
	return u.Actor(), nil
}

// ChangePassword changes the signed-in user's password after checking the old one.
func (s *Store) ChangePassword(ctx context.Context, oldPassword, newPassword string) error {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.UserID > 0, "change a password"); err != nil {
		return err
	}
	if err := followup.ValidatePassword("new_password", newPassword); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(newPassword), s.passwordCost())
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		var old string
		if err := tx.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ? AND active = TRUE`, actor.UserID).Scan(&old); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return followup.Errorf(followup.EUnauthorized, "the account no longer exists or is deactivated")
			}
			return err
		}
		if bcrypt.CompareHashAndPassword([]byte(old), []byte(oldPassword)) != nil {
			return followup.Invalid("old_password", "the current password is wrong")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, string(hash), actor.UserID); err != nil {
			return err
		}
		// Whoever holds another session of the user may be the reason for the change. The
		// current session ends too: the caller goes on with it under a new id (scs RenewToken),
		// so that its old id is worth nothing either.
		if err := endSessions(ctx, tx, actor.UserID); err != nil {
			return err
		}
		// The audit entry says that the password changed, never what it is.
		return s.audit(ctx, tx, "user.change_password", "user", actor.Email, 0, nil, nil)
	})
}

// adminUser finds a user for an administrator's write, inside the transaction.
func (s *Store) adminUser(ctx context.Context, tx *Tx, action, email string) (followup.User, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin, action); err != nil {
		return followup.User{}, err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
	if errors.Is(err, sql.ErrNoRows) {
		return u, notFound("no user with e-mail %s", email)
	}
	return u, err
}

// SetUserActive deactivates or reactivates an account (admin). Administrators may not
// deactivate themselves, so that the last one cannot lock everybody out by mistake.
func (s *Store) SetUserActive(ctx context.Context, email string, active bool) error {
	actor := followup.ActorFrom(ctx)
	return s.write(ctx, func(tx *Tx) error {
		u, err := s.adminUser(ctx, tx, "deactivate or reactivate users", email)
		if err != nil {
			return err
		}
		if !active && u.ID == actor.UserID {
			return followup.Errorf(followup.EConflict, "you may not deactivate your own account")
		}
		if u.Active == active {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET active = ? WHERE id = ?`, active, u.ID); err != nil {
			return err
		}
		// A session left unused while the account was deactivated must not work again after
		// its reactivation.
		if err := endSessions(ctx, tx, u.ID); err != nil {
			return err
		}
		after := u
		after.Active = active
		action := "user.deactivate"
		if active {
			action = "user.reactivate"
		}
		return s.audit(ctx, tx, action, "user", u.Email, 0, u, after)
	})
}

// ResetPassword sets a user's password (admin).
func (s *Store) ResetPassword(ctx context.Context, email, newPassword string) error {
	if err := followup.ValidatePassword("password", newPassword); err != nil {
		actor := followup.ActorFrom(ctx)
		if aerr := actor.Require(actor.Role == followup.RoleAdmin, "reset passwords"); aerr != nil {
			return aerr
		}
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(newPassword), s.passwordCost())
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		u, err := s.adminUser(ctx, tx, "reset passwords", email)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, string(hash), u.ID); err != nil {
			return err
		}
		if err := endSessions(ctx, tx, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, "user.reset_password", "user", u.Email, 0, nil, nil)
	})
}

// BindUserToParty binds a party user to a Party (admin).
func (s *Store) BindUserToParty(ctx context.Context, email, party string) error {
	return s.write(ctx, func(tx *Tx) error {
		u, err := s.adminUser(ctx, tx, "bind users to Parties", email)
		if err != nil {
			return err
		}
		if u.Role != followup.RoleParty {
			return followup.Invalid("party", "only users with the party role are bound to a Party")
		}
		code, err := followup.NormalizePartyCode("party", party)
		if err != nil {
			return err
		}
		if _, err := findParty(ctx, tx, code); err != nil {
			return followup.UnknownParty("party", code)
		}
		if code == u.Party {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET party_code = ? WHERE id = ?`, code, u.ID); err != nil {
			return err
		}
		after := u
		after.Party = code
		return s.audit(ctx, tx, "user.bind_party", "user", u.Email, 0, u, after)
	})
}

// ListTokens lists every API token without its secret (admin).
func (s *Store) ListTokens(ctx context.Context) ([]followup.APIToken, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin, "list API tokens"); err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT t.id, u.email, t.name, t.created_at, coalesce(t.revoked_at, '')
		FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY u.email, t.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []followup.APIToken{}
	for rows.Next() {
		var t followup.APIToken
		var created, revoked string
		if err := rows.Scan(&t.ID, &t.UserEmail, &t.Name, &created, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt = parseStamp(created)
		if revoked != "" {
			t.RevokedAt = parseStamp(revoked)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes an API token (admin).
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.Role == followup.RoleAdmin, "revoke API tokens"); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		var email, name string
		var revoked sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT u.email, t.name, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id
			WHERE t.id = ?`, id).Scan(&email, &name, &revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("no API token %d", id)
		}
		if err != nil {
			return err
		}
		if revoked.Valid {
			return followup.Errorf(followup.EConflict, "token %d was already revoked", id)
		}
		now := s.stamp()
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, now, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, "token.revoke", "user", email, 0, map[string]any{"token": name, "id": id}, map[string]any{"token": name, "id": id, "revoked_at": now})
	})
}

// AssessmentQueue lists submitted follow-ups awaiting an assessment, oldest submission first:
// by the date the Party gave it, then by when it was recorded.
func (s *Store) AssessmentQueue(ctx context.Context, f followup.QueueFilter) ([]followup.QueueItem, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.IsCommittee(), "see the assessment queue"); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	where := []string{"f.active = TRUE", "r.archived = FALSE", "c.archived = FALSE", "f.state = 'submitted'", "f.open_requests = 0"}
	var args []any
	if f.Report != "" {
		where = append(where, "r.slug = ?")
		args = append(args, f.Report)
	}
	if f.Party != "" {
		where = append(where, "f.party_code = ?")
		args = append(args, strings.ToUpper(f.Party))
	}
	args = append(args, f.Limit)
	query := strings.Replace(followUpSelect, "SELECT f.id,", `SELECT f.last_submitted_on, coalesce(f.last_submitted_at, ''),
		(SELECT count(*) FROM clarification_requests q WHERE q.followup_id = f.id AND q.answered_on IS NOT NULL
			AND q.answered_on >= coalesce(f.status_adopted_on, '')), f.id,`, 1)
	rows, err := s.reader.QueryContext(ctx, query+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY coalesce(f.last_submitted_on, ''), f.last_submitted_at, f.id LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	today := s.Today()
	out := []followup.QueueItem{}
	for rows.Next() {
		var on sql.NullString
		var at string
		var answered int
		row, err := s.scanFollowUp(prefixScanner{rows, []any{&on, &at, &answered}}, today)
		if err != nil {
			return nil, err
		}
		out = append(out, followup.QueueItem{FollowUp: row.forActor(actor), SubmittedOn: scanDate(on), LastSubmittedAt: parseStamp(at),
			AnsweredRequests: answered})
	}
	return out, rows.Err()
}

// prefixScanner scans extra leading columns into first, then the rest as usual.
type prefixScanner struct {
	rows  *sql.Rows
	first []any
}

func (p prefixScanner) Scan(dest ...any) error {
	return p.rows.Scan(append(append([]any{}, p.first...), dest...)...)
}
