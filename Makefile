# Leadtrail: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
DEMO_PORT ?= 8000
export LEADTRAIL_CHROMIUM ?= /usr/bin/chromium
PG_TEST_URL := postgresql://leadtrail:leadtrail@127.0.0.1:5432/leadtrail_test

.PHONY: run test test-sqlite bench screenshots install install-test chromium postgres lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Debian's Chromium: Playwright cannot download its own browser here.
chromium:
	@if [ ! -x "$(LEADTRAIL_CHROMIUM)" ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# Start the machine's PostgreSQL, when it has one, with a role and database for the tests.
postgres:
	@if command -v pg_ctlcluster >/dev/null 2>&1 && [ -n "$$(ls /etc/postgresql 2>/dev/null)" ]; then \
	  version=$$(ls /etc/postgresql | sort -V | tail -n 1); \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO pg_ctlcluster $$version main start 2>/dev/null || true; \
	  for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done; \
	  pg_isready -q -h 127.0.0.1 || { echo "PostgreSQL $$version did not start"; exit 1; }; \
	  $$SUDO su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='leadtrail'\" | grep -q 1 || psql -qc \"CREATE ROLE leadtrail LOGIN PASSWORD 'leadtrail' CREATEDB\""; \
	  $$SUDO su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='leadtrail_test'\" | grep -q 1 || psql -qc \"CREATE DATABASE leadtrail_test OWNER leadtrail\""; \
	  echo "$(PG_TEST_URL)" > $(VENV)/.postgres-url; \
	else \
	  echo "No PostgreSQL on this machine: the suite runs on SQLite only"; rm -f $(VENV)/.postgres-url; \
	fi

# The whole suite, on SQLite and (when the machine has it) on PostgreSQL.
test: install-test chromium postgres
	LEADTRAIL_TEST_POSTGRES_URL=$$(cat $(VENV)/.postgres-url 2>/dev/null) $(BIN)/python -m pytest -q

# Only SQLite, for a quick loop.
test-sqlite: install-test
	$(BIN)/python -m pytest -q -x

# Speed and size, as ratios against baselines measured in the same run.
bench: install-test
	$(BIN)/python -m pytest tests/perf -q -s -p no:randomly

# Refresh the app's pictures in tests/screenshots/ (the browser tests take them).
screenshots: install-test chromium
	LEADTRAIL_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/e2e/test_app_*.py

lint: install-test
	$(BIN)/ruff check .

# The app on :$(PORT) and the demo landing site on :$(DEMO_PORT).
run: install
	$(BIN)/leadtrail init
	$(BIN)/python -m examples.setup_demo --port $(PORT) --demo-port $(DEMO_PORT)
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/python -m examples.demo_site --port $(DEMO_PORT) --leadtrail http://localhost:$(PORT) & \
	$(BIN)/leadtrail serve --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) instance build *.egg-info
