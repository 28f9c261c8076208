package config

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// JobsConfig configures the scheduled jobs.
type JobsConfig struct {
	Reminders   RemindersConfig
	Digest      JobConfig
	Snapshot    JobConfig
	Maintenance JobConfig
}

// JobConfig is a job's schedule (five-field cron spec or @daily-style descriptor, in the
// configured time zone) and whether it runs.
type JobConfig struct {
	Schedule string
	Enabled  bool
}

// RemindersConfig configures the deadline reminders.
type RemindersConfig struct {
	JobConfig
	Offsets           string // days before the due date, comma-separated; 0 is the due date (see Days)
	OverdueEveryDays  int    // reminders every N days while overdue; 0 for none
	EscalateAfterDays int    // escalation to the Secretariat after N days overdue; 0 for never
}

// SchedulerConfig configures the scheduler's lease: of the processes serving one database, the
// one holding it runs the jobs; it renews it every LeaseRenew, and another process takes it
// once it has gone LeaseTTL without renewal.
type SchedulerConfig struct {
	LeaseTTL   time.Duration
	LeaseRenew time.Duration
}

// BackupConfig configures the nightly backups.
type BackupConfig struct {
	Dir  string
	Keep int
}

// SMTPConfig configures outgoing e-mail. An empty Host turns SMTP off: messages stay in the
// outbox. Password is never logged or printed.
type SMTPConfig struct {
	Host     string
	Port     int
	TLS      string // none | starttls | tls
	User     string
	Password string
	From     string
}

func setJobDefaults(c *Config) {
	c.Jobs = JobsConfig{
		Reminders: RemindersConfig{JobConfig: JobConfig{Schedule: "0 8 * * *", Enabled: true},
			Offsets: "30,7,0", OverdueEveryDays: 7, EscalateAfterDays: 30},
		Digest:      JobConfig{Schedule: "0 8 * * 1", Enabled: true},
		Snapshot:    JobConfig{Schedule: "50 23 * * *", Enabled: true},
		Maintenance: JobConfig{Schedule: "30 3 * * *", Enabled: true},
	}
	c.Scheduler = SchedulerConfig{LeaseTTL: 30 * time.Second, LeaseRenew: 10 * time.Second}
	c.Backup = BackupConfig{Dir: "data/backups", Keep: 7}
	c.SMTP = SMTPConfig{Port: 587, TLS: "starttls", From: "followup@localhost"}
}

// jobKeys are the keys of the scheduled jobs, backups and SMTP.
func jobKeys() []field {
	jobs := func(name string, p func(c *Config) *JobConfig) []field {
		return []field{
			str("jobs."+name+".schedule", "when the "+name+" job runs: cron spec (minute hour day month weekday) or @daily",
				func(c *Config) *string { return &p(c).Schedule }, checkSpec),
			boolKey("jobs."+name+".enabled", "whether the "+name+" job runs on its schedule (true or false)",
				func(c *Config) *bool { return &p(c).Enabled }),
		}
	}
	var keys []field
	keys = append(keys, jobs("reminders", func(c *Config) *JobConfig { return &c.Jobs.Reminders.JobConfig })...)
	keys = append(keys,
		str("jobs.reminders.offsets", "days before the due date on which Parties are reminded, e.g. 30,7,0",
			func(c *Config) *string { return &c.Jobs.Reminders.Offsets }, checkDays),
		intKey("jobs.reminders.overdue_every_days", "remind every N days while overdue (0: never)", 0, 366,
			func(c *Config) *int { return &c.Jobs.Reminders.OverdueEveryDays }),
		intKey("jobs.reminders.escalate_after_days", "tell the Secretariat after N days overdue (0: never)", 0, 3660,
			func(c *Config) *int { return &c.Jobs.Reminders.EscalateAfterDays }),
	)
	keys = append(keys, jobs("digest", func(c *Config) *JobConfig { return &c.Jobs.Digest })...)
	keys = append(keys, jobs("snapshot", func(c *Config) *JobConfig { return &c.Jobs.Snapshot })...)
	keys = append(keys, jobs("maintenance", func(c *Config) *JobConfig { return &c.Jobs.Maintenance })...)
	renew := duration("scheduler.lease_renew", "how often the process running the jobs renews its lease (e.g. 10s)",
		func(c *Config) *time.Duration { return &c.Scheduler.LeaseRenew })
	renew.check = func(c *Config) error {
		if c.Scheduler.LeaseRenew >= c.Scheduler.LeaseTTL {
			return fmt.Errorf("%s must be shorter than scheduler.lease_ttl (%s)", c.Scheduler.LeaseRenew, c.Scheduler.LeaseTTL)
		}
		return nil
	}
	keys = append(keys,
		duration("scheduler.lease_ttl", "how long the jobs' lease lasts without renewal before another process takes it (e.g. 30s)",
			func(c *Config) *time.Duration { return &c.Scheduler.LeaseTTL }),
		renew,
		str("backup.dir", "folder of the nightly backups", func(c *Config) *string { return &c.Backup.Dir }, checkNotEmpty),
		intKey("backup.keep", "number of nightly backups kept", 1, 10000, func(c *Config) *int { return &c.Backup.Keep }),
		str("smtp.host", "SMTP server host; empty: e-mails stay in the outbox", func(c *Config) *string { return &c.SMTP.Host }, nil),
		intKey("smtp.port", "SMTP server port", 1, 65535, func(c *Config) *int { return &c.SMTP.Port }),
		str("smtp.tls", "none, starttls or tls (implicit TLS, usually port 465)", func(c *Config) *string { return &c.SMTP.TLS }, checkOneOf("none", "starttls", "tls")),
		str("smtp.user", "SMTP user name; empty: no authentication", func(c *Config) *string { return &c.SMTP.User }, nil),
		secretKey("smtp.password", "SMTP password (prefer FOLLOWUP_SMTP_PASSWORD)", func(c *Config) *string { return &c.SMTP.Password }),
		str("smtp.from", "sender address of the e-mails", func(c *Config) *string { return &c.SMTP.From }, checkNotEmpty),
	)
	return keys
}

func checkSpec(_ *Config, v *string) error {
	*v = strings.TrimSpace(*v)
	if _, err := cron.ParseStandard(*v); err != nil {
		return fmt.Errorf("%q is not a cron schedule (minute hour day-of-month month day-of-week, or @daily): %v", *v, err)
	}
	return nil
}

func checkNotEmpty(_ *Config, v *string) error {
	if strings.TrimSpace(*v) == "" {
		return errors.New("must not be empty")
	}
	return nil
}

// intKey declares an integer key between lo and hi.
func intKey(name, usage string, lo, hi int, p func(*Config) *int) field {
	return field{
		name:  name,
		usage: usage,
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("%q is not a whole number", v)
			}
			if n < lo || n > hi {
				return fmt.Errorf("%d is not between %d and %d", n, lo, hi)
			}
			*p(c) = n
			return nil
		},
		get: func(c *Config) string { return strconv.Itoa(*p(c)) },
	}
}

// boolKey declares a true/false key.
func boolKey(name, usage string, p func(*Config) *bool) field {
	return field{
		name:  name,
		usage: usage,
		set: func(c *Config, v string) error {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("%q is not true or false", v)
			}
			*p(c) = b
			return nil
		},
		get: func(c *Config) string { return strconv.FormatBool(*p(c)) },
	}
}

// checkDays checks a comma-separated list of numbers of days (0 to 366) and normalises it.
func checkDays(_ *Config, v *string) error {
	days, err := ParseDays(*v)
	if err != nil {
		return err
	}
	parts := make([]string, len(days))
	for i, n := range days {
		parts[i] = strconv.Itoa(n)
	}
	*v = strings.Join(parts, ",")
	return nil
}

// ParseDays reads a comma-separated list of numbers of days from 0 to 366.
func ParseDays(v string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 || n > 366 {
			return nil, fmt.Errorf("%q is not a number of days from 0 to 366", part)
		}
		out = append(out, n)
	}
	return out, nil
}

// Days returns the reminder offsets as numbers (validated by Load).
func (r RemindersConfig) Days() []int {
	days, _ := ParseDays(r.Offsets)
	return days
}

// secretKey declares a string key whose value is never shown: get masks it.
func secretKey(name, usage string, p func(*Config) *string) field {
	return field{
		name:  name,
		usage: usage,
		set:   func(c *Config, v string) error { *p(c) = v; return nil },
		get: func(c *Config) string {
			if *p(c) == "" {
				return ""
			}
			return "********"
		},
	}
}

// String describes the SMTP settings without the password.
func (s SMTPConfig) String() string {
	if s.Host == "" {
		return "off"
	}
	auth := "no authentication"
	if s.User != "" {
		auth = "user " + s.User
	}
	return fmt.Sprintf("%s:%d (%s, %s, from %s)", s.Host, s.Port, s.TLS, auth, s.From)
}

// LogValue keeps the password out of structured logs.
func (s SMTPConfig) LogValue() slog.Value { return slog.StringValue(s.String()) }
