package server

import (
	"context"

	"followup/internal/followup"
)

// complianceEncoder is what a compliance service may offer besides the domain's interface: the
// summary already encoded as JSON, exactly as c.JSON would encode it, kept between writes.
// Encoding a large report's summary (hundreds of count maps) with encoding/json cost the
// compliance endpoint most of its time (BENCHMARKS.md); the SQLite store offers it.
type complianceEncoder interface {
	ReportComplianceJSON(ctx context.Context, slug string, q followup.ComplianceQuery) ([]byte, error)
}
