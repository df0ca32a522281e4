# Two entry points for a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Material's instant navigation needs the serving origin; a published build sets SITE_URL.
LOCAL_URL := http://127.0.0.1:8000/
# mkdocs 1.6 prints an end-of-life banner without it.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve dev pages build test lint setup npm clean check-browser bench lock

# Every Python dependency comes from the lock, with hashes; pip itself is not upgraded.
$(STAMP): pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

## Re-pin the Python dependencies (after editing pyproject.toml); needs pip-tools
lock:
	pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --extra train \
	  -o requirements-dev.lock pyproject.toml build_support/build-requirements.in
	sed -i '/^--extra-index-url\|^--index-url\|^--find-links/d' requirements-dev.lock

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

setup: $(STAMP) node_modules/.package-lock.json

npm: node_modules/.package-lock.json

## Build the site and serve it on http://127.0.0.1:8000, precompressed files included
serve: setup
	SITE_URL=$(LOCAL_URL) $(VENV)/bin/mkdocs build --strict
	$(PY) scripts/serve.py site --port 8000

## Live-reloading server while writing (no precompressed files)
dev: setup
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000

## Build for publishing as .github/workflows/pages.yml does, then check site/ (the dry run):
##   make pages SITE_URL=https://example.github.io/dire-non/
pages: setup
	@case "$(SITE_URL)" in http://*/|https://*/) ;; \
	  *) echo "usage: make pages SITE_URL=https://host/path/ (absolute, with the final slash)" >&2; exit 2;; esac
	SITE_URL="$(SITE_URL)" STDLIB_ZIP=deflated $(VENV)/bin/mkdocs build --strict --clean
	$(PY) scripts/check_deploy.py site "$(SITE_URL)"

build: setup
	$(VENV)/bin/mkdocs build --strict

## The browser tests use $$CHROMIUM, else Debian's /usr/bin/chromium, else Playwright's own.
check-browser:
	@if [ -n "$$CHROMIUM" ] || [ -x /usr/bin/chromium ] \
	  || ls "$${PLAYWRIGHT_BROWSERS_PATH:-$$HOME/.cache/ms-playwright}"/chromium* >/dev/null 2>&1; then :; \
	else echo "No Chromium for the browser tests: 'apt-get install chromium' (Debian)," \
	  "set CHROMIUM=/path/to/chromium, or run '$(PY) -m playwright install chromium'." >&2; exit 1; fi

## Page weight, cold start (against a bare Pyodide page), bytes to the first verdict, slow line, grade latency
bench: setup check-browser
	$(PY) scripts/bench_site.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check checker hooks tests
	$(VENV)/bin/mypy

## Set up and run every test: lint, unit, exercise examples, Pyodide parity, browser, accessibility
test: setup lint check-browser
	$(PY) -m checker validate
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) node_modules site
