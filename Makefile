# Two entry points: `make serve` (the showcase) and `make test` (the whole suite).
# Each creates the virtual environment it needs on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build test lint bench clean browser-deps wheel-check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,plot,hosts]'
	touch $(STAMP)

# The site is served under the path of site_url (MkDocs mounts it there), not at the root.
# `make serve PORT=8001` for a second site served at the same time.
PORT ?= 8000
serve: $(STAMP)
	@echo "Showcase: http://127.0.0.1:$(PORT)$$(sed -n 's|^site_url: *[a-z]*://[^/]*||p' mkdocs.yml)"
	$(BIN)/mkdocs serve -a 127.0.0.1:$(PORT)

build: $(STAMP)
	$(BIN)/mkdocs build --strict

test: $(STAMP) browser-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# axe-core for tests/browser, pinned by its package-lock.json (the browser tests skip loudly
# without it, and fail under CI=true).
browser-deps:
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --omit=dev --prefix tests/browser --no-audit --no-fund --loglevel=error; \
	else echo 'WARNING: npm not found; axe-core not installed, accessibility checks will skip'; fi

# The built wheel installs and renders math with npm and node off PATH (.ci/run runs it too).
wheel-check: $(STAMP)
	PYTHON=$(BIN)/python scripts/check-wheel.sh

lint: $(STAMP)
	$(BIN)/ruff check .

# Build-performance benchmarks (docs/reference/benchmarks.md): the four ratios at 100 pages
# (5 interleaved rounds) and 10/100/1000-page scaling, ~25 min on 2 cores;
# `make bench BENCH_ARGS=` runs the 100-page comparison only (~10 min).
BENCH_ARGS ?= --scaling
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks.build $(BENCH_ARGS)

clean:
	rm -rf $(VENV) site .cache
