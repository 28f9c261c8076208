package export

import (
	"io"
	"strings"

	"followup/internal/followup"
)

// localized is a bilingual field in the export's language: the French text in French, or the
// English one marked "(en anglais)" where the French is missing (followup.Localized); English
// exports have the English text only.
func localized(lang, en, fr string) string {
	text, fallback := followup.Localized(lang, en, fr)
	if fallback {
		return text + " " + tr(lang, "content.in_english")
	}
	return text
}

// reportTitle is a report's title in the export's language.
func reportTitle(lang string, r followup.Report) string { return localized(lang, r.Title, r.TitleFR) }

// searchRow is one result of a search as the downloads write it.
func searchRow(l string, d followup.SearchExport, h followup.RecommendationHit) []string {
	addressed := tr(l, "export.search.all_parties")
	if len(h.AddressedTo) > 0 {
		names := make([]string, len(h.AddressedTo))
		for i, c := range h.AddressedTo {
			names[i] = partyName(l, d.Parties, c)
		}
		addressed = strings.Join(names, "; ")
	}
	return []string{h.Report, localized(l, h.ReportTitle, h.ReportTitleFR), localized(l, h.Round, h.RoundFR), h.Label,
		categoryText(l, h.Category), localized(l, h.Text, h.TextFR), strings.Join(h.Articles, "; "), addressed,
		h.EffectiveDueOn.String()}
}

var searchColumns = []string{"report", "report_title", "round", "label", "category", "recommendation", "articles", "addressed_to", "due_on"}

// SearchCSV writes the results of a search, one row per recommendation, every cell neutralised
// (SafeCell) as in the other exports.
func SearchCSV(w io.Writer, d followup.SearchExport) error {
	l := normLang(d.Lang)
	rows := make([][]string, 0, len(d.Hits))
	for _, h := range d.Hits {
		rows = append(rows, searchRow(l, d, h))
	}
	return writeCSV(w, headers(l, searchColumns...), rows)
}

// SearchXLSX writes the results of a search on one sheet, with the query in the banner and a
// sheet of metadata.
func SearchXLSX(w io.Writer, d followup.SearchExport) error {
	l := normLang(d.Lang)
	b := newBook(l, false, tr(l, "export.search.banner", len(d.Hits)), tr(l, "export.search.title"))
	s := b.sheet(tr(l, "export.search.sheet"), len(searchColumns))
	titles := make([]string, len(searchColumns))
	for i, c := range searchColumns {
		titles[i] = tr(l, "export.csv."+c)
	}
	b.header(s, 2, titles...)
	for i, h := range d.Hits {
		r := i + 3
		for col, v := range searchRow(l, d, h) {
			style := b.textStyle
			if col == 5 || col == 1 {
				style = b.wrapStyle
			}
			b.set(s, col+1, r, v, style)
		}
	}
	b.widths(s, 18, 40, 20, 10, 12, 80, 12, 30, 12)
	b.freeze(s, 0, 2)
	b.autofilter(s, 2, len(searchColumns), len(d.Hits)+2)
	m := b.sheet(tr(l, "export.search.query_sheet"), 2)
	b.metadata(m, [][2]string{
		{tr(l, "export.search.query"), searchQueryText(d.Query)},
		{tr(l, "export.search.count"), itoa(len(d.Hits))},
		{tr(l, "export.meta.generated_at"), generatedText(d.GeneratedAt)},
	})
	return b.write(w)
}

// searchQueryText writes the query as the parameters of its address, for the metadata.
func searchQueryText(q followup.RecommendationQuery) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("q", q.Q)
	add("report", q.Report)
	add("round", q.Round)
	add("category", string(q.Category))
	add("article", q.Article)
	add("party", q.Party)
	add("status", q.Status)
	if q.Open != nil {
		add("open", map[bool]string{true: "true", false: "false"}[*q.Open])
	}
	if q.Overdue != nil {
		add("overdue", map[bool]string{true: "true", false: "false"}[*q.Overdue])
	}
	add("sort", string(q.Sort))
	return strings.Join(parts, " & ")
}
