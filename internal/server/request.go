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

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// decodeJSON reads a JSON object of at most maxBodyBytes into dst, rejecting unknown fields and
// trailing data. An empty body decodes as {} when allowEmpty.
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
