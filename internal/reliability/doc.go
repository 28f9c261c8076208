// Package reliability holds the tests that run the real binary: crash safety under SIGKILL,
// 100 concurrent clients, graceful shutdown under load, backup under write load. They are in
// `make test`, kept short; FOLLOWUP_LONG=1 (or -long) runs them at full length.
package reliability
