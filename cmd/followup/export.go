package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"followup/internal/config"
	"followup/internal/export"
	"followup/internal/followup"
	"followup/internal/importer"
)

const exportUsage = `Usage:
  followup export report SLUG [--format csv|xlsx|pdf|json] [-o FILE] [--lang en|fr] [--as-of DATE] [--basis adopted|draft]
  followup export party CODE  [--format csv|xlsx|pdf|json] [-o FILE] [--lang en|fr] [--as-of DATE] [--basis adopted|draft]

The format defaults to the extension of -o, else xlsx; -o defaults to a name made of the report
or Party, the date and the format, in the current folder; "-o -" writes to standard output.
Runs as the system (drafts may be exported with --basis draft; they are marked DRAFT).
`

const importUsage = `Usage:
  followup import recommendations --report SLUG FILE [--dry-run] [--as EMAIL]
  followup import assessments --report SLUG FILE [--dry-run] [--as EMAIL]
  followup import parties FILE [--dry-run] [--as EMAIL]
  followup import template recommendations|assessments|parties [--format csv|xlsx] [-o FILE]

FILE is CSV (UTF-8, comma or semicolon separated) or XLSX (first sheet), with a header row, of
at most import.max_rows rows and import.max_bytes bytes. It is read as a stream; how many rows
have been read, of how many, is written to standard error as it goes. --dry-run shows what would
be created, updated or left unchanged and writes nothing; otherwise the whole file is imported in
one transaction, or nothing when any row is wrong. The first 1000 rows and the first 100 errors
are listed, with the counts of all. --as names the user in whose name to write (assessments: a
rapporteur or admin; recommendations and Parties: secretariat or admin); without it the system
writes.
`

// parseArgs parses flags that may come before or after the positional arguments, loads the
// configuration and returns the positional arguments.
func parseArgs(f *commonFlags, args []string, env environment) (config.Config, []string, error) {
	var pos []string
	rest := args
	for {
		if err := f.fs.Parse(rest); err != nil {
			return config.Config{}, nil, err
		}
		if f.fs.NArg() == 0 {
			break
		}
		pos = append(pos, f.fs.Arg(0))
		rest = f.fs.Args()[1:]
	}
	cfg, err := f.load(nil, env) // the flags parsed above stay set
	return cfg, pos, err
}

func runExport(ctx context.Context, args []string, env environment) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(env.stdout, exportUsage)
		return nil
	}
	if len(args) == 0 || (args[0] != "report" && args[0] != "party") {
		fmt.Fprint(env.stderr, exportUsage)
		return errors.New("export: say what to export: report SLUG or party CODE")
	}
	what := args[0]
	f := newFlags("export "+what, env, false)
	format := f.fs.String("format", "", "csv, xlsx, pdf or json (default: the extension of -o, else xlsx)")
	out := f.fs.String("o", "", "the file to write (\"-\": standard output)")
	lang := f.fs.String("lang", "en", "language of the export: en or fr")
	asOf := f.fs.String("as-of", "", "the day of the picture, YYYY-MM-DD (default today)")
	basis := f.fs.String("basis", "", "adopted (default) or draft")
	cfg, pos, err := parseArgs(f, args[1:], env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("export %s: give exactly one %s", what, map[string]string{"report": "report slug", "party": "Party code"}[what])
	}
	ext := strings.ToLower(strings.TrimPrefix(*format, "."))
	if ext == "" {
		ext = strings.ToLower(strings.TrimPrefix(filepath.Ext(*out), "."))
		if ext == "" || *out == "-" {
			ext = "xlsx"
		}
	}
	switch ext {
	case "csv", "xlsx", "pdf", "json":
	default:
		return fmt.Errorf("--format: %q is not an export format (csv, xlsx, pdf, json)", ext)
	}
	l := strings.ToLower(*lang)
	if l != "en" && l != "fr" {
		return fmt.Errorf("--lang: %q is not a language of the exports (en, fr)", *lang)
	}
	day, err := followup.ParseOptionalDate("as_of", strings.TrimSpace(*asOf))
	if err != nil {
		return fmt.Errorf("--as-of: %s", followup.ErrorMessage(err))
	}
	q := followup.ComplianceQuery{AsOf: day, Basis: followup.Basis(*basis)}
	store, err := openStore(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer store.Close()
	sctx := system(ctx)
	var enc export.Encoder
	var buf bytes.Buffer
	var name string
	if what == "report" {
		d, err := followup.LoadReportExport(sctx, store, store, store, pos[0], q, l, env.clock.Now())
		if err == nil && followup.ReportFormatShowsStates(ext) {
			err = d.LoadStates(sctx, store)
		}
		if err != nil {
			return describeExport(err)
		}
		if err := enc.EncodeReport(&buf, ext, d); err != nil {
			return err
		}
		name = followup.ExportFileName("compliance", pos[0], d.Compliance.AsOf, d.Draft(), l, ext)
	} else {
		d, err := followup.LoadDossierExport(sctx, store, pos[0], q, l, env.clock.Now())
		if err != nil {
			return describeExport(err)
		}
		if err := enc.EncodeDossier(&buf, ext, d); err != nil {
			return err
		}
		name = followup.ExportFileName("dossier", d.Party.Code, d.AsOf, d.Draft, l, ext)
	}
	return writeOutput(*out, name, buf.Bytes(), env)
}

// writeOutput writes body to path ("-": standard output; "": name in the current folder) and
// says where it went.
func writeOutput(path, name string, body []byte, env environment) error {
	if path == "-" {
		_, err := env.stdout.Write(body)
		return err
	}
	if path == "" {
		path = name
	}
	if err := os.WriteFile(path, body, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %s (%d bytes)\n", path, len(body))
	return nil
}

func describeExport(err error) error {
	switch followup.ErrorField(err) {
	case "basis":
		return fmt.Errorf("--basis: %s", followup.ErrorMessage(err))
	case "as_of":
		return fmt.Errorf("--as-of: %s", followup.ErrorMessage(err))
	}
	if followup.ErrorCode(err) != followup.EInternal {
		return errors.New(followup.ErrorMessage(err))
	}
	return err
}

func runImport(ctx context.Context, args []string, env environment) error {
	if len(args) == 0 {
		fmt.Fprint(env.stderr, importUsage)
		return errors.New("import: say what to import: recommendations, assessments, parties or template")
	}
	switch args[0] {
	case "template":
		return runImportTemplate(ctx, args[1:], env)
	case "recommendations", "assessments", "parties":
	case "-h", "--help", "help":
		fmt.Fprint(env.stdout, importUsage)
		return nil
	default:
		fmt.Fprint(env.stderr, importUsage)
		return fmt.Errorf("import: unknown kind %q (recommendations, assessments, parties, template)", args[0])
	}
	kind := followup.ImportKind(args[0])
	f := newFlags("import "+args[0], env, false)
	report := new(string)
	if kind.IntoReport() {
		report = f.fs.String("report", "", "the slug of the report to import into")
	}
	dryRun := f.fs.Bool("dry-run", false, "show what would change and write nothing")
	as := f.fs.String("as", "", "the e-mail address of the user in whose name to write (default: the system)")
	cfg, pos, err := parseArgs(f, args[1:], env)
	if err != nil {
		return err
	}
	if kind.IntoReport() && *report == "" {
		return errors.New("--report: the report's slug is required")
	}
	if len(pos) != 1 {
		return errors.New("import: give exactly one file (CSV or XLSX)")
	}
	file, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer file.Close()
	head := make([]byte, 4)
	n, _ := file.ReadAt(head, 0)
	format, err := importer.FormatOf(pos[0], "", head[:n])
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer store.Close()
	actx := system(ctx)
	if *as != "" {
		u, err := store.FindUserByEmail(actx, *as)
		if err != nil {
			return fmt.Errorf("--as: %s", followup.ErrorMessage(err))
		}
		if !u.Active {
			return fmt.Errorf("--as: user %s is not active", u.Email)
		}
		a := u.Actor()
		if kind == followup.ImportAssessments && !a.CanAssess() {
			return fmt.Errorf("--as: %s is a %s user; assessments are written by rapporteurs and admins", u.Email, u.Role)
		}
		if kind != followup.ImportAssessments && !a.CanManage() {
			return fmt.Errorf("--as: %s is a %s user; %s are imported by the secretariat and admins", u.Email, u.Role, kind)
		}
		actx = followup.WithActor(ctx, a)
	}
	// The file is read as a stream, one row at a time, within the configured limits, and
	// planned and written row by row in one transaction.
	p := newParser(cfg)
	progress := progressPrinter(env.stderr, env.clock)
	var res followup.ImportResult
	switch kind {
	case followup.ImportRecommendations:
		res, err = store.ImportRecommendations(actx, *report, p.RecommendationStream(file, format, progress), *dryRun)
	case followup.ImportAssessments:
		res, err = store.ImportAssessments(actx, *report, p.AssessmentStream(file, format, store.Today(), progress), *dryRun)
	default:
		res, err = store.ImportParties(actx, p.PartyStream(file, format, progress), *dryRun)
	}
	if err != nil && len(res.Errors) == 0 {
		if code := followup.ErrorCode(err); code == followup.ETooLarge {
			return fmt.Errorf("%s: %s", pos[0], followup.ErrorMessage(err))
		}
		return describeExport(err)
	}
	printImport(env.stdout, res)
	if err != nil {
		return fmt.Errorf("%s: %s: nothing was imported", pos[0], followup.Counted(res.ErrorsTotal, "error", "errors"))
	}
	return nil
}

// newParser is the importer with the configured limits of a file.
func newParser(cfg config.Config) importer.Parser {
	return importer.Parser{Limits: importer.LimitsFor(cfg.Import.MaxRows, cfg.Import.MaxBytes)}
}

// progressPrinter writes how far the reading of a file has gone to w, at most once a second
// and once at the end: "import: 12800 of 50000 rows read".
func progressPrinter(w io.Writer, clock followup.Clock) func(followup.ImportProgress) {
	var last time.Time
	return func(p followup.ImportProgress) {
		now := clock.Now()
		if !p.Done && !last.IsZero() && now.Sub(last) < time.Second {
			return
		}
		last = now
		switch {
		case p.Done:
			fmt.Fprintf(w, "import: %d of %s read\n", p.Rows, followup.Counted(p.Rows, "row", "rows"))
		case p.Total > 0:
			fmt.Fprintf(w, "import: %d of %s read\n", p.Rows, followup.Counted(p.Total, "row", "rows"))
		default:
			fmt.Fprintf(w, "import: %s read\n", followup.Counted(p.Rows, "row", "rows"))
		}
	}
}

// printImport prints the plan or outcome of an import, row by row, then its errors.
func printImport(w io.Writer, res followup.ImportResult) {
	if len(res.Rows) > 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		if res.Kind == followup.ImportParties {
			fmt.Fprintln(tw, "ROW\tCODE\tACTION\tCHANGES")
		} else {
			fmt.Fprintln(tw, "ROW\tLABEL\tPARTY\tACTION\tCHANGES")
		}
		for _, r := range res.Rows {
			if res.Kind == followup.ImportParties {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", r.Row, r.Party, r.Action, strings.Join(r.Changes, ", "))
				continue
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", r.Row, r.Label, r.Party, r.Action, strings.Join(r.Changes, ", "))
		}
		tw.Flush()
		if res.RowsTruncated {
			fmt.Fprintf(w, "(the first %d of %d rows are listed)\n", len(res.Rows), res.RowsTotal)
		}
	}
	for _, e := range res.Errors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
	switch {
	case res.ErrorsTruncated:
		fmt.Fprintf(w, "%d of %d errors listed: nothing was imported\n", len(res.Errors), res.ErrorsTotal)
	case len(res.Errors) > 0:
		fmt.Fprintf(w, "%s: nothing was imported\n", followup.Counted(len(res.Errors), "error", "errors"))
	case res.DryRun:
		fmt.Fprintf(w, "dry run: %d to create, %d to update, %d unchanged; nothing was written\n", res.Created, res.Updated, res.Unchanged)
	case res.Applied:
		fmt.Fprintf(w, "imported into %s: %d created, %d updated, %d unchanged\n", importTarget(res), res.Created, res.Updated, res.Unchanged)
	default:
		fmt.Fprintf(w, "nothing to import into %s\n", importTarget(res))
	}
}

// importTarget names what an import went into: a report, or the Parties.
func importTarget(res followup.ImportResult) string {
	if res.Report == "" {
		return "the Parties"
	}
	return res.Report
}

func runImportTemplate(ctx context.Context, args []string, env environment) error {
	f := newFlags("import template", env, false)
	format := f.fs.String("format", "", "csv or xlsx (default: the extension of -o, else csv)")
	out := f.fs.String("o", "", "the file to write (\"-\": standard output)")
	_, pos, err := parseArgs(f, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 || !followup.ImportKind(pos[0]).Valid() {
		return errors.New("import template: say which: recommendations, assessments or parties")
	}
	ext := strings.ToLower(strings.TrimPrefix(*format, "."))
	if ext == "" {
		ext = strings.ToLower(strings.TrimPrefix(filepath.Ext(*out), "."))
	}
	if ext == "" || *out == "-" && *format == "" {
		ext = "csv"
	}
	if ext != "csv" && ext != "xlsx" {
		return fmt.Errorf("--format: %q is not a template format (csv, xlsx)", ext)
	}
	body, err := importer.Template(followup.ImportKind(pos[0]), importer.Format(ext))
	if err != nil {
		return err
	}
	return writeOutput(*out, "import-"+pos[0]+"."+ext, body, env)
}
