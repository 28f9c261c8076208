package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"followup/internal/sqlstore"
)

// The full-text index of the recommendations is an FTS5 table over their label, English text
// and French text, kept in step by triggers in every transaction that writes a recommendation.
// FTS5 is compiled into mattn/go-sqlite3 only with the build tag sqlite_fts5, which the
// Makefile and CI pass (go build -tags sqlite_fts5). A build without it keeps working: the
// index is then not made and a search matches case-folded substrings (SearchPage.Match says
// "substrings"). Since the index needs FTS5, it is made here when the store opens rather than
// by a migration, which every build must be able to run; a database that has it cannot be
// written by a build without FTS5 (its triggers need the module), so such a build refuses it.
//
// Tokenizer: "porter unicode61 remove_diacritics 2": words are split and case-folded by
// Unicode rules, diacritics are removed (négligence = negligence, Röszke = Roszke) and words
// are reduced to their stems by Porter's algorithm. Porter's algorithm is English: French text
// gets the same rules, which fold most French plurals and some endings (enfants → enfant,
// sexuelles → sexuel) but know nothing of French morphology (no verb forms, -eaux, -if/-ive).
// FTS5 has no French stemmer; PostgreSQL's store stems French with its french configuration.
const ftsTable = "fts_recommendations"

const ftsSchema = `
CREATE VIRTUAL TABLE fts_recommendations USING fts5(label, text, text_fr,
	content='recommendations', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
CREATE TRIGGER fts_recommendations_insert AFTER INSERT ON recommendations BEGIN
	INSERT INTO fts_recommendations (rowid, label, text, text_fr) VALUES (new.id, new.label, new.text, new.text_fr);
END;
CREATE TRIGGER fts_recommendations_delete AFTER DELETE ON recommendations BEGIN
	INSERT INTO fts_recommendations (fts_recommendations, rowid, label, text, text_fr) VALUES ('delete', old.id, old.label, old.text, old.text_fr);
END;
CREATE TRIGGER fts_recommendations_update AFTER UPDATE OF label, text, text_fr ON recommendations BEGIN
	INSERT INTO fts_recommendations (fts_recommendations, rowid, label, text, text_fr) VALUES ('delete', old.id, old.label, old.text, old.text_fr);
	INSERT INTO fts_recommendations (rowid, label, text, text_fr) VALUES (new.id, new.label, new.text, new.text_fr);
END;
INSERT INTO fts_recommendations (fts_recommendations) VALUES ('rebuild');`

// fullText is FTS5 when the build has it, substrings otherwise; has is decided when the store
// opens (Ensure).
type fullText struct {
	fts5 bool
}

func (e *engine) FullText() sqlstore.FullText { return &e.fts }

func (f *fullText) Match() string {
	if f.fts5 {
		return "stems"
	}
	return "substrings"
}

// Ensure makes the FTS5 index when the build has FTS5 and the database does not have it yet
// (then fills it from the recommendations), and refuses a database with the index when the
// build has no FTS5.
func (f *fullText) Ensure(ctx context.Context, tx *sql.Tx) error {
	var has bool
	if err := tx.QueryRowContext(ctx, `SELECT sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&has); err != nil {
		return err
	}
	f.fts5 = has
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, ftsTable).Scan(&n); err != nil {
		return err
	}
	switch {
	case n > 0 && !has:
		return errors.New("the database has a full-text index (FTS5) that this build lacks: build with -tags sqlite_fts5 (make build)")
	case n > 0 || !has:
		return nil
	}
	_, err := tx.ExecContext(ctx, ftsSchema)
	return err
}

// ftsQuery writes the words as an FTS5 query of quoted strings, all of which must match: no
// word is read as an operator or a column filter.
func ftsQuery(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	return strings.Join(quoted, " ")
}

// likePattern is a LIKE pattern for a substring, with LIKE's wildcards escaped.
func likePattern(w string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(w) + "%"
}

// Matches ranks by BM25, a match in the label weighing as five in a text.
func (f *fullText) Matches(words []string) (string, []any) {
	if f.fts5 {
		return `SELECT rowid AS id, bm25(fts_recommendations, 5.0, 1.0, 1.0) AS rank FROM fts_recommendations
			WHERE fts_recommendations MATCH ?`, []any{ftsQuery(words)}
	}
	// Without FTS5: every word a substring of the label or a text; SQLite's lower() folds
	// ASCII letters only.
	var where []string
	var args []any
	for _, w := range words {
		where = append(where, `lower(c.label || ' ' || c.text || ' ' || c.text_fr) LIKE ? ESCAPE '\'`)
		args = append(args, likePattern(w))
	}
	return `SELECT c.id AS id, 0 AS rank FROM recommendations c WHERE ` + strings.Join(where, " AND "), args
}

func (f *fullText) Marked(words []string, idSet string) (string, []any) {
	if !f.fts5 {
		return "", nil
	}
	mark := func(col int) string {
		// char(2) and char(3) are followup.MarkOpen and MarkClose.
		return `highlight(fts_recommendations, ` + string(rune('0'+col)) + `, char(2), char(3))`
	}
	return `SELECT rowid, ` + mark(0) + `, ` + mark(1) + `, ` + mark(2) + ` FROM fts_recommendations
		WHERE fts_recommendations MATCH ? AND rowid IN (` + idSet + `)`, []any{ftsQuery(words)}
}
