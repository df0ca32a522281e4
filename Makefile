# Two entry points for a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve build test lint setup npm clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

setup: $(STAMP) node_modules/.package-lock.json

npm: node_modules/.package-lock.json

## Build the site and serve it on http://127.0.0.1:8000
serve: setup
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check checker hooks tests
	$(VENV)/bin/mypy

## Set up and run every test: lint, unit, exercise examples, Pyodide parity, browser, accessibility
test: setup lint
	$(PY) -m checker validate
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) node_modules site
