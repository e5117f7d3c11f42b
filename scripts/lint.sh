#!/usr/bin/env bash
# Static checks: ruff lint and format, mypy with django-stubs, import-linter layer contracts.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DATA_DIR=${DATA_DIR:-$(mktemp -d)}
echo "== ruff check"; $BIN/ruff check src tests e2e benchmarks
echo "== ruff format --check"; $BIN/ruff format --check src tests e2e benchmarks
echo "== mypy"; $BIN/mypy src
echo "== import-linter"; (cd src && ../$BIN/lint-imports --config ../.importlinter)
