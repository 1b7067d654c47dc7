# One entry point for contributors and CI. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(abspath $(VENV)/bin)
# mike calls `mkdocs` from PATH: the venv's bin comes first.
export PATH := $(BIN):$(PATH)
PYTHON ?= python3
SITE := site
ADDR := 127.0.0.1:8000

.PHONY: help install serve build test bench versions lock system-deps clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: requirements.txt
	@command -v node >/dev/null || { echo "Node.js and npm are needed: apt-get install -y nodejs npm"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip 2> >(grep -v "is ignored" >&2)
	$(BIN)/pip install --quiet -r requirements.txt 2> >(grep -v "is ignored" >&2)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed ## Create/update .venv and node_modules from the lock files (only when they changed)

# --dirty re-renders only edited pages (fast); MkDocs warns about it on every rebuild, so strict is off
# here. Broken input still stops the preview: the validation hooks raise errors, not warnings.
serve: install system-deps ## Build and preview on http://127.0.0.1:8000 with live reload (edited pages only)
	$(BIN)/mkdocs serve --no-strict --livereload --dirty -a $(ADDR)

build: install system-deps ## Strict build into site/, with the PDF and offline bundle (site/ replaced only on success)
	rm -rf .site.tmp
	KB_BUNDLES=1 $(BIN)/mkdocs build --strict --quiet -d .site.tmp
	rm -rf $(SITE) && mv .site.tmp $(SITE)

versions: install ## Preview the versioned site (mike's gh-pages branch) on http://127.0.0.1:8000
	$(BIN)/mike serve -a $(ADDR)

system-deps: ## Install the Debian packages the browser tests need (chromium, CJK fonts)
	bash .ci/install-system-deps

test: install system-deps ## Install, then run every check: linters, unit, build and browser tests
	$(BIN)/pytest

bench: install ## Performance report: build times, snippets, formulas
	$(BIN)/python tests/bench.py

lock: ## Re-pin requirements.txt from requirements.in
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -r requirements.in
	{ sed -n 1,2p requirements.txt; .venv-lock/bin/pip freeze | sed 's/+cpu$$//' | sort -f; } > requirements.txt.new
	mv requirements.txt.new requirements.txt && rm -rf .venv-lock

clean: ## Remove the built site and caches (not the venv)
	rm -rf $(SITE) .site.tmp .cache .pytest_cache
