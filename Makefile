# Follow-up Tracker. `make help` lists the targets.
SHELL := /bin/bash
BIN   := bin/followup
GO    ?= go

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## build bin/followup
	$(GO) build -o $(BIN) ./cmd/followup

.PHONY: run
run: build ## build, migrate, load the demo data into an empty database and serve on http://127.0.0.1:8080
	./$(BIN) serve --demo

.PHONY: test
test: ## run every test with the race detector (what CI runs)
	$(GO) test -race -count=1 ./...

.PHONY: e2e
e2e: ## browser end-to-end test in headless Chromium (installs Debian's chromium when missing); screenshots in test-output/screenshots
	command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)
	$(GO) test -tags e2e -count=1 ./internal/e2e/...

.PHONY: lint
lint: ## gofmt and go vet
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

# The synthetic data set of the benchmarks (~1.2 GB) is built once and kept here; delete it to
# rebuild. Passed to the benchmarks only: the program itself refuses unknown FOLLOWUP_* variables.
BENCH_DB ?= $(CURDIR)/data/bench/synthetic.db

.PHONY: bench
bench: ## run the benchmarks on the synthetic data set (see BENCHMARKS.md)
	@mkdir -p $(dir $(BENCH_DB))
	FOLLOWUP_BENCH_DB=$(BENCH_DB) $(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

.PHONY: clean
clean: ## remove the binary (the database in data/ is kept)
	rm -rf bin
