package server_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
	"followup/internal/server"
)

// newExportEnv is the API test environment with the dossier and import services wired in. It
// has one adopted assessment (R1/FR implemented, assessed 2026-01-10, adopted 2026-02-01) and
// one draft (R1/DE not_implemented, 2026-03-01).
func newExportEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newEnv(t)

	e.expect(201, "POST", "/api/v1/followups/rep/R1/FR/assessments", "rapporteur",
		map[string]any{"status": "implemented", "comment": "=HYPERLINK(\"x\") The law exists.", "assessed_on": "2026-01-10"})
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-02-01"})
	e.expect(201, "POST", "/api/v1/followups/rep/R1/DE/assessments", "rapporteur",
		map[string]any{"status": "not_implemented", "comment": "Nothing yet.", "assessed_on": "2026-03-01"})
	return e
}

// csvRows parses a CSV body and returns its rows keyed by "label/party" (report) using the
// given columns for the key.
func csvRows(t *testing.T, body []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, body)
	}
	return rows
}

// reportCell returns the row of the report CSV for label and party, by column name.
func reportCell(t *testing.T, body []byte, label, party string) map[string]string {
	t.Helper()
	rows := csvRows(t, body)
	for _, r := range rows[1:] {
		row := map[string]string{}
		for i, name := range rows[0] {
			row[name] = r[i]
		}
		if row["label"] == label && row["party_code"] == party {
			return row
		}
	}
	t.Fatalf("no row %s/%s in\n%s", label, party, body)
	return nil
}

func TestExportDownloads(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	for _, ext := range []string{"csv", "xlsx", "pdf", "json"} {
		r := e.expect(200, "GET", "/api/v1/reports/rep/compliance."+ext, "", nil)
		if got, want := r.header.Get("Content-Type"), server.ContentType(ext); got != want {
			t.Errorf("%s: Content-Type %q, want %q", ext, got, want)
		}
		if got, want := r.header.Get("Content-Disposition"), "attachment; filename=compliance-rep-2026-11-28."+ext; got != want {
			t.Errorf("%s: Content-Disposition %q, want %q", ext, got, want)
		}
		if len(r.body) == 0 {
			t.Errorf("%s: empty body", ext)
		}
		r = e.expect(200, "GET", "/api/v1/parties/fr/dossier."+ext+"?lang=fr&as_of=2026-06-30", "party-fr", nil)
		if got, want := r.header.Get("Content-Disposition"), "attachment; filename=dossier-fr-fr-2026-06-30."+ext; got != want {
			t.Errorf("dossier %s: Content-Disposition %q, want %q", ext, got, want)
		}
		if got, want := r.header.Get("Content-Type"), server.ContentType(ext); got != want {
			t.Errorf("dossier %s: Content-Type %q, want %q", ext, got, want)
		}
	}
	// The compliance API is still served next to its downloads.
	if v := e.expect(200, "GET", "/api/v1/reports/rep/compliance", "", nil).json(t); v["report"] != "rep" {
		t.Errorf("compliance: %v", v)
	}
	// PDF and XLSX are what they say.
	if r := e.expect(200, "GET", "/api/v1/reports/rep/compliance.pdf", "", nil); !bytes.HasPrefix(r.body, []byte("%PDF-")) {
		t.Error("the PDF does not start with %PDF-")
	}
	r := e.expect(200, "GET", "/api/v1/reports/rep/compliance.xlsx?lang=fr", "", nil)
	wb, err := excelize.OpenReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	defer wb.Close()
	if len(wb.GetSheetList()) < 4 {
		t.Errorf("sheets %v", wb.GetSheetList())
	}
	// Errors are clean JSON.
	code, field := e.expect(422, "GET", "/api/v1/reports/rep/compliance.csv?lang=de", "", nil).errorOf(t)
	if code != "invalid" || field != "lang" {
		t.Errorf("bad lang: %s %s", code, field)
	}
	code, field = e.expect(422, "GET", "/api/v1/reports/rep/compliance.pdf?as_of=yesterday", "", nil).errorOf(t)
	if code != "invalid" || field != "as_of" {
		t.Errorf("bad date: %s %s", code, field)
	}
	e.expect(404, "GET", "/api/v1/reports/nope/compliance.xlsx", "", nil).errorOf(t)
	e.expect(404, "GET", "/api/v1/parties/XX/dossier.csv", "", nil).errorOf(t)
	e.expect(404, "GET", "/api/v1/reports/rep/compliance.txt", "", nil)
}

func TestExportAccess(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	// A Party's user reads its own dossier, not another's.
	e.expect(200, "GET", "/api/v1/parties/FR/dossier.csv", "party-fr", nil)
	for _, ext := range []string{"csv", "json", "pdf", "xlsx"} {
		if code, _ := e.expect(403, "GET", "/api/v1/parties/FR/dossier."+ext, "party-de", nil).errorOf(t); code != "forbidden" {
			t.Errorf("party-de reading FR's dossier: %s", code)
		}
	}
	// The public and the Committee read any Party's.
	e.expect(200, "GET", "/api/v1/parties/DE/dossier.json", "", nil)
	e.expect(200, "GET", "/api/v1/parties/DE/dossier.json", "rapporteur", nil)
	// The draft basis is for committee roles.
	for _, path := range []string{"/api/v1/reports/rep/compliance.csv?basis=draft", "/api/v1/parties/DE/dossier.csv?basis=draft"} {
		e.expect(401, "GET", path, "", nil)
		e.expect(403, "GET", strings.Replace(path, "/DE/", "/FR/", 1), "party-fr", nil)
		e.expect(200, "GET", path, "rapporteur", nil)
	}
	// The public never sees the draft assessment of DE, in any export.
	de := reportCell(t, e.expect(200, "GET", "/api/v1/reports/rep/compliance.csv", "", nil).body, "R1", "DE")
	if de["status_code"] != "pending" || de["basis"] != "adopted" || de["comment"] != "" {
		t.Errorf("public DE row %v", de)
	}
	dossier := e.expect(200, "GET", "/api/v1/parties/DE/dossier.json", "", nil).body
	if bytes.Contains(dossier, []byte(`"status": "not_implemented"`)) || bytes.Contains(dossier, []byte("Nothing yet")) {
		t.Errorf("draft leaked into the public dossier:\n%s", dossier)
	}
	var doc struct {
		FollowUps []map[string]any `json:"follow_ups"`
	}
	if err := json.Unmarshal(dossier, &doc); err != nil || len(doc.FollowUps) != 1 {
		t.Fatalf("dossier %v %s", err, dossier)
	}
	if doc.FollowUps[0]["state"] != "awaiting_submission" || doc.FollowUps[0]["submissions"] != nil {
		t.Errorf("public dossier follow-up %v", doc.FollowUps[0])
	}
}

func TestExportDraftMarked(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	r := e.expect(200, "GET", "/api/v1/reports/rep/compliance.csv?basis=draft", "rapporteur", nil)
	if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "compliance-draft-rep") {
		t.Errorf("Content-Disposition %q does not say draft", cd)
	}
	rows := csvRows(t, r.body)
	for _, row := range rows[1:] {
		if row[len(row)-1] != "DRAFT" {
			t.Errorf("row not marked DRAFT: %v", row)
		}
	}
	if de := reportCell(t, r.body, "R1", "DE"); de["status_code"] != "not_implemented" {
		t.Errorf("draft DE row %v", de)
	}
	// The French dossier of the Committee marks every row PROJET.
	r = e.expect(200, "GET", "/api/v1/parties/DE/dossier.csv?basis=draft&lang=fr", "secretariat", nil)
	rows = csvRows(t, r.body)
	if len(rows) != 2 || rows[1][len(rows[1])-1] != "PROJET" {
		t.Errorf("French draft dossier %v", rows)
	}
	r = e.expect(200, "GET", "/api/v1/reports/rep/compliance.xlsx?basis=draft", "admin", nil)
	wb, err := excelize.OpenReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	for _, sheet := range wb.GetSheetList() {
		rows, _ := wb.GetRows(sheet)
		if !strings.Contains(strings.Join(flatten(rows), " "), "DRAFT") {
			t.Errorf("sheet %s is not marked DRAFT", sheet)
		}
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func TestExportAsOf(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	before := reportCell(t, e.expect(200, "GET", "/api/v1/reports/rep/compliance.csv?as_of=2026-01-31", "", nil).body, "R1", "FR")
	after := reportCell(t, e.expect(200, "GET", "/api/v1/reports/rep/compliance.csv?as_of=2026-02-01", "", nil).body, "R1", "FR")
	if before["status_code"] != "pending" || after["status_code"] != "implemented" || after["adopted_on"] != "2026-02-01" {
		t.Errorf("as of the day before the adoption %v, of the day %v", before, after)
	}
	// Formula injection is neutralised in the comment.
	if !strings.HasPrefix(after["comment"], "'=") {
		t.Errorf("comment not neutralised: %q", after["comment"])
	}
	// The dossier honours as_of too, state included.
	var doc struct {
		AsOf      string           `json:"as_of"`
		FollowUps []map[string]any `json:"follow_ups"`
	}
	body := e.expect(200, "GET", "/api/v1/parties/FR/dossier.json?as_of=2026-01-31", "party-fr", nil).body
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.AsOf != "2026-01-31" || len(doc.FollowUps) != 1 || doc.FollowUps[0]["status"] != nil ||
		doc.FollowUps[0]["state"] != "awaiting_submission" || doc.FollowUps[0]["open"] != true {
		t.Errorf("dossier before the adoption: %s", body)
	}
	body = e.expect(200, "GET", "/api/v1/parties/FR/dossier.json?as_of=2026-02-01", "party-fr", nil).body
	doc.FollowUps = nil
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.FollowUps[0]["status"] != "implemented" || doc.FollowUps[0]["state"] != "adopted" || doc.FollowUps[0]["open"] != false {
		t.Errorf("dossier on the adoption day: %s", body)
	}
}

// upload posts a file to path as the user, raw with the content type, or as a multipart form
// when contentType is "multipart".
func (e *testEnv) upload(path, as, contentType, name string, data []byte) response {
	e.t.Helper()
	var body bytes.Buffer
	if contentType == "multipart" {
		w := multipart.NewWriter(&body)
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			e.t.Fatal(err)
		}
		fw.Write(data)
		w.Close()
		contentType = w.FormDataContentType()
	} else {
		body.Write(data)
	}
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", contentType)
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[as])
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

type importAnswer struct {
	Error     *struct{ Code, Message, Field string } `json:"error"`
	DryRun    bool                                   `json:"dry_run"`
	Applied   bool                                   `json:"applied"`
	Created   int                                    `json:"created"`
	Updated   int                                    `json:"updated"`
	Unchanged int                                    `json:"unchanged"`
	Rows      []followup.ImportRowResult             `json:"rows"`
	Errors    []followup.ImportError                 `json:"errors"`
}

func decodeImport(t *testing.T, r response, want int) importAnswer {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d\n%s", r.status, want, r.body)
	}
	var a importAnswer
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatalf("%v\n%s", err, r.body)
	}
	return a
}

func hasImportError(errs []followup.ImportError, row int, column, part string) bool {
	for _, e := range errs {
		if e.Row == row && e.Column == column && strings.Contains(e.Message, part) {
			return true
		}
	}
	return false
}

const recsCSV = "label,category,text,articles,addressed_to,due_on\n" +
	"R1,urge,Do the first thing.,,,\n" + // unchanged
	"R2,consider,Do the second thing better.,,HU,\n" + // update: text
	"R3,invite,A new one.,23;24,FR;DE,2027-06-30\n" // create

func TestImportRecommendationsAPI(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	path := "/api/v1/reports/rep/import/recommendations"
	// Only the secretariat and admins import recommendations.
	e.upload(path, "", "text/csv", "", []byte(recsCSV)).errorOf(t)
	for _, as := range []string{"rapporteur", "party-fr"} {
		if r := e.upload(path, as, "text/csv", "", []byte(recsCSV)); r.status != 403 {
			t.Errorf("%s: %d", as, r.status)
		}
	}
	// A dry run shows the plan and writes nothing.
	n := e.auditCount()
	a := decodeImport(t, e.upload(path+"?dry_run=true", "secretariat", "text/csv", "", []byte(recsCSV)), 200)
	if !a.DryRun || a.Applied || a.Created != 1 || a.Updated != 1 || a.Unchanged != 1 {
		t.Errorf("dry run %+v", a)
	}
	if a.Rows[1].Action != followup.ActionUpdate || strings.Join(a.Rows[1].Changes, ",") != "text" {
		t.Errorf("R2 plan %+v", a.Rows[1])
	}
	if e.auditCount() != n {
		t.Fatal("the dry run wrote something")
	}
	// The real run, as a multipart upload.
	a = decodeImport(t, e.upload(path, "secretariat", "multipart", "recs.csv", []byte(recsCSV)), 200)
	if !a.Applied || a.Created != 1 || a.Updated != 1 {
		t.Errorf("import %+v", a)
	}
	rec := e.expect(200, "GET", "/api/v1/reports/rep/recommendations/R3", "", nil).json(t)
	if rec["followup_count"] != 2.0 || rec["due_on"] != "2027-06-30" {
		t.Errorf("R3 %v", rec)
	}
	// The same file again changes nothing.
	n = e.auditCount()
	a = decodeImport(t, e.upload(path, "admin", "text/csv", "", []byte(recsCSV)), 200)
	if a.Unchanged != 3 || a.Created+a.Updated != 0 || e.auditCount() != n {
		t.Errorf("re-import %+v, audit %d -> %d", a, n, e.auditCount())
	}
}

func TestImportRecommendationsAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	path := "/api/v1/reports/rep/import/recommendations"
	bad := recsCSV +
		"R4,demand,Bad category.,,,\n" + // 5
		"R5,urge,Bad date.,,,2027-13-01\n" + // 6
		"R6,urge,Unknown Party.,,XX,\n" + // 7
		"R7,urge,Party not covered.,,TR,\n" + // 8
		",urge,No label.,,,\n" + // 9
		"R3,invite,Again.,,,\n" // 10
	n := e.auditCount()
	a := decodeImport(t, e.upload(path, "secretariat", "text/csv", "", []byte(bad)), 422)
	if a.Error == nil || a.Error.Code != "invalid" || a.Applied {
		t.Errorf("answer %+v", a)
	}
	for _, c := range []struct {
		row         int
		column, msg string
	}{
		{5, "category", "not a category"},
		{6, "due_on", "YYYY-MM-DD"},
		{7, "addressed_to", "XX is not a known Party"},
		{8, "addressed_to", "TR is not one of the Parties the report covers"},
		{9, "label", "required"},
		{10, "label", "also in row 4"},
	} {
		if !hasImportError(a.Errors, c.row, c.column, c.msg) {
			t.Errorf("no error row %d %s %q in %+v", c.row, c.column, c.msg, a.Errors)
		}
	}
	if len(a.Errors) != 6 {
		t.Errorf("%d errors: %+v", len(a.Errors), a.Errors)
	}
	if e.auditCount() != n {
		t.Fatal("a file with bad rows wrote something")
	}
	e.expect(404, "GET", "/api/v1/reports/rep/recommendations/R3", "", nil)
	// An unknown column is refused with the list of columns.
	a = decodeImport(t, e.upload(path, "secretariat", "text/csv", "", []byte("label,category,text,colour\nR9,urge,x,blue\n")), 422)
	if !hasImportError(a.Errors, 1, "colour", "unknown column") {
		t.Errorf("%+v", a.Errors)
	}
	// Not a spreadsheet at all.
	e.upload(path, "secretariat", "application/pdf", "", []byte("%PDF-1.4")).errorOf(t)
	e.upload(path, "secretariat", "text/csv", "", nil).errorOf(t)
	e.expect(404, "POST", "/api/v1/reports/rep/import/users", "admin", "x")
	e.upload("/api/v1/reports/nope/import/recommendations", "admin", "text/csv", "", []byte(recsCSV)).errorOf(t)
}

func TestImportAssessmentsAPI(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	path := "/api/v1/reports/rep/import/assessments"
	good := "label,party,status,comment,assessed_on\n" +
		"R1,FR,implemented,\"=HYPERLINK(\"\"x\"\") The law exists.\",2026-01-10\n" + // already there: unchanged
		"R1,HU,partially_implemented,Half done.,2026-04-01\n" +
		"R2,hu,no_information,,2026-04-01\n"
	// Only rapporteurs and admins write assessments.
	for _, as := range []string{"secretariat", "party-fr"} {
		if r := e.upload(path, as, "text/csv", "", []byte(good)); r.status != 403 {
			t.Errorf("%s: %d", as, r.status)
		}
	}
	xlsx := xlsxOf(t, good)
	n := e.auditCount()
	a := decodeImport(t, e.upload(path+"?dry_run=1", "rapporteur", server.ContentType("xlsx"), "", xlsx), 200)
	if a.Created != 2 || a.Unchanged != 1 || e.auditCount() != n {
		t.Errorf("dry run %+v", a)
	}
	a = decodeImport(t, e.upload(path, "rapporteur", "multipart", "a.xlsx", xlsx), 200)
	if !a.Applied || a.Created != 2 {
		t.Errorf("import %+v", a)
	}
	fu := e.expect(200, "GET", "/api/v1/followups/rep/R2/HU", "rapporteur", nil).json(t)
	if fu["state"] != "assessed" {
		t.Errorf("R2/HU %v", fu)
	}
	// Again: nothing changes.
	n = e.auditCount()
	a = decodeImport(t, e.upload(path, "rapporteur", "text/csv", "", []byte(good)), 200)
	if a.Unchanged != 3 || e.auditCount() != n {
		t.Errorf("re-import %+v", a)
	}
	bad := "label,party,status,comment,assessed_on\n" +
		"R9,FR,implemented,,2026-04-01\n" + // 2: unknown label
		"R1,TR,implemented,,2026-04-01\n" + // 3: Party not covered
		"R1,XX,implemented,,2026-04-01\n" + // 4: unknown Party
		"R2,FR,implemented,,2026-04-01\n" + // 5: not addressed to FR
		"R1,HU,done,,2026-04-01\n" + // 6: bad status
		"R2,HU,implemented,,2027-01-01\n" + // 7: future
		"R1,DE,implemented,,2026-04-01\n" // 8: fine, but nothing is written
	n = e.auditCount()
	a = decodeImport(t, e.upload(path, "admin", "text/csv", "", []byte(bad)), 422)
	for _, c := range []struct {
		row         int
		column, msg string
	}{
		{2, "label", `no recommendation "R9"`},
		{3, "party", "TR is not one of the Parties"},
		{4, "party", "XX is not a known Party"},
		{5, "party", "not addressed to FR"},
		{6, "status", "not on the compliance scale"},
		{7, "assessed_on", "future"},
	} {
		if !hasImportError(a.Errors, c.row, c.column, c.msg) {
			t.Errorf("no error row %d %s %q in %+v", c.row, c.column, c.msg, a.Errors)
		}
	}
	if e.auditCount() != n {
		t.Fatal("a file with bad rows wrote something")
	}
}

// xlsxOf turns CSV text into a one-sheet workbook.
func xlsxOf(t *testing.T, text string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range csvRows(t, []byte(text)) {
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportTemplates(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	r := e.expect(200, "GET", "/api/v1/import-templates/recommendations.csv", "", nil)
	if string(r.body) != "label,category,text,articles,addressed_to,due_on,text_fr,url,source\n" ||
		r.header.Get("Content-Disposition") != "attachment; filename=import-recommendations.csv" {
		t.Errorf("%q %q", r.body, r.header.Get("Content-Disposition"))
	}
	r = e.expect(200, "GET", "/api/v1/import-templates/assessments.xlsx", "", nil)
	if r.header.Get("Content-Type") != server.ContentType("xlsx") {
		t.Errorf("content type %q", r.header.Get("Content-Type"))
	}
	e.expect(404, "GET", "/api/v1/import-templates/users.csv", "", nil)
	r = e.expect(200, "GET", "/api/v1/import-templates/parties.csv", "", nil)
	if string(r.body) != "code,name_en,name_fr,joined_on\n" {
		t.Errorf("parties template %q", r.body)
	}
	e.expect(404, "GET", "/api/v1/import-templates/assessments.pdf", "", nil)
	_ = http.StatusOK
}

func TestContentType(t *testing.T) {
	want := map[string]string{
		"csv":  "text/csv; charset=utf-8",
		".csv": "text/csv; charset=utf-8",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"pdf":  "application/pdf",
		"JSON": "application/json",
		"exe":  "application/octet-stream",
	}
	for ext, ct := range want {
		if got := server.ContentType(ext); got != ct {
			t.Errorf("ContentType(%q) = %q, want %q", ext, got, ct)
		}
	}
}
