package config

// ExportConfig bounds the PDF and XLSX downloads (a report's compliance, a Party's dossier, a
// search, the report on one recommendation) that one process prepares at once: each takes a
// CPU and holds its file in memory, and anyone may ask for them. Past a limit the download is
// answered 429 with Retry-After.
type ExportConfig struct {
	// MaxPerClient is the most in flight for one client: a signed-in user from any address,
	// else one client address (found as for sign-in throttling, through http.trusted_proxies).
	MaxPerClient int
	// MaxConcurrent is the most in flight for every client together; 0 is twice the number of
	// CPUs the process may use (GOMAXPROCS). Below MaxPerClient it is the one that binds, so a
	// small machine may lower it alone.
	MaxConcurrent int
}

// DefaultExportMaxPerClient lets a reader download a report's PDF and its workbook together.
const DefaultExportMaxPerClient = 2

func setExportDefaults(c *Config) {
	c.Export = ExportConfig{MaxPerClient: DefaultExportMaxPerClient}
}

func exportKeys() []field {
	return []field{
		intKey("export.max_per_client", "most PDF and XLSX downloads prepared at once for one client (a signed-in user, else an address)", 1, 1000,
			func(c *Config) *int { return &c.Export.MaxPerClient }),
		intKey("export.max_concurrent", "most PDF and XLSX downloads prepared at once in all (0: twice the CPUs, GOMAXPROCS)", 0, 100000,
			func(c *Config) *int { return &c.Export.MaxConcurrent }),
	}
}
