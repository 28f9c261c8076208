package config

import (
	"strings"
	"testing"
)

func TestExportLimits(t *testing.T) {
	for _, tc := range []struct {
		name       string
		file       string
		env        []string
		perClient  int
		concurrent int
		badField   string // the key the error names
		reason     string // and part of its reason
	}{
		{name: "defaults", perClient: DefaultExportMaxPerClient, concurrent: 0},
		{name: "file", file: "export:\n  max_per_client: 3\n  max_concurrent: 12\n", perClient: 3, concurrent: 12},
		{name: "environment", env: []string{"FOLLOWUP_EXPORT_MAX_PER_CLIENT=1", "FOLLOWUP_EXPORT_MAX_CONCURRENT=4"}, perClient: 1, concurrent: 4},
		{name: "the environment beats the file", file: "export:\n  max_per_client: 3\n", env: []string{"FOLLOWUP_EXPORT_MAX_PER_CLIENT=4"}, perClient: 4},
		{name: "one client as many as all", env: []string{"FOLLOWUP_EXPORT_MAX_PER_CLIENT=4", "FOLLOWUP_EXPORT_MAX_CONCURRENT=4"}, perClient: 4, concurrent: 4},
		{name: "none per client", env: []string{"FOLLOWUP_EXPORT_MAX_PER_CLIENT=0"}, badField: "export.max_per_client", reason: "between 1 and 1000"},
		{name: "not a number", file: "export:\n  max_per_client: two\n", badField: "export.max_per_client", reason: "not a whole number"},
		{name: "negative in all", env: []string{"FOLLOWUP_EXPORT_MAX_CONCURRENT=-1"}, badField: "export.max_concurrent", reason: "between 0 and 100000"},
		{name: "fewer in all than the default per client", env: []string{"FOLLOWUP_EXPORT_MAX_CONCURRENT=1"}, perClient: DefaultExportMaxPerClient, concurrent: 1},
		{name: "unknown key", file: "export:\n  max_renders: 3\n", badField: "export.max_renders", reason: "unknown key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Load(writeFile(t, t.TempDir(), "config.yaml", "listen: 127.0.0.1:8080\n"+tc.file), tc.env, nil)
			if tc.badField != "" {
				if err == nil || !strings.Contains(err.Error(), tc.badField) || !strings.Contains(err.Error(), tc.reason) {
					t.Fatalf("Load: %v, want an error naming %s: %s", err, tc.badField, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Export.MaxPerClient != tc.perClient || cfg.Export.MaxConcurrent != tc.concurrent {
				t.Errorf("export limits %+v, want %d per client and %d in all", cfg.Export, tc.perClient, tc.concurrent)
			}
		})
	}
}
