# Follow-up Tracker. `make help` lists the targets.
SHELL := /bin/bash
BIN   := bin/followup
GO    ?= go
# sqlite_fts5 compiles SQLite's FTS5 into mattn/go-sqlite3: the full-text index of the search
# (internal/sqlite/fulltext.go). Without it everything still builds and passes its tests, and
# searches match substrings instead of word stems.
TAGS  ?= sqlite_fts5

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## build bin/followup
	$(GO) build -tags '$(TAGS)' -o $(BIN) ./cmd/followup

.PHONY: run
run: build ## build, migrate, load the demo data into an empty database and serve on http://127.0.0.1:8080
	./$(BIN) serve --demo

# With FOLLOWUP_TEST_POSTGRES set to the URL of a PostgreSQL server, `make test` runs every test
# a second time with the stores on PostgreSQL (each test in a database of its own); without it,
# on SQLite only, with nothing but Go and gcc.
.PHONY: test
test: ## run every test with the race detector on SQLite, and on PostgreSQL too when FOLLOWUP_TEST_POSTGRES is set (what CI runs)
	$(GO) test -tags '$(TAGS)' -race -count=1 ./...
	@if [ -n "$$FOLLOWUP_TEST_POSTGRES" ]; then \
		echo "== the same tests with the stores on PostgreSQL"; \
		FOLLOWUP_TEST_ENGINE=postgres $(GO) test -tags '$(TAGS)' -race -count=1 ./...; \
	fi

.PHONY: test-postgres
test-postgres: ## start a throwaway PostgreSQL cluster (.ci/postgres; installs Debian's postgresql when missing) and run make test on both engines
	eval "$$(bash .ci/postgres start)" && $(MAKE) test

.PHONY: e2e
e2e: ## browser end-to-end test in headless Chromium (installs Debian's chromium when missing); screenshots in test-output/screenshots
	command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium poppler-utils)
	$(GO) test -tags 'e2e $(TAGS)' -count=1 ./internal/e2e/...

.PHONY: lint
lint: ## gofmt and go vet
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet -tags '$(TAGS)' ./...

# The synthetic data set of the benchmarks (~1.2 GB) is built once and kept here; delete it to
# rebuild. Passed to the benchmarks only: the program itself refuses unknown FOLLOWUP_* variables.
BENCH_DB ?= $(CURDIR)/data/bench/synthetic.db

.PHONY: bench
bench: ## run the benchmarks on the synthetic data set, also on PostgreSQL when FOLLOWUP_BENCH_POSTGRES holds a server URL (see BENCHMARKS.md)
	@mkdir -p $(dir $(BENCH_DB))
	FOLLOWUP_BENCH_DB=$(BENCH_DB) $(GO) test -tags '$(TAGS)' -run '^$$' -bench . -benchmem -timeout 60m ./...

.PHONY: clean
clean: ## remove the binary (the database in data/ is kept)
	rm -rf bin
