package sqlstore_test

import (
	"database/sql"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"

	"followup/db"
	"followup/internal/followup"
	"followup/internal/storetest"
)

// workflowMigration is the migration that keeps the periods of the follow-ups and of the
// recommendations' archiving.
const workflowMigration = 9

// laterOnes are the migrations that build on a migration's tables (indexes on them): a database
// without the one stands without them too, and takes them after it.
var laterOnes = map[int][]int{workflowMigration: {16}}

// databaseWithout builds a database with every migration but one applied, as a database that
// took the others first (from another line of changes) stands before it, and returns a
// writable connection to it.
func databaseWithout(t *testing.T, skip int) (string, *storetest.DB) {
	t.Helper()
	path := storetest.NewDatabase(t)
	migrations := db.SQLite()
	var conn *storetest.DB
	if storetest.Postgres() {
		migrations = db.Postgres()
		conn = storetest.Raw(t, path)
		// The test's database is a copy of a migrated one: start it again from nothing.
		if _, err := conn.Exec(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`); err != nil {
			t.Fatal(err)
		}
	} else {
		d, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on&_busy_timeout=10000")
		if err != nil {
			t.Fatal(err)
		}
		d.SetMaxOpenConns(1)
		t.Cleanup(func() { d.Close() })
		conn = &storetest.DB{DB: d}
	}
	if _, err := conn.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	files, err := fs.ReadDir(migrations, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		num, _, _ := strings.Cut(file.Name(), "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			t.Fatalf("migration %s: %v", file.Name(), err)
		}
		if v == skip || slices.Contains(laterOnes[skip], v) {
			continue
		}
		body, err := fs.ReadFile(migrations, file.Name())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(string(body)); err != nil {
			t.Fatalf("migration %s: %v", file.Name(), err)
		}
		if _, err := conn.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, v, file.Name(), "2026-11-01T00:00:00Z"); err != nil {
			t.Fatal(err)
		}
	}
	return path, conn
}

// The follow-ups and recommendations that exist when the periods begin to be kept get theirs
// from the audit log (each creation, re-activation, de-activation, archiving and
// un-archiving with its day) and, where the log says nothing, from their flags and last
// change: a past day then reads what held on it, and today what the flags say.
func TestMigrationGivesExistingDataItsPeriods(t *testing.T) {
	t.Parallel()
	path, conn := databaseWithout(t, workflowMigration)
	raw := rawSQL{t, conn}
	exec, id := raw.exec, raw.id
	const created = "2018-03-05T10:00:00Z"
	for _, code := range []string{"DE", "FR", "HU", "IT"} {
		exec(`INSERT INTO parties (code, name_en, name_fr, created_at) VALUES (?, ?, ?, ?)`, code, code, code, created)
	}
	report := id(`INSERT INTO reports (slug, title, kind, adopted_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		"legacy-2018", "A report entered before the periods", "special_report", "2018-03-01", created, created)
	for _, code := range []string{"DE", "FR", "HU", "IT"} {
		exec(`INSERT INTO report_parties (report_id, party_code) VALUES (?, ?)`, report, code)
	}
	audit := func(at, action, entity, key string, followupID any, before, after string) {
		t.Helper()
		var none any // a creation has nothing before, as the store writes it
		var beforeJSON any = before
		if before == "" {
			beforeJSON = none
		}
		exec(`INSERT INTO audit_log (at, actor_email, action, entity, entity_key, followup_id, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			at, "secretariat@coe.test", action, entity, key, followupID, beforeJSON, after)
	}
	// recommendation adds a recommendation (archived now or not, last changed on updated).
	recommendation := func(position int, label string, archived bool, updated string) int64 {
		t.Helper()
		rec := id(`INSERT INTO recommendations (report_id, position, label, category, text, archived, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			report, position, label, "urge", "Summary: "+label+".", archived, created, updated)
		audit(created, "recommendation.create", "recommendation", "legacy-2018/"+label, nil, "", `{"label":"`+label+`","archived":false}`)
		return rec
	}
	archiving := func(at, label string, archived bool) {
		t.Helper()
		before, after := `{"label":"`+label+`","archived":false}`, `{"label":"`+label+`","archived":true}`
		if !archived {
			before, after = after, before
		}
		audit(at, "recommendation.update", "recommendation", "legacy-2018/"+label, nil, before, after)
	}
	// followUp adds a follow-up (active now or not, last changed on updated) adopted as
	// implemented on 2018-06-01, and its entries in the log: "+" a creation or re-activation,
	// "-" a de-activation, each with its instant.
	followUp := func(rec int64, label, party string, active bool, createdAt, updated string, log ...string) {
		t.Helper()
		fu := id(`INSERT INTO followups (recommendation_id, party_code, active, state, status, status_adopted_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			rec, party, active, "adopted", "implemented", "2018-06-01", createdAt, updated)
		exec(`INSERT INTO assessments (followup_id, status, assessed_on, adopted_on, author_name, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			fu, "implemented", "2018-05-01", "2018-06-01", "Rapporteur", "2018-05-01T10:00:00Z")
		key := "legacy-2018/" + label + "/" + party
		for i, e := range log {
			at := e[1:]
			switch {
			case e[0] == '+' && i == 0:
				audit(at, "followup.create", "followup", key, fu, "", `{"active":true}`)
			case e[0] == '+':
				audit(at, "followup.activate", "followup", key, fu, `{"active":false}`, `{"active":true}`)
			default:
				audit(at, "followup.deactivate", "followup", key, fu, `{"active":true}`, `{"active":false}`)
			}
		}
	}
	r1 := recommendation(1, "R1", false, created)
	followUp(r1, "R1", "FR", true, created, created, "+"+created)
	followUp(r1, "R1", "DE", false, created, "2020-01-10T15:00:00Z", "+"+created, "-2020-01-10T15:00:00Z")
	followUp(r1, "R1", "HU", true, "2019-02-01T09:00:00Z", "2019-02-01T09:00:00Z", "+2019-02-01T09:00:00Z") // added later
	followUp(r1, "R1", "IT", true, created, created)                                                        // nothing in the log
	r2 := recommendation(2, "R2", true, "2021-05-01T08:00:00Z")
	archiving("2021-05-01T08:00:00Z", "R2", true)
	followUp(r2, "R2", "FR", true, created, created)
	followUp(r2, "R2", "DE", false, created, "2019-09-09T10:00:00Z") // dropped when it was last changed
	r3 := recommendation(3, "R3", false, "2020-06-01T12:00:00Z")
	archiving("2020-01-01T12:00:00Z", "R3", true)
	archiving("2020-06-01T12:00:00Z", "R3", false)
	followUp(r3, "R3", "FR", true, created, created)
	followUp(r3, "R3", "HU", true, created, "2019-08-01T09:00:00Z", "+"+created, "-2019-05-01T09:00:00Z", "+2019-08-01T09:00:00Z")
	r4 := recommendation(4, "R4", true, "2022-02-02T09:00:00Z") // archived, and the log does not say when
	followUp(r4, "R4", "FR", true, created, created)
	// The log lacks the re-activation of R4/DE and the de-activation of R4/HU: the flags and
	// the last changes tell them.
	followUp(r4, "R4", "DE", true, created, "2021-03-03T09:00:00Z", "+"+created, "-2019-04-04T09:00:00Z")
	followUp(r4, "R4", "HU", false, created, "2020-10-10T09:00:00Z", "+"+created)
	r5 := recommendation(5, "R5", false, "2021-08-08T09:00:00Z") // the log lacks its un-archiving
	archiving("2021-07-07T09:00:00Z", "R5", true)
	followUp(r5, "R5", "FR", true, created, created)
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}

	store := openStore(t, path)
	for _, tc := range []struct {
		day  string
		want string
	}{
		{"2018-07-01", "R1/DE R1/FR R1/IT R2/DE R2/FR R3/FR R3/HU R4/DE R4/FR R4/HU R5/FR"},
		{"2019-03-01", "R1/DE R1/FR R1/HU R1/IT R2/DE R2/FR R3/FR R3/HU R4/DE R4/FR R4/HU R5/FR"},
		{"2019-06-01", "R1/DE R1/FR R1/HU R1/IT R2/DE R2/FR R3/FR R4/FR R4/HU R5/FR"},
		{"2019-10-01", "R1/DE R1/FR R1/HU R1/IT R2/FR R3/FR R3/HU R4/FR R4/HU R5/FR"},
		{"2020-03-01", "R1/FR R1/HU R1/IT R2/FR R4/FR R4/HU R5/FR"},
		{"2020-07-01", "R1/FR R1/HU R1/IT R2/FR R3/FR R3/HU R4/FR R4/HU R5/FR"},
		{"2020-11-01", "R1/FR R1/HU R1/IT R2/FR R3/FR R3/HU R4/FR R5/FR"},
		{"2021-04-01", "R1/FR R1/HU R1/IT R2/FR R3/FR R3/HU R4/DE R4/FR R5/FR"},
		{"2021-06-01", "R1/FR R1/HU R1/IT R3/FR R3/HU R4/DE R4/FR R5/FR"},
		{"2021-07-10", "R1/FR R1/HU R1/IT R3/FR R3/HU R4/DE R4/FR"},
		{"2021-09-01", "R1/FR R1/HU R1/IT R3/FR R3/HU R4/DE R4/FR R5/FR"},
		{"2022-03-01", "R1/FR R1/HU R1/IT R3/FR R3/HU R5/FR"},
		{"", "R1/FR R1/HU R1/IT R3/FR R3/HU R5/FR"}, // today, as the flags say
	} {
		c, err := store.ReportCompliance(followup.WithActor(t.Context(), followup.Actor{}), "legacy-2018", followup.ComplianceQuery{AsOf: dateOrZero(tc.day)})
		must(t, err)
		var got []string
		for _, cell := range c.Cells {
			got = append(got, cell.Label+"/"+cell.Party)
			if cell.Status == nil || *cell.Status != followup.Implemented {
				t.Errorf("as of %q the cell %s/%s has lost its adopted outcome", tc.day, cell.Label, cell.Party)
			}
		}
		if want := strings.Fields(tc.want); !slices.Equal(got, want) {
			t.Errorf("as of %q the cells are %v, want %v", tc.day, got, want)
		}
	}
	// DE's dossier of a day flags the follow-ups it was no longer addressed then.
	d, err := store.PartyDossier(t.Context(), "DE", followup.ComplianceQuery{AsOf: date("2019-06-01")})
	must(t, err)
	var got []string
	for _, fu := range d.FollowUps {
		got = append(got, fu.Label+":"+strconv.FormatBool(fu.Active))
	}
	if want := []string{"R1:true", "R2:true", "R4:false"}; !slices.Equal(got, want) {
		t.Errorf("DE's dossier as of 2019-06-01: %v, want %v", got, want)
	}
}

// rawSQL runs statements on a database outside the store, failing the test on an error.
type rawSQL struct {
	t    *testing.T
	conn *storetest.DB
}

func (r rawSQL) exec(q string, args ...any) {
	r.t.Helper()
	if _, err := r.conn.Exec(q, args...); err != nil {
		r.t.Fatalf("%s: %v", q, err)
	}
}

// id runs an INSERT and returns the id of its row.
func (r rawSQL) id(q string, args ...any) int64 {
	r.t.Helper()
	var id int64
	if err := r.conn.QueryRow(q+` RETURNING id`, args...).Scan(&id); err != nil {
		r.t.Fatalf("%s: %v", q, err)
	}
	return id
}
