package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"followup/internal/followup"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/export -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update if the change is meant):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestSafeCell(t *testing.T) {
	cases := []struct{ in, want string }{
		{"=1+1", "'=1+1"},
		{"+x", "'+x"},
		{"-x", "'-x"},
		{"@x", "'@x"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{`=HYPERLINK("http://example.invalid")`, `'=HYPERLINK("http://example.invalid")`},
		{"Transit zone at Röszke", "Transit zone at Röszke"},
		{"1+1=2", "1+1=2"},
		{"x=1", "x=1"},
		{" =1", " =1"},
		{"'=1", "'=1"},
		{"", ""},
		{"Türkiye", "Türkiye"},
	}
	for _, c := range cases {
		if got := SafeCell(c.in); got != c.want {
			t.Errorf("SafeCell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPercent(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		lang  string
		score *float64
		want  string
	}{
		{"en", f(2.0 / 3), "67%"},
		{"en", f(0.625), "63%"},
		{"en", f(1), "100%"},
		{"en", f(0), "0%"},
		{"fr", f(0.5), "50\u00a0%"},
		{"en", nil, "—"},
	}
	for _, c := range cases {
		if got := percent(c.lang, c.score); got != c.want {
			t.Errorf("percent(%s, %v) = %q, want %q", c.lang, c.score, got, c.want)
		}
	}
}

func render(t *testing.T, f func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	return recs
}

func TestReportCSV(t *testing.T) {
	for _, c := range []struct {
		name  string
		lang  string
		basis followup.Basis
	}{
		{"report_en.csv", "en", followup.BasisAdopted},
		{"report_fr.csv", "fr", followup.BasisAdopted},
		{"report_en_draft.csv", "en", followup.BasisDraft},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := testReportData(c.lang, c.basis)
			out := render(t, func(b *bytes.Buffer) error { return ReportCSV(b, d) })
			golden(t, c.name, out)
			recs := readCSV(t, out)
			if len(recs) != 1+len(d.Compliance.Cells) {
				t.Fatalf("%d rows, want a header and %d follow-ups", len(recs), len(d.Compliance.Cells))
			}
			basisCol := len(recs[0]) - 1
			wantBasis := map[followup.Basis]map[string]string{
				followup.BasisAdopted: {"en": "adopted", "fr": "adoptée"},
				followup.BasisDraft:   {"en": "DRAFT", "fr": "PROJET"},
			}[c.basis][c.lang]
			for i, r := range recs[1:] {
				if r[basisCol] != wantBasis {
					t.Errorf("row %d: basis %q, want %q", i+1, r[basisCol], wantBasis)
				}
				for j, v := range r {
					if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
						t.Errorf("row %d column %d starts with a formula character: %q", i+1, j, v)
					}
				}
			}
		})
	}
}

func TestReportCSVContent(t *testing.T) {
	d := testReportData("fr", followup.BasisAdopted)
	// A recommendation with its own deadline, and one whose text a spreadsheet would evaluate.
	d.Recommendations = append([]followup.Recommendation(nil), d.Recommendations...)
	d.Recommendations[3].DueOn = followup.MustDate("2018-09-30")
	d.Recommendations[3].EffectiveDueOn = d.Recommendations[3].DueOn
	d.Recommendations[2].Text = "=HYPERLINK(\"http://example.invalid\") Provide information."
	out := render(t, func(b *bytes.Buffer) error { return ReportCSV(b, d) })
	recs := readCSV(t, out)
	want := []string{"rapport", "libellé", "catégorie", "recommandation", "échéance", "code_partie", "nom_partie", "état", "code_état",
		"statut", "code_statut", "adoptée_le", "commentaire", "sélection", "base"}
	if strings.Join(recs[0], "|") != strings.Join(want, "|") {
		t.Errorf("header %q, want %q", recs[0], want)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	found := map[string]map[string]string{}
	var order []string
	for _, r := range recs[1:] {
		row := map[string]string{}
		for h, i := range col {
			row[h] = r[i]
		}
		found[row["libellé"]+"/"+row["code_partie"]] = row
		if row["libellé"] == "R1" {
			order = append(order, row["code_partie"])
		}
	}
	if r := found["R1/MD"]; r == nil || r["commentaire"] != "'=1+1 (en anglais)" || r["nom_partie"] != "République de Moldova" || r["statut"] != "Non mise en œuvre" {
		t.Errorf("R1/MD = %q", r)
	}
	if r := found["R1/MK"]; r == nil || r["nom_partie"] != "Macédoine du Nord" || r["adoptée_le"] != "2019-06-06" {
		t.Errorf("R1/MK = %q", r)
	}
	if r := found["R3/AT"]; r == nil || r["statut"] != "En attente" || r["code_statut"] != "pending" || r["adoptée_le"] != "" {
		t.Errorf("R3/AT = %q", r)
	}
	if r := found["R1/TR"]; r == nil || r["commentaire"] != "'-x: registration, \"quoted\", and a\nsecond line (en anglais)" {
		t.Errorf("R1/TR = %q", r)
	}
	// The recommendation's text and deadline, as in the Party dossier; cells neutralised. French
	// texts where there are, the English ones marked "(en anglais)" where there are none.
	if r := found["R1/AT"]; r == nil || r["recommandation"] != "Veiller à ce que chaque enfant soit enregistré à son arrivée." || r["échéance"] != "2018-03-03" ||
		r["commentaire"] != "Enregistrement à la frontière." {
		t.Errorf("R1/AT = %q", r)
	}
	if r := found["R4/HU"]; r == nil || r["recommandation"] != "'- Stop holding children in transit zones. (en anglais)" || r["échéance"] != "2018-09-30" {
		t.Errorf("R4/HU = %q", r)
	}
	// The follow-up's stage on the day, as text and as its code.
	for key, want := range map[string][2]string{"R4/HU": {"Contribution reçue", "submitted"}, "R1/AT": {"Adopté", "adopted"},
		"R3/AT": {"En attente de contribution", "awaiting_submission"}} {
		if r := found[key]; r == nil || r["état"] != want[0] || r["code_état"] != want[1] {
			t.Errorf("%s: stage %q %q, want %q", key, r["état"], r["code_état"], want)
		}
	}
	if r := found["R3/MD"]; r == nil || r["recommandation"] != "'=HYPERLINK(\"http://example.invalid\") Provide information. (en anglais)" {
		t.Errorf("R3/MD text not neutralised: %q", r)
	}
	// Recommendation order, then Party names in French order.
	if got := strings.Join(order, ","); got != "AT,HU,MK,MD,TR" {
		t.Errorf("order of R1's rows %s, want AT,HU,MK,MD,TR (Autriche, Hongrie, Macédoine, République, Türkiye)", got)
	}
}

func TestReportJSON(t *testing.T) {
	d := testReportData("en", followup.BasisAdopted)
	out := render(t, func(b *bytes.Buffer) error { return ReportJSON(b, d) })
	golden(t, "report.json", out)
	// The same data as the compliance API: followup.Compliance as encoding/json writes it.
	api, err := json.Marshal(d.Compliance)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(api, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatal(err)
	}
	if ja, jb := mustJSON(t, a), mustJSON(t, b); ja != jb {
		t.Errorf("ReportJSON differs from the API's JSON:\n%s\n%s", jb, ja)
	}
	draft := render(t, func(b *bytes.Buffer) error { return ReportJSON(b, testReportData("en", followup.BasisDraft)) })
	if !bytes.Contains(draft, []byte(`"basis": "draft"`)) {
		t.Errorf("the draft JSON does not say basis draft:\n%s", draft)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDossierCSVAndJSON(t *testing.T) {
	for _, c := range []struct {
		name  string
		lang  string
		draft bool
	}{
		{"dossier_en.csv", "en", false},
		{"dossier_fr_draft.csv", "fr", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := testDossierData(c.lang, c.draft)
			out := render(t, func(b *bytes.Buffer) error { return DossierCSV(b, d) })
			golden(t, c.name, out)
			recs := readCSV(t, out)
			if len(recs) != 1+len(d.FollowUps) {
				t.Fatalf("%d rows, want %d", len(recs), 1+len(d.FollowUps))
			}
			for i, r := range recs[1:] {
				if got := r[len(r)-1]; (got == "PROJET") != c.draft {
					t.Errorf("row %d: basis %q (draft %v)", i+1, got, c.draft)
				}
			}
		})
	}
	d := testDossierData("en", false)
	out := render(t, func(b *bytes.Buffer) error { return DossierJSON(b, d) })
	golden(t, "dossier.json", out)
	var doc Dossier
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	// Three active follow-ups are scored: implemented, partially, not implemented: 50%.
	if doc.Overall.Total != 3 || doc.Overall.Score == nil || *doc.Overall.Score != 0.5 {
		t.Errorf("overall %+v", doc.Overall)
	}
	if len(doc.ByReport) != 2 || doc.ByReport[0].Report != secondReport.Slug || len(doc.FollowUps) != 4 {
		t.Errorf("by report %+v, %d follow-ups", doc.ByReport, len(doc.FollowUps))
	}
}

func TestStatusAssessment(t *testing.T) {
	d := testDossierData("en", false)
	a := statusAssessment(d.FollowUps[0], d.AsOf, false)
	if a == nil || a.Comment != "Criminal Code amended in Röszke's county too." || a.AdoptedOn != followup.MustDate("2018-05-01") {
		t.Errorf("latest adopted assessment %+v", a)
	}
	// As of a day before the second adoption, the status would be the first one's; a status
	// that does not match the assessment found gives no comment rather than a wrong one.
	if a := statusAssessment(d.FollowUps[0], followup.MustDate("2018-04-30"), false); a != nil {
		t.Errorf("assessment of a mismatched status %+v", a)
	}
	if a := statusAssessment(d.FollowUps[1], d.AsOf, false); a != nil {
		t.Errorf("assessment of a pending follow-up %+v", a)
	}
	dd := testDossierData("en", true)
	a = statusAssessment(dd.FollowUps[3], dd.AsOf, true)
	if a == nil || a.Comment != "Draft: places reduced." || !a.AdoptedOn.IsZero() {
		t.Errorf("latest draft assessment %+v", a)
	}
	// The draft status has no adoption date in the exports.
	out := render(t, func(b *bytes.Buffer) error { return DossierCSV(b, dd) })
	for _, r := range readCSV(t, out)[1:] {
		if r[4] == "R4" && r[10] != "" {
			t.Errorf("R4's draft status shows the adoption date %q", r[10])
		}
	}
}
