# The entry point for people. `make demo` and `make test` do all the set-up themselves.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test lint fmt bench install services system messages test-services clean

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	@$(PY) -c 'import sys; assert sys.version_info >= (3, 12), "the venv needs Python >= 3.12; remove .venv"'
	$(PY) -m pip install -q "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock
	touch $@

install: $(VENV)/.installed

services:
	@scripts/services.sh

system:
	@scripts/system-packages.sh

# The test OpenID provider (node oidc-provider), from its committed lock file.
tests/oidc_provider/node_modules/.installed: tests/oidc_provider/package-lock.json
	cd tests/oidc_provider && npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-services: system tests/oidc_provider/node_modules/.installed

messages: install system
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
	  DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v0; fi

## demo: an SQLite database with the demo chain, tasks in-process, served on :8000
demo: install messages
	DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DEBUG=1 $(PY) manage.py load_demo --if-empty
	DEBUG=1 $(PY) manage.py rebuild_dashboards
	DEBUG=1 $(PY) manage.py demo_logins
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## test: lint first, then the whole suite on PostgreSQL and Redis, browser tests included (in
## two processes, one per core: scripts/test-suite.sh)
test: install lint system messages services test-services
	PY=$(PY) scripts/test-suite.sh

## lint: ruff (lint and format) and mypy; mypy keeps its incremental cache in .mypy_cache
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

fmt: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## bench: the speed goals of the uploads and dashboards issues, as ratios against a baseline
bench: install services
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kp_bench} $(PY) bench/ingest.py
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kp_bench} $(PY) bench/dashboards.py

clean:
	rm -rf $(VENV) demo.sqlite3 media-private tests/oidc_provider/node_modules
