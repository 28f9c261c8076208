package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// decodeJSON reads a JSON object of at most maxBodyBytes into dst, rejecting unknown fields and
// trailing data. An empty body decodes as {} when allowEmpty. Before decoding, the body is
// checked for what encoding/json would let through silently: a body that is not an object,
// a key given twice (the last would win), text that is not UTF-8 or a lone UTF-16 surrogate
// escape (either would become U+FFFD), and nesting deeper than maxJSONDepth.
func decodeJSON(c *gin.Context, dst any, allowEmpty bool) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return followup.Errorf(followup.ETooLarge, "the request body is larger than %d bytes", maxBodyBytes)
		}
		return followup.Errorf(followup.EBadRequest, "the request body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if allowEmpty {
			return nil
		}
		return followup.Errorf(followup.EBadRequest, "the request body is empty; send a JSON object")
	}
	badAt, problem := firstBadText(body)
	keyAtBad, err := checkJSONShape(body, badAt)
	if err != nil {
		return err
	}
	if badAt >= 0 {
		return &followup.Error{Code: followup.EBadRequest, Field: keyAtBad,
			Message: fmt.Sprintf("the request body %s at byte %d", problem, badAt)}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return followup.Errorf(followup.EBadRequest, "the request body has data after the JSON object")
	}
	return nil
}

// maxJSONDepth bounds the nesting of a request body: the API's objects hold lists of strings
// at most.
const maxJSONDepth = 16

// firstBadText returns the offset of the first thing in body that is not text, and what it is:
// a byte that is not UTF-8, or a \u escape of a UTF-16 surrogate that is not half of a pair.
// It returns -1 when there is none.
func firstBadText(body []byte) (int, string) {
	inString := false
	for i := 0; i < len(body); {
		b := body[i]
		if b >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && size == 1 {
				return i, "is not valid UTF-8"
			}
			i += size
			continue
		}
		switch {
		case b == '"':
			inString = !inString
		case b == '\\' && inString:
			if i+1 < len(body) && body[i+1] == 'u' {
				if r, ok := hex4(body[i+2:]); ok && utf16.IsSurrogate(rune(r)) {
					if r < 0xdc00 && i+12 <= len(body) && body[i+6] == '\\' && body[i+7] == 'u' {
						if low, ok := hex4(body[i+8:]); ok && low >= 0xdc00 && low <= 0xdfff {
							i += 12
							continue
						}
					}
					return i, fmt.Sprintf("has the escape %s of a lone UTF-16 surrogate, which is not a character", body[i:i+6])
				}
			}
			i += 2 // the escaped character, so that \" and \\ are not read as syntax
			continue
		}
		i++
	}
	return -1, ""
}

// hex4 reads the four hexadecimal digits of a \u escape.
func hex4(b []byte) (uint16, bool) {
	if len(b) < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[:4]), 16, 16)
	return uint16(v), err == nil
}

// jsonFrame is an object or array being walked by checkJSONShape.
type jsonFrame struct {
	object    bool
	expectKey bool
	key       string            // the member being read, in an object
	keys      map[string]string // folded key → key as written
}

// checkJSONShape walks the tokens of body: it must be one JSON object, nested at most
// maxJSONDepth deep, with no key twice in an object. Keys are compared as encoding/json
// matches them to fields, without regard to case, so that "text" and "Text" are the same key.
// badAt is the offset of a character that is not text (-1 for none): the walk returns the key
// of the innermost object member that holds it. A syntax error ends the walk without an error:
// decoding reports it.
func checkJSONShape(body []byte, badAt int) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var stack []*jsonFrame
	keyAtBad, located := "", badAt < 0
	for first := true; ; first = false {
		tok, err := dec.Token()
		if err != nil {
			return keyAtBad, nil
		}
		if first {
			if d, ok := tok.(json.Delim); !ok || d != '{' {
				return "", followup.Errorf(followup.EBadRequest, "the request body must be a JSON object, not %s", jsonTokenKind(tok))
			}
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if !located && dec.InputOffset() > int64(badAt) {
			located = true
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i].object && stack[i].key != "" {
					keyAtBad = stack[i].key
					break
				}
			}
			if top != nil && top.object && top.expectKey {
				keyAtBad = "" // the bad character is in a key
			}
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return keyAtBad, nil
			}
			continue
		}
		if top != nil && top.object {
			if top.expectKey {
				key, _ := tok.(string)
				folded := foldKey(key)
				if earlier, dup := top.keys[folded]; dup {
					msg := fmt.Sprintf("the key %q appears twice in an object of the request body", key)
					if earlier != key {
						msg = fmt.Sprintf("the key %q appears twice in an object of the request body (first as %q: keys are matched without regard to case)", key, earlier)
					}
					return "", &followup.Error{Code: followup.EBadRequest, Field: key, Message: msg}
				}
				top.keys[folded] = key
				top.key, top.expectKey = key, false
				continue
			}
			top.expectKey = true
		}
		if d, ok := tok.(json.Delim); ok {
			if len(stack) == maxJSONDepth {
				return "", followup.Errorf(followup.EBadRequest, "the request body is nested more than %d levels deep", maxJSONDepth)
			}
			stack = append(stack, &jsonFrame{object: d == '{', expectKey: d == '{', keys: map[string]string{}})
		}
	}
}

// jsonTokenKind names the kind of value a token starts.
func jsonTokenKind(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "something else"
}

// foldKey folds a key so that two keys fold alike exactly when strings.EqualFold says they are
// equal: each character becomes the smallest of its Unicode case-folding orbit.
func foldKey(key string) string {
	var b strings.Builder
	for _, r := range key {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return followup.Errorf(followup.EBadRequest, "the request body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typeErr):
		return &followup.Error{Code: followup.EBadRequest, Field: typeErr.Field,
			Message: fmt.Sprintf("%s must be a JSON %s", typeErr.Field, jsonKind(typeErr.Type.Kind().String()))}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return followup.Errorf(followup.EBadRequest, "the request body is cut short")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &followup.Error{Code: followup.EBadRequest, Field: field, Message: fmt.Sprintf("unknown field %q", field)}
	}
	return followup.Errorf(followup.EBadRequest, "the request body is not a valid JSON object")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice":
		return "array"
	case "struct", "map":
		return "object"
	}
	return "number"
}

// dateField parses an optional date from a request field.
func dateField(field, value string) (followup.Date, error) {
	return followup.ParseOptionalDate(field, strings.TrimSpace(value))
}

// datePatch parses a PATCH date: absent leaves it, "" clears it.
func datePatch(field string, value *string) (*followup.Date, error) {
	if value == nil {
		return nil, nil
	}
	d, err := dateField(field, *value)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// boolQuery reads an optional boolean query parameter.
func boolQuery(c *gin.Context, name string) (*bool, error) {
	v, ok := c.GetQuery(name)
	if !ok || v == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, followup.Invalid(name, "%q is not true or false", v)
	}
	return &b, nil
}

// followUpKey reads the follow-up named by the path.
func followUpKey(c *gin.Context) followup.FollowUpKey {
	return followup.FollowUpKey{Report: c.Param("slug"), Label: c.Param("label"), Party: strings.ToUpper(c.Param("party"))}
}
