package followup

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits of the text fields, in characters. They are far above what the Committee's
// documents need and keep a single field from filling a page, an export cell or the database.
const (
	MaxPartyNameLength          = 200
	MaxTitleLength              = 500
	MaxRoundLength              = 200
	MaxDocRefLength             = 100
	MaxLabelLength              = 32
	MaxRecommendationTextLength = 20000
	MaxSubmissionTextLength     = 100000
	MaxCommentLength            = 20000
	MaxUserNameLength           = 200
	MaxTokenNameLength          = 200
	MaxEmailLength              = 254 // the longest address SMTP can carry (RFC 5321)
	MaxSourceLength             = 500
	MaxURLLength                = 2000
	MaxOrganisationLength       = 200
	MaxQuestionLength           = 20000
	MaxFileNameLength           = 200
)

// checkLine checks a one-line text: valid UTF-8, no control character (tab and line breaks
// included), no Unicode line or paragraph separator, at most max characters. what names the
// field for people ("the title").
func checkLine(field, what, s string, max int) error {
	return checkText(field, what, s, max, false)
}

// checkMultiline checks a text that may have several lines: as checkLine, but line breaks and
// tabs are allowed. Call normalizeNewlines first, so that a carriage return is a line break.
func checkMultiline(field, what, s string, max int) error {
	return checkText(field, what, s, max, true)
}

// Control characters end up raw in CSV exports, break the lines of PDFs and hide text on
// pages; text arrives as UTF-8, and anything else would be stored as garbage.
func checkText(field, what, s string, max int, multiline bool) error {
	if !utf8.ValidString(s) {
		return Refused(field, ReasonNotUTF8, nil, "%s is not valid UTF-8 text", what)
	}
	n := 0
	for _, r := range s {
		n++
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			at := []string{strconv.Itoa(n)}
			if multiline {
				return Refused(field, ReasonControl, at, "%s contains %s at character %d; control characters other than line breaks and tabs are not allowed", what, describeRune(r), n)
			}
			return Refused(field, ReasonNotOneLine, at, "%s contains %s at character %d; it must be one line of text without control characters", what, describeRune(r), n)
		}
	}
	if n > max {
		return Refused(field, ReasonTooLong, []string{strconv.Itoa(n), strconv.Itoa(max)}, "%s has %d characters; at most %d are allowed", what, n, max)
	}
	return nil
}

// required refuses an empty required value; what names the field for people ("the title").
func required(field, what string) error {
	return Refused(field, ReasonRequired, nil, "%s is required", what)
}

// normalizeNewlines turns CR LF and lone CR into LF: browsers send the lines of a text area
// separated by CR LF.
// NormalizeText returns a multi-line text as it is stored: trimmed, with every line break "\n".
func NormalizeText(s string) string { return normalizeNewlines(strings.TrimSpace(s)) }

func normalizeNewlines(s string) string {
	if !strings.ContainsRune(s, '\r') {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

var runeNames = map[rune]string{
	0x00: "a NUL character", '\t': "a tab", '\n': "a line break", '\v': "a vertical tab", '\f': "a form feed",
	'\r': "a carriage return", 0x1b: "an escape character", 0x7f: "a delete character",
	'\u2028': "a line separator", '\u2029': "a paragraph separator",
}

// describeRune names a character that may not be used, with its code point.
func describeRune(r rune) string {
	if name, ok := runeNames[r]; ok {
		return fmt.Sprintf("%s (U+%04X)", name, r)
	}
	return fmt.Sprintf("the control character U+%04X", r)
}

// NormalizeTokenName trims the name of an API token and checks it: one line of at most 200
// characters. An empty name is allowed (the store then names the token "api").
func NormalizeTokenName(field, name string) (string, error) {
	name = strings.TrimSpace(name)
	return name, checkLine(field, "the token name", name, MaxTokenNameLength)
}

// CheckURL checks an optional link to a document: empty, or an absolute http or https URL of at
// most 2,000 characters on one line. Pages show it as a link, so nothing else (javascript:,
// data:) may pass.
func CheckURL(field, s string) error {
	if s == "" {
		return nil
	}
	if err := checkLine(field, "the link", s, MaxURLLength); err != nil {
		return err
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(s, " <>\"\\") {
		return Refused(field, ReasonNotURL, nil, "%q is not a web address: give an absolute http:// or https:// link", s)
	}
	return nil
}

// Counted writes a count with the English noun it counts: "1 error", "2 errors". (Pages and
// e-mails take their plurals from the catalogues; this is for the API's and the command line's
// English messages.)
func Counted(n int, one, other string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + other
}

// setIf sets *dst to *v when v is not nil: the fields a patch gives.
func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// Localized returns the text of a bilingual field in lang: the French text on French pages
// when there is one; otherwise the English text, with fallback true when French was asked for,
// so that the page can say the text is in English. English pages show the English text only.
func Localized(lang, en, fr string) (text string, fallback bool) {
	if lang != "fr" {
		return en, false
	}
	if fr != "" {
		return fr, false
	}
	return en, en != ""
}
