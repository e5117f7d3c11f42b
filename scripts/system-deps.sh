#!/usr/bin/env bash
# Install the Debian packages the test suite needs (Chromium, CJK fonts, Redis; PostgreSQL if absent).
# `system-deps.sh cluster`: what `make cluster` needs instead (Redis, PostgreSQL, nginx).
set -euo pipefail
need=()
if [ "${1:-}" = cluster ]; then
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
else
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  [ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
fi
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if ! command -v pg_ctl >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  need+=(postgresql)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
