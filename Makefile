# The two commands a newcomer needs:
#   make run   build everything, migrate, seed development personas and serve
#              the API and the SPA on http://127.0.0.1:8080 (SQLite, no server)
#   make test  every test: Rust unit and integration on SQLite and PostgreSQL,
#              frontend unit and browser tests
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
BIN := target/debug/users-api
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432
# Tests talk to PostgreSQL on 127.0.0.1 without TLS. With TLS (libpq's
# default, sslmode=prefer), a test process could crash as it exited: OpenSSL's
# exit-time cleanup ran in libcrypto while other threads still held TLS
# connections (SIGSEGV in libcrypto.so.3 after every test had passed).
TEST_PG := PGSSLMODE=disable TEST_POSTGRES_URL=$(TEST_POSTGRES_URL)
CONTRACT_EXAMPLES ?= 15
BENCH_ARGS ?=
export CARGO_TERM_COLOR ?= never

.PHONY: help run build frontend openapi test test-slow lint test-rust test-sqlite test-postgres test-contract test-clients test-frontend \
        bench postgres python-tools oidc-provider system-deps clean-data

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: system-deps build frontend ## Build, migrate, seed personas and serve on http://127.0.0.1:8080 (SQLite)
	$(BIN) seed --dev
	$(BIN) serve

build: ## Build the API binary
	$(CARGO) build -p users-api

frontend: ## Build the SPA into frontend/dist (npm ci when the lock file changed)
	@if [ -f frontend/package.json ]; then scripts/frontend-build.sh; else echo "no frontend yet"; fi

openapi: build ## Re-export openapi/openapi.json from the binary
	$(BIN) openapi > openapi/openapi.json

test: system-deps postgres lint test-rust test-contract test-clients test-frontend ## Run every test
	@echo "make test: all checks passed"

lint: ## rustfmt, clippy (warnings are errors), the import-cycle check, the OpenAPI linter and cargo deny
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	python3 scripts/check-imports.py
	scripts/lint-openapi.sh
	python3 tests/contract/breaking_changes.py --self-test
	python3 tests/contract/breaking_changes.py
	scripts/deny.sh

test-rust: python-tools test-sqlite test-postgres ## Rust unit tests, then the integration suite on both databases

test-sqlite: python-tools oidc-provider
	TEST_DATABASE=sqlite $(CARGO) test --workspace

test-postgres: postgres python-tools oidc-provider
	$(TEST_PG) TEST_DATABASE=postgres $(CARGO) test -p users-api --test api

test-slow: postgres python-tools oidc-provider ## Slow tests (#[ignore]d): the soak, SOAK_SECONDS (default 600) on PostgreSQL
	$(TEST_PG) TEST_DATABASE=postgres $(CARGO) test -p users-api --test api -- --ignored --nocapture

test-contract: build python-tools postgres ## Schemathesis against the live server, per role, on both databases
	$(TEST_PG) .venv/bin/python tests/contract/conformance.py --max-examples $(CONTRACT_EXAMPLES)

test-clients: build python-tools frontend ## Generated Python and TypeScript clients against the live server
	$(TEST_PG) .venv/bin/python tests/clients/run.py

test-frontend: build ## TypeScript checks, unit tests and browser tests
	@if [ -f frontend/package.json ]; then scripts/frontend-test.sh; else echo "no frontend yet"; fi

bench: system-deps postgres ## Benchmark (not in make test): 1,000,000 users, release build, wrk beside pgbench (BENCHMARKS.md)
	scripts/ensure-bench-tools.sh
	$(CARGO) build --release -p users-api
	python3 bench/run.py $(BENCH_ARGS)

python-tools: ## The pinned Python tools the tests use (.venv: aiosmtpd, schemathesis)
	@scripts/ensure-python-tools.sh

oidc-provider: ## The test OpenID provider's pinned npm packages (tests/support/oidc)
	@scripts/ensure-oidc-provider.sh

postgres: ## Start the local PostgreSQL server if it is down
	@scripts/ensure-postgres.sh

system-deps: ## Install the C libraries the build links (libpq) when missing
	@scripts/ensure-system-deps.sh

clean-data: ## Forget the development database, secret and mail
	rm -rf data
