#!/usr/bin/env bash
# The whole test suite: static checks, then pytest on SQLite and on a real PostgreSQL,
# including the Playwright tests in Debian's Chromium. Starts and stops PostgreSQL and Redis itself.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
bash scripts/system-deps.sh
bash scripts/lint.sh

export ZX_TEST_DATA=$(mktemp -d)
trap 'bash scripts/services.sh stop; rm -rf "$ZX_TEST_DATA"' EXIT
PG_URL=$(bash scripts/services.sh start)

echo "== pytest on SQLite (with browser tests)"
DATA_DIR="$ZX_TEST_DATA/sqlite" $BIN/python -m pytest -q -n 2 --dist loadfile "$@"

echo "== pytest on PostgreSQL"
DATA_DIR="$ZX_TEST_DATA/pg" DATABASE_URL="$PG_URL" REDIS_TEST_URL="redis://127.0.0.1:${ZX_TEST_REDISPORT:-63799}/0" \
  $BIN/python -m pytest -q -n 2 --dist loadfile -m "not e2e" "$@"
