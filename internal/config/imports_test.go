package config

import (
	"strings"
	"testing"
)

func TestImportLimits(t *testing.T) {
	for _, tc := range []struct {
		env      string
		rows     int
		bytes    int64
		badField string
	}{
		{"", DefaultImportMaxRows, DefaultImportMaxBytes, ""},
		{"FOLLOWUP_IMPORT_MAX_ROWS=50000", 50000, DefaultImportMaxBytes, ""},
		{"FOLLOWUP_IMPORT_MAX_BYTES=128MiB", DefaultImportMaxRows, 128 << 20, ""},
		{"FOLLOWUP_IMPORT_MAX_BYTES=512KiB", DefaultImportMaxRows, 512 << 10, ""},
		{"FOLLOWUP_IMPORT_MAX_BYTES=1048576", DefaultImportMaxRows, 1 << 20, ""},
		{"FOLLOWUP_IMPORT_MAX_ROWS=0", 0, 0, "import.max_rows"},
		{"FOLLOWUP_IMPORT_MAX_BYTES=lots", 0, 0, "import.max_bytes"},
		{"FOLLOWUP_IMPORT_MAX_BYTES=8GiB", 0, 0, "import.max_bytes"},
	} {
		t.Run(tc.env, func(t *testing.T) {
			var env []string
			if tc.env != "" {
				env = []string{tc.env}
			}
			cfg, err := Load(writeFile(t, t.TempDir(), "config.yaml", "listen: 127.0.0.1:8080\n"), env, nil)
			if tc.badField != "" {
				if err == nil || !strings.Contains(err.Error(), tc.badField) {
					t.Fatalf("Load: %v, want an error naming %s", err, tc.badField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Import.MaxRows != tc.rows || cfg.Import.MaxBytes != tc.bytes {
				t.Errorf("import limits %+v, want %d rows and %d bytes", cfg.Import, tc.rows, tc.bytes)
			}
		})
	}
	if got := formatSize(64 << 20); got != "64MiB" {
		t.Errorf("formatSize = %q", got)
	}
}
