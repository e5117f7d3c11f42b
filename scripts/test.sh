#!/usr/bin/env bash
# The whole test suite: static checks (beside the first stage), pytest on SQLite and on a real PostgreSQL,
# including the Playwright tests in Debian's Chromium, then a bounded soak-and-fault run on the
# scaled-out platform (`make cluster`, benchmarks/cluster_soak.py; ZX_SOAK_SECONDS, 0 skips it).
# Starts and stops PostgreSQL and Redis itself.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
bash scripts/system-deps.sh
bash scripts/system-deps.sh cluster

export ZX_TEST_DATA=$(mktemp -d)
# Compiled modules are kept for the run (in its temp dir, not the tree), whatever the environment says:
# every pytest worker, stage and server subprocess would otherwise compile the platform again and pytest
# would rewrite every test module's asserts again (a minute of CPU per stage).
unset PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX="$ZX_TEST_DATA/pycache"
chmod 755 "$ZX_TEST_DATA"  # the soak's PostgreSQL runs as the postgres user and must reach its data dir
soak_services() { ZX_SERVICES_STATE="$ZX_TEST_DATA/soak/services" ZX_TEST_PGPORT=25350 ZX_TEST_REDISPORT=63750 bash scripts/services.sh stop; }
# The static checks (ruff, mypy, import-linter, migrations) run beside the SQLite stage: mypy keeps one core
# busy for a minute or two on a fresh clone while the test workers wait on browsers and servers. Their
# output is printed, and a failure fails the run, when the SQLite stage is done.
bash scripts/lint.sh > "$ZX_TEST_DATA/lint.log" 2>&1 &
LINT_PID=$!
trap 'kill $LINT_PID 2>/dev/null || true; bash scripts/services.sh stop; soak_services; rm -rf "$ZX_TEST_DATA"' EXIT
PG_URL=$(bash scripts/services.sh start)

echo "== pytest on SQLite (with browser tests)"
# --no-loadscope-reorder: modules go out in the order conftest.py sorts them (long ones first).
DATA_DIR="$ZX_TEST_DATA/sqlite" $BIN/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder "$@"

echo "== static checks (run beside the SQLite stage)"
if wait $LINT_PID; then cat "$ZX_TEST_DATA/lint.log"; else cat "$ZX_TEST_DATA/lint.log"; echo "static checks failed"; exit 1; fi

# Browser tests and tests marked backend_neutral (nothing they check can differ between the two
# databases: the launcher always runs SQLite) ran in the SQLite stage.
echo "== pytest on PostgreSQL"
DATA_DIR="$ZX_TEST_DATA/pg" DATABASE_URL="$PG_URL" REDIS_TEST_URL="redis://127.0.0.1:${ZX_TEST_REDISPORT:-63799}/0" \
  $BIN/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder -m "not e2e and not backend_neutral" "$@"

if [ "${ZX_SOAK_SECONDS:-60}" != 0 ]; then
  echo "== soak and faults on the scaled-out platform (2 web workers, 2 consumers; kills and a Redis restart)"
  $BIN/python benchmarks/cluster_soak.py --seconds "${ZX_SOAK_SECONDS:-60}" --dir "$ZX_TEST_DATA/soak" \
    --port 8800 --pgport 25350 --redisport 63750
fi
