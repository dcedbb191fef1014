#!/usr/bin/env bash
# A throwaway single-node Ceph cluster for tests: one monitor and one OSD on 127.0.0.1 (msgr2
# only), cephx off, one OSD (memstore by default: the bytes live in the OSD's memory, nothing is
# left on disk, a test cluster needs no fsync), replication size 1, and one pool. Debian 12's Ceph 16.2.
#
#   tests/services/ceph.sh start DIR [POOL [STORE]]   prints the ceph.conf path on success (DIR must
#                                             be empty or absent; POOL defaults to "cairn", STORE
#                                             to memstore; bluestore puts the OSD on a file in DIR)
#   tests/services/ceph.sh stop DIR           stops the daemons started in DIR and removes DIR
#
# Start-up takes 3 to 8 s here. Every wait is bounded; a start that fails stops what it started,
# prints the daemons' logs to stderr and exits non-zero. Only the daemons' own PIDs are killed.
set -euo pipefail

die() { echo "ceph.sh: $*" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_daemons() {
  local dir=$1 pid
  for f in "$dir"/run/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null) || continue
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for _ in $(seq 50); do
    local alive=0
    for f in "$dir"/run/*.pid; do
      [ -e "$f" ] || continue
      pid=$(cat "$f" 2>/dev/null) || continue
      [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && alive=1
    done
    [ "$alive" = 0 ] && return 0
    sleep 0.1
  done
  for f in "$dir"/run/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null) || continue
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  done
}

fail_start() {
  local dir=$1; shift
  echo "ceph.sh: $*" >&2
  for log in "$dir"/log/*.log; do
    [ -e "$log" ] || continue
    echo "--- $log (last 30 lines)" >&2
    tail -n 30 "$log" >&2
  done
  stop_daemons "$dir"
  exit 1
}

# The OSD's object store: memstore (the bytes in the OSD's memory; tests) or bluestore on a sparse
# file in DIR (what production runs, with its write-ahead log and fsyncs; benchmarks).
store_settings() {
  local dir=$1 store=$2
  case "$store" in
    memstore) printf '%s\n' "osd objectstore = memstore" "memstore device bytes = 4294967296" ;;
    bluestore)
      printf '%s\n' "osd objectstore = bluestore" "bluestore block path = $dir/osd/block" \
        "bluestore block create = true" "bluestore block size = 21474836480" \
        "bluestore block db create = false" "bluestore block wal create = false"
      ;;
    *) die "unknown object store $store (memstore or bluestore)" ;;
  esac
}

start() {
  local dir=$1 pool=${2:-cairn} store=${3:-memstore}
  for tool in ceph-mon ceph-osd ceph monmaptool uuidgen; do
    command -v "$tool" >/dev/null ||
      die "$tool not found: install Debian's ceph-mon, ceph-osd and ceph-common (scripts/install-deps.sh)"
  done
  mkdir -p "$dir"
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  dir=$(cd "$dir" && pwd)
  mkdir -p "$dir"/{run,log,mon,osd}
  local port fsid conf=$dir/ceph.conf
  port=$(free_port)
  fsid=$(uuidgen)
  cat > "$conf" <<CONF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$port
public addr = 127.0.0.1
ms bind msgr1 = false
ms bind msgr2 = true
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
run dir = $dir/run
pid file = $dir/run/\$name.pid
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
mon data = $dir/mon/\$name
osd data = $dir/osd/\$name
$(store_settings "$dir" "$store")
osd max object size = 134217728
mgr initial modules =
[client]
log file = /dev/null
admin socket =
CONF
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$port]" "$dir/monmap" >/dev/null 2>&1 ||
    fail_start "$dir" "monmaptool failed"
  ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" >"$dir/log/mkfs-mon.out" 2>&1 ||
    fail_start "$dir" "ceph-mon --mkfs failed: $(cat "$dir/log/mkfs-mon.out")"
  ceph-mon -c "$conf" -i a >"$dir/log/mon.out" 2>&1 || fail_start "$dir" "ceph-mon did not start"
  local osd_id
  osd_id=$(timeout 20 ceph -c "$conf" --connect-timeout 15 osd create 2>"$dir/log/osd-create.err") ||
    fail_start "$dir" "the monitor did not answer: $(cat "$dir/log/osd-create.err")"
  mkdir -p "$dir/osd/osd.$osd_id"
  ceph-osd -c "$conf" -i "$osd_id" --mkfs >"$dir/log/mkfs-osd.out" 2>&1 ||
    fail_start "$dir" "ceph-osd --mkfs failed: $(tail -5 "$dir/log/mkfs-osd.out")"
  ceph-osd -c "$conf" -i "$osd_id" >"$dir/log/osd.out" 2>&1 || fail_start "$dir" "ceph-osd did not start"
  timeout 20 ceph -c "$conf" osd pool create "$pool" 8 8 >/dev/null 2>&1 ||
    fail_start "$dir" "could not create pool $pool"
  # Ready when the pool takes a write (its placement groups are active). Without a manager daemon
  # `ceph pg stat` never reports, so a real write is the probe.
  local deadline=$((SECONDS + 60))
  until timeout 5 rados -c "$conf" -p "$pool" put .cairn-ready /dev/null 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail_start "$dir" "the pool takes no write after 60 s"
    sleep 0.2
  done
  timeout 5 rados -c "$conf" -p "$pool" rm .cairn-ready || fail_start "$dir" "could not remove the probe object"
  echo "$conf"
}

case "${1:-}" in
  start)
    [ $# -ge 2 ] || die "usage: $0 start DIR [POOL] [memstore|bluestore]"
    start "$2" "${3:-}" "${4:-}"
    ;;
  stop)
    [ $# -ge 2 ] || die "usage: $0 stop DIR"
    [ -d "$2" ] || exit 0
    stop_daemons "$2"
    rm -rf "$2"
    ;;
  *) die "usage: $0 start DIR [POOL [memstore|bluestore]] | stop DIR" ;;
esac
