package importer

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"followup/internal/followup"
	"followup/internal/importtest"
)

// A Parties file: codes normalised, names trimmed, an optional date of joining; each bad cell
// reported, a code twice reported on its second row.
func TestParseParties(t *testing.T) {
	text := "Code;Name EN;name-fr;joined_on\n" +
		"za;  South Africa ;Afrique du Sud;1996-06-16\n" +
		"BR;Brazil;Brésil;\n" +
		"XYZ;Nowhere;Nulle part;\n" +
		"NZ;New Zealand;;\n" +
		"BR;Brasil;Brésil;\n" +
		"AR;Argentina;Argentine;2020-13-01\n"
	var rows []followup.PartyRow
	sum, err := Parser{}.ParsePartiesStream(strings.NewReader(text), CSV, func(r followup.PartyRow) error { rows = append(rows, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Party != (followup.Party{Code: "ZA", NameEN: "South Africa", NameFR: "Afrique du Sud", JoinedOn: followup.MustDate("1996-06-16")}) ||
		rows[1].Party.Code != "BR" || !rows[1].Party.JoinedOn.IsZero() || rows[1].Row != 3 {
		t.Errorf("rows %+v", rows)
	}
	if !slices.Equal(sum.Columns, []string{"code", "name_en", "name_fr", "joined_on"}) {
		t.Errorf("columns %v", sum.Columns)
	}
	wantError(t, sum.Errors, 4, "code", "cell A4 (code)")
	wantError(t, sum.Errors, 5, "name_fr", "cell C5 (name_fr): the French name is required")
	wantError(t, sum.Errors, 6, "code", "the code BR is also in row 3")
	wantError(t, sum.Errors, 7, "joined_on", "cell D7 (joined_on)")
}

// Recommendations and assessments files take French texts and sources.
func TestFrenchTextsAndSources(t *testing.T) {
	b := ParseRecommendations([]byte("label,category,text,text_fr,source\nR1,urge,Do it.,Le faire.,Para. 12\n"), CSV)
	if len(b.Errors) != 0 || len(b.Rows) != 1 || b.Rows[0].Input.TextFR != "Le faire." || b.Rows[0].Input.Source != "Para. 12" ||
		!slices.Equal(b.Columns, []string{"label", "category", "text", "text_fr", "source"}) {
		t.Errorf("recommendations %+v %v", b.Rows, b.Errors)
	}
	a := ParseAssessments([]byte("label,party,status,assessed_on,comment,comment_fr,source\nR1,FR,implemented,2026-01-01,Done.,Fait.,T-ES(2026)01\n"), CSV, today)
	if len(a.Errors) != 0 || len(a.Rows) != 1 || a.Rows[0].Input.CommentFR != "Fait." || a.Rows[0].Input.Source != "T-ES(2026)01" {
		t.Errorf("assessments %+v %v", a.Rows, a.Errors)
	}
	// A source is one line.
	b = ParseRecommendations([]byte("label,category,text,source\nR1,urge,Do it.,\"two\nlines\"\n"), CSV)
	wantError(t, b.Errors, 2, "source", "cell D2 (source)")
}

// The domain's stream tells the columns before the first row, reports progress and stops at
// the first error of its functions.
func TestRecommendationStream(t *testing.T) {
	data := importtest.CSV(1000, importtest.Parties(20), 1)
	var events []string
	var progress []followup.ImportProgress
	stream := Parser{}.RecommendationStream(bytes.NewReader(data), CSV, func(p followup.ImportProgress) { progress = append(progress, p) })
	sum, err := stream(func(cols []string) error {
		events = append(events, "start:"+strings.Join(cols, ","))
		return nil
	}, func(r followup.RecommendationRow) error {
		if len(events) < 3 {
			events = append(events, r.Input.Label)
		}
		return nil
	})
	if err != nil || sum.Rows != 1000 || sum.ErrorsTotal != 0 {
		t.Fatalf("%v, %d rows, errors %v", err, sum.Rows, sum.Errors)
	}
	if want := []string{"start:" + strings.Join(importtest.Header, ","), "R1", "R2"}; !slices.Equal(events, want) {
		t.Errorf("events %v, want %v", events, want)
	}
	if len(progress) != 1000/progressEvery+1 || progress[0].Total != 1000 || !progress[len(progress)-1].Done {
		t.Errorf("progress %+v", progress)
	}
	stop := errors.New("stop")
	n := 0
	_, err = Parser{}.RecommendationStream(bytes.NewReader(data), CSV, nil)(func([]string) error { return nil }, func(followup.RecommendationRow) error {
		if n++; n == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 10 {
		t.Errorf("stopped with %v after %d rows", err, n)
	}
}
