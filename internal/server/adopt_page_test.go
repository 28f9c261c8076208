package server_test

import (
	"net/url"
	"strings"
	"testing"
)

// The adoption page adopts what is ticked, or everything ready when asked in so many words;
// nothing ticked is refused. The preview shows, per follow-up, the status adopted so far and
// the one to adopt, with the rapporteur's comment, then asks for confirmation. The API keeps
// "no labels" for every recommendation.
func TestAdoptionNeedsAnExplicitSelection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	assess := func(party, label, status, comment, on string) {
		t.Helper()
		e.expect(201, "POST", "/api/v1/followups/rep/"+label+"/"+party+"/assessments", "rapporteur",
			map[string]any{"status": status, "comment": comment, "assessed_on": on})
	}
	assess("FR", "R1", "not_implemented", "Nothing yet.", "2026-10-30")
	e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-01", "labels": []string{"R1"}})
	assess("FR", "R1", "partially_implemented", "Some progress: a bill is before Parliament.", "2026-11-20")
	assess("DE", "R1", "implemented", "The offence exists.", "2026-11-20")
	assess("HU", "R2", "no_information", "", "2026-11-20")

	sec := e.browser()
	sec.login("secretariat")
	p := sec.get("/manage/reports/rep/adopt").expect(t, 200, "adoption page")
	for _, want := range []string{`id="adopt-preview"`, `id="adopt-all-ready"`, `name="scope" value="all"`, "Adopt all ready… (3)"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the adoption page lacks %q", want)
		}
	}
	if strings.Contains(p.body, "Tick none") {
		t.Error("the page still says that ticking none adopts everything")
	}
	before := e.auditCount()
	for _, action := range []string{"preview", "confirm"} {
		p := sec.post("/manage/reports/rep/adopt", url.Values{"adopted_on": {"2026-11-25"}, "action": {action}})
		p.expect(t, 422, action+" with nothing ticked")
		if !strings.Contains(p.body, `<p class="field-error" id="labels-err">Tick the recommendations to adopt.</p>`) {
			t.Errorf("%s with nothing ticked: no message next to the recommendations: %s", action, between(p.body, "<fieldset", "</fieldset>"))
		}
	}
	if n := e.auditCount() - before; n != 0 {
		t.Fatalf("an adoption with nothing ticked wrote %d entries", n)
	}
	if fr := sec.do("POST", "/manage/reports/rep/adopt", url.Values{"adopted_on": {"2026-11-25"}, "action": {"preview"}}, map[string]string{"Accept-Language": "fr"}); !strings.Contains(fr.body, "Cochez les recommandations à adopter.") {
		t.Error("the French message is missing")
	}

	// The ticked recommendation: before → after, with the comment.
	p = sec.post("/manage/reports/rep/adopt", url.Values{"adopted_on": {"2026-11-25"}, "labels": {"R1"}, "action": {"preview"}}).expect(t, 200, "preview of R1")
	rowFR := between(p.body, `data-followup="R1/FR">`, "</tr>")
	for _, want := range []string{"Not implemented", "(1 November 2026)", "Partially implemented", "Some progress: a bill is before Parliament."} {
		if !strings.Contains(rowFR, want) {
			t.Errorf("the preview of R1/FR lacks %q: %s", want, rowFR)
		}
	}
	if !strings.Contains(between(rowFR, `class="before"`, "</td>"), "Not implemented") || !strings.Contains(between(rowFR, `class="after"`, "</td>"), "Partially implemented") {
		t.Errorf("before and after are not in their columns: %s", rowFR)
	}
	rowDE := between(p.body, `data-followup="R1/DE">`, "</tr>")
	if !strings.Contains(between(rowDE, `class="before"`, "</td>"), "Pending") || !strings.Contains(between(rowDE, `class="after"`, "</td>"), "Implemented") {
		t.Errorf("the preview of R1/DE: %s", rowDE)
	}
	if strings.Contains(p.body, `data-followup="R2/HU"`) {
		t.Error("the preview of R1 has R2")
	}
	confirm := between(p.body, `id="adopt-confirm"`, "</form>")
	if !strings.Contains(confirm, `name="labels" value="R1"`) || strings.Contains(confirm, `name="scope"`) || !strings.Contains(confirm, `name="adopted_on" value="2026-11-25"`) {
		t.Errorf("the confirmation form: %s", confirm)
	}
	if n := e.auditCount() - before; n != 0 {
		t.Fatalf("the preview wrote %d entries", n)
	}
	sec.post("/manage/reports/rep/adopt", url.Values{"adopted_on": {"2026-11-25"}, "labels": {"R1"}, "action": {"confirm"}}).expect(t, 303, "adopt R1")
	if f := e.expect(200, "GET", "/api/v1/followups/rep/R2/HU", "", nil).json(t); f["status"] != nil {
		t.Fatalf("adopting R1 adopted R2: %v", f)
	}

	// "Adopt all ready": what is left, explicitly.
	p = sec.post("/manage/reports/rep/adopt", url.Values{"adopted_on": {"2026-11-26"}, "scope": {"all"}, "action": {"preview"}}).expect(t, 200, "preview of all")
	if !strings.Contains(p.body, `data-followup="R2/HU"`) || strings.Contains(p.body, `data-followup="R1/FR"`) ||
		!strings.Contains(p.body, "Every recommendation with an assessment ready.") || !strings.Contains(between(p.body, `id="adopt-confirm"`, "</form>"), `name="scope" value="all"`) {
		t.Errorf("the preview of everything ready: %s", between(p.body, `class="preview"`, "</section>"))
	}
	sec.post("/manage/reports/rep/adopt", url.Values{"adopted_on": {"2026-11-26"}, "scope": {"all"}, "action": {"confirm"}}).expect(t, 303, "adopt all ready")
	if f := e.expect(200, "GET", "/api/v1/followups/rep/R2/HU", "", nil).json(t); f["status"] != "no_information" {
		t.Fatalf("after adopting all ready: %v", f)
	}

	// The API: no labels is every recommendation.
	assess("FR", "R1", "implemented", "", "2026-11-27")
	assess("HU", "R2", "not_implemented", "", "2026-11-27")
	if r := e.expect(200, "POST", "/api/v1/reports/rep/adopt", "secretariat", map[string]any{"adopted_on": "2026-11-28"}).json(t); r["adopted"] != float64(2) {
		t.Errorf("the API without labels adopted %v, want 2", r["adopted"])
	}
}
