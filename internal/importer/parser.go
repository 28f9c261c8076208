package importer

import "followup/internal/followup"

// Parser is this package as a followup.ImportParser, for the adapters that must not import
// it (the HTTP server): its methods call the package's functions.
type Parser struct{}

var _ followup.ImportParser = Parser{}

// FormatOf calls FormatOf.
func (Parser) FormatOf(name, contentType string, data []byte) (Format, error) {
	return FormatOf(name, contentType, data)
}

// ParseRecommendations calls ParseRecommendations.
func (Parser) ParseRecommendations(data []byte, f Format) followup.RecommendationBatch {
	return ParseRecommendations(data, f)
}

// ParseAssessments calls ParseAssessments.
func (Parser) ParseAssessments(data []byte, f Format, today followup.Date) followup.AssessmentBatch {
	return ParseAssessments(data, f, today)
}

// Template calls Template.
func (Parser) Template(kind followup.ImportKind, f Format) ([]byte, error) { return Template(kind, f) }

// Columns calls Columns.
func (Parser) Columns(kind followup.ImportKind) []string { return Columns(kind) }

// MaxBytes returns MaxBytes.
func (Parser) MaxBytes() int64 { return MaxBytes }
