package server

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"followup/internal/followup"
)

// The messages shown next to a form's fields come from the catalogue, in the page's language:
// one message per field and reason. The domain's own messages are written for the API and the
// logs (in English, naming codes and values). Most domain errors about dates and texts carry
// their reason and facts (followup.Error's Reason and Facts); for the others, the reason and
// the facts a reader needs, such as a Party of a conflict, are recognised in their message.

// invalidReason recognises a reason in a domain message; its groups are the facts to keep.
type invalidReason struct {
	name string
	re   *regexp.Regexp
}

// sizeRE is a size as followup.SizeText writes it.
const sizeRE = `[\d.]+ (?:bytes|KiB|MiB)`

// invalidReasons are the reasons recognised in the messages of errors without a Reason.
var invalidReasons = []invalidReason{
	{"taken", regexp.MustCompile(`already exists`)},
	{"none_chosen", regexp.MustCompile(`no recommendation was chosen`)},
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
	if reason, facts := followup.ErrorReason(err); reason != "" {
		if msg, ok := v.reasonMessage(field, reason, facts); ok {
			return msg
		}
		return v.fieldOnlyMessage(field)
	}
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
	return v.fieldOnlyMessage(field)
}

// fieldOnlyMessage is the catalogue's message for a field (invalid.FIELD), else a general one.
func (v *view) fieldOnlyMessage(field string) string {
	if text, ok := v.msgs.Lookup(v.Lang, "invalid."+field); ok {
		return text
	}
	return v.T("invalid.other")
}

// reasonMessage writes the message of a reason given by the domain (followup.Error.Reason):
// the catalogue's message for the field and the reason, invalid.FIELD.REASON, with the facts;
// else the reason's, invalid.REASON, which names the field (field.FIELD, else field.other)
// before the facts.
func (v *view) reasonMessage(field, reason string, facts []string) (string, bool) {
	args := make([]any, 0, len(facts)+1)
	for _, f := range facts {
		args = append(args, v.fact(f))
	}
	if text, ok := v.msgs.Lookup(v.Lang, "invalid."+field+"."+reason); ok && verbCount(text) == len(args) {
		return v.T("invalid."+field+"."+reason, args...), true
	}
	name, ok := v.msgs.Lookup(v.Lang, "field."+field)
	if !ok {
		name = v.T("field.other")
	}
	args = append([]any{name}, args...)
	if text, ok := v.msgs.Lookup(v.Lang, "invalid."+reason); ok && verbCount(text) == len(args) {
		return upperFirst(v.T("invalid."+reason, args...)), true
	}
	return "", false
}

// importCountCodes are the codes of import errors whose parameters are all counts, written with
// the page's digit grouping; the parameters of the others (rows, lines, labels, codes) are
// shown as they are.
var importCountCodes = map[string]bool{"too_many_rows": true, "header_cells": true, "cell_too_long": true,
	"row_cells": true, "xlsx_parts": true, "xlsx_long_token": true, "xlsx_strings": true, "xlsx_cells": true}

// ImportError is the reason of an import error for a reader, in the page's language: the
// catalogue's import.error.CODE with the error's parameters, or, for a reason of the domain's
// rules, the message a form shows for the column (reasonMessage). An error without a code
// shows its message.
func (v *view) ImportError(e followup.ImportError) string {
	if e.Code == "" {
		return e.Message
	}
	if key := "import.error." + e.Code; v.msgs.Has(key) {
		args := make([]any, len(e.Params))
		for i, p := range e.Params {
			args[i] = p
			if n, err := strconv.Atoi(p); err == nil && importCountCodes[e.Code] {
				args[i] = v.msgs.Number(v.Lang, n)
			}
		}
		return v.T(key, args...)
	}
	if msg, ok := v.reasonMessage(e.Column, e.Code, e.Params); ok {
		return msg
	}
	return v.fieldOnlyMessage(e.Column)
}

var verbRE = regexp.MustCompile(`%(?:\[(\d+)\])?s`)

// verbCount counts the arguments a catalogue text takes: its %s verbs, or the highest index of
// its %[n]s verbs.
func verbCount(text string) int {
	n, plain := 0, 0
	for _, m := range verbRE.FindAllStringSubmatch(text, -1) {
		if m[1] == "" {
			plain++
			continue
		}
		if i, _ := strconv.Atoi(m[1]); i > n {
			n = i
		}
	}
	return max(n, plain)
}

// upperFirst writes the first letter of a sentence in upper case: a message may start with
// the name of a field ("the text").
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// fact writes a fact of a domain error for a reader: a date in the page's language, a Party by
// its name, a number with the page's digit grouping.
func (v *view) fact(s string) string {
	if d, err := followup.ParseDate("date", s); err == nil {
		return v.Date(d)
	}
	if partyCodeRE.MatchString(s) {
		return v.Party(s)
	}
	if n, err := strconv.Atoi(s); err == nil {
		return v.msgs.Number(v.Lang, n)
	}
	return s
}
