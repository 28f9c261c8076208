package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"followup/internal/followup"
)

const partyColumns = `code, name_en, name_fr, joined_on`

func scanParty(row scanner) (followup.Party, error) {
	var p followup.Party
	var joined sql.NullString
	if err := row.Scan(&p.Code, &p.NameEN, &p.NameFR, &joined); err != nil {
		return p, err
	}
	p.JoinedOn = scanDate(joined)
	return p, nil
}

// ListParties returns every Party in code order. Parties are public.
func (s *Store) ListParties(ctx context.Context) ([]followup.Party, error) {
	return queryAll(ctx, s.reader, scanParty, `SELECT `+partyColumns+` FROM parties ORDER BY code`)
}

// FindParty returns one Party by code (any case).
func (s *Store) FindParty(ctx context.Context, code string) (followup.Party, error) {
	c, err := followup.NormalizePartyCode("code", code)
	if err != nil {
		return followup.Party{}, notFound("no Party with code %q", code)
	}
	return findParty(ctx, s.reader, c)
}

func findParty(ctx context.Context, q queryer, code string) (followup.Party, error) {
	p, err := scanParty(q.QueryRowContext(ctx, `SELECT `+partyColumns+` FROM parties WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("no Party with code %s", code)
	}
	return p, err
}

// CreateParty adds a Party (secretariat and admin).
func (s *Store) CreateParty(ctx context.Context, p followup.Party) (followup.Party, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.CanManage(), "add Parties"); err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	err := s.write(ctx, func(tx *Tx) error {
		if _, err := findParty(ctx, tx, p.Code); err == nil {
			return followup.Errorf(followup.EConflict, "a Party with code %s already exists", p.Code)
		}
		return s.insertParty(ctx, tx, p)
	})
	return p, err
}

// insertParty adds a validated Party within tx.
func (s *Store) insertParty(ctx context.Context, tx *Tx, p followup.Party) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO parties (code, name_en, name_fr, joined_on, created_at) VALUES (?, ?, ?, ?, ?)`,
		p.Code, p.NameEN, p.NameFR, nullDate(p.JoinedOn), s.stamp()); err != nil {
		return err
	}
	return s.audit(ctx, tx, "party.create", "party", p.Code, 0, nil, p)
}

// updateParty gives a Party new names and date of joining within tx (imports of Parties).
// The reports keep the Parties they cover: a new date changes only the default coverage of
// reports created later.
func (s *Store) updateParty(ctx context.Context, tx *Tx, before, after followup.Party) error {
	if _, err := tx.ExecContext(ctx, `UPDATE parties SET name_en = ?, name_fr = ?, joined_on = ? WHERE code = ?`,
		after.NameEN, after.NameFR, nullDate(after.JoinedOn), before.Code); err != nil {
		return err
	}
	return s.audit(ctx, tx, "party.update", "party", before.Code, 0, before, after)
}

// partyCodesExist checks that every code names a known Party.
func partyCodesExist(ctx context.Context, q queryer, field string, codes []string) error {
	for _, c := range codes {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM parties WHERE code = ?`, c).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return followup.UnknownParty(field, c)
		}
	}
	return nil
}
