// Package notify renders the tracker's e-mails from templates (English and French) and delivers
// the outbox over SMTP. Jobs write messages to the outbox through the store; this package never
// decides what to send, only how it reads and how it leaves.
package notify

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"net/url"
	"strconv"
	"strings"
	texttemplate "text/template"

	"followup/internal/followup"
	"followup/internal/i18n"
)

// Languages lists the languages of the e-mails; the first is the fallback.
var Languages = i18n.Languages

// Renderer renders messages from KIND.LANG.txt (templates "subject" and "text") and
// KIND.LANG.html (the HTML body) found in a file system such as web.EmailFS.
type Renderer struct {
	baseURL string
	text    map[string]*texttemplate.Template // by "kind.lang"
	html    map[string]*htmltemplate.Template
}

var _ followup.Renderer = (*Renderer)(nil)

var kinds = []string{followup.KindReminder, followup.KindEscalation, followup.KindRapporteurDigest}

// NewRenderer parses every template under dir of fsys now, so that a broken template stops the
// program at start rather than a job at night. baseURL prefixes the links to follow-up pages.
func NewRenderer(fsys fs.FS, dir, baseURL string) (*Renderer, error) {
	r := &Renderer{baseURL: strings.TrimRight(baseURL, "/"), text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	for _, kind := range kinds {
		for _, lang := range Languages {
			name := kind + "." + lang
			fns := funcs(lang)
			t, err := texttemplate.New(name+".txt").Funcs(texttemplate.FuncMap(fns)).ParseFS(fsys, dir+"/"+name+".txt")
			if err != nil {
				return nil, fmt.Errorf("e-mail template %s.txt: %w", name, err)
			}
			for _, part := range []string{"subject", "text"} {
				if t.Lookup(part) == nil {
					return nil, fmt.Errorf("e-mail template %s.txt defines no %q", name, part)
				}
			}
			h, err := htmltemplate.New(name+".html").Funcs(htmltemplate.FuncMap(fns)).ParseFS(fsys, dir+"/"+name+".html")
			if err != nil {
				return nil, fmt.Errorf("e-mail template %s.html: %w", name, err)
			}
			r.text[name], r.html[name] = t, h
		}
	}
	return r, nil
}

// itemView is one follow-up as a template sees it.
type itemView struct {
	followup.MessageItem
	PartyName string
	When      string // "due in 7 days", "overdue by 14 days", in the message's language
	Link      string
}

// view is what a template sees.
type view struct {
	Name          string
	Lang          string
	On            followup.Date
	Items         []itemView
	AnyOverdue    bool
	EscalateAfter int
}

// Render fills in the subject and the bodies of m from its kind, language and items.
func (r *Renderer) Render(m *followup.Message) error {
	lang := m.Lang
	if _, ok := r.text[m.Kind+"."+lang]; !ok {
		lang = Languages[0]
	}
	name := m.Kind + "." + lang
	t, ok := r.text[name]
	if !ok {
		return fmt.Errorf("no e-mail template for messages of kind %q", m.Kind)
	}
	v := view{Name: m.RecipientName, Lang: lang, On: m.On}
	if v.Name == "" {
		v.Name = m.Recipient
	}
	for _, it := range m.Items {
		iv := itemView{MessageItem: it, PartyName: it.PartyName(lang), Link: r.Link(it.Key()), When: when(lang, it)}
		if it.DaysOverdue > 0 {
			v.AnyOverdue = true
		}
		if n, ok := strings.CutPrefix(it.Point, "escalation-"); ok {
			v.EscalateAfter, _ = strconv.Atoi(n)
		}
		v.Items = append(v.Items, iv)
	}
	var subject, text, html bytes.Buffer
	if err := t.ExecuteTemplate(&subject, "subject", v); err != nil {
		return err
	}
	if err := t.ExecuteTemplate(&text, "text", v); err != nil {
		return err
	}
	if err := r.html[name].Execute(&html, v); err != nil {
		return err
	}
	m.Lang = lang
	m.Subject = strings.Join(strings.Fields(subject.String()), " ")
	m.BodyText = strings.TrimLeft(text.String(), "\n")
	m.BodyHTML = html.String()
	return nil
}

// Link returns the address of a follow-up's page.
func (r *Renderer) Link(k followup.FollowUpKey) string {
	return r.baseURL + "/followups/" + url.PathEscape(k.Report) + "/" + url.PathEscape(k.Label) + "/" + url.PathEscape(k.Party)
}

func funcs(lang string) map[string]any {
	return map[string]any{"date": func(d followup.Date) string {
		if d.IsZero() {
			return "-"
		}
		return i18n.Date(lang, d)
	}}
}

// when says where an item stands against its due date, in lang.
func when(lang string, it followup.MessageItem) string {
	n := it.DaysOverdue
	switch {
	case n == 0:
		return i18n.T(lang, "mail.when.due_today")
	case n < 0:
		return i18n.T(lang, "mail.when.due_in", -n)
	}
	return i18n.T(lang, "mail.when.overdue_by", n)
}
