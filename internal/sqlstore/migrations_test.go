package sqlstore_test

import (
	"context"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"followup/db"
	"followup/internal/storetest"
)

func TestOpenTwiceAppliesNothingTheSecondTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := storetest.NewDatabase(t)

	first := openStore(t, path)
	if v, err := first.Migrate(ctx); err != nil || len(v) != 0 {
		t.Fatalf("Migrate right after the first Open = %v, %v; want no versions", v, err)
	}
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	second := openStore(t, path)
	v, err := second.Migrate(ctx)
	if err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if len(v) != 0 {
		t.Fatalf("Migrate on a migrated database applied %v, want nothing", v)
	}

	raw := storetest.Raw(t, path)
	rows, err := raw.Query(`SELECT version, name FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type row struct {
		version int
		name    string
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.version, &r.name); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	// One row per embedded migration file, exactly once, starting with version 1.
	migrations := db.SQLite()
	if storetest.Postgres() {
		migrations = db.Postgres()
	}
	files, err := fs.ReadDir(migrations, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(files) || len(got) == 0 {
		t.Fatalf("schema_migrations = %+v, want one row per file of %d", got, len(files))
	}
	if got[0].version != 1 || got[0].name != "0001_init.sql" {
		t.Fatalf("schema_migrations[0] = %+v, want version 1 (0001_init.sql)", got[0])
	}
	// Each row is the version its file is numbered with (numbers may skip one that another
	// change holds).
	for i, file := range files {
		num, _, _ := strings.Cut(file.Name(), "_")
		want, err := strconv.Atoi(num)
		if err != nil || got[i].name != file.Name() || got[i].version != want {
			t.Fatalf("schema_migrations[%d] = %+v, want version %s (%s)", i, got[i], num, file.Name())
		}
	}
	// The schema is there and usable by the second store.
	if parties, err := second.ListParties(ctx); err != nil || len(parties) != 0 {
		t.Fatalf("ListParties on a new database = %v, %v; want an empty list", parties, err)
	}
}
