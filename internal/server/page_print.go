package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// Printouts of the report and Party pages carry, on every page, the day the figures are "as
// of" and the time of printing. A page margin box of the print stylesheet draws it (the pages
// use no script and no inline style); the stylesheet is asked for when the page is printed,
// so its time is the print's.

// printStampURL is the address of the print stamp of a page whose figures are as of asOf
// (YYYY-MM-DD; empty for today).
func printStampURL(asOf string) string {
	if asOf == "" {
		return "/print/stamp.css"
	}
	return "/print/stamp.css?as_of=" + url.QueryEscape(asOf)
}

// printStamp serves the stylesheet that stamps each printed page, in the request's language.
func (s *Server) printStamp(c *gin.Context) error {
	asOf, err := asOfParam(c.Query("as_of"), s.today())
	if err != nil {
		return err
	}
	v := s.newView(c, "app.name", nil)
	if asOf.IsZero() {
		asOf = v.Today
	}
	stamp := v.T("print.stamp", v.Date(asOf), v.Time(s.clock.Now()))
	css := "@page { @top-right { content: " + cssString(stamp) + "; font: 8pt sans-serif; color: #333; } }\n"
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/css; charset=utf-8", []byte(css))
	return nil
}

// cssString quotes s as a CSS string.
func cssString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ", "\r", " ", "<", `\3c `)
	return `"` + r.Replace(s) + `"`
}
