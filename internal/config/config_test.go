package config

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"followup/internal/followup"
)

// writeFile writes content to name in dir and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const fullFile = `listen: 0.0.0.0:9000
database: /var/lib/followup.db
base_url: https://followup.example.org/app/
timezone: America/New_York
log:
  level: debug
  format: json
`

func TestDefault(t *testing.T) {
	d := Default()
	want := Config{Listen: "127.0.0.1:8080", Database: "data/followup.db", BaseURL: "http://127.0.0.1:8080",
		Timezone: "Europe/Paris", Log: LogConfig{Level: "info", Format: "text"},
		Session:  SessionConfig{IdleTimeout: 2 * time.Hour, Lifetime: 12 * time.Hour},
		FollowUp: FollowUpConfig{NextDueAfter: followup.Period{Months: 12}}}
	setJobDefaults(&want)    // the jobs, backup and SMTP keys have their own test in jobs_test.go
	setImportDefaults(&want) // and the import limits in imports_test.go
	setExportDefaults(&want) // and the export limits in exports_test.go
	if d.Location == nil || d.Location.String() != "Europe/Paris" {
		t.Fatalf("Default().Location = %v, want Europe/Paris", d.Location)
	}
	d.Location = nil
	if d != want {
		t.Errorf("Default() = %+v, want %+v", d, want)
	}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name      string
		file      string // content of a config file in a temp dir; "" for no file
		how       string // how Load finds the file: "path" (explicit), "env" (FOLLOWUP_CONFIG) or "" (./config.yaml)
		env       []string
		overrides map[string]string
		want      func(*Config) // edits Default() into the expected result
	}{
		{
			name: "defaults, no file",
			want: func(c *Config) {},
		},
		{
			name: "default path ./config.yaml",
			file: "listen: :9999\n",
			want: func(c *Config) { c.Listen = ":9999" },
		},
		{
			name: "empty file",
			file: "# nothing here\n",
			how:  "path",
			want: func(c *Config) {},
		},
		{
			name: "empty section",
			file: "log:\n",
			how:  "path",
			want: func(c *Config) {},
		},
		{
			name: "file overrides defaults",
			file: fullFile,
			how:  "path",
			want: func(c *Config) {
				c.Listen, c.Database = "0.0.0.0:9000", "/var/lib/followup.db"
				c.BaseURL, c.Timezone = "https://followup.example.org/app", "America/New_York"
				c.Log = LogConfig{Level: "debug", Format: "json"}
			},
		},
		{
			name: "next deadline after an adoption, from the file",
			file: "followup:\n  next_due_after: 18 months\n",
			how:  "path",
			want: func(c *Config) { c.FollowUp.NextDueAfter = followup.Period{Months: 18} },
		},
		{
			name: "next deadline after an adoption, from the environment",
			file: "followup:\n  next_due_after: 18 months\n",
			how:  "path",
			env:  []string{"FOLLOWUP_FOLLOWUP_NEXT_DUE_AFTER=90 days"},
			want: func(c *Config) { c.FollowUp.NextDueAfter = followup.Period{Days: 90} },
		},
		{
			name: "partial nested section keeps other defaults",
			file: "log:\n  format: json\n",
			how:  "path",
			want: func(c *Config) { c.Log.Format = "json" },
		},
		{
			name: "env overrides file",
			file: fullFile,
			how:  "path",
			env: []string{"HOME=/root", "FOLLOWUP_LISTEN=127.0.0.1:7000", "FOLLOWUP_LOG_LEVEL=WARN",
				"FOLLOWUP_TIMEZONE=UTC", "FOLLOWUP_BASE_URL=http://localhost:7000", "FOLLOWUP_DATABASE=x.db",
				"FOLLOWUP_LOG_FORMAT=text"},
			want: func(c *Config) {
				c.Listen, c.Database, c.BaseURL, c.Timezone = "127.0.0.1:7000", "x.db", "http://localhost:7000", "UTC"
				c.Log = LogConfig{Level: "warn", Format: "text"}
			},
		},
		{
			name: "empty env value counts as unset",
			file: fullFile,
			how:  "path",
			env:  []string{"FOLLOWUP_LISTEN="},
			want: func(c *Config) {
				c.Listen, c.Database = "0.0.0.0:9000", "/var/lib/followup.db"
				c.BaseURL, c.Timezone = "https://followup.example.org/app", "America/New_York"
				c.Log = LogConfig{Level: "debug", Format: "json"}
			},
		},
		{
			name:      "overrides override env",
			file:      "listen: 127.0.0.1:1\nlog:\n  level: error\n",
			how:       "path",
			env:       []string{"FOLLOWUP_LISTEN=127.0.0.1:2", "FOLLOWUP_LOG_LEVEL=warn", "FOLLOWUP_DATABASE=env.db"},
			overrides: map[string]string{"listen": "127.0.0.1:3", "log.level": "debug"},
			want: func(c *Config) {
				c.Listen, c.Database = "127.0.0.1:3", "env.db"
				c.Log.Level = "debug"
			},
		},
		{
			name: "FOLLOWUP_CONFIG picks the file",
			file: "database: picked.db\n",
			how:  "env",
			want: func(c *Config) { c.Database = "picked.db" },
		},
		{
			name: "anchors and aliases",
			file: "listen: &a 127.0.0.1:5\nlog: &l\n  level: warn\n",
			how:  "path",
			want: func(c *Config) { c.Listen = "127.0.0.1:5"; c.Log.Level = "warn" },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			var path, file string
			env := tt.env
			switch {
			case tt.file == "":
			case tt.how == "path":
				file = writeFile(t, dir, "given.yaml", tt.file)
				path = file
			case tt.how == "env":
				file = writeFile(t, dir, "other.yaml", tt.file)
				env = append([]string{EnvConfig + "=" + file}, env...)
			default:
				file = writeFile(t, dir, DefaultPath, tt.file)
			}
			got, err := Load(path, env, tt.overrides)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			want := Default()
			tt.want(&want)
			if tt.file != "" {
				want.File = file
				if tt.how == "" {
					want.File = DefaultPath
				}
			}
			if got.Location == nil || got.Location.String() != want.Timezone {
				t.Errorf("Location = %v, want %s", got.Location, want.Timezone)
			}
			got.Location, want.Location = nil, nil
			if got != want {
				t.Errorf("Load =\n %+v\nwant\n %+v", got, want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name      string
		file      string // written to config.yaml and passed explicitly; "" for none
		path      string // explicit path when file is ""
		env       []string
		overrides map[string]string
		want      []string // substrings of the error; "FILE" stands for the file's path
	}{
		{name: "explicit missing file", path: "nope.yaml", want: []string{`config file "nope.yaml"`, "does not exist"}},
		{name: "FOLLOWUP_CONFIG missing file", env: []string{"FOLLOWUP_CONFIG=gone.yaml"},
			want: []string{`"gone.yaml"`, "FOLLOWUP_CONFIG", "does not exist"}},
		{name: "unknown top-level key", file: "listen: :1\nlistn: :2\n", want: []string{`FILE:2: unknown key "listn"`}},
		{name: "unknown nested key", file: "listen: :1\ndatabase: a.db\nlog:\n  colour: red\n",
			want: []string{`FILE:4: unknown key "log.colour"`}},
		{name: "all unknown keys reported", file: "a: 1\nlog:\n  b: 2\n",
			want: []string{`FILE:1: unknown key "a"`, `FILE:3: unknown key "log.b"`}},
		{name: "section given a scalar", file: "log: 3\n", want: []string{`FILE:1: key "log"`, "nested keys", `"3"`}},
		{name: "section given a list", file: "log: [a]\n", want: []string{`FILE:1: key "log"`, "a list"}},
		{name: "key given a mapping", file: "\nlisten:\n  host: x\n", want: []string{`FILE:2: key "listen"`, "a mapping"}},
		{name: "key given a list", file: "log:\n  level: [debug]\n", want: []string{`FILE:2: key "log.level"`, "a list"}},
		{name: "duplicate key", file: "listen: :1\nlisten: :2\n", want: []string{`FILE:2: duplicate key "listen"`, "line 1"}},
		{name: "top level not a mapping", file: "- a\n", want: []string{"FILE:1:", "mapping"}},
		{name: "YAML syntax error", file: "listen: :1\n  bad: [\n", want: []string{"FILE"}},
		{name: "two documents", file: "listen: :1\n---\nlisten: :2\n", want: []string{"FILE:2:", "one YAML document"}},
		{name: "unknown env var", env: []string{"FOLLOWUP_LISTN=:1"}, want: []string{"unknown environment variable FOLLOWUP_LISTN"}},
		{name: "unknown env var even if empty", env: []string{"FOLLOWUP_LOG="}, want: []string{"unknown environment variable FOLLOWUP_LOG"}},
		{name: "unknown override", overrides: map[string]string{"log.colour": "red"}, want: []string{`unknown configuration key "log.colour"`}},

		{name: "empty listen", file: "listen: ''\n", want: []string{"listen: must not be empty", "FILE:1"}},
		{name: "null listen", file: "listen:\n", want: []string{"listen: must not be empty", "FILE:1"}},
		{name: "listen without port", file: "listen: localhost\n", want: []string{`listen: "localhost" is not host:port`, "missing port"}},
		{name: "listen bad port", env: []string{"FOLLOWUP_LISTEN=:http"},
			want: []string{`listen: ":http" is not host:port`, "FOLLOWUP_LISTEN"}},
		{name: "listen port too big", overrides: map[string]string{"listen": ":70000"},
			want: []string{`listen: ":70000"`, "flag --listen"}},
		{name: "empty database", overrides: map[string]string{"database": ""}, want: []string{"database: must not be empty", "flag --database"}},
		{name: "empty base_url", file: "base_url: \"\"\n", want: []string{"base_url: must not be empty"}},
		{name: "relative base_url", file: "base_url: /app\n", want: []string{`base_url: "/app" is not an absolute http or https URL`, "FILE:1"}},
		{name: "ftp base_url", env: []string{"FOLLOWUP_BASE_URL=ftp://x.org"},
			want: []string{`base_url: "ftp://x.org" is not an absolute http or https URL`, "FOLLOWUP_BASE_URL"}},
		{name: "base_url without host", file: "base_url: 'http:///x'\n", want: []string{"base_url:", "absolute"}},
		{name: "base_url with query", file: "base_url: http://x.org/?a=1\n", want: []string{"base_url:", "query"}},
		{name: "bad timezone", file: "listen: :1\ntimezone: Mars/Olympus\n",
			want: []string{`timezone: "Mars/Olympus" is not a known time zone`, "FILE:2"}},
		{name: "duplicate env var, first wins", env: []string{"FOLLOWUP_TIMEZONE=x", "FOLLOWUP_TIMEZONE=y"},
			want: []string{`timezone: "x" is not a known time zone`}},
		{name: "bad log level", file: "log:\n  level: verbose\n", want: []string{`log.level: "verbose" is not one of debug, info, warn, error`, "FILE:2"}},
		{name: "bad log format", overrides: map[string]string{"log.format": "xml"}, want: []string{`log.format: "xml" is not one of text, json`}},
		{name: "bad next deadline period", file: "followup:\n  next_due_after: soon\n",
			want: []string{`followup.next_due_after: "soon" is not a period such as 12 months, 1 year or 90 days`, "FILE:2"}},
		{name: "zero next deadline period", env: []string{"FOLLOWUP_FOLLOWUP_NEXT_DUE_AFTER=0 months"},
			want: []string{"followup.next_due_after:", "FOLLOWUP_FOLLOWUP_NEXT_DUE_AFTER"}},
		{name: "next deadline period too long", overrides: map[string]string{"followup.next_due_after": "20 years"},
			want: []string{"followup.next_due_after:", "longer than ten years"}},
		{name: "all validation errors reported", file: "listen: x\ndatabase: ''\n",
			want: []string{"listen:", "database:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			path := tt.path
			if tt.file != "" {
				path = writeFile(t, dir, "config.yaml", tt.file)
			}
			_, err := Load(path, tt.env, tt.overrides)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if testing.Verbose() {
				t.Log(err)
			}
			for _, w := range tt.want {
				w = strings.ReplaceAll(w, "FILE", path)
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestKeyTable(t *testing.T) {
	l := newLoader()
	envs := map[string]string{}
	for _, f := range l.fields {
		if l.sections[f.name] {
			t.Errorf("key %q is also a section", f.name)
		}
		e := envName(f.name)
		if other, dup := envs[e]; dup || e == EnvConfig {
			t.Errorf("keys %q and %q share the environment variable %s", f.name, other, e)
		}
		envs[e] = f.name
	}
	if len(l.byName) != len(l.fields) {
		t.Errorf("duplicate key names in the table")
	}
	keys := Keys()
	if len(keys) != len(l.fields) || keys[4].Name != "log.level" || keys[4].Env != "FOLLOWUP_LOG_LEVEL" || keys[4].Default != "info" {
		t.Errorf("Keys() = %+v", keys)
	}
}

func TestProjectConfigFile(t *testing.T) {
	// The project's own config.yaml must load and match the defaults.
	path := filepath.Join("..", "..", "config.yaml")
	if _, err := os.Stat(path); err != nil {
		t.Skip("no project config.yaml")
	}
	got, err := Load(path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	got.Location, want.Location, got.File = nil, nil, ""
	if got != want {
		t.Errorf("project config.yaml = %+v, want the defaults %+v", got, want)
	}
}

func TestNewLogger(t *testing.T) {
	c := Default()
	c.Log = LogConfig{Level: "warn", Format: "json"}
	var buf bytes.Buffer
	log := c.NewLogger(&buf)
	log.Info("hidden")
	log.Warn("shown", "k", 1)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("got %d lines, want 1: %q", len(lines), buf.String())
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if rec["msg"] != "shown" || rec["level"] != "WARN" {
		t.Errorf("record = %v", rec)
	}

	c.Log = LogConfig{Level: "debug", Format: "text"}
	buf.Reset()
	c.NewLogger(&buf).Debug("dbg")
	if !strings.Contains(buf.String(), "level=DEBUG msg=dbg") {
		t.Errorf("text output = %q", buf.String())
	}
}
