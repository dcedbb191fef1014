#!/usr/bin/env bash
# The crash harness (crash.py): a mixed workload from several threads against the real cairn,
# kill -9 at a random moment, restart on the same data dir, check that nothing acknowledged was
# lost, nothing unacknowledged is half-visible and no orphan blob or temporary file is left.
#
#   tests/crash/run.sh [--meta postgres [--if-available]] BINARY [ITERATIONS] [SEED]
#
# --meta postgres  the gateway as a cluster runs it (storage.py): metadata on a PostgreSQL and
#                  blobs in a pool of a one-node Ceph cluster that the harness starts (or
#                  CAIRN_TEST_BLOB_URL, or CAIRN_TEST_BLOB=file for a file:// dir); only the
#                  gateway is killed. Without PostgreSQL or Ceph this fails, unless --if-available:
#                  then it says so loudly and exits 0 (make test on a machine without them).
# BINARY      the cairn binary (build/cairn)
# ITERATIONS  default 20
# SEED        default random; printed first, so that a failing run can be repeated
#
# Each iteration takes a few seconds; the whole run is bounded by CAIRN_CRASH_TIMEOUT seconds
# (default 60 per iteration). The last line is the summary; the exit status is non-zero when any
# iteration found a loss.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
meta=sqlite
if_available=""
while [ $# -gt 0 ]; do
  case "$1" in
    --meta) meta="$2"; shift 2 ;;
    --if-available) if_available=1; shift ;;
    *) break ;;
  esac
done
binary=${1:-}
iterations=${2:-20}
seed=${3:-}
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
  echo "usage: $0 [--meta postgres [--if-available]] BINARY [ITERATIONS] [SEED]" \
    "(binary '${binary}' not found)" >&2
  exit 2
fi
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")

py=$(command -v python3)
if ! "$py" -c 'import boto3' 2>/dev/null; then
  echo "no boto3 for $py (scripts/install-test-deps.sh installs it)" >&2
  exit 2
fi

# No real AWS configuration reaches the client (cairn_server.py clears the rest).
for v in $(env | awk -F= '/^AWS_/ {print $1}'); do unset "$v"; done
export PYTHONDONTWRITEBYTECODE=1

if [ "$meta" = postgres ] && [ -n "$if_available" ] &&
   ! why=$("$py" "$here/../integration/py/cairn_cluster.py" --check); then
  echo "===== crash harness on PostgreSQL + RADOS SKIPPED: its services cannot be started here: $why"
  echo "===== (make test-cluster runs it and fails instead)"
  exit 0
fi

timeout_s=${CAIRN_CRASH_TIMEOUT:-$((60 * iterations + 60))}
args=(--binary "$binary" --iterations "$iterations" --meta "$meta")
[ -n "$seed" ] && args+=(--seed "$seed")
timeout --kill-after=15 "$timeout_s" "$py" "$here/crash.py" "${args[@]}"
rc=$?
[ $rc -eq 124 ] && echo "crash harness timed out after ${timeout_s}s"
exit $rc
