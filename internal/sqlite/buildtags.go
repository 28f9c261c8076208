//go:build !sqlite_fts5

package sqlite

// BuildTags are the build tags of this build that the SQLite driver reads (none here: a build
// without FTS5, whose searches match substrings; fulltext.go), for the tests that build the
// program again to run it.
const BuildTags = ""
