# Fupin: two commands on a fresh machine.
#   make run   - set up, migrate the embedded SQLite database, load the demo province, serve it
#   make test  - set up and run the test suite (SQLite)
# CI (.ci/run) also runs the suite on PostgreSQL and the browser tests.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
FUPIN := $(BIN)/fupin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SCALE ?= 0.05
DEMO_SEED ?= 1
export FUPIN_DATA_DIR ?= $(CURDIR)/var

.PHONY: acceptance run serve install test test-pg test-browser fuzz lint typecheck bench demo clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

install: $(BIN)/activate
	scripts/ci/ensure-pdf-deps

run: install
	$(FUPIN) migrate --no-input -v 0
	$(FUPIN) demo --scale $(DEMO_SCALE) --seed $(DEMO_SEED) --if-empty
	@echo ""
	@echo "  Fupin is at http://$(HOST):$(PORT)/  (log in as province / fupin-demo)"
	@echo ""
	$(FUPIN) serve --host $(HOST) --port $(PORT)

demo: install
	$(FUPIN) migrate --no-input -v 0
	$(FUPIN) demo --scale $(DEMO_SCALE) --seed $(DEMO_SEED)

test: install
	scripts/ci/ensure-java
	$(BIN)/pytest -q

test-pg: install
	scripts/ci/ensure-java
	scripts/ci/ensure-postgres
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/fupin} $(BIN)/pytest -q

test-browser: install
	scripts/ci/ensure-chromium
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q -m browser

# schemathesis over the whole OpenAPI schema against a live server on a small demo
# (scripts/ci/fuzz-api; FUZZ_MAX_EXAMPLES=N for a longer run)
fuzz: install
	VENV=$(VENV) scripts/ci/fuzz-api

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	PYTHONPATH=src $(BIN)/lint-imports
	$(FUPIN) makemigrations --check --dry-run
	$(FUPIN) check

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# the security issue's checks on a copy of the demo province (scale 0.01), through the CLI and a live server
acceptance: install
	$(BIN)/python scripts/acceptance/trust.py --scale 0.01
