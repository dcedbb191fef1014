#!/usr/bin/env bash
# A/B: the workloads a change is most likely to move, on two cairn binaries alternately, so that
# both see the same machine and disk within minutes of each other (the machine is shared and its
# speed drifts; figures from two separate `make bench` runs are not comparable to 5%).
#
#   bench/ab.sh OLD_BINARY NEW_BINARY [ROUNDS]      (default 3 rounds)
#
# Each round starts each binary on a fresh data directory (the order alternates between rounds),
# runs GET and PUT of 4 KiB objects (64 connections), a page of 1,000 keys from a bucket of
# 10,000 with and without a delimiter, and a single PUT and GET of AB_BIG (default 1GiB), then
# stops it. The load generator is NEW_BINARY's `cairn bench` for both. Prints the median of the
# rounds per workload and binary, the ratio new/old, and each round's figure.
# Environment: AB_DURATION seconds per timed run (default 10), AB_BIG (default 1GiB),
# AB_WORK_DIR (default a new directory in $TMPDIR, removed at the end).
set -euo pipefail

old=$(realpath "${1:?usage: $0 OLD_BINARY NEW_BINARY [ROUNDS]}")
new=$(realpath "${2:?usage: $0 OLD_BINARY NEW_BINARY [ROUNDS]}")
rounds=${3:-3}
duration=${AB_DURATION:-10}
big=${AB_BIG:-1GiB}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${AB_WORK_DIR:-$(mktemp -d -t cairn-ab-XXXXXX)}
mkdir -p "$work/runs"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -z "${AB_WORK_DIR:-}" ] && rm -rf "$work"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CAIRN_ACCESS_KEY_ID="AB$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
CAIRN_SECRET_ACCESS_KEY="$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')"
export CAIRN_ACCESS_KEY_ID CAIRN_SECRET_ACCESS_KEY
unset CAIRN_CONFIG CAIRN_ENDPOINT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# run_binary LABEL BINARY ROUND: start BINARY, run every workload against it, stop it.
run_binary() {
  local label=$1 binary=$2 round=$3 port data
  port=$(free_port)
  data="$work/data-$label"
  rm -rf "$data"
  mkdir -p "$data"
  "$binary" serve --listen "127.0.0.1:$port" --data-dir "$data" --io-threads "$(nproc)" \
    >"$work/$label.$round.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  local timed=(--duration "${duration}s" --warmup 2s)
  bench() {  # ID WORKLOAD FLAGS...
    local id=$1
    shift
    timeout --kill-after=10 600 "$new" bench "$@" --endpoint "http://127.0.0.1:$port" --json \
      --no-progress --server-pid "$server_pid" >"$work/runs/$id.$label.$round.json" \
      2>>"$work/runs/errors.log"
  }
  bench get-4k get --size 4KiB --concurrency 64 --objects 1000 --prepare-concurrency 64 "${timed[@]}"
  bench put-4k put --size 4KiB --concurrency 64 "${timed[@]}"
  bench list-10k list --bucket ab-list --size 0 --objects 10000 --prefixes 1000 \
    --prepare-concurrency 128 --max-keys 1000 --concurrency 1 "${timed[@]}"
  bench list-delimiter-10k list --bucket ab-list --size 0 --objects 10000 --prefixes 1000 \
    --max-keys 1000 --delimiter / --concurrency 1 "${timed[@]}"
  bench put-big put --size "$big" --concurrency 1 --requests 2
  bench get-big get --size "$big" --concurrency 1 --objects 1 --requests 2
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  rm -rf "$data"
}

for round in $(seq "$rounds"); do
  if [ $((round % 2)) = 1 ]; then order=(old new); else order=(new old); fi
  for label in "${order[@]}"; do
    binary=$old
    [ "$label" = new ] && binary=$new
    echo "round $round: $label ($binary)"
    run_binary "$label" "$binary" "$round"
  done
done

python3 - "$work/runs" <<'EOF'
import json, pathlib, statistics, sys
runs = pathlib.Path(sys.argv[1])
figures = {}
for path in runs.glob("*.json"):
    workload, label, _ = path.name.rsplit(".", 3)[:3]
    result = json.loads(path.read_text())
    figures.setdefault(workload, {}).setdefault(label, []).append(
        (result["opsPerSecond"], result["mibPerSecond"]))
print(f"{'workload':22} {'old ops/s':>10} {'new ops/s':>10} {'old MiB/s':>10} {'new MiB/s':>10} "
      f"{'new/old':>8}  rounds old | new (ops/s)")
for workload in ["get-4k", "put-4k", "list-10k", "list-delimiter-10k", "put-big", "get-big"]:
    by = figures.get(workload, {})
    if "old" not in by or "new" not in by:
        print(f"{workload:22} missing (see runs/errors.log)")
        continue
    old_ops, new_ops = (statistics.median(o for o, _ in by[k]) for k in ("old", "new"))
    old_mib, new_mib = (statistics.median(m for _, m in by[k]) for k in ("old", "new"))
    print(f"{workload:22} {old_ops:10.1f} {new_ops:10.1f} {old_mib:10.1f} {new_mib:10.1f} "
          f"{new_ops / old_ops:8.3f}  {' '.join(f'{o:.0f}' for o, _ in by['old'])} | "
          f"{' '.join(f'{o:.0f}' for o, _ in by['new'])}")
EOF
