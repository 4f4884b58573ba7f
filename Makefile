# Partnerskap: `make run` to try it, `make test` for the whole suite. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# Development defaults for `make run` and for management commands that only read the code
# (compilemessages, makemigrations --check); production sets its own environment.
# Two-factor login is off here so the demo logins work with a password alone.
DEV_ENV := DEBUG=true TWO_FACTOR_REQUIRED_ROLES=

.PHONY: run test bench install messages messages-update system-deps check lint format clean

install: $(INSTALLED)

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip 2>/dev/null
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(INSTALLED)

# gettext and Chromium come from the system: install them where we may, else say what to do.
system-deps:
	@bin/ensure-system-deps

messages: $(INSTALLED) system-deps
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv -v0

# After adding or changing user-facing strings: refresh the catalogues, then translate the
# new entries in locale/sv and locale/da (no source locations, so merges stay small).
messages-update: $(INSTALLED)
	DEBUG=true $(PY) manage.py makemessages --no-location --no-obsolete -l sv -l da \
		--ignore=.venv --ignore=var --ignore=tests

run: $(INSTALLED) messages
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py seed_demo --if-empty
	$(DEV_ENV) bin/run-dev

check: $(INSTALLED)
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	bin/check-deploy

# The suite runs in as many processes as the machine has cores (pytest-xdist; each process has
# its own test database and Redis database); TEST_WORKERS=0 runs it in this one process.
# `--dist load` keeps each process's tests in collection order (transactional tests last).
TEST_WORKERS ?= auto

test: $(INSTALLED) messages check
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist load

# The benchmarks need PostgreSQL: BENCH_DATABASE_URL (else DATABASE_URL, else the local
# default) names the database whose test_ copy they seed. The dashboard against one
# hand-written SQL, then the load test (locust, headless: BENCH_USERS clients for BENCH_SECONDS
# on each page, against gunicorn on 127.0.0.1). BENCH_SCALE (100) sizes the data.
# Results: var/bench/*.json, and a table printed.
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/partnerskap)

bench: $(INSTALLED) messages
	DATABASE_URL=$(BENCH_DATABASE_URL) $(VENV)/bin/pytest tests/bench -p no:cacheprovider -o addopts="" -s

format: $(INSTALLED)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var/staticfiles
