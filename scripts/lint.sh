#!/usr/bin/env bash
# Static checks: ruff lint and format, mypy with django-stubs, import-linter layer contracts.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DATA_DIR=${DATA_DIR:-$(mktemp -d)}
PATHS=""
for p in src tests e2e benchmarks conftest.py manage.py; do [ -e "$p" ] && PATHS="$PATHS $p"; done
echo "== ruff check"; $BIN/ruff check $PATHS
echo "== ruff format --check"; $BIN/ruff format --check $PATHS
echo "== mypy"; $BIN/mypy src
echo "== import-linter"; (cd src && ../$BIN/lint-imports --config ../.importlinter)
echo "== migrations match the models"; $BIN/python manage.py makemigrations --check --dry-run -v0 \
  || { echo "a model changed without its migration: run manage.py makemigrations"; exit 1; }
