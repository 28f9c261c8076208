package export

import "followup/internal/i18n"

// tr returns the string of key in lang ("fr", or English for anything else) from the tracker's
// one catalogue (web/i18n): the exports' own strings are under "export.", the names of
// statuses, categories, report kinds and states are the pages' own. A missing key comes back
// as itself, so that a slip shows in the output rather than as an empty cell; the catalogue
// tests check that every key the code uses is there.
func tr(lang, key string, args ...any) string { return i18n.T(lang, key, args...) }
