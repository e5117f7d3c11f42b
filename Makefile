# Zhixing 智执 — the two commands: `make run` and `make test` (and `make cluster`, the scaled-out platform).
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DATA_DIR ?= $(CURDIR)/var
export DATA_DIR PORT

.PHONY: run cluster test lint install system-deps bench clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || PY=python3; $${PY:-python3} -m venv $(VENV) || python3 -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## make run: set up and start the embedded platform (SQLite, Huey on SQLite, in-process partners);
## scripts/run-deps.sh first installs or checks Chromium and the CJK fonts (ZHIXING_SKIP_RUN_DEPS=1 skips).
run: install
	-bash scripts/run-deps.sh
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python -m zhixing.config.launcher

## make cluster: the scaled-out platform on this machine — PostgreSQL and Redis (throwaway servers under
## var/cluster on their own ports, or DATABASE_URL / REDIS_URL), CLUSTER_WEB_WORKERS uvicorn workers behind
## nginx, CLUSTER_CONSUMERS Huey consumers, the partner sandbox; Ctrl+C stops all of it (zhixing.config.cluster).
cluster: install
	bash scripts/system-deps.sh cluster
	$(BIN)/python -m zhixing.config.cluster

## make test: the whole suite — lint, types, layer contracts, SQLite, PostgreSQL and browser tests.
test: install
	bash scripts/test.sh

lint: install
	bash scripts/lint.sh

system-deps:
	bash scripts/system-deps.sh

bench: install
	bash benchmarks/run_all.sh

clean:
	rm -rf var .pgtest test-artifacts
