package config

import (
	"fmt"
	"strconv"
	"strings"
)

// ImportConfig bounds the files imported (recommendations, assessments, Parties) from the
// command line, the pages and the API. A file over either limit is refused with a message
// that names it; the other limits of the importer (cells, cell length, unzipped bytes) follow
// from these.
type ImportConfig struct {
	MaxRows  int   // most data rows in a file
	MaxBytes int64 // largest file, in bytes
}

// Default import limits: room for the history of a large monitoring body (the 50,000
// recommendations of a UN treaty body's cycle, with French texts and sources).
const (
	DefaultImportMaxRows  = 100000
	DefaultImportMaxBytes = 64 << 20
)

func setImportDefaults(c *Config) {
	c.Import = ImportConfig{MaxRows: DefaultImportMaxRows, MaxBytes: DefaultImportMaxBytes}
}

func importKeys() []field {
	return []field{
		intKey("import.max_rows", "most data rows in an imported file", 1, 10000000, func(c *Config) *int { return &c.Import.MaxRows }),
		sizeKey("import.max_bytes", "largest imported file: bytes, or with KiB, MiB or GiB (e.g. 64MiB)", 1<<10, 4<<30,
			func(c *Config) *int64 { return &c.Import.MaxBytes }),
	}
}

// sizeKey declares a size in bytes between lo and hi, written as a number of bytes or with a
// binary unit (KiB, MiB, GiB).
func sizeKey(name, usage string, lo, hi int64, p func(*Config) *int64) field {
	return field{
		name:  name,
		usage: usage,
		set: func(c *Config, v string) error {
			n, err := parseSize(v)
			if err != nil {
				return err
			}
			if n < lo || n > hi {
				return fmt.Errorf("%s is not between %s and %s", v, formatSize(lo), formatSize(hi))
			}
			*p(c) = n
			return nil
		},
		get: func(c *Config) string { return formatSize(*p(c)) },
	}
}

var sizeUnits = []struct {
	suffix string
	shift  uint
}{{"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}, {"", 0}}

func parseSize(v string) (int64, error) {
	s := strings.TrimSpace(v)
	for _, u := range sizeUnits {
		num, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
		if err != nil || n < 0 || n > (1<<62)>>u.shift {
			break
		}
		return n << u.shift, nil
	}
	return 0, fmt.Errorf("%q is not a size such as 64MiB, 512KiB or 1048576", v)
}

func formatSize(n int64) string {
	for _, u := range sizeUnits[:3] {
		if n > 0 && n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}
