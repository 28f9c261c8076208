package server

import (
	"regexp"
	"strings"

	"followup/internal/followup"
)

// The messages shown next to a form's fields come from the catalogue, in the page's language:
// one message per field and reason. The domain's own messages are written for the API and the
// logs (in English, naming codes and values); the facts they carry that a reader needs, such as
// the dates of a conflict, are taken from them and written in the page's language.

// invalidReason recognises a reason in a domain message; its groups are the facts to keep.
type invalidReason struct {
	name string
	re   *regexp.Regexp
}

const dateRE = `(\d{4}-\d{2}-\d{2})`

// sizeRE is a size as followup.SizeText writes it.
const sizeRE = `[\d.]+ (?:bytes|KiB|MiB)`

var invalidReasons = []invalidReason{
	{"future", regexp.MustCompile(dateRE + ` is in the future`)},
	{"date_format", regexp.MustCompile(`is not a date in the form YYYY-MM-DD|a date must be a string`)},
	{"date_early", regexp.MustCompile(`is before 1900`)},
	{"assessed_later", regexp.MustCompile(`is dated ` + dateRE + `, after the adoption date ` + dateRE)},
	{"adopted_later", regexp.MustCompile(`already has an assessment adopted on ` + dateRE + `, after ` + dateRE)},
	{"before_adoption", regexp.MustCompile(`deadline ` + dateRE + ` is before the adoption date ` + dateRE)},
	{"too_long", regexp.MustCompile(`is longer than (\d+) characters`)},
	{"taken", regexp.MustCompile(`already exists`)},
	{"none_chosen", regexp.MustCompile(`no recommendation was chosen`)},
	{"not_covered", regexp.MustCompile(`\b([A-Z]{2}) is not one of the Parties the report covers`)},
	{"unknown_party", regexp.MustCompile(`\b([A-Z]{2}) is not a known Party`)},
	{"still_addressed", regexp.MustCompile(`\b([A-Z]{2}) cannot be removed: recommendation (.+) is addressed to it`)},
	// Files refused by a submission form (evidence.go, internal/sniff), with the file's name.
	{"file_too_large", regexp.MustCompile(`^the file (.+) is larger than 20 MiB$`)},
	{"files_too_large", regexp.MustCompile(`add up to more than 50 MiB`)},
	{"too_many_files", regexp.MustCompile(`^a submission has at most (\d+) files$`)},
	{"empty_file", regexp.MustCompile(`^the file (.+) is empty$`)},
	{"file_macros", regexp.MustCompile(`^the file (.+?): the document carries macros`)},
	{"file_not_text", regexp.MustCompile(`^the file (.+?): the (?:content is binary|text is not UTF-8)`)},
	{"file_type", regexp.MustCompile(`^the file (.+?): the content is [^(]*\(([^;)]+)[^)]*\), which is not accepted`)},
	{"file_archive", regexp.MustCompile(`^the file (.+?): (?:the content starts as a zip|the content is a zip archive|the archive)`)},
	{"held", regexp.MustCompile(`keep (\d+) uploaded file\(s\) \((` + sizeRE + `)\) waiting for confirmation, and with this one \((` + sizeRE + `)\) they would pass the (` + sizeRE + `)`)},
	{"busy", regexp.MustCompile(`busy with (\d+) other imports`)},
}

var partyCodeRE = regexp.MustCompile(`^[A-Z]{2}$`)

// fieldMessage is the message of an EInvalid error for a reader, in the page's language: the
// catalogue's message for the field and the reason (invalid.FIELD.REASON), else for the reason
// (invalid.REASON), else for the field (invalid.FIELD), else a general one.
func (v *view) fieldMessage(err error) string {
	field := followup.ErrorField(err)
	msg := followup.ErrorMessage(err)
	for _, r := range invalidReasons {
		m := r.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		args := make([]any, len(m)-1)
		for i, fact := range m[1:] {
			args[i] = v.fact(fact)
		}
		for _, key := range []string{"invalid." + field + "." + r.name, "invalid." + r.name} {
			if text, ok := v.msgs.Lookup(v.Lang, key); ok && strings.Count(text, "%s") == len(args) {
				return v.T(key, args...)
			}
		}
		break
	}
	if text, ok := v.msgs.Lookup(v.Lang, "invalid."+field); ok {
		return text
	}
	return v.T("invalid.other")
}

// fact writes a fact taken from a domain message for a reader: a date in the page's language,
// a Party by its name.
func (v *view) fact(s string) string {
	if d, err := followup.ParseDate("date", s); err == nil {
		return v.Date(d)
	}
	if partyCodeRE.MatchString(s) {
		return v.Party(s)
	}
	return s
}
