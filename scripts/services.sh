#!/usr/bin/env bash
# Start/stop a throwaway PostgreSQL and Redis on loopback for the test suite (and `make cluster`).
# Usage: scripts/services.sh start|stop [pg] [redis]   (both when neither is named)
# State lives in .pgtest/ (ZX_SERVICES_STATE elsewhere); ports ZX_TEST_PGPORT / ZX_TEST_REDISPORT.
# The test suite's servers skip flushing to disk (speed); ZX_SERVICES_DURABLE=1 keeps PostgreSQL's
# defaults (fsync, synchronous commit) and gives Redis an append-only file, so a Redis restart keeps
# the queued tasks, as a deployment has them (docs/deploy.md).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=${ZX_SERVICES_STATE:-$ROOT/.pgtest}
PGPORT=${ZX_TEST_PGPORT:-25329}
REDISPORT=${ZX_TEST_REDISPORT:-63799}
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
if [ "${ZX_SERVICES_DURABLE:-0}" = 1 ]; then
  PGFAST=""
  REDISKEEP=(--appendonly yes --appendfsync everysec)
else
  PGFAST="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  REDISKEEP=(--appendonly no)
fi
WANT_PG=1
WANT_REDIS=1
if [ $# -gt 1 ]; then
  WANT_PG=0
  WANT_REDIS=0
  for s in "${@:2}"; do
    case "$s" in
      pg) WANT_PG=1 ;;
      redis) WANT_REDIS=1 ;;
      *) echo "unknown service: $s (pg, redis)" >&2; exit 2 ;;
    esac
  done
fi

start() {
  mkdir -p "$STATE"
  chmod 777 "$STATE"
  if [ "$WANT_PG" = 1 ]; then start_pg; fi
  if [ "$WANT_REDIS" = 1 ]; then start_redis; fi
  echo "postgres://postgres@127.0.0.1:$PGPORT/zhixing"
}

start_pg() {
  if [ ! -f "$STATE/data/PG_VERSION" ]; then
    rm -rf "$STATE/data"
    mkdir -p "$STATE/data" && chown postgres "$STATE/data" 2>/dev/null || true
    # initdb refuses to run as root: run it as the postgres user.
    run_pg "$PGBIN/initdb -D $STATE/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
  fi
  if ! run_pg "$PGBIN/pg_ctl -D $STATE/data status" >/dev/null 2>&1; then
    run_pg "$PGBIN/pg_ctl -D $STATE/data -w -t 60 -l $STATE/pg.log -o '-p $PGPORT -k $STATE -c listen_addresses=127.0.0.1 $PGFAST -c max_connections=200' start" >/dev/null
  fi
}

start_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    if [ ! -f "$STATE/redis.pid" ] || ! kill -0 "$(cat "$STATE/redis.pid")" 2>/dev/null; then
      redis-server --bind 127.0.0.1 --port "$REDISPORT" --save '' "${REDISKEEP[@]}" --daemonize yes \
        --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" --dir "$STATE"
    fi
  fi
}

stop() {
  if [ "$WANT_PG" = 1 ] && [ -f "$STATE/data/PG_VERSION" ]; then
    run_pg "$PGBIN/pg_ctl -D $STATE/data -m fast stop" >/dev/null 2>&1 || true
  fi
  if [ "$WANT_REDIS" = 1 ] && [ -f "$STATE/redis.pid" ]; then
    kill "$(cat "$STATE/redis.pid")" 2>/dev/null || true
    rm -f "$STATE/redis.pid"
  fi
}

run_pg() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [pg] [redis]" >&2; exit 2 ;;
esac
