package server

import (
	"net/url"
	"strings"

	"followup/internal/followup"
)

// selectionParams reads the part of a report a compliance summary is narrowed to: category=
// (one category) and party= (Party codes, repeatable or comma-separated), each Party one the
// report covers. Both empty mean the whole report.
func selectionParams(q url.Values, report followup.Report) (followup.Category, []string, error) {
	var category followup.Category
	for _, v := range splitValues(q["category"]) {
		c := followup.Category(strings.ToLower(v))
		if !c.Valid() {
			return "", nil, followup.Invalid("category", "%q is not a category (urge, consider, invite)", v)
		}
		if category != "" && c != category {
			return "", nil, followup.Invalid("category", "choose one category, not %s and %s", category, c)
		}
		category = c
	}
	covered := make(map[string]bool, len(report.Parties))
	for _, p := range report.Parties {
		covered[p] = true
	}
	var parties []string
	seen := map[string]bool{}
	for _, v := range splitValues(q["party"]) {
		code, err := followup.NormalizePartyCode("party", v)
		if err != nil {
			return "", nil, err
		}
		if !covered[code] {
			return "", nil, followup.NotCovered("party", code)
		}
		if !seen[code] {
			seen[code] = true
			parties = append(parties, code)
		}
	}
	return category, parties, nil
}

// splitValues splits repeated and comma-separated values, dropping empty ones.
func splitValues(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// asOfParam reads the "as of" date of a compliance summary: empty for today, and never a day to
// come, whose picture does not exist yet.
func asOfParam(value string, today followup.Date) (followup.Date, error) {
	d, err := dateField("as_of", value)
	if err == nil {
		err = followup.CheckNotFuture("as_of", d, today)
	}
	return d, err
}
