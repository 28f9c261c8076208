package export

import (
	"bytes"
	"testing"

	"followup/internal/followup"
)

// The Encoder writes what the format's own function writes, and refuses an unknown format.
func TestEncoder(t *testing.T) {
	var enc Encoder
	r := testReportData("en", followup.BasisAdopted)
	d := testDossierData("en", false)
	for _, c := range []struct {
		format          string
		report, dossier func(*bytes.Buffer) error
	}{
		{"csv", func(b *bytes.Buffer) error { return ReportCSV(b, r) }, func(b *bytes.Buffer) error { return DossierCSV(b, d) }},
		{"json", func(b *bytes.Buffer) error { return ReportJSON(b, r) }, func(b *bytes.Buffer) error { return DossierJSON(b, d) }},
	} {
		got := render(t, func(b *bytes.Buffer) error { return enc.EncodeReport(b, c.format, r) })
		if want := render(t, c.report); !bytes.Equal(got, want) {
			t.Errorf("EncodeReport(%s) differs from the format's encoder", c.format)
		}
		got = render(t, func(b *bytes.Buffer) error { return enc.EncodeDossier(b, c.format, d) })
		if want := render(t, c.dossier); !bytes.Equal(got, want) {
			t.Errorf("EncodeDossier(%s) differs from the format's encoder", c.format)
		}
	}
	for _, f := range []string{"pdf", "xlsx"} {
		var b bytes.Buffer
		if err := enc.EncodeReport(&b, f, r); err != nil || b.Len() == 0 {
			t.Errorf("EncodeReport(%s): %d bytes, %v", f, b.Len(), err)
		}
	}
	var b bytes.Buffer
	if err := enc.EncodeReport(&b, "exe", r); followup.ErrorCode(err) != followup.EInvalid || followup.ErrorField(err) != "format" {
		t.Errorf("EncodeReport(exe) = %v, want an invalid format", err)
	}
	if err := enc.EncodeDossier(&b, "docx", d); followup.ErrorCode(err) != followup.EInvalid || followup.ErrorField(err) != "format" {
		t.Errorf("EncodeDossier(docx) = %v, want an invalid format", err)
	}
}
