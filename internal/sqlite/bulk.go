package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"followup/internal/followup"
)

// Bulk loads a large data set (the synthetic benchmark data: hundreds of thousands of
// follow-ups) into an empty database in one transaction with prepared statements. It offers the
// write methods of the domain services with the same arguments, the same validation and the same
// effects row for row — the same rows, the same derived followups columns, the same audit
// entries — but keeps the state of every follow-up in memory instead of reading it back, and
// writes the derived followups columns once, at Commit. A test loads the same synthetic data
// through the services and through Bulk under a fixed clock and compares every table.
//
// Bulk is for an empty database only (it does not know rows it did not write) and for one
// goroutine. The first error poisons it: Commit then rolls back and returns that error.
type Bulk struct {
	s     *Store
	tx    *sql.Tx
	err   error
	n     int // statements executed
	today followup.Date
	stmt  struct {
		party, report, reportParty, rec, addressee, followup, submission, assessment, adopt, audit *sql.Stmt
	}
	parties   map[string]followup.Party
	partyList []string // in code order
	reports   map[string]*bulkReport
	followups map[followup.FollowUpKey]*bulkFollowUp
	inOrder   []*bulkFollowUp // by id, so that Commit updates them in page order
	indexes   []string        // the CREATE INDEX statements dropped for the load, run again at Commit
}

type bulkReport struct {
	id      int64
	report  followup.Report
	recs    []*bulkRec
	byLabel map[string]*bulkRec
}

type bulkRec struct {
	id        int64
	position  int
	label     string
	followups []*bulkFollowUp // in party-code order, as Adopt visits them
}

type bulkFollowUp struct {
	id                     int64
	party                  string
	state                  followup.State
	status                 string // latest adopted status, "" before any adoption
	statusAdoptedOn        followup.Date
	submittedSinceAdoption bool
	hasSubmission          bool
	lastSubmittedAt        string
	updatedAt              string
	dirty                  bool
	latest                 *followup.Assessment // the latest assessment, nil when none
}

// BeginBulk starts a bulk load into an empty database, acting as the actor of ctx, who must be
// allowed to manage reports and to assess (admin, or the system itself).
func (s *Store) BeginBulk(ctx context.Context) (*Bulk, error) {
	actor := followup.ActorFrom(ctx)
	if err := actor.Require(actor.CanManage() && actor.CanAssess(), "bulk-load data"); err != nil {
		return nil, err
	}
	var n int
	if err := s.reader.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM parties) + (SELECT count(*) FROM reports)`).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, followup.Errorf(followup.EConflict, "a bulk load needs an empty database; %s already holds Parties or reports", s.path)
	}
	// A large page cache for this connection keeps the indexes of the big transaction in memory.
	if _, err := s.writer.ExecContext(ctx, `PRAGMA cache_size = -131072`); err != nil {
		return nil, err
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlite: begin: %w", err)
	}
	b := &Bulk{s: s, tx: tx, today: s.Today(), parties: map[string]followup.Party{},
		reports: map[string]*bulkReport{}, followups: map[followup.FollowUpKey]*bulkFollowUp{}}
	// Secondary indexes are dropped for the load and built again, sorted, at Commit, which is
	// several times faster than keeping them up to date row by row. They are read from the
	// schema, so that an index a later migration adds is rebuilt too; all of it is in the one
	// transaction, so a failed load leaves them as they were.
	if b.err = b.dropIndexes(ctx); b.err != nil {
		_ = tx.Rollback()
		return nil, b.err
	}
	prep := func(dst **sql.Stmt, q string) {
		if b.err != nil {
			return
		}
		*dst, b.err = tx.PrepareContext(ctx, q)
	}
	prep(&b.stmt.party, `INSERT INTO parties (code, name_en, name_fr, joined_on, created_at) VALUES (?, ?, ?, ?, ?)`)
	prep(&b.stmt.report, `INSERT INTO reports (slug, title, kind, round, doc_ref, adopted_on, followup_due_on, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	prep(&b.stmt.reportParty, `INSERT INTO report_parties (report_id, party_code) VALUES (?, ?)`)
	prep(&b.stmt.rec, `INSERT INTO recommendations (report_id, position, label, category, text, articles, due_on, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	prep(&b.stmt.addressee, `INSERT INTO recommendation_addressees (recommendation_id, party_code) VALUES (?, ?)`)
	prep(&b.stmt.followup, `INSERT INTO followups (recommendation_id, party_code, created_at, updated_at) VALUES (?, ?, ?, ?)`)
	prep(&b.stmt.submission, `INSERT INTO submissions (followup_id, text, draft, submitted_on, author_id, author_name, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	prep(&b.stmt.assessment, `INSERT INTO assessments (followup_id, status, comment, assessed_on, author_id, author_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	prep(&b.stmt.adopt, `UPDATE assessments SET adopted_on = ? WHERE id = ?`)
	prep(&b.stmt.audit, `INSERT INTO audit_log (at, actor_id, actor_email, action, entity, entity_key, followup_id, before_json, after_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if b.err != nil {
		_ = tx.Rollback()
		return nil, b.err
	}
	return b, nil
}

func (b *Bulk) dropIndexes(ctx context.Context) error {
	rows, err := b.tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ('followups', 'submissions', 'assessments', 'audit_log', 'recommendations', 'report_parties', 'recommendation_addressees')`)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return err
		}
		names = append(names, name)
		b.indexes = append(b.indexes, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range names {
		if _, err := b.tx.ExecContext(ctx, `DROP INDEX "`+strings.ReplaceAll(name, `"`, `""`)+`"`); err != nil {
			return err
		}
	}
	return nil
}

// fail records the first error and returns it.
func (b *Bulk) fail(err error) error {
	if b.err == nil && err != nil {
		b.err = err
	}
	return err
}

func (b *Bulk) exec(ctx context.Context, st *sql.Stmt, args ...any) (int64, error) {
	// The driver watches a cancellable context with one goroutine per statement, which costs
	// more than the insert itself here; cancellation is checked every few thousand rows instead.
	if b.n++; b.n%4096 == 0 {
		if err := ctx.Err(); err != nil {
			return 0, b.fail(err)
		}
	}
	res, err := st.ExecContext(context.WithoutCancel(ctx), args...)
	if err != nil {
		return 0, b.fail(translate(err))
	}
	id, _ := res.LastInsertId()
	return id, nil
}

// audit writes the same entry Store.audit would.
func (b *Bulk) audit(ctx context.Context, at, action, entity, key string, followupID int64, before, after any) error {
	actor := followup.ActorFrom(ctx)
	email := actor.Email
	if actor.Anonymous() {
		email = "anonymous"
	}
	var fid any
	if followupID > 0 {
		fid = followupID
	}
	bj, err := jsonOrNull(before)
	if err != nil {
		return b.fail(err)
	}
	aj, err := jsonOrNull(after)
	if err != nil {
		return b.fail(err)
	}
	_, err = b.exec(ctx, b.stmt.audit, at, authorID(actor), email, action, entity, key, fid, bj, aj)
	return err
}

// CreateParty adds a Party, as Store.CreateParty.
func (b *Bulk) CreateParty(ctx context.Context, p followup.Party) (followup.Party, error) {
	if b.err != nil {
		return p, b.err
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	if _, ok := b.parties[p.Code]; ok {
		return p, followup.Errorf(followup.EConflict, "a Party with code %s already exists", p.Code)
	}
	now := b.s.stamp()
	if _, err := b.exec(ctx, b.stmt.party, p.Code, p.NameEN, p.NameFR, nullDate(p.JoinedOn), now); err != nil {
		return p, err
	}
	b.parties[p.Code] = p
	i, _ := slices.BinarySearch(b.partyList, p.Code)
	b.partyList = slices.Insert(b.partyList, i, p.Code)
	return p, b.audit(ctx, now, "party.create", "party", p.Code, 0, nil, p)
}

// CreateReport adds a report, as Store.CreateReport.
func (b *Bulk) CreateReport(ctx context.Context, in followup.ReportInput) (followup.Report, error) {
	if b.err != nil {
		return followup.Report{}, b.err
	}
	if err := in.Validate(b.today); err != nil {
		return followup.Report{}, err
	}
	if _, ok := b.reports[in.Slug]; ok {
		return followup.Report{}, followup.Errorf(followup.EConflict, "a report with slug %q already exists", in.Slug)
	}
	parties := slices.Clone(in.Parties)
	if len(parties) == 0 {
		for _, c := range b.partyList {
			if j := b.parties[c].JoinedOn; j.IsZero() || !j.After(in.AdoptedOn) {
				parties = append(parties, c)
			}
		}
		if len(parties) == 0 {
			return followup.Report{}, followup.Invalid("parties", "no Party had joined by %s; name the Parties the report covers", in.AdoptedOn)
		}
	} else {
		for _, c := range parties {
			if _, ok := b.parties[c]; !ok {
				return followup.Report{}, followup.Invalid("parties", "%s is not a known Party", c)
			}
		}
	}
	now := b.s.stamp()
	id, err := b.exec(ctx, b.stmt.report, in.Slug, in.Title, in.Kind, strings.TrimSpace(in.Round), strings.TrimSpace(in.DocRef),
		in.AdoptedOn.String(), nullDate(in.FollowupDueOn), now, now)
	if err != nil {
		return followup.Report{}, err
	}
	for _, c := range parties {
		if _, err := b.exec(ctx, b.stmt.reportParty, id, c); err != nil {
			return followup.Report{}, err
		}
	}
	slices.Sort(parties)
	parties = slices.Compact(parties)
	r := followup.Report{Slug: in.Slug, Title: in.Title, Kind: in.Kind, Round: strings.TrimSpace(in.Round),
		DocRef: strings.TrimSpace(in.DocRef), AdoptedOn: in.AdoptedOn, FollowupDueOn: in.FollowupDueOn, Parties: parties,
		CreatedAt: parseStamp(now), UpdatedAt: parseStamp(now)}
	b.reports[in.Slug] = &bulkReport{id: id, report: r, byLabel: map[string]*bulkRec{}}
	return r, b.audit(ctx, now, "report.create", "report", in.Slug, 0, nil, r)
}

// CreateRecommendation adds a recommendation and its follow-ups, as Store.CreateRecommendation.
func (b *Bulk) CreateRecommendation(ctx context.Context, slug string, in followup.RecommendationInput) (followup.Recommendation, error) {
	if b.err != nil {
		return followup.Recommendation{}, b.err
	}
	if err := in.Validate(); err != nil {
		return followup.Recommendation{}, err
	}
	report := b.reports[slug]
	if report == nil {
		return followup.Recommendation{}, notFound("no report %q", slug)
	}
	targets, err := followup.AddresseesWithin(in.AddressedTo, report.report.Parties)
	if err != nil {
		return followup.Recommendation{}, err
	}
	if _, ok := report.byLabel[in.Label]; ok {
		return followup.Recommendation{}, &followup.Error{Code: followup.EConflict, Field: "label",
			Message: "report " + slug + " already has a recommendation " + in.Label}
	}
	now := b.s.stamp()
	rec := &bulkRec{position: len(report.recs) + 1, label: in.Label}
	if rec.id, err = b.exec(ctx, b.stmt.rec, report.id, rec.position, in.Label, in.Category, in.Text,
		strings.Join(in.Articles, ","), nullDate(in.DueOn), now, now); err != nil {
		return followup.Recommendation{}, err
	}
	for _, c := range in.AddressedTo {
		if _, err := b.exec(ctx, b.stmt.addressee, rec.id, c); err != nil {
			return followup.Recommendation{}, err
		}
	}
	for _, code := range targets {
		key := followup.FollowUpKey{Report: slug, Label: in.Label, Party: code}
		if _, dup := b.followups[key]; dup {
			continue // AddresseesWithin may pass duplicates through; the services' sync skips them too
		}
		f := &bulkFollowUp{party: code, state: followup.AwaitingSubmission, updatedAt: now}
		if f.id, err = b.exec(ctx, b.stmt.followup, rec.id, code, now, now); err != nil {
			return followup.Recommendation{}, err
		}
		b.followups[key] = f
		b.inOrder = append(b.inOrder, f)
		rec.followups = append(rec.followups, f)
		if err := b.audit(ctx, now, "followup.create", "followup", key.String(), f.id, nil, map[string]any{"active": true}); err != nil {
			return followup.Recommendation{}, err
		}
	}
	slices.SortFunc(rec.followups, func(x, y *bulkFollowUp) int { return strings.Compare(x.party, y.party) })
	report.recs = append(report.recs, rec)
	report.byLabel[in.Label] = rec
	addressed := slices.Clone(in.AddressedTo)
	slices.Sort(addressed)
	out := followup.Recommendation{Report: slug, Label: in.Label, Category: in.Category, Text: in.Text,
		Articles: slices.Clone(in.Articles), AddressedTo: addressed, DueOn: in.DueOn, EffectiveDueOn: in.DueOn,
		FollowupCount: len(rec.followups), CreatedAt: parseStamp(now), UpdatedAt: parseStamp(now)}
	if out.Articles == nil {
		out.Articles = []string{}
	}
	if out.EffectiveDueOn.IsZero() {
		out.EffectiveDueOn = report.report.FollowupDueOn
	}
	return out, b.audit(ctx, now, "recommendation.create", "recommendation", slug+"/"+in.Label, 0, nil, out)
}

func (b *Bulk) followUp(key followup.FollowUpKey) (*bulkFollowUp, followup.FollowUpKey, error) {
	key.Party = strings.ToUpper(key.Party)
	f := b.followups[key]
	if f == nil {
		return nil, key, notFound("no follow-up %s", key)
	}
	return f, key, nil
}

// CreateSubmission records a submission, as Store.CreateSubmission.
func (b *Bulk) CreateSubmission(ctx context.Context, key followup.FollowUpKey, in followup.SubmissionInput) (followup.Submission, error) {
	if b.err != nil {
		return followup.Submission{}, b.err
	}
	actor := followup.ActorFrom(ctx)
	if err := in.Validate(b.today); err != nil {
		return followup.Submission{}, err
	}
	f, key, err := b.followUp(key)
	if err != nil {
		return followup.Submission{}, err
	}
	if err := followup.CheckSubmissionDate(key, in, b.reports[key.Report].report.AdoptedOn, f.statusAdoptedOn); err != nil {
		return followup.Submission{}, err
	}
	now := b.s.stamp()
	id, err := b.exec(ctx, b.stmt.submission, f.id, in.Text, boolInt(in.Draft), nullDate(in.SubmittedOn), authorID(actor), actor.Name, now, now)
	if err != nil {
		return followup.Submission{}, err
	}
	out := followup.Submission{ID: id, Text: in.Text, Draft: in.Draft, SubmittedOn: in.SubmittedOn, Author: actor.Name,
		CreatedAt: parseStamp(now), UpdatedAt: parseStamp(now)}
	action := "submission.draft"
	if !in.Draft {
		action = "submission.submit"
		next, err := f.state.Next(followup.EventSubmit)
		if err != nil {
			return out, b.fail(err)
		}
		f.state, f.hasSubmission, f.submittedSinceAdoption, f.lastSubmittedAt, f.updatedAt, f.dirty = next, true, true, now, now, true
	}
	return out, b.audit(ctx, now, action, "submission", key.String()+"#"+strconv.FormatInt(id, 10), f.id, nil, out)
}

// CreateAssessment records an assessment, as Store.CreateAssessment.
func (b *Bulk) CreateAssessment(ctx context.Context, key followup.FollowUpKey, in followup.AssessmentInput) (followup.Assessment, error) {
	if b.err != nil {
		return followup.Assessment{}, b.err
	}
	actor := followup.ActorFrom(ctx)
	if err := in.Validate(b.today); err != nil {
		return followup.Assessment{}, err
	}
	f, key, err := b.followUp(key)
	if err != nil {
		return followup.Assessment{}, err
	}
	if err := followup.CheckAssessmentDate(key, in, b.reports[key.Report].report.AdoptedOn, f.statusAdoptedOn); err != nil {
		return followup.Assessment{}, err
	}
	next, err := f.state.Next(followup.EventAssess)
	if err != nil {
		return followup.Assessment{}, b.fail(err)
	}
	now := b.s.stamp()
	id, err := b.exec(ctx, b.stmt.assessment, f.id, in.Status, in.Comment, in.AssessedOn.String(), authorID(actor), actor.Name, now)
	if err != nil {
		return followup.Assessment{}, err
	}
	out := followup.Assessment{ID: id, Status: in.Status, Comment: in.Comment, AssessedOn: in.AssessedOn, Author: actor.Name,
		CreatedAt: parseStamp(now)}
	f.state, f.updatedAt, f.dirty = next, now, true
	a := out
	f.latest = &a
	return out, b.audit(ctx, now, "assessment.create", "assessment", key.String()+"#"+strconv.FormatInt(id, 10), f.id, nil, out)
}

// Adopt stamps the latest not-yet-adopted assessments of a report, as Store.Adopt: all or
// nothing, in recommendation then Party order.
func (b *Bulk) Adopt(ctx context.Context, slug string, in followup.AdoptionInput) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if err := in.Validate(b.today); err != nil {
		return 0, err
	}
	report := b.reports[slug]
	if report == nil {
		return 0, notFound("no report %q", slug)
	}
	if err := followup.CheckAdoptionDate(slug, in, report.report.AdoptedOn); err != nil {
		return 0, err
	}
	want := map[string]bool{}
	for _, l := range in.Labels {
		if report.byLabel[l] == nil {
			return 0, followup.Invalid("labels", "report %s has no recommendation %q", slug, l)
		}
		want[l] = true
	}
	type pending struct {
		f    *bulkFollowUp
		key  followup.FollowUpKey
		next followup.State
	}
	var todo []pending
	for _, rec := range report.recs {
		if len(want) > 0 && !want[rec.label] {
			continue
		}
		for _, f := range rec.followups {
			if f.latest == nil || !f.latest.AdoptedOn.IsZero() {
				continue
			}
			key := followup.FollowUpKey{Report: slug, Label: rec.label, Party: f.party}
			if err := followup.CheckAdoption(key, *f.latest, f.statusAdoptedOn, in.AdoptedOn); err != nil {
				return 0, err
			}
			next, err := f.state.Next(followup.EventAdopt)
			if err != nil {
				return 0, err
			}
			todo = append(todo, pending{f, key, next})
		}
	}
	now := b.s.stamp()
	for _, p := range todo {
		f := p.f
		if _, err := b.exec(ctx, b.stmt.adopt, in.AdoptedOn.String(), f.latest.ID); err != nil {
			return 0, err
		}
		before := *f.latest
		f.latest.AdoptedOn = in.AdoptedOn
		f.state, f.status, f.statusAdoptedOn = p.next, string(f.latest.Status), in.AdoptedOn
		f.submittedSinceAdoption = p.next == followup.Submitted
		f.updatedAt, f.dirty = now, true
		if err := b.audit(ctx, now, "assessment.adopt", "assessment", p.key.String()+"#"+strconv.FormatInt(f.latest.ID, 10), f.id, before, *f.latest); err != nil {
			return 0, err
		}
	}
	return len(todo), nil
}

// Commit writes the derived followups columns and commits; after an error it rolls back and
// returns the first error.
func (b *Bulk) Commit(ctx context.Context) error {
	defer b.s.writer.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`) //nolint:errcheck // back to SQLite's default
	if b.err != nil {
		_ = b.tx.Rollback()
		return b.err
	}
	st, err := b.tx.PrepareContext(ctx, `UPDATE followups SET state = ?, status = ?, status_adopted_on = ?, submitted_since_adoption = ?,
		has_submission = ?, last_submitted_at = ?, updated_at = ? WHERE id = ?`)
	if err != nil {
		_ = b.tx.Rollback()
		return err
	}
	for _, f := range b.inOrder {
		if !f.dirty {
			continue
		}
		var status, last any
		if f.status != "" {
			status = f.status
		}
		if f.lastSubmittedAt != "" {
			last = f.lastSubmittedAt
		}
		if _, err := st.ExecContext(ctx, f.state, status, nullDate(f.statusAdoptedOn), boolInt(f.submittedSinceAdoption),
			boolInt(f.hasSubmission), last, f.updatedAt, f.id); err != nil {
			_ = b.tx.Rollback()
			return err
		}
	}
	for _, def := range b.indexes {
		if _, err := b.tx.ExecContext(ctx, def); err != nil {
			_ = b.tx.Rollback()
			return err
		}
	}
	if err := b.tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// Rollback abandons the load.
func (b *Bulk) Rollback() error {
	defer b.s.writer.Exec(`PRAGMA cache_size = -2000`) //nolint:errcheck
	err := b.tx.Rollback()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}
