#!/usr/bin/env bash
# The crash harness (crash.py): a mixed workload from several threads against the real cairn,
# kill -9 at a random moment, restart on the same data dir, check that nothing acknowledged was
# lost, nothing unacknowledged is half-visible and no orphan blob or temporary file is left.
#
#   tests/crash/run.sh BINARY [ITERATIONS] [SEED]
#
# BINARY      the cairn binary (build/cairn)
# ITERATIONS  default 20
# SEED        default random; printed first, so that a failing run can be repeated
#
# Each iteration takes a few seconds; the whole run is bounded by CAIRN_CRASH_TIMEOUT seconds
# (default 60 per iteration). The last line is the summary; the exit status is non-zero when any
# iteration found a loss.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
binary=${1:-}
iterations=${2:-20}
seed=${3:-}
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
  echo "usage: $0 BINARY [ITERATIONS] [SEED]  (binary '${binary}' not found)" >&2
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

timeout_s=${CAIRN_CRASH_TIMEOUT:-$((60 * iterations + 60))}
args=(--binary "$binary" --iterations "$iterations")
[ -n "$seed" ] && args+=(--seed "$seed")
timeout --kill-after=15 "$timeout_s" "$py" "$here/crash.py" "${args[@]}"
rc=$?
[ $rc -eq 124 ] && echo "crash harness timed out after ${timeout_s}s"
exit $rc
