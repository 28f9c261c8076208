// Package config loads, overrides and validates the application's configuration.
//
// A value comes from, in increasing order of precedence: the defaults, the YAML file, the
// environment (FOLLOWUP_* variables) and the command-line flags. Every key is declared once
// in keyTable; the YAML walker, the environment, the overrides and the validation all work
// from that table, so adding a key is one line there plus a field in Config.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"followup/internal/followup"
)

const (
	// EnvPrefix starts every environment variable the program reads.
	EnvPrefix = "FOLLOWUP_"
	// EnvConfig names the config file when no path is given.
	EnvConfig = EnvPrefix + "CONFIG"
	// DefaultPath is the config file read when no path is given and it exists.
	DefaultPath = "config.yaml"
)

// Config is the application's configuration.
type Config struct {
	Listen   string         // serve address host:port
	Database string         // an SQLite file path, or a postgres:// (postgresql://) URL
	BaseURL  string         // public base URL, absolute http(s), without trailing slash
	Timezone string         // IANA zone name
	Location *time.Location // loaded from Timezone
	Log      LogConfig
	Session  SessionConfig
	HTTP     HTTPConfig
	Jobs     JobsConfig // scheduled jobs (jobs.go)
	// Scheduler configures the lease by which one of several processes runs the jobs (jobs.go).
	Scheduler SchedulerConfig
	Backup    BackupConfig // nightly backups (jobs.go)
	SMTP      SMTPConfig   // outgoing e-mail (jobs.go)
	Import    ImportConfig // limits of imported files (imports.go)
	Export    ExportConfig // PDF and XLSX downloads prepared at once (exports.go)
	FollowUp  FollowUpConfig
	File      string // the config file that was read; "" when none
}

// FollowUpConfig configures the follow-up cycle.
type FollowUpConfig struct {
	// NextDueAfter is how long after an adoption that leaves a follow-up open, and sets no
	// date, the follow-up is due again.
	NextDueAfter followup.Period
}

// SessionConfig configures the web sessions.
type SessionConfig struct {
	IdleTimeout time.Duration // a session unused for this long ends
	Lifetime    time.Duration // a session ends this long after sign-in, used or not
}

// HTTPConfig configures the HTTP server.
type HTTPConfig struct {
	// TrustedProxies lists the addresses or CIDR ranges of the reverse proxies whose
	// X-Forwarded-For is believed, comma-separated; empty: none.
	TrustedProxies string
}

// ProxyList returns the trusted proxies as a list.
func (h HTTPConfig) ProxyList() []string {
	var out []string
	for _, p := range strings.Split(h.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// LogConfig configures the logger.
type LogConfig struct {
	Level  string // debug | info | warn | error
	Format string // text | json
}

// Default returns the built-in configuration. Its Location is nil only when the time zone
// database is unavailable, which Load reports as an error.
func Default() Config {
	c := Config{
		Listen:   "127.0.0.1:8080",
		Database: "data/followup.db",
		BaseURL:  "http://127.0.0.1:8080",
		Timezone: "Europe/Paris",
		Log:      LogConfig{Level: "info", Format: "text"},
		Session:  SessionConfig{IdleTimeout: 2 * time.Hour, Lifetime: 12 * time.Hour},
		FollowUp: FollowUpConfig{NextDueAfter: followup.DefaultNextDueAfter},
	}
	setJobDefaults(&c)
	setImportDefaults(&c)
	setExportDefaults(&c)
	c.Location, _ = time.LoadLocation(c.Timezone)
	return c
}

// field is one configuration key.
type field struct {
	name  string                          // dotted key, as in the YAML file and the overrides
	usage string                          // one line of help
	set   func(c *Config, v string) error // parses v into c; the error says why, without the key
	get   func(c *Config) string          // the value as text
	check func(c *Config) error           // validates (and may normalise) after all sources; nil for none
}

// keyTable lists every configuration key. Sections ("log") are implied by the dots.
//
// To add a key, add a Config field and one line here. For a non-string key write a small
// constructor like str whose set parses the text (strconv.Atoi, time.ParseDuration, ...).
func keyTable() []field {
	return append([]field{
		str("listen", "serve address host:port", func(c *Config) *string { return &c.Listen }, checkListen),
		str("database", "SQLite database file path, or postgres:// URL", func(c *Config) *string { return &c.Database }, checkDatabase),
		str("base_url", "public base URL (absolute http or https)", func(c *Config) *string { return &c.BaseURL }, checkBaseURL),
		str("timezone", "IANA time zone for today, deadlines and schedules", func(c *Config) *string { return &c.Timezone }, checkTimezone),
		str("log.level", "log level: debug, info, warn or error", func(c *Config) *string { return &c.Log.Level }, checkOneOf("debug", "info", "warn", "error")),
		str("log.format", "log format: text or json", func(c *Config) *string { return &c.Log.Format }, checkOneOf("text", "json")),
		duration("session.idle_timeout", "a web session unused for this long ends (e.g. 2h, 30m)", func(c *Config) *time.Duration { return &c.Session.IdleTimeout }),
		duration("session.lifetime", "a web session ends this long after sign-in (e.g. 12h)", func(c *Config) *time.Duration { return &c.Session.Lifetime }),
		str("http.trusted_proxies", "comma-separated addresses or CIDR ranges of trusted reverse proxies (default none)", func(c *Config) *string { return &c.HTTP.TrustedProxies }, checkProxies),
		period("followup.next_due_after", "after an adoption that leaves a follow-up open and sets no date, how long until it is due again (e.g. 12 months, 1 year, 90 days)",
			func(c *Config) *followup.Period { return &c.FollowUp.NextDueAfter }),
	}, slices.Concat(jobKeys(), importKeys(), exportKeys())...) // the scheduled jobs, backups and SMTP: jobs.go; imports: imports.go; exports: exports.go
}

// str declares a string key stored in the field p points to. check, if not nil, validates
// the value and may normalise it through v.
func str(name, usage string, p func(*Config) *string, check func(c *Config, v *string) error) field {
	f := field{
		name:  name,
		usage: usage,
		set:   func(c *Config, v string) error { *p(c) = v; return nil },
		get:   func(c *Config) string { return *p(c) },
	}
	if check != nil {
		f.check = func(c *Config) error { return check(c, p(c)) }
	}
	return f
}

// duration declares a key holding a positive duration in Go's notation (90m, 2h, 1h30m).
func duration(name, usage string, p func(*Config) *time.Duration) field {
	return field{
		name:  name,
		usage: usage,
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("%q is not a duration such as 30m or 2h", v)
			}
			if d <= 0 {
				return fmt.Errorf("%q must be positive", v)
			}
			*p(c) = d
			return nil
		},
		get: func(c *Config) string { return p(c).String() },
	}
}

// period declares a key holding a period of months or days ("12 months", "1 year", "90 days"),
// at most ten years.
func period(name, usage string, p func(*Config) *followup.Period) field {
	return field{
		name:  name,
		usage: usage,
		set: func(c *Config, v string) error {
			d, err := followup.ParsePeriod(name, v)
			if err != nil {
				return errors.New(followup.ErrorMessage(err))
			}
			*p(c) = d
			return nil
		},
		get: func(c *Config) string { return p(c).String() },
	}
}

func checkProxies(c *Config, _ *string) error {
	for _, p := range c.HTTP.ProxyList() {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return fmt.Errorf("%q is not an IP address or CIDR range", p)
			}
		}
	}
	return nil
}

// Key describes one configuration key, for building flags and help text.
type Key struct {
	Name    string // dotted name, as in the YAML file and the overrides: "log.level"
	Env     string // environment variable: "FOLLOWUP_LOG_LEVEL"
	Usage   string // one line of help
	Default string // the default value as text
}

// Keys lists the configuration keys in table order.
func Keys() []Key {
	d := Default()
	var keys []Key
	for _, f := range keyTable() {
		keys = append(keys, Key{Name: f.name, Env: envName(f.name), Usage: f.usage, Default: f.get(&d)})
	}
	return keys
}

// envName returns the environment variable of a dotted key: log.level → FOLLOWUP_LOG_LEVEL.
func envName(key string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// Load builds the config: defaults, then the YAML file, then environment variables, then
// flag overrides, and validates the result.
//
// path is the --config path. When it is "", FOLLOWUP_CONFIG from env is used if set, else
// ./config.yaml if it exists, else defaults only. A file named explicitly (by path or
// FOLLOWUP_CONFIG) must exist. env is an os.Environ()-style "KEY=value" list; an empty
// value counts as unset and any unknown FOLLOWUP_* variable is an error. overrides holds
// the values of the flags that were set, keyed by dotted key ("listen", "log.level", ...).
func Load(path string, env []string, overrides map[string]string) (Config, error) {
	l := newLoader()

	explicit, from := path != "", "--config"
	if path == "" {
		if v := lookupEnv(env, EnvConfig); v != "" {
			path, explicit, from = v, true, EnvConfig
		}
	}
	if path == "" {
		switch _, err := os.Stat(DefaultPath); {
		case err == nil:
			path = DefaultPath
		case !errors.Is(err, fs.ErrNotExist):
			return Config{}, fmt.Errorf("config file: %w", err)
		}
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			if explicit && errors.Is(err, fs.ErrNotExist) {
				return Config{}, fmt.Errorf("config file %q (from %s) does not exist", path, from)
			}
			return Config{}, fmt.Errorf("config file: %w", err)
		}
		if err := l.loadYAML(path, data); err != nil {
			return Config{}, err
		}
		l.cfg.File = path
	}
	if err := l.loadEnv(env); err != nil {
		return Config{}, err
	}
	if err := l.loadOverrides(overrides); err != nil {
		return Config{}, err
	}
	if err := l.validate(); err != nil {
		return Config{}, err
	}
	return l.cfg, nil
}

// loader accumulates a Config and where each value came from.
type loader struct {
	cfg      Config
	fields   []field
	byName   map[string]*field
	byEnv    map[string]*field
	sections map[string]bool   // dotted names that hold nested keys: "log"
	source   map[string]string // key → "set in config.yaml:3", "set by FOLLOWUP_LISTEN", ...
}

func newLoader() *loader {
	l := &loader{
		cfg:      Default(),
		fields:   keyTable(),
		byName:   map[string]*field{},
		byEnv:    map[string]*field{},
		sections: map[string]bool{},
		source:   map[string]string{},
	}
	for i := range l.fields {
		f := &l.fields[i]
		l.byName[f.name] = f
		l.byEnv[envName(f.name)] = f
		for j, r := range f.name {
			if r == '.' {
				l.sections[f.name[:j]] = true
			}
		}
	}
	return l
}

func (l *loader) set(f *field, value, source string) error {
	if err := f.set(&l.cfg, value); err != nil {
		return fmt.Errorf("%s: %v (%s)", f.name, err, source)
	}
	l.source[f.name] = source
	return nil
}

// loadYAML applies a YAML file. Every unknown key or wrongly typed value is reported with
// its dotted key and line.
func (l *loader) loadYAML(path string, data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // empty file
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return fmt.Errorf("%s:%d: only one YAML document is allowed", path, extra.Line)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil
		}
		root = root.Content[0]
	}
	root = deref(root)
	if isNull(root) {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: the file must be a mapping of keys, not %s", path, root.Line, describe(root))
	}
	var errs []error
	l.walk(path, "", root, &errs)
	return errors.Join(errs...)
}

func (l *loader) walk(path, prefix string, m *yaml.Node, errs *[]error) {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := deref(m.Content[i]), deref(m.Content[i+1])
		at := fmt.Sprintf("%s:%d", path, k.Line)
		if k.Kind != yaml.ScalarNode {
			*errs = append(*errs, fmt.Errorf("%s: a key under %q is not a plain name", at, strings.TrimSuffix(prefix, ".")))
			continue
		}
		name := prefix + k.Value
		if line, dup := seen[name]; dup {
			*errs = append(*errs, fmt.Errorf("%s: duplicate key %q (first at line %d)", at, name, line))
			continue
		}
		seen[name] = k.Line
		switch f := l.byName[name]; {
		case f != nil:
			if v.Kind != yaml.ScalarNode {
				*errs = append(*errs, fmt.Errorf("%s: key %q wants a single value, not %s", at, name, describe(v)))
				continue
			}
			value := v.Value
			if isNull(v) {
				value = ""
			}
			if err := l.set(f, value, "set in "+at); err != nil {
				*errs = append(*errs, err)
			}
		case l.sections[name]:
			if isNull(v) {
				continue // empty section
			}
			if v.Kind != yaml.MappingNode {
				*errs = append(*errs, fmt.Errorf("%s: key %q is a section and wants nested keys, not %s", at, name, describe(v)))
				continue
			}
			l.walk(path, name+".", v, errs)
		default:
			*errs = append(*errs, fmt.Errorf("%s: unknown key %q", at, name))
		}
	}
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// describe names what a node is, for error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	}
	return "this node"
}

// loadEnv applies FOLLOWUP_* variables. The first occurrence of a name wins, as with
// os.Getenv; an empty value counts as unset.
func (l *loader) loadEnv(env []string) error {
	var errs []error
	seen := map[string]bool{}
	for _, kv := range env {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, EnvPrefix) || seen[name] {
			continue
		}
		seen[name] = true
		if name == EnvConfig {
			continue
		}
		f := l.byEnv[name]
		if f == nil {
			errs = append(errs, fmt.Errorf("unknown environment variable %s", name))
			continue
		}
		if value == "" {
			continue
		}
		if err := l.set(f, value, "set by "+name); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// loadOverrides applies flag values keyed by dotted key.
func (l *loader) loadOverrides(overrides map[string]string) error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(overrides)) {
		f := l.byName[name]
		if f == nil {
			errs = append(errs, fmt.Errorf("unknown configuration key %q (flag --%s)", name, name))
			continue
		}
		if err := l.set(f, overrides[name], "set by flag --"+name); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// validate checks every key and reports all problems, each naming its key and source.
func (l *loader) validate() error {
	var errs []error
	for _, f := range l.fields {
		if f.check == nil {
			continue
		}
		if err := f.check(&l.cfg); err != nil {
			msg := fmt.Sprintf("%s: %v", f.name, err)
			if src := l.source[f.name]; src != "" {
				msg += " (" + src + ")"
			}
			errs = append(errs, errors.New(msg))
		}
	}
	return errors.Join(errs...)
}

func checkListen(_ *Config, v *string) error {
	if *v == "" {
		return errors.New("must not be empty (want host:port, e.g. 127.0.0.1:8080)")
	}
	_, port, err := net.SplitHostPort(*v)
	if err != nil {
		var ae *net.AddrError
		if errors.As(err, &ae) {
			err = errors.New(ae.Err)
		}
		return fmt.Errorf("%q is not host:port: %v", *v, err)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("%q is not host:port: port %q is not a number from 0 to 65535", *v, port)
	}
	return nil
}

func checkDatabase(_ *Config, v *string) error {
	if *v == "" {
		return errors.New("must not be empty (want an SQLite file path or a postgres:// URL)")
	}
	if strings.Contains(*v, "://") && !strings.HasPrefix(*v, "postgres://") && !strings.HasPrefix(*v, "postgresql://") {
		// The message must not repeat the value: it may hold a password.
		return errors.New("is a URL but not a postgres:// or postgresql:// one (an SQLite database is a file path)")
	}
	return nil
}

func checkBaseURL(_ *Config, v *string) error {
	if *v == "" {
		return errors.New("must not be empty (want an absolute http or https URL)")
	}
	u, err := url.Parse(*v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http or https URL", *v)
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return fmt.Errorf("%q must not have user info, a query or a fragment", *v)
	}
	*v = strings.TrimRight(*v, "/")
	return nil
}

func checkTimezone(c *Config, v *string) error {
	if *v == "" {
		return errors.New("must not be empty (want an IANA time zone such as Europe/Paris)")
	}
	loc, err := time.LoadLocation(*v)
	if err != nil {
		return fmt.Errorf("%q is not a known time zone", *v)
	}
	c.Location = loc
	return nil
}

// checkOneOf returns a check that a string key holds one of allowed, compared
// case-insensitively and stored in lower case.
func checkOneOf(allowed ...string) func(*Config, *string) error {
	return func(_ *Config, v *string) error {
		lower := strings.ToLower(*v)
		if !slices.Contains(allowed, lower) {
			return fmt.Errorf("%q is not one of %s", *v, strings.Join(allowed, ", "))
		}
		*v = lower
		return nil
	}
}

// NewLogger returns a logger writing to w at the configured level, in text or JSON.
func (c Config) NewLogger(w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.Log.Level)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(c.Log.Format, "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// lookupEnv returns the value of the first name=value entry of env, as os.Getenv does.
func lookupEnv(env []string, name string) string {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v
		}
	}
	return ""
}
