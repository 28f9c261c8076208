package export

import (
	"io"

	"followup/internal/followup"
)

// Encoder is this package as a followup.Exporter, for the adapters that must not import it
// (the HTTP server): it picks the encoder of a format.
type Encoder struct{}

var _ followup.Exporter = Encoder{}

// EncodeReport writes a report's compliance export as csv, xlsx, pdf or json.
func (Encoder) EncodeReport(w io.Writer, format string, d followup.ReportExport) error {
	switch format {
	case "csv":
		return ReportCSV(w, d)
	case "xlsx":
		return ReportXLSX(w, d)
	case "pdf":
		return ReportPDF(w, d)
	case "json":
		return ReportJSON(w, d)
	}
	return unknownFormat(format)
}

// EncodeDossier writes a Party's dossier export as csv, xlsx, pdf or json.
func (Encoder) EncodeDossier(w io.Writer, format string, d followup.DossierExport) error {
	switch format {
	case "csv":
		return DossierCSV(w, d)
	case "xlsx":
		return DossierXLSX(w, d)
	case "pdf":
		return DossierPDF(w, d)
	case "json":
		return DossierJSON(w, d)
	}
	return unknownFormat(format)
}

// EncodeSearch writes the results of a search as csv or xlsx.
func (Encoder) EncodeSearch(w io.Writer, format string, d followup.SearchExport) error {
	switch format {
	case "csv":
		return SearchCSV(w, d)
	case "xlsx":
		return SearchXLSX(w, d)
	}
	return followup.Invalid("format", "%q is not a format of a search's download (csv, xlsx)", format)
}

// EncodeRecommendation writes the compliance report on one recommendation as pdf or xlsx.
func (Encoder) EncodeRecommendation(w io.Writer, format string, d followup.RecommendationExport) error {
	switch format {
	case "xlsx":
		return RecommendationXLSX(w, d)
	case "pdf":
		return RecommendationPDF(w, d)
	}
	return followup.Invalid("format", "%q is not a format of the compliance report on a recommendation (pdf, xlsx)", format)
}

func unknownFormat(format string) error {
	return followup.Invalid("format", "%q is not an export format (csv, xlsx, pdf, json)", format)
}
