package web

import "embed"

// EmailFS holds the e-mail templates: templates/email/KIND.LANG.txt (subject and text body)
// and KIND.LANG.html (HTML body), read by internal/notify.
//
//go:embed templates/email
var EmailFS embed.FS
