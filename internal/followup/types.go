package followup

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Party is a State Party to the Convention.
type Party struct {
	Code     string `json:"code"` // ISO 3166-1 alpha-2, upper case
	NameEN   string `json:"name_en"`
	NameFR   string `json:"name_fr"`
	JoinedOn Date   `json:"joined_on"` // entry into force for the Party; zero when not known
}

// Name returns the Party's name in lang ("fr" or anything else for English).
func (p Party) Name(lang string) string {
	if lang == "fr" && p.NameFR != "" {
		return p.NameFR
	}
	return p.NameEN
}

var partyCodePattern = regexp.MustCompile(`^[A-Z]{2}$`)

// NormalizePartyCode upper-cases a Party code and checks that it has the ISO 3166-1 alpha-2 form.
func NormalizePartyCode(field, code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if !partyCodePattern.MatchString(c) {
		return "", Refused(field, ReasonNotPartyCode, []string{code}, "%q is not a two-letter ISO 3166-1 country code", code)
	}
	return c, nil
}

// Validate checks a Party before it is stored and normalizes its code.
func (p *Party) Validate() error {
	code, err := NormalizePartyCode("code", p.Code)
	if err != nil {
		return err
	}
	p.Code = code
	p.NameEN = strings.TrimSpace(p.NameEN)
	p.NameFR = strings.TrimSpace(p.NameFR)
	if p.NameEN == "" {
		return required("name_en", "the English name")
	}
	if err := checkLine("name_en", "the English name", p.NameEN, MaxPartyNameLength); err != nil {
		return err
	}
	if p.NameFR == "" {
		return required("name_fr", "the French name")
	}
	return checkLine("name_fr", "the French name", p.NameFR, MaxPartyNameLength)
}

// ReportKind says what sort of document a report is.
type ReportKind string

// Report kinds.
const (
	ImplementationReport ReportKind = "implementation_report"
	SpecialReport        ReportKind = "special_report"
	VisitReport          ReportKind = "visit_report"
	OtherReport          ReportKind = "other"
)

// ReportKinds lists the valid kinds in display order.
var ReportKinds = []ReportKind{ImplementationReport, SpecialReport, VisitReport, OtherReport}

// Valid reports whether k is a known kind.
func (k ReportKind) Valid() bool {
	for _, v := range ReportKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Report is a document of the Committee that issues recommendations.
type Report struct {
	Slug    string     `json:"slug"`
	Title   string     `json:"title"`
	TitleFR string     `json:"title_fr"` // the French title; "" when there is none yet
	Kind    ReportKind `json:"kind"`
	Round   string     `json:"round"`
	RoundFR string     `json:"round_fr"`
	DocRef  string     `json:"doc_ref"`
	// URL links to the report's document; Source says where the tracker's record of the report
	// comes from (a document, a page, a decision), for readers to check it.
	URL           string   `json:"url"`
	Source        string   `json:"source"`
	AdoptedOn     Date     `json:"adopted_on"`
	FollowupDueOn Date     `json:"followup_due_on"`
	Parties       []string `json:"parties"` // codes of the Parties the report covers
	Archived      bool     `json:"archived"`
	// PublishedOn is the day the Secretariat published the report; zero (null) while it is a
	// draft, which only the committee sees (CanSeeReport).
	PublishedOn Date `json:"published_on"`
	// RecommendationCount counts the report's recommendations that are not archived.
	RecommendationCount int       `json:"recommendation_count"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

// FictionalSlugPrefix begins the slug of every report invented to demonstrate the tracker.
const FictionalSlugPrefix = "demo-"

// Fictional reports whether the report is invented for demonstration rather than a document of
// the Committee: a report of kind "other" whose slug begins with FictionalSlugPrefix. The pages
// then show a "fictional" banner beside the title, so that nobody mistakes its invented
// statuses, submissions and assessments for the Committee's record. The mark is derived from
// the report (no stored flag), so a report cannot lose it while it keeps its slug and kind.
func (r Report) Fictional() bool {
	return r.Kind == OtherReport && strings.HasPrefix(r.Slug, FictionalSlugPrefix)
}

// Published reports whether the report has been published.
func (r Report) Published() bool { return !r.PublishedOn.IsZero() }

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidateSlug checks that s is a lower-case URL slug.
func ValidateSlug(field, s string) error {
	if len(s) == 0 || len(s) > 80 || !slugPattern.MatchString(s) {
		return Invalid(field, "%q is not a slug: use 1 to 80 lower-case letters, digits and single hyphens", s)
	}
	return nil
}

// ReportInput is what a caller gives to create a report. An empty Parties list means every
// Party that had joined by AdoptedOn.
type ReportInput struct {
	Slug          string
	Title         string
	TitleFR       string
	Kind          ReportKind
	Round         string
	RoundFR       string
	DocRef        string
	URL           string
	Source        string
	AdoptedOn     Date
	FollowupDueOn Date
	Parties       []string
}

// Validate checks the input, trims its texts and normalizes its Party codes.
func (in *ReportInput) Validate(today Date) error {
	in.Slug = strings.TrimSpace(in.Slug)
	in.Title = strings.TrimSpace(in.Title)
	in.TitleFR = strings.TrimSpace(in.TitleFR)
	in.Round = strings.TrimSpace(in.Round)
	in.RoundFR = strings.TrimSpace(in.RoundFR)
	in.DocRef = strings.TrimSpace(in.DocRef)
	in.URL = strings.TrimSpace(in.URL)
	in.Source = strings.TrimSpace(in.Source)
	if err := ValidateSlug("slug", in.Slug); err != nil {
		return err
	}
	if in.Title == "" {
		return required("title", "the title")
	}
	if err := checkLine("title", "the title", in.Title, MaxTitleLength); err != nil {
		return err
	}
	if err := checkLine("title_fr", "the French title", in.TitleFR, MaxTitleLength); err != nil {
		return err
	}
	if err := checkLine("round", "the monitoring round", in.Round, MaxRoundLength); err != nil {
		return err
	}
	if err := checkLine("round_fr", "the French name of the monitoring round", in.RoundFR, MaxRoundLength); err != nil {
		return err
	}
	if err := checkLine("doc_ref", "the document reference", in.DocRef, MaxDocRefLength); err != nil {
		return err
	}
	if err := CheckURL("url", in.URL); err != nil {
		return err
	}
	if err := checkLine("source", "the source", in.Source, MaxSourceLength); err != nil {
		return err
	}
	if !in.Kind.Valid() {
		return Invalid("kind", "%q is not a report kind (implementation_report, special_report, visit_report, other)", in.Kind)
	}
	if in.AdoptedOn.IsZero() {
		return required("adopted_on", "the adoption date")
	}
	if in.AdoptedOn.After(today) {
		return Refused("adopted_on", ReasonFuture, []string{in.AdoptedOn.String()}, "the adoption date %s is in the future", in.AdoptedOn)
	}
	if !in.FollowupDueOn.IsZero() && in.FollowupDueOn.Before(in.AdoptedOn) {
		return Refused("followup_due_on", ReasonBeforeAdoption, []string{in.FollowupDueOn.String(), in.AdoptedOn.String()},
			"the follow-up deadline %s is before the adoption date %s", in.FollowupDueOn, in.AdoptedOn)
	}
	codes, err := NormalizePartyCodes("parties", in.Parties)
	if err != nil {
		return err
	}
	in.Parties = codes
	return nil
}

// ReportPatch changes some fields of a report; nil fields stay as they are. A pointer to a
// zero Date clears that date.
type ReportPatch struct {
	Title         *string
	TitleFR       *string
	Kind          *ReportKind
	Round         *string
	RoundFR       *string
	DocRef        *string
	URL           *string
	Source        *string
	AdoptedOn     *Date
	FollowupDueOn *Date
	Parties       *[]string
	Archived      *bool
}

// Apply returns r with the patch applied, validated.
func (p ReportPatch) Apply(r Report, today Date) (Report, error) {
	in := ReportInput{Slug: r.Slug, Title: r.Title, TitleFR: r.TitleFR, Kind: r.Kind, Round: r.Round, RoundFR: r.RoundFR,
		DocRef: r.DocRef, URL: r.URL, Source: r.Source, AdoptedOn: r.AdoptedOn, FollowupDueOn: r.FollowupDueOn, Parties: r.Parties}
	setIf(&in.Title, p.Title)
	setIf(&in.TitleFR, p.TitleFR)
	setIf(&in.RoundFR, p.RoundFR)
	setIf(&in.URL, p.URL)
	setIf(&in.Source, p.Source)
	if p.Kind != nil {
		in.Kind = *p.Kind
	}
	if p.Round != nil {
		in.Round = *p.Round
	}
	if p.DocRef != nil {
		in.DocRef = *p.DocRef
	}
	if p.AdoptedOn != nil {
		in.AdoptedOn = *p.AdoptedOn
	}
	if p.FollowupDueOn != nil {
		in.FollowupDueOn = *p.FollowupDueOn
	}
	if p.Parties != nil {
		in.Parties = *p.Parties
		if len(in.Parties) == 0 {
			return r, Invalid("parties", "a report must cover at least one Party")
		}
	}
	if err := in.Validate(today); err != nil {
		return r, err
	}
	r.Title, r.TitleFR, r.Kind, r.Round, r.RoundFR, r.DocRef = in.Title, in.TitleFR, in.Kind, in.Round, in.RoundFR, in.DocRef
	r.URL, r.Source = in.URL, in.Source
	r.AdoptedOn, r.FollowupDueOn, r.Parties = in.AdoptedOn, in.FollowupDueOn, in.Parties
	if p.Archived != nil {
		r.Archived = *p.Archived
	}
	return r, nil
}

// Category says how strongly a recommendation is put.
type Category string

// Categories, strongest first.
const (
	Urge     Category = "urge"     // the situation must be brought into conformity
	Consider Category = "consider" // steps should be taken
	Invite   Category = "invite"   // encouraged
)

// Categories lists the categories, strongest first.
var Categories = []Category{Urge, Consider, Invite}

// Valid reports whether c is a known category.
func (c Category) Valid() bool { return c == Urge || c == Consider || c == Invite }

// CheckCategory refuses what is not a category: nothing given, or another word.
func CheckCategory(field string, c Category) error {
	switch {
	case c.Valid():
		return nil
	case c == "":
		return Refused(field, ReasonRequired, nil, "%q is not a category (urge, consider, invite)", c)
	}
	return Refused(field, ReasonNotCategory, []string{string(c)}, "%q is not a category (urge, consider, invite)", c)
}

// Recommendation is one recommendation of a report, addressed to some or all of its Parties.
type Recommendation struct {
	Report      string   `json:"report"` // the report's slug
	Label       string   `json:"label"`
	Category    Category `json:"category"`
	Text        string   `json:"text"`
	TextFR      string   `json:"text_fr"` // the French text; "" when there is none yet
	Articles    []string `json:"articles"`
	AddressedTo []string `json:"addressed_to"` // empty: every Party the report covers
	DueOn       Date     `json:"due_on"`       // overrides the report's deadline when set
	// EffectiveDueOn is DueOn or else the report's follow-up deadline.
	EffectiveDueOn Date `json:"effective_due_on"`
	// URL links to the document the recommendation is taken from; Source says where the
	// tracker's record of it comes from.
	URL           string    `json:"url"`
	Source        string    `json:"source"`
	Archived      bool      `json:"archived"`
	FollowupCount int       `json:"followup_count"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// RecommendationInput is what a caller gives to create a recommendation.
type RecommendationInput struct {
	Label       string
	Category    Category
	Text        string
	TextFR      string
	Articles    []string
	AddressedTo []string
	DueOn       Date
	URL         string
	Source      string
}

// articlePattern is an article number as the Convention prints it: from 1, without a leading
// zero, with an optional paragraph (12.2) and letter (5b).
var articlePattern = regexp.MustCompile(`^[1-9][0-9]{0,2}(?:\.[0-9]{1,2})?[a-z]?$`)

// ValidateLabel checks a recommendation label: free text such as R7, IV-3 or xv, but short,
// on one line and usable in a URL path segment.
func ValidateLabel(field, label string) error {
	if label == "" {
		return required(field, "the label")
	}
	if label == "." || label == ".." {
		return Refused(field, ReasonLabelDots, nil, "the label %q cannot be used in a URL", label)
	}
	if !utf8.ValidString(label) {
		return Refused(field, ReasonNotUTF8, nil, "the label %q is not valid UTF-8 text", label)
	}
	if utf8.RuneCountInString(label) > MaxLabelLength {
		return Refused(field, ReasonTooLong, []string{strconv.Itoa(utf8.RuneCountInString(label)), strconv.Itoa(MaxLabelLength)},
			"the label %q is longer than %d characters", label, MaxLabelLength)
	}
	for _, r := range label {
		if r == '/' || r == '?' || r == '#' || r == '%' || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			shown := string(r)
			if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
				shown = fmt.Sprintf("U+%04X", r)
			}
			return Refused(field, ReasonLabelChar, []string{shown}, "the label %q contains %q, which a label may not contain", label, r)
		}
	}
	if strings.TrimSpace(label) != label {
		return Refused(field, ReasonSpaces, nil, "the label %q starts or ends with a space", label)
	}
	return nil
}

// Validate checks the input and normalizes its lists.
func (in *RecommendationInput) Validate() error {
	if err := ValidateLabel("label", in.Label); err != nil {
		return err
	}
	if err := CheckCategory("category", in.Category); err != nil {
		return err
	}
	in.Text = normalizeNewlines(strings.TrimSpace(in.Text))
	if in.Text == "" {
		return required("text", "the text")
	}
	if err := checkMultiline("text", "the text", in.Text, MaxRecommendationTextLength); err != nil {
		return err
	}
	in.TextFR = normalizeNewlines(strings.TrimSpace(in.TextFR))
	if err := checkMultiline("text_fr", "the French text", in.TextFR, MaxRecommendationTextLength); err != nil {
		return err
	}
	in.URL, in.Source = strings.TrimSpace(in.URL), strings.TrimSpace(in.Source)
	if err := CheckURL("url", in.URL); err != nil {
		return err
	}
	if err := checkLine("source", "the source", in.Source, MaxSourceLength); err != nil {
		return err
	}
	arts := make([]string, 0, len(in.Articles))
	seen := map[string]bool{}
	for _, a := range in.Articles {
		a = strings.TrimSpace(a)
		if !articlePattern.MatchString(a) {
			return Refused("articles", ReasonNotArticle, []string{a}, "%q is not a Convention article number", a)
		}
		if !seen[a] {
			seen[a] = true
			arts = append(arts, a)
		}
	}
	in.Articles = arts
	codes, err := NormalizePartyCodes("addressed_to", in.AddressedTo)
	if err != nil {
		return err
	}
	in.AddressedTo = codes
	return nil
}

// RecommendationPatch changes some fields of a recommendation; nil fields stay as they are.
type RecommendationPatch struct {
	Category    *Category
	Text        *string
	TextFR      *string
	URL         *string
	Source      *string
	Articles    *[]string
	AddressedTo *[]string
	DueOn       *Date
	Archived    *bool
}

// Apply returns rec with the patch applied, validated.
func (p RecommendationPatch) Apply(rec Recommendation) (Recommendation, error) {
	in := RecommendationInput{Label: rec.Label, Category: rec.Category, Text: rec.Text, TextFR: rec.TextFR,
		Articles: rec.Articles, AddressedTo: rec.AddressedTo, DueOn: rec.DueOn, URL: rec.URL, Source: rec.Source}
	setIf(&in.TextFR, p.TextFR)
	setIf(&in.URL, p.URL)
	setIf(&in.Source, p.Source)
	if p.Category != nil {
		in.Category = *p.Category
	}
	if p.Text != nil {
		in.Text = *p.Text
	}
	if p.Articles != nil {
		in.Articles = *p.Articles
	}
	if p.AddressedTo != nil {
		in.AddressedTo = *p.AddressedTo
	}
	if p.DueOn != nil {
		in.DueOn = *p.DueOn
	}
	if err := in.Validate(); err != nil {
		return rec, err
	}
	rec.Category, rec.Text, rec.Articles, rec.AddressedTo, rec.DueOn = in.Category, in.Text, in.Articles, in.AddressedTo, in.DueOn
	rec.TextFR, rec.URL, rec.Source = in.TextFR, in.URL, in.Source
	if p.Archived != nil {
		rec.Archived = *p.Archived
	}
	return rec, nil
}

// AddresseesWithin checks that every addressee is one of the report's Parties and returns the
// Parties that get a follow-up: the addressees, or all the report's Parties when there are none.
func AddresseesWithin(addressedTo, reportParties []string) ([]string, error) {
	if len(addressedTo) == 0 {
		return reportParties, nil
	}
	covered := map[string]bool{}
	for _, c := range reportParties {
		covered[c] = true
	}
	for _, c := range addressedTo {
		if !covered[c] {
			return nil, NotCovered("addressed_to", c)
		}
	}
	return addressedTo, nil
}

// NormalizePartyCodes normalizes a list of Party codes and drops duplicates.
func NormalizePartyCodes(field string, codes []string) ([]string, error) {
	out := make([]string, 0, len(codes))
	seen := map[string]bool{}
	for _, c := range codes {
		n, err := NormalizePartyCode(field, c)
		if err != nil {
			return nil, err
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}
