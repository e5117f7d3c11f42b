#!/usr/bin/env bash
# Start/stop a throwaway PostgreSQL and Redis on loopback for the test suite.
# Usage: scripts/services.sh start|stop   (state lives in .pgtest/)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE="$ROOT/.pgtest"
PGPORT=${ZX_TEST_PGPORT:-54329}
REDISPORT=${ZX_TEST_REDISPORT:-63799}
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")

start() {
  mkdir -p "$STATE"
  chmod 777 "$STATE"
  if [ ! -f "$STATE/data/PG_VERSION" ]; then
    rm -rf "$STATE/data"
    mkdir -p "$STATE/data" && chown postgres "$STATE/data" 2>/dev/null || true
    # initdb refuses to run as root: run it as the postgres user.
    run_pg "$PGBIN/initdb -D $STATE/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
  fi
  if ! run_pg "$PGBIN/pg_ctl -D $STATE/data status" >/dev/null 2>&1; then
    run_pg "$PGBIN/pg_ctl -D $STATE/data -w -t 60 -l $STATE/pg.log -o '-p $PGPORT -k $STATE -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200' start" >/dev/null
  fi
  if command -v redis-server >/dev/null 2>&1; then
    if [ ! -f "$STATE/redis.pid" ] || ! kill -0 "$(cat "$STATE/redis.pid")" 2>/dev/null; then
      redis-server --bind 127.0.0.1 --port "$REDISPORT" --save '' --appendonly no --daemonize yes \
        --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" --dir "$STATE"
    fi
  fi
  echo "postgres://postgres@127.0.0.1:$PGPORT/zhixing"
}

stop() {
  if [ -f "$STATE/data/PG_VERSION" ]; then
    run_pg "$PGBIN/pg_ctl -D $STATE/data -m fast stop" >/dev/null 2>&1 || true
  fi
  if [ -f "$STATE/redis.pid" ]; then
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
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
