#!/usr/bin/env bash
# A throw-away PostgreSQL + PostGIS cluster for the service tests (CI).
#   eval "$(bash scripts/ci_postgres.sh start)"   # installs if needed, prints export GEOMAP_TEST_PG_URL=...
#   bash scripts/ci_postgres.sh stop               # stops it and removes its files
# Debian packages (postgresql-15, postgresql-15-postgis-3 or the versions Debian offers);
# the cluster runs as the `postgres` user on a free 127.0.0.1 port, trust auth on loopback only.
set -euo pipefail
STATE=${GEOMAP_PG_STATE:-/tmp/geomap-ci-postgres.env}

as_postgres() {
  if [ "$(id -un)" = "postgres" ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

pg_bin() {
  local v
  for v in $(ls /usr/lib/postgresql 2>/dev/null | sort -rn); do
    if [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ] && [ -d "/usr/share/postgresql/$v/extension" ] \
      && ls "/usr/share/postgresql/$v/extension"/postgis.control >/dev/null 2>&1; then
      echo "/usr/lib/postgresql/$v/bin"; return 0
    fi
  done
  return 1
}

install() {
  if pg_bin >/dev/null; then return 0; fi
  if [ "$(id -u)" != "0" ]; then
    echo "ci_postgres: PostgreSQL with PostGIS is missing; run as root to install it" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  local pkgs="postgresql-15 postgresql-15-postgis-3"
  if ! apt-cache show postgresql-15-postgis-3 >/dev/null 2>&1; then
    pkgs="postgresql postgresql-postgis"
  fi
  # shellcheck disable=SC2086
  apt-get install -y -qq $pkgs >/dev/null
  pg_bin >/dev/null
}

start() {
  install
  local bin port dir
  bin=$(pg_bin)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  dir=$(mktemp -d /tmp/geomap-pg.XXXXXX)
  chown postgres:postgres "$dir" 2>/dev/null || true
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=on" start >/dev/null
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE geomap_test" >/dev/null
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d geomap_test \
    -qc "CREATE EXTENSION postgis" >/dev/null
  printf 'PG_BIN=%s\nPG_DIR=%s\n' "$bin" "$dir" >"$STATE"
  echo "export GEOMAP_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/geomap_test"
}

stop() {
  [ -f "$STATE" ] || exit 0
  # shellcheck disable=SC1090
  . "$STATE"
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR" "$STATE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
