package sqlstore_test

import (
	"bytes"
	"strings"
	"testing"

	"followup/internal/followup"
	"followup/internal/importer"
	"followup/internal/importtest"
)

// scaleRows is the size of the import tested in make test; BenchmarkImport50k in
// internal/bench runs the same import at 50,000 rows.
const scaleRows = 5000

// scaleFixture is a store with 60 Parties and a report covering them all, as a UN treaty body
// would have (with fewer States).
func scaleFixture(t *testing.T) (*fixture, []string) {
	t.Helper()
	f := newBareFixture(t)
	ctx := f.as("system")
	parties := importtest.Parties(60)
	for _, c := range parties {
		if _, err := f.store.CreateParty(ctx, followup.Party{Code: c, NameEN: "State " + c, NameFR: "État " + c}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.store.CreateReport(ctx, followup.ReportInput{Slug: "upr", Title: "Universal review, third cycle",
		Kind: followup.OtherReport, AdoptedOn: date("2022-01-01")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.PublishReport(ctx, "upr"); err != nil {
		t.Fatal(err)
	}
	f.users["secretariat"] = mustUser(t, f, "secretariat", followup.RoleSecretariat)
	return f, parties
}

func mustUser(t *testing.T, f *fixture, who string, role followup.Role) followup.User {
	t.Helper()
	u, err := f.store.CreateUser(f.as("system"), followup.UserInput{Email: email(who), Name: "User " + who, Role: role, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A file of thousands of recommendations, each addressed to one to three Parties, streamed into
// one transaction: the dry run writes nothing, the import creates every recommendation with its
// follow-ups and audit entries, the result lists the first rows and counts all, and importing
// the file again changes nothing. CSV and XLSX, on the engine of the run.
func TestImportRecommendationsAtScale(t *testing.T) {
	for _, format := range []importer.Format{importer.CSV, importer.XLSX} {
		t.Run(string(format), func(t *testing.T) {
			t.Parallel()
			f, parties := scaleFixture(t)
			data := importtest.CSV(scaleRows, parties, 7)
			if format == importer.XLSX {
				data = importtest.XLSX(scaleRows, parties, 7)
			}
			wantFollowUps := 0
			if err := importtest.Rows(scaleRows, parties, 7, func(r importtest.Row) error {
				wantFollowUps += len(strings.Split(r.AddressedTo(), ";"))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			p := importer.Parser{Limits: importer.LimitsFor(scaleRows, 0)}
			var seen []followup.ImportProgress
			stream := func() followup.ImportStream[followup.RecommendationRow] {
				seen = nil
				return p.RecommendationStream(bytes.NewReader(data), format, func(pr followup.ImportProgress) { seen = append(seen, pr) })
			}
			sec := f.as("secretariat")
			before := f.dump(t)

			res, err := f.store.ImportRecommendations(sec, "upr", stream(), true)
			if err != nil {
				t.Fatalf("dry run: %v %+v", err, res.Errors)
			}
			if res.Applied || res.Created != scaleRows || res.RowsTotal != scaleRows || len(res.Rows) != followup.MaxImportRowResults || !res.RowsTruncated {
				t.Errorf("dry run: applied %v, %d created, %d rows listed of %d", res.Applied, res.Created, len(res.Rows), res.RowsTotal)
			}
			if f.dump(t) != before {
				t.Fatal("the dry run wrote")
			}
			last := seen[len(seen)-1]
			// A CSV file at hand has its lines counted; a workbook says its size only when it
			// declares its dimension (this one, written as a stream, does not).
			if len(seen) < scaleRows/256 || !last.Done || last.Rows != scaleRows || (format == importer.CSV && seen[0].Total < scaleRows) {
				t.Errorf("progress: %d reports, first %+v, last %+v", len(seen), seen[0], last)
			}

			res, err = f.store.ImportRecommendations(sec, "upr", stream(), false)
			if err != nil || !res.Applied || res.Created != scaleRows || res.Rows[0].Row != 2 || res.Rows[999].Row != 1001 {
				t.Fatalf("import: %v, %+v", err, res.Errors)
			}
			if n := f.count(t, `SELECT count(*) FROM recommendations`); n != scaleRows {
				t.Errorf("%d recommendations, want %d", n, scaleRows)
			}
			if n := f.count(t, `SELECT count(*) FROM followups`); n != wantFollowUps {
				t.Errorf("%d follow-ups, want %d", n, wantFollowUps)
			}
			if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'recommendation.create'`); n != scaleRows {
				t.Errorf("%d audit entries of created recommendations, want %d", n, scaleRows)
			}
			if n := f.count(t, `SELECT count(DISTINCT position) FROM recommendations`); n != scaleRows {
				t.Errorf("%d distinct positions, want %d", n, scaleRows)
			}
			r, err := f.store.FindRecommendation(f.as("anon"), "upr", "R4321")
			if err != nil || r.TextFR == "" || !strings.HasPrefix(r.Source, "Session 5, paragraph 322") || len(r.AddressedTo) == 0 {
				t.Errorf("R4321 = %+v, %v", r, err)
			}

			after := f.dump(t)
			res, err = f.store.ImportRecommendations(sec, "upr", stream(), false)
			if err != nil || res.Unchanged != scaleRows || res.Created+res.Updated != 0 {
				t.Errorf("re-import: %v, %d created, %d updated, %d unchanged", err, res.Created, res.Updated, res.Unchanged)
			}
			if f.dump(t) != after {
				t.Error("the re-import changed the data")
			}
		})
	}
}

// A bad row anywhere in a large file, found by the reader or against the database, writes
// nothing at all; the errors are listed with their cells.
func TestImportAtScaleAllOrNothing(t *testing.T) {
	t.Parallel()
	f, parties := scaleFixture(t)
	var b bytes.Buffer
	if err := importtest.WriteCSV(&b, scaleRows, parties, 9); err != nil {
		t.Fatal(err)
	}
	// Near the end: a Party no one knows (found against the database) and a bad category
	// (found by the reader).
	text := b.String() + "R9001,urge,Late row.,,ZZ,,,\nR9002,demand,Late row.,,AA,,,\n"
	before := f.dump(t)
	p := importer.Parser{Limits: importer.LimitsFor(scaleRows+10, 0)}
	res, err := f.store.ImportRecommendations(f.as("secretariat"), "upr", p.RecommendationStream(strings.NewReader(text), importer.CSV, nil), false)
	if err == nil || res.Applied || res.ErrorsTotal != 2 {
		t.Fatalf("import: %v, applied %v, errors %+v", err, res.Applied, res.Errors)
	}
	got := []string{res.Errors[0].String(), res.Errors[1].String()}
	want := []string{"cell E5002 (addressed_to): ZZ is not a known Party", `cell B5003 (category): "demand" is not a category`}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d: %q, want %q", i, got[i], want[i])
		}
	}
	if f.dump(t) != before {
		t.Error("a file with bad rows wrote something")
	}
}

// Parties in bulk: new codes are created, the same names are unchanged, other names are an
// update; the dry run writes nothing; importing again changes nothing; bad rows write nothing.
func TestImportParties(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	sec := f.as("secretariat")
	p := importer.Parser{}
	run := func(text string, dryRun bool) (followup.ImportResult, error) {
		return f.store.ImportParties(sec, p.PartyStream(strings.NewReader(text), importer.CSV, nil), dryRun)
	}
	file := "code,name_en,name_fr,joined_on\n" +
		"fr,France,France,2010-01-01\n" + // unchanged
		"DE,Federal Republic of Germany,République fédérale d'Allemagne,\n" + // new names
		"ZA,South Africa,Afrique du Sud,1996-06-16\n" + // new
		"BR,Brazil,Brésil,\n" // new, no date
	before := f.dump(t)
	res, err := run(file, true)
	if err != nil || res.Created != 2 || res.Updated != 1 || res.Unchanged != 1 || res.Applied {
		t.Fatalf("dry run: %v %+v", err, res)
	}
	if f.dump(t) != before {
		t.Fatal("the dry run wrote")
	}
	if res.Rows[1].Party != "DE" || strings.Join(res.Rows[1].Changes, ",") != "name_en,name_fr" {
		t.Errorf("DE plan %+v", res.Rows[1])
	}
	audits := f.auditCount(t)
	res, err = run(file, false)
	if err != nil || !res.Applied || res.Created != 2 || res.Updated != 1 {
		t.Fatalf("import: %v %+v", err, res)
	}
	ctx := f.as("anon")
	if de, _ := f.store.FindParty(ctx, "DE"); de.NameEN != "Federal Republic of Germany" || de.NameFR != "République fédérale d'Allemagne" {
		t.Errorf("DE = %+v", de)
	}
	if za, err := f.store.FindParty(ctx, "ZA"); err != nil || za.JoinedOn != date("1996-06-16") || za.NameFR != "Afrique du Sud" {
		t.Errorf("ZA = %+v, %v", za, err)
	}
	if n := f.auditCount(t) - audits; n != 3 {
		t.Errorf("%d audit entries, want 3 (two created, one updated)", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'party.update' AND entity_key = 'DE'`); n != 1 {
		t.Errorf("%d party.update entries for DE", n)
	}
	after := f.dump(t)
	if res, err := run(file, false); err != nil || res.Unchanged != 4 || res.Created+res.Updated != 0 {
		t.Errorf("re-import: %v %+v", err, res)
	}
	if f.dump(t) != after {
		t.Error("the re-import changed the data")
	}
	// A file without the joined_on column leaves the dates alone.
	if res, err := run("code,name_en,name_fr\nZA,South Africa,Afrique du Sud\n", false); err != nil || res.Unchanged != 1 {
		t.Errorf("without joined_on: %v %+v", err, res)
	}
	// Bad rows: every one reported with its cell, nothing written.
	res, err = run("code,name_en,name_fr,joined_on\nXYZ,Nowhere,Nulle part,\nNL,Netherlands,,\nNZ,New Zealand,Nouvelle-Zélande,2099-01-01x\nBE,Belgium,Belgique,\nBE,Belgium,Belgique,\n", false)
	if err == nil || res.Applied || res.ErrorsTotal != 4 {
		t.Fatalf("bad file: %v %+v", err, res.Errors)
	}
	for i, want := range []string{"cell A2 (code)", "cell C3 (name_fr)", "cell D4 (joined_on)", "cell A6 (code): this row repeats row 5"} {
		if !strings.HasPrefix(res.Errors[i].String(), want) {
			t.Errorf("error %d: %q, want %q", i, res.Errors[i], want)
		}
	}
	if f.dump(t) != after {
		t.Error("a bad file wrote")
	}
	// Only those who manage Parties import them.
	if _, err := f.store.ImportParties(f.as("rapporteur"), p.PartyStream(strings.NewReader(file), importer.CSV, nil), true); followup.ErrorCode(err) != followup.EForbidden {
		t.Errorf("a rapporteur's import: %v, want forbidden", err)
	}
}
