#!/usr/bin/env bash
# The performance suite of docs/performance.md: `cairn bench` drives cairn and, as the reference,
# nginx serving the same paths from a directory (GET) and taking the same bodies with WebDAV PUT,
# both on loopback ports of this machine, with the same generator, connections and sizes. It also
# measures the single-core MD5 speed (`openssl speed -evp md5`, the ceiling of a PUT's hashing),
# measures the disk's durable write speed (`dd conv=fdatasync`, the ceiling of an acknowledged
# upload), runs the micro-benchmarks, and reads each server's resident memory (before a workload, and its
# peak during the timed window) and CPU time from /proc.
#
#   bench/run.sh [BUILD_DIR] [--quick]        (make bench)
#
# BUILD_DIR   where cairn (and cairn_micro_bench) are built; default: build
# --quick     or BENCH_QUICK=1: every workload for 2 s with small data, a smoke test of the whole
#             suite (under two minutes); its results go to bench/results/quick.*
# Environment:
#   BENCH_DURATION  seconds per timed run (default 15; quick 2)
#   BENCH_WORK_DIR  where the servers keep their data (default: a new directory in $TMPDIR)
#   BENCH_KEEP=1    keep the work directory (data, per-run JSON and logs) afterwards
#   BENCH_CAIRN_COMMIT  the commit the binary was built from, for the report (default: HEAD)
#   BENCH_ONLY      a regular expression: only the runs whose id matches (e.g. 'put-4k|get-4k');
#                   results go to bench/results/partial.*, the document is left alone
#
# Writes bench/results/latest.json, latest.md and throughput.png, and refreshes the results
# section of docs/performance.md. Every server listens on 127.0.0.1 only and is stopped on exit.
# Every run is bounded (durations, request counts, key counts, and a timeout around each), so the
# suite stops by itself: about 20 minutes in full, a third of it filling a bucket with 10^6 keys.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=build
quick=${BENCH_QUICK:-0}
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) build=$arg ;;
  esac
done
[[ "$build" = /* ]] || build="$root/$build"
binary="$build/cairn"
if [ ! -x "$binary" ]; then
  echo "no cairn binary at $binary: build first (make build)" >&2
  exit 2
fi

# shellcheck source=scripts/apt-lib.sh
source "$root/scripts/apt-lib.sh"
apt_install_missing nginx-full python3-matplotlib libbenchmark-dev
py=/usr/bin/python3  # Debian's, which has python3-matplotlib
if [ ! -x "$build/cairn_micro_bench" ]; then
  # Google Benchmark may have been installed just now: configure again to pick it up.
  cmake -S "$root" -B "$build" >/dev/null
  cmake --build "$build" --target cairn_micro_bench
fi

# --- Sizes and durations ---------------------------------------------------------------------
pick() {  # QUICK FULL: the value for this mode
  if [ "$quick" = 1 ]; then echo "$1"; else echo "$2"; fi
}
mode=$(pick quick full)
duration=${BENCH_DURATION:-$(pick 2 15)}
warmup=$(pick 0.5 3)
big=$(pick 64MiB 1GiB)             # the "1 GiB" single PUT, GET and multipart upload
big_part=$(pick 8MiB 64MiB)
big_requests=$(pick 2 3)
small_objects=$(pick 100 1000)     # the 4 KiB and 64 KiB data sets at 1x (10x: ten times more)
medium_objects=$(pick 20 100)      # the 1 MiB data set at 1x
list_sizes=$(pick "2000 20000" "10000 100000 1000000")
cluster_list_sizes=$(pick "2000" "10000 1000000")
list_prefixes=$(pick 1000 10000)
micro_flags=("--benchmark_min_time=$(pick 0.02 0.5)")
[ "$quick" = 1 ] && micro_flags+=("--benchmark_filter=-/100000")
threads=$(nproc)
results="$root/bench/results"
mkdir -p "$results"

# --- Work directory, servers, and their end -------------------------------------------------
if [ -n "${BENCH_WORK_DIR:-}" ]; then
  work=$BENCH_WORK_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d -t cairn-bench-XXXXXX)
fi
runs="$work/runs"
mkdir -p "$runs" "$work/cairn-data" "$work/nginx/root" "$work/nginx/tmp"
cairn_pid=""
nginx_pid=""
cluster_pid=""
pg_dir=""
ceph_dir=""
cleanup() {
  [ -n "$cairn_pid" ] && kill "$cairn_pid" 2>/dev/null && wait "$cairn_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  [ -n "$cluster_pid" ] && kill "$cluster_pid" 2>/dev/null && wait "$cluster_pid" 2>/dev/null
  [ -n "$pg_dir" ] && "$root/tests/services/postgres.sh" stop "$pg_dir"
  [ -n "$ceph_dir" ] && "$root/tests/services/ceph.sh" stop "$ceph_dir"
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

CAIRN_ACCESS_KEY_ID="BENCH$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
CAIRN_SECRET_ACCESS_KEY="$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')"
export CAIRN_ACCESS_KEY_ID CAIRN_SECRET_ACCESS_KEY
unset CAIRN_CONFIG CAIRN_ENDPOINT

cairn_port=$(free_port)
"$binary" serve --listen "127.0.0.1:$cairn_port" --data-dir "$work/cairn-data" \
  --io-threads "$threads" >"$work/cairn.log" 2>&1 &
cairn_pid=$!
wait_for_port "$cairn_port"
cairn_url="http://127.0.0.1:$cairn_port"

nginx_port=$(free_port)
nginx_user=""
[ "$(id -u)" -eq 0 ] && nginx_user="user root root;"  # else workers run as nobody
cat >"$work/nginx/nginx.conf" <<EOF
$nginx_user
worker_processes $threads;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log error;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  client_max_body_size 0;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/root;
    dav_methods PUT;
    create_full_put_path on;
  }
}
EOF
nginx -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" -p "$work/nginx" >"$work/nginx.log" 2>&1 &
nginx_pid=$!
wait_for_port "$nginx_port"
nginx_url="http://127.0.0.1:$nginx_port"

# --- Measuring a server from /proc ------------------------------------------------------------
server_pids() {  # cairn's process, the cluster's gateway, or nginx's master and workers
  case "$1" in
    cairn) echo "$cairn_pid" ;;
    cluster) echo "$cluster_pid" ;;
    *) echo "$nginx_pid" "$(pgrep -P "$nginx_pid" | tr '\n' ' ')" ;;
  esac
}
sum_status_kib() {  # FIELD PID...: the sum of a /proc/PID/status field (VmRSS, VmHWM) in KiB
  local field=$1 total=0 v
  shift
  for p in "$@"; do
    v=$(awk -v f="$field:" '$1 == f {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
# The CPU time (user + system, in clock ticks) of PostgreSQL's processes or the Ceph OSD, for the
# cluster runs: what one request costs the engines behind the gateway.
engine_ticks() {  # postgres|osd
  local pids total=0 t
  if [ "$1" = postgres ]; then
    pids="$pg_pid $(pgrep -P "$pg_pid" | tr '\n' ' ')"
  else
    pids=$(cat "$ceph_dir"/run/osd.*.pid 2>/dev/null)
  fi
  for p in $pids; do
    t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}

# run_case ID SERVER WORKLOAD [cairn bench flags...]: one timed run against cairn (SQLite + files),
# the cluster gateway (PostgreSQL + RADOS) or nginx. Its
# JSON summary goes to runs/ID.SERVER.json, with the server's CPU time and peak memory over the
# timed window (--server-pid); runs/ID.SERVER.meta.json adds the server's memory before the
# command and how busy the machine was.
case_number=0
run_case() {
  local id=$1 server=$2 workload=$3
  shift 3
  if [ -n "${BENCH_ONLY:-}" ] && ! [[ "$id" =~ $BENCH_ONLY ]]; then return 0; fi
  local endpoint=$cairn_url target=s3
  if [ "$server" = nginx ]; then endpoint=$nginx_url; target=plain-http; fi
  [ "$server" = cluster ] && endpoint=$cluster_url
  local pg_before=0 osd_before=0
  if [ "$server" = cluster ]; then pg_before=$(engine_ticks postgres); osd_before=$(engine_ticks osd); fi
  local pids probes=()
  read -ra pids <<<"$(server_pids "$server")"
  for p in "${pids[@]}"; do probes+=(--server-pid "$p"); done
  local idle load compilers status=0
  idle=$(sum_status_kib VmRSS "${pids[@]}")
  load=$(cut -d' ' -f1 /proc/loadavg)
  compilers=$(pgrep -c -x cc1plus || true)
  case_number=$((case_number + 1))
  echo "== $id on $server: cairn bench $workload $*"
  timeout --kill-after=10 "${case_timeout:-600}" \
    "$binary" bench "$workload" --target "$target" --endpoint "$endpoint" --json --progress \
    "${probes[@]}" "$@" >"$runs/$id.$server.json" 2>"$runs/$id.$server.log" || status=$?
  local engines=""
  if [ "$server" = cluster ]; then
    engines=$(printf ', "postgresCpuSeconds": %s, "osdCpuSeconds": %s' \
      "$(awk -v t="$(($(engine_ticks postgres) - pg_before))" -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz}')" \
      "$(awk -v t="$(($(engine_ticks osd) - osd_before))" -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz}')")
  fi
  printf '{"seq": %d, "id": "%s", "server": "%s", "workload": "%s", "args": "%s", "exit": %d, "rssIdleKiB": %d, "loadAverage": %s, "compilersRunning": %d%s}\n' \
    "$case_number" "$id" "$server" "$workload" "$*" "$status" "$idle" "$load" "${compilers:-0}" \
    "$engines" >"$runs/$id.$server.meta.json"
  "$py" "$root/bench/report.py" --summarize "$runs/$id.$server.json" "$runs/$id.$server.meta.json" ||
    tail -3 "$runs/$id.$server.log"
}

# both ID WORKLOAD [flags...]: the same run against cairn, then nginx.
both() {
  local id=$1
  shift
  run_case "$id" cairn "$@"
  run_case "$id" nginx "$@"
}

# --- The suite ---------------------------------------------------------------------------------
start_time=$(date +%s)
echo "mode $mode: ${duration}s per run, cairn at $cairn_url, nginx at $nginx_url, work dir $work"
sleep 1
idle_rss_start=$(sum_status_kib VmRSS "$cairn_pid")

timed=(--duration "${duration}s" --warmup "${warmup}s")
for scale in 1 10; do
  both "get-4k-x$scale" get --size 4KiB --concurrency 64 --objects $((small_objects * scale)) \
    --prepare-concurrency 64 "${timed[@]}"
  both "put-4k-x$scale" put --size 4KiB --concurrency 64 "${timed[@]}"
  both "get-1m-x$scale" get --size 1MiB --concurrency 16 --objects $((medium_objects * scale)) \
    "${timed[@]}"
  both "mixed-64k-x$scale" mixed --size 64KiB --concurrency 32 \
    --objects $((small_objects * scale)) --get-ratio 0.7 --prepare-concurrency 32 "${timed[@]}"
done
both put-1m put --size 1MiB --concurrency 16 "${timed[@]}"
# The disk's durable write speed, measured next to the large PUTs (it drifts on a shared disk):
# cairn acknowledges an upload only once it is on disk, so no upload can be faster than this.
echo "== dd bs=1M conv=fdatasync ($big)"
dd if=/dev/zero of="$work/disk-probe" bs=1M count=$(pick 64 1024) conv=fdatasync \
  2>"$runs/dd-fdatasync.txt" >/dev/null || true
rm -f "$work/disk-probe"
both "put-big" put --size "$big" --concurrency 1 --requests "$big_requests"
both "get-big" get --size "$big" --concurrency 1 --objects 1 --requests "$big_requests"
for in_flight in 2 4; do
  run_case "multipart-big-p$in_flight" cairn multipart --size "$big" --part-size "$big_part" \
    --parts-in-flight "$in_flight" --requests "$big_requests"
done
# 64 uploads of 1 GiB at once, cut after the duration: the server's memory under many large
# bodies (the data they sent is discarded with the cancelled uploads).
run_case memory-64-uploads cairn put --size 1GiB --concurrency 64 --duration "${duration}s" \
  --cancel-at-end

# Listings: one bucket per size, its keys spread over $list_prefixes common prefixes, so that the
# same bucket gives full pages of keys (no delimiter) and a delimiter listing of that many
# prefixes. Filled with empty PUTs, 128 at once (not timed).
list_runs() {  # SERVER SIZES...
  local server=$1 keys
  shift
  for keys in "$@"; do
    case_timeout=3600 run_case "list-$keys" "$server" list --bucket "bench-list-$keys" --size 0 \
      --objects "$keys" --prefixes "$list_prefixes" --prepare-concurrency 128 --max-keys 1000 \
      --concurrency 1 "${timed[@]}"
    run_case "list-delimiter-$keys" "$server" list --bucket "bench-list-$keys" --size 0 \
      --objects "$keys" --prefixes "$list_prefixes" --max-keys 1000 --delimiter / \
      --concurrency 1 "${timed[@]}"
  done
}
# shellcheck disable=SC2086  # the sizes are words
list_runs cairn $list_sizes
# Key search (cairn's own, docs/access-keys.md) over the largest listing bucket, next to its
# ListObjectsV2 pages: a rare text (one key in 10^6 holds 424242, so every page reads the
# server's budget of 100,000 keys) and a common one (every key holds /00: pages of 1,000
# matches, as the list pages hold 1,000 keys).
largest=${list_sizes##* }
for text in rare:424242 common:/00; do
  run_case "search-${text%%:*}-$largest" cairn search --bucket "bench-list-$largest" --size 0 \
    --objects "$largest" --prefixes "$list_prefixes" --text "${text#*:}" --limit 1000 \
    --concurrency 1 "${timed[@]}"
done
idle_rss_end=$(sum_status_kib VmRSS "$cairn_pid")

# --- The same small-object workloads on PostgreSQL + RADOS --------------------------------------
# A gateway on a PostgreSQL server (fsync on, as in production) and a one-node Ceph cluster whose
# OSD runs bluestore on a file (tests/services/), beside the cairn above on SQLite + files. The
# engines' own CPU time per request is recorded too (docs/scale-out.md). When either engine cannot
# start, the suite says so and goes on without these runs.
cluster_runs() {
  pg_dir=$(mktemp -d -t cairn-bench-pg-XXXXXX)
  local uri conf
  if ! uri=$("$root/tests/services/postgres.sh" start "$pg_dir" --durable 2>"$work/postgres-start.log"); then
    pg_dir=""
    echo "CLUSTER RUNS SKIPPED: PostgreSQL did not start: $(tail -3 "$work/postgres-start.log")" | tee "$runs/cluster-skipped.txt"
    return 0
  fi
  pg_pid=$(head -1 "$pg_dir/data/postmaster.pid")
  ceph_dir=$(mktemp -d -t cairn-bench-ceph-XXXXXX)
  if ! conf=$("$root/tests/services/ceph.sh" start "$ceph_dir" cairn bluestore 2>"$work/ceph-start.log"); then
    ceph_dir=""
    echo "CLUSTER RUNS SKIPPED: Ceph did not start: $(tail -3 "$work/ceph-start.log")" | tee "$runs/cluster-skipped.txt"
    return 0
  fi
  local port
  port=$(free_port)
  mkdir -p "$work/cluster-data"
  "$binary" serve --listen "127.0.0.1:$port" --data-dir "$work/cluster-data" --io-threads "$threads" \
    --meta "$uri" --blob "rados://cairn?conf=$conf" >"$work/cluster.log" 2>&1 &
  cluster_pid=$!
  if ! wait_for_port "$port"; then
    echo "CLUSTER RUNS SKIPPED: the gateway did not start: $(tail -3 "$work/cluster.log")" | tee "$runs/cluster-skipped.txt"
    return 0
  fi
  cluster_url="http://127.0.0.1:$port"
  echo "cluster gateway at $cluster_url on $uri and rados://cairn"
  run_case get-4k-x1 cluster get --size 4KiB --concurrency 64 --objects "$small_objects" \
    --prepare-concurrency 64 "${timed[@]}"
  run_case put-4k-x1 cluster put --size 4KiB --concurrency 64 "${timed[@]}"
  run_case mixed-64k-x1 cluster mixed --size 64KiB --concurrency 32 --objects "$small_objects" \
    --get-ratio 0.7 --prepare-concurrency 32 "${timed[@]}"
  # Objects up to 64 KiB live in their metadata row; these are the smallest whose bytes are RADOS's.
  run_case get-1m-x1 cluster get --size 1MiB --concurrency 16 --objects "$medium_objects" \
    "${timed[@]}"
  run_case put-1m cluster put --size 1MiB --concurrency 16 "${timed[@]}"
  # shellcheck disable=SC2086  # the sizes are words
  list_runs cluster $cluster_list_sizes
  # Metadata per object: PostgreSQL's table and index bytes over the objects stored.
  psql "$uri" -Atc "select (select count(*) from objects), pg_total_relation_size('objects')" \
    >"$runs/cluster-metadata-size.txt" 2>&1 || true
}
cluster_runs

echo "== openssl speed -evp md5"
openssl speed -evp md5 -seconds "$([ "$quick" = 1 ] && echo 1 || echo 3)" -bytes 1048576 \
  >"$runs/openssl-md5.txt" 2>/dev/null
if [ -z "${BENCH_ONLY:-}" ] || [[ micro =~ $BENCH_ONLY ]]; then
  echo "== micro-benchmarks"
  TMPDIR="$work" "$build/cairn_micro_bench" "${micro_flags[@]}" --benchmark_format=json \
    --benchmark_out="$runs/micro.json" --benchmark_out_format=json >/dev/null 2>"$runs/micro.log" ||
    tail -3 "$runs/micro.log"
fi

# --- Results -----------------------------------------------------------------------------------
cat >"$runs/machine.json" <<EOF
{"mode": "$mode", "cpu": "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)",
 "cores": $threads, "memoryKiB": $(awk '/MemTotal/ {print $2}' /proc/meminfo),
 "kernel": "$(uname -r)", "os": "$(. /etc/os-release && echo "$PRETTY_NAME")",
 "filesystem": "$(df -T "$work" | awk 'NR == 2 {print $2}')",
 "nginx": "$(nginx -v 2>&1 | sed 's/.*nginx\///')", "openssl": "$(openssl version | cut -d' ' -f2)",
 "cairnCommit": "${BENCH_CAIRN_COMMIT:-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)}",
 "durationSeconds": $duration, "warmupSeconds": $warmup,
 "cairnIdleRssKiBAtStart": $idle_rss_start, "cairnIdleRssKiBAtEnd": $idle_rss_end,
 "suiteSeconds": $(($(date +%s) - start_time))}
EOF
out_json="$results/latest.json"
doc_flag=(--doc "$root/docs/performance.md")
if [ "$quick" = 1 ]; then
  out_json="$results/quick.json"
  doc_flag=()
elif [ -n "${BENCH_ONLY:-}" ]; then
  out_json="$results/partial.json"
  doc_flag=()
fi
"$py" "$root/bench/report.py" --runs "$runs" --json "$out_json" --markdown "${out_json%.json}.md" \
  "${doc_flag[@]}"
"$py" "$root/bench/plot.py" "$out_json" "${out_json%.json}-throughput.png"
[ "$out_json" = "$results/latest.json" ] && mv "$results/latest-throughput.png" "$results/throughput.png"
cat "${out_json%.json}.md"
