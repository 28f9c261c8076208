package followup_test

import (
	"testing"

	"followup/internal/followup"
)

func TestExportFileName(t *testing.T) {
	cases := []struct {
		kind, key string
		asOf      followup.Date
		draft     bool
		lang, ext string
		want      string
	}{
		{"compliance", "refugee-crisis-2017", followup.MustDate("2019-06-06"), false, "en", "xlsx", "compliance-refugee-crisis-2017-2019-06-06.xlsx"},
		{"dossier", "TR", followup.MustDate("2024-01-31"), false, "en", ".pdf", "dossier-tr-2024-01-31.pdf"},
		{"compliance", "a/b c", followup.Date{}, false, "en", "csv", "compliance-a-b-c.csv"},
		{"compliance", "../../etc/passwd", followup.MustDate("2019-06-06"), false, "en", "json", "compliance-etc-passwd-2019-06-06.json"},
		{"compliance", "rep", followup.MustDate("2019-06-06"), true, "fr", "pdf", "compliance-draft-rep-fr-2019-06-06.pdf"},
		{"", "", followup.Date{}, false, "en", "csv", "export.csv"},
	}
	for _, c := range cases {
		if got := followup.ExportFileName(c.kind, c.key, c.asOf, c.draft, c.lang, c.ext); got != c.want {
			t.Errorf("ExportFileName(%q, %q, %s, %t, %q, %q) = %q, want %q", c.kind, c.key, c.asOf, c.draft, c.lang, c.ext, got, c.want)
		}
	}
}

func TestReportExportDraft(t *testing.T) {
	d := followup.ReportExport{Compliance: followup.Compliance{Basis: followup.BasisDraft}}
	if !d.Draft() {
		t.Error("a summary on the draft basis is not marked draft")
	}
	d.Compliance.Basis = followup.BasisAdopted
	if d.Draft() {
		t.Error("a summary on the adopted basis is marked draft")
	}
}
