package export

import (
	_ "embed"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"followup/internal/followup"
)

// DejaVu Sans, from Debian's fonts-dejavu-core (licence in fonts/LICENSE): a Unicode font, so
// that Party names and French text print as they are (Türkiye, Macédoine du Nord).
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

const (
	fontFamily = "DejaVu"
	marginX    = 15.0
	marginTop  = 24.0
	marginBot  = 16.0
	cellPad    = 1.0 // the cell margin: text starts this far from a cell's left edge
	ptToMM     = 25.4 / 72
)

type rgb struct{ r, g, b int }

func hexRGB(h string) rgb {
	v, err := strconv.ParseUint(strings.TrimPrefix(h, "#"), 16, 32)
	if err != nil {
		return rgb{255, 255, 255}
	}
	return rgb{int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)}
}

var (
	colText     = rgb{0x20, 0x20, 0x20}
	colMuted    = rgb{0x60, 0x60, 0x60}
	colRule     = rgb{0xA0, 0xA0, 0xA0}
	colHeadFill = rgb{0xE4, 0xE4, 0xE4}
	colDraft    = rgb{0xC0, 0x00, 0x00}
	colBar      = rgb{0x3B, 0x5F, 0x8F}
	colBarBack  = rgb{0xEE, 0xEE, 0xEE}
)

// pdfDoc is an A4 document with the exports' page header (title, "as of", DRAFT banner),
// footer (generation time, page numbers) and DRAFT watermark.
type pdfDoc struct {
	pdf    *fpdf.Fpdf
	lang   string
	draft  bool
	head   string // left of the page header
	asOf   string // right of the page header
	gen    string
	orient string // orientation of the current page: "P" or "L"
	// onBreak redraws what must be repeated at the top of a new page (a table's header).
	onBreak func()
}

func newPDF(lang, title, head string, asOf followup.Date, draft bool, generated time.Time) *pdfDoc {
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	p := &pdfDoc{pdf: pdf, lang: lang, draft: draft, head: head,
		asOf: tr(lang, "export.meta.as_of") + " " + asOf.String(), gen: generatedText(generated), orient: "P"}
	pdf.AliasNbPages("{nb}") // before the fonts, so that their subsets keep the digits
	pdf.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	pdf.SetTitle(title, true)
	pdf.SetCreator("Follow-up Tracker", true)
	pdf.SetLang(lang)
	if !generated.IsZero() {
		pdf.SetCreationDate(generated.UTC())
		pdf.SetModificationDate(generated.UTC())
	}
	pdf.SetMargins(marginX, marginTop, marginX)
	pdf.SetAutoPageBreak(false, marginBot) // pages are broken by need(), which repeats headers
	pdf.SetCellMargin(cellPad)
	pdf.SetHeaderFuncMode(p.header, true)
	pdf.SetFooterFunc(p.footer)
	p.font(false, 9)
	return p
}

// clean makes text printable with the embedded font: tabs and carriage returns become spaces,
// other control characters go, and runes beyond the Basic Multilingual Plane (which the font
// tables do not index) become U+FFFD. Newlines are kept for wrapping.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return -1
		case r >= 0xffff:
			return '\uFFFD'
		}
		return r
	}, s)
}

func (p *pdfDoc) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	p.pdf.SetFont(fontFamily, style, size)
}

func (p *pdfDoc) color(c rgb)     { p.pdf.SetTextColor(c.r, c.g, c.b) }
func (p *pdfDoc) fill(c rgb)      { p.pdf.SetFillColor(c.r, c.g, c.b) }
func (p *pdfDoc) drawColor(c rgb) { p.pdf.SetDrawColor(c.r, c.g, c.b) }

func (p *pdfDoc) pageWidth() float64 {
	w, _ := p.pdf.GetPageSize()
	return w - 2*marginX
}

func (p *pdfDoc) pageWidthFor(orient string) float64 {
	if orient == "L" {
		return 297 - 2*marginX
	}
	return 210 - 2*marginX
}

func (p *pdfDoc) bottom() float64 {
	_, h := p.pdf.GetPageSize()
	return h - marginBot
}

// fit truncates s with an ellipsis so that it fits in w (current font, cell margins included).
func (p *pdfDoc) fit(s string, w float64) string {
	s = strings.ReplaceAll(clean(s), "\n", " ")
	max := w - 2*cellPad
	if p.pdf.GetStringWidth(s) <= max {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && p.pdf.GetStringWidth(string(r)+"…") > max {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

func (p *pdfDoc) header() {
	pdf := p.pdf
	pw, _ := pdf.GetPageSize()
	w := pw - 2*marginX
	p.font(false, 7.5)
	p.color(colMuted)
	asOfW := pdf.GetStringWidth(p.asOf) + 2*cellPad + 2
	pdf.SetXY(marginX, 8)
	pdf.CellFormat(w-asOfW, 5, p.fit(p.head, w-asOfW), "", 0, "L", false, 0, "")
	pdf.CellFormat(asOfW, 5, p.asOf, "", 0, "R", false, 0, "")
	y := 14.0
	if p.draft {
		p.font(true, 8)
		p.fill(colDraft)
		pdf.SetTextColor(255, 255, 255)
		pdf.SetXY(marginX, 14)
		pdf.CellFormat(w, 5.5, p.fit(tr(p.lang, "export.draft_note"), w), "", 0, "C", true, 0, "")
		y = 21
	}
	p.drawColor(colRule)
	pdf.SetLineWidth(0.2)
	pdf.Line(marginX, y, marginX+w, y)
	p.color(colText)
}

func (p *pdfDoc) footer() {
	pdf := p.pdf
	pw, ph := pdf.GetPageSize()
	w := pw - 2*marginX
	p.font(false, 7)
	p.color(colMuted)
	pdf.SetXY(marginX, ph-11)
	if p.gen != "" {
		pdf.CellFormat(w-40, 4, tr(p.lang, "export.meta.generated_at")+" "+p.gen, "", 0, "L", false, 0, "")
	}
	page := fmt.Sprintf("%s %d / {nb}", tr(p.lang, "export.page"), pdf.PageNo())
	pdf.SetXY(marginX+w-24, ph-11)
	pdf.CellFormat(24, 4, page, "", 0, "L", false, 0, "")
	if p.draft {
		// The watermark goes on top of the page's content, translucent.
		mark := tr(p.lang, "export.draft")
		pdf.SetAlpha(0.13, "Normal")
		p.font(true, 110)
		p.color(colDraft)
		tw := pdf.GetStringWidth(mark)
		angle := math.Atan2(ph, pw) * 180 / math.Pi
		pdf.TransformBegin()
		pdf.TransformRotate(angle, pw/2, ph/2)
		pdf.Text(pw/2-tw/2, ph/2+14, mark)
		pdf.TransformEnd()
		pdf.SetAlpha(1, "Normal")
	}
	p.color(colText)
}

// addPage starts a page in the given orientation ("P" or "L").
func (p *pdfDoc) addPage(orient string) {
	p.orient = orient
	p.pdf.AddPageFormat(orient, p.pdf.GetPageSizeStr("A4"))
	p.pdf.SetXY(marginX, marginTop)
}

// need starts a new page (of the same orientation) unless h mm are left on this one, and then
// calls onBreak to repeat a table's header. It reports whether it broke the page.
func (p *pdfDoc) need(h float64) bool {
	if p.pdf.GetY()+h <= p.bottom() {
		return false
	}
	p.addPage(p.orient)
	if p.onBreak != nil {
		p.onBreak()
	}
	return true
}

func (p *pdfDoc) lineH(size float64) float64 { return size * ptToMM * 1.25 }

// heading writes a section title, keeping room for some of what follows.
func (p *pdfDoc) heading(text string, keep float64) {
	p.onBreak = nil
	p.font(true, 12)
	lines := p.pdf.SplitText(strings.ReplaceAll(clean(text), "\n", " "), p.pageWidth())
	if len(lines) > 3 {
		lines = append(lines[:2], p.fit(strings.Join(lines[2:], " "), p.pageWidth()))
	}
	p.need(3 + 6*float64(len(lines)) + keep)
	p.pdf.Ln(2)
	p.color(colText)
	for _, line := range lines {
		p.pdf.SetX(marginX)
		p.pdf.CellFormat(p.pageWidth(), 6, line, "", 1, "L", false, 0, "")
	}
	p.pdf.Ln(1)
}

// paragraph writes wrapped text.
func (p *pdfDoc) paragraph(text string, size float64, c rgb) {
	p.font(false, size)
	p.color(c)
	lh := p.lineH(size)
	for _, line := range p.pdf.SplitText(clean(text), p.pageWidth()) {
		p.need(lh)
		p.pdf.SetX(marginX)
		p.pdf.CellFormat(p.pageWidth(), lh, line, "", 1, "L", false, 0, "")
	}
	p.color(colText)
}

// keyValues writes a two-column block of metadata.
func (p *pdfDoc) keyValues(pairs [][2]string) {
	keyW := 48.0
	valW := p.pageWidth() - keyW
	lh := p.lineH(9)
	for _, kv := range pairs {
		if kv[1] == "" {
			continue
		}
		p.font(false, 9)
		lines := p.pdf.SplitText(clean(kv[1]), valW)
		p.need(float64(len(lines))*lh + 1)
		y := p.pdf.GetY()
		p.font(true, 9)
		p.color(colMuted)
		p.pdf.SetXY(marginX, y)
		p.pdf.CellFormat(keyW, lh, p.fit(kv[0], keyW), "", 0, "L", false, 0, "")
		p.font(false, 9)
		p.color(colText)
		for i, line := range lines {
			p.pdf.SetXY(marginX+keyW, y+float64(i)*lh)
			p.pdf.CellFormat(valW, lh, line, "", 0, "L", false, 0, "")
		}
		p.pdf.SetXY(marginX, y+float64(len(lines))*lh+0.6)
	}
}

// draftBox writes the DRAFT notice as a red box in the body of the first page.
func (p *pdfDoc) draftBox() {
	if !p.draft {
		return
	}
	p.pdf.Ln(2)
	p.font(true, 11)
	p.fill(colDraft)
	p.pdf.SetTextColor(255, 255, 255)
	p.pdf.SetX(marginX)
	p.pdf.CellFormat(p.pageWidth(), 8, p.fit(tr(p.lang, "export.draft_note"), p.pageWidth()), "", 1, "C", true, 0, "")
	p.color(colText)
	p.pdf.Ln(2)
}

// legend writes the status legend on one line (or more): a swatch, the symbol and the name.
func (p *pdfDoc) legend(size float64, short bool) {
	p.font(false, size)
	lh := p.lineH(size) + 1
	p.need(lh)
	x, y := marginX, p.pdf.GetY()
	for _, s := range statusStyles {
		name := tr(p.lang, "status."+s.key)
		if short {
			name = tr(p.lang, "export.short."+s.key) + " = " + name
		}
		text := s.symbol + " " + name
		w := p.pdf.GetStringWidth(text) + 2*cellPad + 6
		if x+w > marginX+p.pageWidth() {
			x, y = marginX, y+lh+0.5
		}
		c := hexRGB(s.fill)
		p.fill(c)
		p.drawColor(colRule)
		p.pdf.Rect(x, y+0.6, lh-1.2, lh-1.2, "DF")
		p.pdf.SetXY(x+lh-0.6, y)
		p.pdf.CellFormat(w-lh, lh, text, "", 0, "L", false, 0, "")
		x += w + 2
	}
	p.pdf.SetXY(marginX, y+lh+1)
}

// pcol is a table column; pcell a table cell.
type pcol struct {
	title string
	w     float64
	align string // "L", "C" or "R"
	fill  string // header fill, hex; "" for the default grey
}

type pcell struct {
	text string
	fill string // hex; "" for none
	bold bool
}

// table draws a table whose cells wrap; the header row is repeated on every page.
func (p *pdfDoc) table(cols []pcol, rows [][]pcell, size float64) {
	head := make([]pcell, len(cols))
	for i, c := range cols {
		head[i] = pcell{text: c.title, fill: c.fill, bold: true}
	}
	hs := size - 0.5
	drawHead := func() { p.row(cols, head, hs, true) }
	p.onBreak = nil
	p.need(p.rowHeight(cols, head, hs, true) + p.lineH(size) + 2)
	drawHead()
	p.onBreak = drawHead
	for _, r := range rows {
		p.need(p.rowHeight(cols, r, size, false))
		p.row(cols, r, size, false)
	}
	p.onBreak = nil
	p.pdf.Ln(3)
}

func (p *pdfDoc) cellLines(c pcell, w, size float64) []string {
	p.font(c.bold, size)
	lines := p.pdf.SplitText(clean(c.text), w)
	if len(lines) == 0 {
		lines = []string{""}
	}
	return lines
}

func (p *pdfDoc) rowHeight(cols []pcol, cells []pcell, size float64, header bool) float64 {
	n := 1
	for i, c := range cells {
		if l := len(p.cellLines(c, cols[i].w, size)); l > n {
			n = l
		}
	}
	return float64(n)*p.lineH(size) + 1.6
}

func (p *pdfDoc) row(cols []pcol, cells []pcell, size float64, header bool) {
	h := p.rowHeight(cols, cells, size, header)
	lh := p.lineH(size)
	x, y := marginX, p.pdf.GetY()
	p.drawColor(colRule)
	p.pdf.SetLineWidth(0.2)
	for i, c := range cells {
		col := cols[i]
		style := "D"
		switch {
		case c.fill != "":
			p.fill(hexRGB(c.fill))
			style = "DF"
		case header:
			p.fill(colHeadFill)
			style = "DF"
		}
		p.pdf.Rect(x, y, col.w, h, style)
		p.color(colText)
		align := col.align
		if align == "" {
			align = "L"
		}
		for k, line := range p.cellLines(c, col.w, size) {
			p.pdf.SetXY(x, y+0.8+float64(k)*lh)
			p.pdf.CellFormat(col.w, lh, line, "", 0, align, false, 0, "")
		}
		x += col.w
	}
	p.pdf.SetXY(marginX, y+h)
}

// tallyTable draws a summary table: name, an optional detail column, score and the counts.
func (p *pdfDoc) tallyTable(nameTitle, detailTitle string, rows []tallyRow) {
	l := p.lang
	width := p.pageWidth()
	countW, scoreW, scoredW, totalW, detailW := 15.5, 14.0, 12.0, 12.0, 0.0
	if detailTitle != "" {
		detailW = 24
	}
	nameW := width - detailW - scoreW - scoredW - totalW - countW*float64(len(followup.CountKeys))
	cols := []pcol{{title: nameTitle, w: nameW}}
	if detailW > 0 {
		cols = append(cols, pcol{title: detailTitle, w: detailW})
	}
	cols = append(cols, pcol{title: tr(l, "export.col.score"), w: scoreW, align: "R"},
		pcol{title: tr(l, "export.col.scored"), w: scoredW, align: "R"})
	for _, k := range followup.CountKeys {
		s := styleOf(k)
		cols = append(cols, pcol{title: s.symbol + "\n" + tr(l, "export.short."+k), w: countW, align: "R", fill: s.fill})
	}
	cols = append(cols, pcol{title: tr(l, "export.col.total"), w: totalW, align: "R"})
	var body [][]pcell
	for _, r := range rows {
		cells := []pcell{{text: r.name}}
		if detailW > 0 {
			cells = append(cells, pcell{text: r.detail})
		}
		cells = append(cells, pcell{text: percent(l, r.tally.Score), bold: true}, pcell{text: strconv.Itoa(r.tally.Scored)})
		for _, k := range followup.CountKeys {
			cells = append(cells, pcell{text: strconv.Itoa(r.tally.Counts[k])})
		}
		cells = append(cells, pcell{text: strconv.Itoa(r.tally.Total)})
		body = append(body, cells)
	}
	p.table(cols, body, 7.5)
}

// chartRowHeight is the height of a bar: rows shrink (down to a floor) so that a chart of all
// the Council of Europe's Parties fits on one page under its heading.
func (p *pdfDoc) chartRowHeight(n int) float64 {
	return math.Max(4.2, math.Min(6, (p.bottom()-marginTop-20)/float64(max(n, 1))))
}

// chartHeight is the height of a bar chart of n rows, axis included.
func (p *pdfDoc) chartHeight(n int) float64 { return p.chartRowHeight(n)*float64(n) + 5 }

// barChart draws a horizontal bar per row: the score, with its percentage and its base (the
// follow-ups it is computed from, out of all) written beside it. Quarter gridlines cross the
// bars.
func (p *pdfDoc) barChart(rows []tallyRow) {
	const size = 7.5
	nameW, barW := 55.0, 100.0
	rowH := p.chartRowHeight(len(rows))
	x0 := marginX + nameW + 2
	axis := func() {
		p.font(false, 6.5)
		p.color(colMuted)
		y := p.pdf.GetY()
		for _, t := range []float64{0, 0.25, 0.5, 0.75, 1} {
			label := percent(p.lang, &t)
			tw := p.pdf.GetStringWidth(label)
			p.pdf.Text(x0+barW*t-tw/2, y+3, label)
		}
		p.pdf.SetXY(marginX, y+4.5)
		p.color(colText)
	}
	p.need(math.Min(p.chartHeight(len(rows)), rowH*3+5))
	axis()
	p.onBreak = axis
	for _, r := range rows {
		p.need(rowH)
		y := p.pdf.GetY()
		p.font(false, size)
		p.color(colText)
		p.pdf.SetXY(marginX, y)
		p.pdf.CellFormat(nameW, rowH, p.fit(r.name, nameW), "", 0, "R", false, 0, "")
		p.fill(colBarBack)
		p.pdf.Rect(x0, y+0.8, barW, rowH-1.6, "F")
		if r.tally.Score != nil {
			p.fill(colBar)
			p.pdf.Rect(x0, y+0.8, barW**r.tally.Score, rowH-1.6, "F")
		}
		p.pdf.SetDrawColor(255, 255, 255)
		p.pdf.SetLineWidth(0.3)
		for _, t := range []float64{0.25, 0.5, 0.75} {
			p.pdf.Line(x0+barW*t, y+0.8, x0+barW*t, y+rowH-0.8)
		}
		p.pdf.SetLineWidth(0.2)
		label := percent(p.lang, r.tally.Score)
		p.font(true, size)
		p.pdf.SetXY(x0+barW+1, y)
		p.pdf.CellFormat(p.pdf.GetStringWidth(label)+2*cellPad, rowH, label, "", 0, "L", false, 0, "")
		p.font(false, 6.5)
		p.color(colMuted)
		base := tr(p.lang, "export.base_short", r.tally.Scored, r.tally.Total)
		p.pdf.CellFormat(30, rowH, base, "", 0, "L", false, 0, "")
		p.color(colText)
		p.pdf.SetXY(marginX, y+rowH)
	}
	p.onBreak = nil
	p.pdf.Ln(3)
}

func (p *pdfDoc) output(w io.Writer) error {
	if err := p.pdf.Error(); err != nil {
		return err
	}
	return p.pdf.Output(w)
}

// matrix draws Parties (rows) × recommendations (columns) on landscape pages: when the
// recommendations do not fit across, they are split into groups of columns, each group on its
// own pages; the header row and the Party column are repeated on every page.
func (p *pdfDoc) matrix(v reportView) {
	const size = 6.8
	l := p.lang
	firstW := 52.0
	rowH := p.lineH(size) + 2.4
	// Column width: the widest status cell, or label, within bounds.
	p.font(false, size)
	colW := 15.0
	for _, s := range statusStyles {
		colW = math.Max(colW, p.pdf.GetStringWidth(s.symbol+" "+tr(l, "export.short."+s.key))+2*cellPad+1)
	}
	p.font(true, size)
	for _, r := range v.recs {
		colW = math.Max(colW, math.Min(p.pdf.GetStringWidth(r.label)+2*cellPad+1, 26))
	}
	colW = math.Min(colW, 26)
	avail := 297 - 2*marginX - firstW
	perPage := max(1, int(avail/colW))
	groups := (len(v.recs) + perPage - 1) / perPage
	if len(v.recs) == 0 {
		groups = 1
	}
	for g := 0; g < groups; g++ {
		from, to := g*perPage, min((g+1)*perPage, len(v.recs))
		recs := v.recs[from:to]
		cont := false
		title := func() {
			t := tr(l, "export.section.matrix")
			if len(recs) > 0 {
				t += " — " + recs[0].label + "–" + recs[len(recs)-1].label
			}
			if groups > 1 {
				t += fmt.Sprintf(" (%d/%d)", g+1, groups)
			}
			if cont {
				t += " (" + tr(l, "export.continued") + ")"
			}
			p.font(true, 11)
			p.color(colText)
			p.pdf.SetX(marginX)
			p.pdf.CellFormat(p.pageWidth(), 6, p.fit(t, p.pageWidth()), "", 1, "L", false, 0, "")
			p.legend(6.5, true)
			p.pdf.Ln(1)
			// The header row: label and category of each recommendation.
			y := p.pdf.GetY()
			headH := 2*p.lineH(size) + 2
			p.drawColor(colRule)
			p.fill(colHeadFill)
			p.pdf.Rect(marginX, y, firstW, headH, "DF")
			p.font(true, size)
			p.pdf.SetXY(marginX, y+1)
			p.pdf.CellFormat(firstW, p.lineH(size), tr(l, "export.col.party"), "", 0, "L", false, 0, "")
			for i, r := range recs {
				x := marginX + firstW + float64(i)*colW
				p.fill(colHeadFill)
				p.pdf.Rect(x, y, colW, headH, "DF")
				p.font(true, size)
				p.pdf.SetXY(x, y+1)
				p.pdf.CellFormat(colW, p.lineH(size), p.fit(r.label, colW), "", 0, "C", false, 0, "")
				p.font(false, size-0.8)
				p.color(colMuted)
				p.pdf.SetXY(x, y+1+p.lineH(size))
				p.pdf.CellFormat(colW, p.lineH(size), p.fit(categoryText(l, r.category), colW), "", 0, "C", false, 0, "")
				p.color(colText)
			}
			p.pdf.SetXY(marginX, y+headH)
		}
		p.onBreak = nil
		p.addPage("L")
		title()
		p.onBreak = func() { cont = true; title() }
		for _, party := range v.parties {
			p.need(rowH)
			y := p.pdf.GetY()
			p.drawColor(colRule)
			p.font(false, size)
			p.pdf.Rect(marginX, y, firstW, rowH, "D")
			p.pdf.SetXY(marginX, y)
			p.pdf.CellFormat(firstW, rowH, p.fit(party.name, firstW), "", 0, "L", false, 0, "")
			for i, r := range recs {
				x := marginX + firstW + float64(i)*colW
				cell, ok := v.byKey[[2]string{party.code, r.label}]
				if !ok {
					p.pdf.Rect(x, y, colW, rowH, "D")
					continue
				}
				s := styleOf(statusKey(cell.Status))
				p.fill(hexRGB(s.fill))
				p.pdf.Rect(x, y, colW, rowH, "DF")
				p.pdf.SetXY(x, y)
				p.pdf.CellFormat(colW, rowH, p.fit(s.symbol+" "+tr(l, "export.short."+s.key), colW), "", 0, "C", false, 0, "")
			}
			p.pdf.SetXY(marginX, y+rowH)
		}
		p.onBreak = nil
	}
}

// ReportPDF writes a report's compliance summary as an A4 PDF: a title block with the report's
// metadata and the "as of" date, the summary tables (overall, by category, by recommendation,
// by Party), a by-Party bar chart, then the matrix on landscape pages. On the draft basis,
// every page has a DRAFT banner and watermark.
func ReportPDF(w io.Writer, d followup.ReportExport) error {
	v := newReportView(d)
	l := v.lang
	c := d.Compliance
	r := d.Report
	head := tr(l, "export.title.compliance") + " — " + reportTitle(l, r)
	if r.DocRef != "" {
		head += " (" + r.DocRef + ")"
	}
	if sel := selectionText(l, d); sel != "" {
		head += " — " + sel // on every page: the figures cover only the selection
	}
	if r.Fictional() {
		// The running head is cut to fit its line: the mark goes first.
		head = tr(l, "export.fictional") + " — " + head
	}
	p := newPDF(l, tr(l, "export.title.compliance")+" — "+reportTitle(l, r), head, c.AsOf, v.draft, d.GeneratedAt)
	p.addPage("P")

	// Title block.
	p.font(false, 10)
	p.color(colMuted)
	p.pdf.CellFormat(p.pageWidth(), 6, tr(l, "export.title.compliance"), "", 1, "L", false, 0, "")
	p.font(true, 16)
	p.color(colText)
	p.pdf.MultiCell(p.pageWidth(), 7.5, clean(reportTitle(l, r)), "", "L", false)
	if r.Fictional() {
		p.paragraph(tr(l, "export.fictional"), 9, colDraft)
	}
	p.pdf.Ln(2)
	p.keyValues([][2]string{
		{tr(l, "export.meta.doc_ref"), r.DocRef},
		{tr(l, "export.meta.kind"), kindText(l, r.Kind)},
		{tr(l, "export.meta.round"), localized(l, r.Round, r.RoundFR)},
		{tr(l, "export.meta.adopted_on"), r.AdoptedOn.String()},
		{tr(l, "export.meta.followup_due_on"), r.FollowupDueOn.String()},
		{tr(l, "export.meta.parties"), strconv.Itoa(len(v.parties))},
		{tr(l, "export.meta.recommendations"), strconv.Itoa(len(v.recs))},
		{tr(l, "export.meta.as_of"), c.AsOf.String()},
		{tr(l, "export.meta.basis"), basisText(l, v.draft)},
		{tr(l, "export.meta.selection"), selectionText(l, d)},
		{tr(l, "export.meta.generated_at"), generatedText(d.GeneratedAt)},
	})
	p.draftBox()
	if note := selectionNote(l, d); note != "" {
		p.pdf.Ln(1)
		p.paragraph(note, 9, colText)
	}
	p.pdf.Ln(2)
	p.legend(7.5, false)
	p.paragraph(tr(l, "export.score_note"), 7, colMuted)

	p.heading(tr(l, "export.section.overall")+" · "+tr(l, "export.section.by_category"), 20)
	p.tallyTable("", "", append(v.overallRows(c), v.categoryRows(c)...))
	p.heading(tr(l, "export.section.by_recommendation"), 20)
	p.tallyTable(tr(l, "export.col.label"), tr(l, "export.col.category"), v.recommendationRows(c))
	p.heading(tr(l, "export.section.by_party"), 20)
	p.tallyTable(tr(l, "export.col.party"), tr(l, "export.col.party_code"), v.partyRows(c))
	p.heading(tr(l, "export.section.chart"), p.chartHeight(len(v.parties)))
	p.barChart(v.partyRows(c))

	p.matrix(v)
	p.details(v, d)
	return p.output(w)
}

// details lists, recommendation by recommendation on portrait pages, each Party's status with
// its adoption date and the assessment's comment; pending follow-ups with no comment are left
// to the matrix.
func (p *pdfDoc) details(v reportView, d followup.ReportExport) {
	l := p.lang
	byRec := map[string][]followup.ComplianceCell{}
	for _, c := range v.cells {
		if c.Status != nil || c.Comment != "" {
			byRec[c.Label] = append(byRec[c.Label], c)
		}
	}
	cols := []pcol{
		{title: tr(l, "export.col.party"), w: 45},
		{title: tr(l, "export.col.status"), w: 40},
		{title: tr(l, "export.col.adopted_on"), w: 20},
		{title: tr(l, "export.col.comment"), w: p.pageWidthFor("P") - 105},
	}
	first := true
	for _, r := range v.recs {
		cells := byRec[r.label]
		if len(cells) == 0 {
			continue
		}
		if first {
			p.addPage("P")
			p.font(true, 14)
			p.pdf.CellFormat(p.pageWidth(), 8, tr(l, "export.section.follow_ups"), "", 1, "L", false, 0, "")
			first = false
		}
		p.heading(r.label+" — "+categoryText(l, r.category), 22)
		if r.text != "" {
			p.paragraph(truncateRunes(r.text, 600), 7.5, colMuted)
			p.pdf.Ln(1)
		}
		var rows [][]pcell
		for _, c := range cells {
			rows = append(rows, []pcell{
				{text: partyName(l, d.Parties, c.Party)},
				{text: statusWithSymbol(l, c.Status), fill: styleOf(statusKey(c.Status)).fill},
				{text: c.AdoptedOn.String()},
				{text: truncateRunes(localized(l, c.Comment, c.CommentFR), 1500)},
			})
		}
		p.table(cols, rows, 7.5)
	}
}

// DossierPDF writes a Party's dossier as an A4 PDF: a title block, the summary (overall, by
// category, by report), then each report's recommendations with their status, dates and the
// comment of the assessment.
func DossierPDF(w io.Writer, d followup.DossierExport) error {
	v := newDossierView(d)
	l := v.lang
	name := d.Party.Name(l)
	title := tr(l, "export.title.dossier") + " — " + name
	p := newPDF(l, title, title, d.AsOf, v.draft, d.GeneratedAt)
	p.addPage("P")

	p.font(false, 10)
	p.color(colMuted)
	p.pdf.CellFormat(p.pageWidth(), 6, tr(l, "export.title.dossier"), "", 1, "L", false, 0, "")
	p.font(true, 16)
	p.color(colText)
	p.pdf.MultiCell(p.pageWidth(), 7.5, clean(name+" ("+d.Party.Code+")"), "", "L", false)
	p.pdf.Ln(2)
	p.keyValues([][2]string{
		{tr(l, "export.meta.name_en"), d.Party.NameEN},
		{tr(l, "export.meta.name_fr"), d.Party.NameFR},
		{tr(l, "export.meta.joined_on"), d.Party.JoinedOn.String()},
		{tr(l, "export.meta.follow_ups"), strconv.Itoa(len(v.items))},
		{tr(l, "export.meta.as_of"), d.AsOf.String()},
		{tr(l, "export.meta.basis"), basisText(l, v.draft)},
		{tr(l, "export.meta.generated_at"), generatedText(d.GeneratedAt)},
	})
	p.draftBox()
	p.pdf.Ln(2)
	p.legend(7.5, false)
	p.paragraph(tr(l, "export.score_note"), 7, colMuted)

	p.heading(tr(l, "export.section.overall")+" · "+tr(l, "export.section.by_category"), 20)
	p.tallyTable("", "", append(v.summaryRows(), v.categoryRows()...))
	p.heading(tr(l, "export.section.by_report"), 20)
	byReport := v.reportRows(d.Reports)
	for i := range byReport {
		byReport[i].detail = d.Reports[byReport[i].detail].DocRef
	}
	p.tallyTable(tr(l, "export.col.report"), tr(l, "export.meta.doc_ref"), byReport)

	cols := []pcol{
		{title: tr(l, "export.col.label"), w: 27},
		{title: tr(l, "export.col.recommendation"), w: 55},
		{title: tr(l, "export.col.state"), w: 26},
		{title: tr(l, "export.col.status"), w: 28},
		{title: tr(l, "export.col.adopted_on"), w: 18},
		{title: tr(l, "export.col.comment"), w: 26},
	}
	cols[5].w = p.pageWidth() - 27 - 55 - 26 - 28 - 18
	var current string
	var rows [][]pcell
	flush := func() {
		if current == "" {
			return
		}
		rep := d.Reports[current]
		t := rep.Title
		if t == "" {
			t = current
		}
		if rep.DocRef != "" {
			t += " (" + rep.DocRef + ")"
		}
		p.heading(t, 20)
		p.table(cols, rows, 7)
		rows = nil
	}
	for _, it := range v.items {
		fu := it.fu
		if fu.Report != current {
			flush()
			current = fu.Report
		}
		label := fu.Label + "\n" + categoryText(l, fu.Category)
		text := truncateRunes(localized(l, it.rec.Text, it.rec.TextFR), 600)
		if !fu.Active {
			text += "\n(" + tr(l, "export.inactive") + ")"
		}
		state := stateText(l, fu.State)
		if !fu.DueOn.IsZero() {
			state += "\n" + tr(l, "export.col.due_on") + " " + fu.DueOn.String()
		}
		if fu.Overdue {
			state += "\n" + tr(l, "export.col.overdue")
		}
		rows = append(rows, []pcell{
			{text: label, bold: true},
			{text: text},
			{text: state},
			{text: statusWithSymbol(l, fu.Status), fill: styleOf(statusKey(fu.Status)).fill},
			{text: it.adoptedOn.String()},
			{text: truncateRunes(it.comment, 400)},
		})
	}
	flush()
	return p.output(w)
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}
