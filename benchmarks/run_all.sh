#!/usr/bin/env bash
# Run the case benchmark on SQLite and, when DATABASE_URL is set, on PostgreSQL.
#
#   benchmarks/run_all.sh                       # 1,000,000 cases
#   CASES=20000 benchmarks/run_all.sh --runs 5  # smaller; extra arguments go to bench_cases.py
#
# Results are also written as JSON next to each other in $OUT (default var/bench/).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
CASES="${CASES:-1000000}"
OUT="${OUT:-var/bench}"
mkdir -p "$OUT"
stamp="$(date +%Y%m%d-%H%M%S)"

"$PY" benchmarks/bench_cases.py --cases "$CASES" --db sqlite --json "$OUT/cases-sqlite-$stamp.json" "$@"
if [[ -n "${DATABASE_URL:-}" ]]; then
  "$PY" benchmarks/bench_cases.py --cases "$CASES" --db postgres --json "$OUT/cases-postgres-$stamp.json" "$@"
else
  echo "DATABASE_URL is not set: PostgreSQL run skipped."
fi
