#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks: initdb into DIR, a postgres process on a
# free 127.0.0.1 port (and a Unix socket in DIR), trust authentication for the role `cairn`, and a
# database `cairn`. As root (initdb refuses to run as root) the server runs as the `postgres` system
# user, which then owns DIR (so DIR's parents must let that user through, as /tmp does). Debian's `postgresql` package provides the binaries
# (scripts/install-deps.sh); CAIRN_POSTGRES_BIN may name their directory.
#
#   tests/services/postgres.sh start DIR [--durable]   prints a libpq URI on success; without
#                                                      --durable the server runs with fsync off
#                                                      (the port is also in DIR/port)
#   tests/services/postgres.sh stop DIR [--keep]       stops the server started in DIR, removes DIR
#                                                      (--keep: leaves it, data and log)
#   tests/services/postgres.sh resume DIR              starts a server stopped with --keep again,
#                                                      on the same port (a database coming back)
#
# Every wait is bounded; a start that fails stops what it started, prints the server's log to
# stderr and exits non-zero.
set -euo pipefail

die() { echo "postgres.sh: $*" >&2; exit 1; }

bin_dir() {
  if [ -n "${CAIRN_POSTGRES_BIN:-}" ]; then echo "$CAIRN_POSTGRES_BIN"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$found" ] && [ -x "$found/postgres" ] ||
    die "no PostgreSQL server binaries (initdb, postgres): install Debian's postgresql (scripts/install-deps.sh)"
  echo "$found"
}

as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local dir=$1 durable=${2:-} bin port
  bin=$(bin_dir)
  mkdir -p "$dir"
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root, and there is no postgres user to run the server as"
    chown postgres: "$dir"
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_server_user "$bin/initdb" -D "$dir/data" -U cairn -A trust -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "$durable" = --durable ] && durability=""
  echo "$port" >"$dir/port"
  echo "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 $durability" \
    >"$dir/options"
  launch "$dir"
  as_server_user "$bin/createdb" -h "$dir" -p "$port" -U cairn cairn >/dev/null 2>&1 ||
    { stop "$dir"; die "createdb failed"; }
  echo "postgresql://cairn@127.0.0.1:$port/cairn"
}

# Starts the server of DIR with the options it was made with (start, resume).
launch() {
  local dir=$1
  as_server_user "$(bin_dir)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "$(cat "$dir/options")" start >/dev/null 2>&1 ||
    { tail -n 30 "$dir/server.log" >&2; stop "$dir"; die "postgres did not start"; }
}

# MODE: immediate (nothing is kept) or fast (a clean shutdown: without fsync, an immediate one
# would lose the last commits of a server that is to be resumed).
stop() {
  local dir=$1 mode=${2:-immediate} bin
  [ -d "$dir/data" ] || return 0
  bin=$(bin_dir)
  as_server_user "$bin/pg_ctl" -D "$dir/data" -m "$mode" -w -t 30 stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start)
    [ $# -ge 2 ] || die "usage: $0 start DIR [--durable]"
    start "$2" "${3:-}"
    ;;
  stop)
    [ $# -ge 2 ] || die "usage: $0 stop DIR [--keep]"
    [ -d "$2" ] || exit 0
    if [ "${3:-}" = --keep ]; then stop "$2" fast; else stop "$2" && rm -rf "$2"; fi
    ;;
  resume)
    [ $# -ge 2 ] || die "usage: $0 resume DIR"
    [ -f "$2/options" ] || die "$2 holds no server stopped with --keep"
    launch "$2"
    ;;
  *) die "usage: $0 start DIR [--durable] | stop DIR [--keep] | resume DIR" ;;
esac
