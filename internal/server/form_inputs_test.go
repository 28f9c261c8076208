package server

import (
	"net/url"
	"slices"
	"testing"

	"followup/internal/followup"
)

func TestFormInputs(t *testing.T) {
	in, err := reportInputFrom(url.Values{"slug": {"r"}, "title": {"T"}, "title_fr": {"TF"}, "kind": {"other"}, "round": {"1"}, "round_fr": {"1er"},
		"adopted_on": {"2020-01-02"}, "parties_mode": {"some"}, "parties": {"FR", "DE"}})
	if err != nil || in.TitleFR != "TF" || in.RoundFR != "1er" || in.AdoptedOn.String() != "2020-01-02" || !slices.Equal(in.Parties, []string{"FR", "DE"}) {
		t.Errorf("report input %+v, %v", in, err)
	}
	for _, c := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"parties_mode": {"some"}}, "parties"},
		{url.Values{"adopted_on": {"2020-13-01"}}, "adopted_on"},
		{url.Values{"adopted_on": {"2020-01-01"}, "followup_due_on": {"x"}}, "followup_due_on"},
	} {
		if _, err := reportInputFrom(c.form); followup.ErrorField(err) != c.field {
			t.Errorf("%v: %v, want an error on %s", c.form, err, c.field)
		}
	}
	p, err := reportPatchFrom(url.Values{"title": {"T"}, "title_fr": {""}, "archived": {"on"}})
	if err != nil || *p.TitleFR != "" || !*p.Archived || p.Parties == nil || len(*p.Parties) != 0 {
		t.Errorf("report patch %+v, %v", p, err)
	}
	rin, err := recommendationInputFrom(url.Values{"label": {" R1 "}, "category": {"urge"}, "text": {"x"}, "text_fr": {"y"}, "articles": {"18, 23"}})
	if err != nil || rin.Label != "R1" || rin.TextFR != "y" || !slices.Equal(rin.Articles, []string{"18", "23"}) {
		t.Errorf("recommendation input %+v, %v", rin, err)
	}
	rp, err := recommendationPatchFrom(url.Values{"text_fr": {"y"}, "addressees_mode": {"some"}, "addressed_to": {"HU"}})
	if err != nil || *rp.TextFR != "y" || !slices.Equal(*rp.AddressedTo, []string{"HU"}) {
		t.Errorf("recommendation patch %+v, %v", rp, err)
	}
	if _, err := recommendationPatchFrom(url.Values{"addressees_mode": {"some"}}); followup.ErrorField(err) != "addressed_to" {
		t.Errorf("no addressee: %v", err)
	}
	a, err := assessmentInputFrom(url.Values{"status": {"implemented"}, "comment": {"c"}, "comment_fr": {"cf"}, "assessed_on": {"2024-02-03"}})
	if err != nil || a.CommentFR != "cf" || a.AssessedOn.String() != "2024-02-03" || a.Status != followup.Implemented {
		t.Errorf("assessment input %+v, %v", a, err)
	}
	if _, err := assessmentInputFrom(url.Values{"assessed_on": {"3 Feb"}}); followup.ErrorField(err) != "assessed_on" {
		t.Errorf("bad date: %v", err)
	}
}
