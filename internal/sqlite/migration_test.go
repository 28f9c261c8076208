package sqlite_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"followup/db"
	"followup/internal/followup"
	"followup/internal/sqlite"
	"followup/internal/sqlstore"
)

// Migration 0012 rebuilds the users table to admit stakeholders. On a database with users,
// tokens, sessions-owned rows and authored submissions, every row that points at a user must
// still point at the same user afterwards, the foreign keys must hold, and the triggers on
// users must be back.
func TestStakeholderMigrationKeepsEveryoneAndEveryReference(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
	entries, err := fs.ReadDir(db.SQLite(), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		v, _ := strconv.Atoi(num)
		if v >= 12 {
			continue
		}
		body, err := fs.ReadFile(db.SQLite(), e.Name())
		if err != nil {
			t.Fatal(err)
		}
		exec(string(body))
		exec(`INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')`, v, e.Name())
	}
	const now = "2026-01-01T00:00:00Z"
	token := "fut_a-token-that-is-long-enough-for-the-store"
	sum := sha256.Sum256([]byte(token))
	exec(`INSERT INTO parties (code, name_en, name_fr, created_at) VALUES ('FR', 'France', 'France', ?)`, now)
	exec(`INSERT INTO users (id, email, name, role, party_code, password_hash, created_at, lang) VALUES
		(7, 'desk@fr.test', 'Desk', 'party', 'FR', 'x', ?, 'fr'), (9, 'sec@coe.test', 'Sec', 'secretariat', NULL, 'x', ?, 'en')`, now, now)
	exec(`INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (7, 'api', ?, ?)`, hex.EncodeToString(sum[:]), now)
	exec(`INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES (9, 'h', ?)`, now)
	exec(`INSERT INTO reports (id, slug, title, kind, adopted_on, created_at, updated_at) VALUES (1, 'rep', 'Rep', 'other', '2020-01-01', ?, ?)`, now, now)
	exec(`INSERT INTO recommendations (id, report_id, position, label, category, text, created_at, updated_at) VALUES (1, 1, 1, 'R1', 'urge', 'Do.', ?, ?)`, now, now)
	exec(`INSERT INTO followups (id, recommendation_id, party_code, created_at, updated_at) VALUES (1, 1, 'FR', ?, ?)`, now, now)
	exec(`INSERT INTO submissions (followup_id, text, draft, submitted_on, author_id, author_name, created_at, updated_at)
		VALUES (1, 'Done.', 0, '2021-01-01', 7, 'Desk', ?, ?)`, now, now)
	raw.Close()

	store, err := sqlite.Open(context.Background(), path, sqlstore.Options{})
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer store.Close()
	if v, err := store.SchemaVersion(context.Background()); err != nil || v < 12 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	actor, err := store.AuthenticateToken(context.Background(), token)
	if err != nil || actor.UserID != 7 || actor.Party != "FR" || actor.Role != followup.RoleParty {
		t.Fatalf("the token of user 7 after the migration: %+v, %v", actor, err)
	}
	check, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	rows, err := check.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Error("a foreign key is broken after the migration")
	}
	rows.Close()
	var lang, triggers string
	if err := check.QueryRow(`SELECT lang FROM users WHERE id = 7`).Scan(&lang); err != nil || lang != "fr" {
		t.Errorf("user 7's language: %q, %v", lang, err)
	}
	if err := check.QueryRow(`SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'users' ORDER BY name)`).Scan(&triggers); err != nil ||
		triggers != "reminder_wake_user_insert,reminder_wake_user_update" {
		t.Errorf("triggers on users: %q, %v", triggers, err)
	}
	var fk string
	if err := check.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'api_tokens'`).Scan(&fk); err != nil || !strings.Contains(fk, "REFERENCES users") {
		t.Errorf("api_tokens no longer references users: %s", fk)
	}
}
