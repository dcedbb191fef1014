#!/usr/bin/env bash
# Runs the command-line integration tests (tests/cli/test_cli.py, test_keys.py for access keys
# and public buckets, test_object_find.py for the key search) against the real cairn binary: each test module starts its own cairn on a
# free loopback port with a temporary data dir.
#
#   tests/cli/run.sh BINARY [--endpoint URL] [unittest test names...]
#
# A test name is a class or method of test_cli (ObjectPutTests, ErrorTests.test_wrong_secret), or
# names its module (test_keys, test_keys.PublicBucketTests).
#
# BINARY          the cairn binary (build/cairn): both the server and the command line under test
# --endpoint URL  test the command line against an already running S3 server instead (keys from
#                 CAIRN_ACCESS_KEY_ID / CAIRN_SECRET_ACCESS_KEY; the --local tests are skipped)
#
# The suite runner and server helpers are tests/integration/py's (run_suite.py, cairn_server.py).
# The last line is "N passed, N failed"; the exit status is non-zero when anything failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
py_dir=$(cd "$here/../integration/py" && pwd)
binary=""
endpoint="${CAIRN_TEST_ENDPOINT:-}"
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --endpoint) endpoint="$2"; shift 2 ;;
    --endpoint=*) endpoint="${1#*=}"; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) if [ -z "$binary" ]; then binary="$1"; else names+=("$1"); fi; shift ;;
  esac
done

if [ -z "$binary" ] || [ ! -x "$binary" ]; then
  echo "usage: $0 BINARY [--endpoint URL] [test names...]  (binary '${binary}' not found)" >&2
  echo "0 passed, 1 failed"
  exit 2
fi
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
export CAIRN_BINARY="$binary"
if [ -n "$endpoint" ]; then
  export CAIRN_TEST_ENDPOINT="$endpoint"
  : "${CAIRN_ACCESS_KEY_ID:?--endpoint needs CAIRN_ACCESS_KEY_ID}"
  : "${CAIRN_SECRET_ACCESS_KEY:?--endpoint needs CAIRN_SECRET_ACCESS_KEY}"
else
  unset CAIRN_TEST_ENDPOINT
fi

py=$(command -v python3 || true)
if [ -z "$py" ] || ! "$py" -c 'import boto3' 2>/dev/null; then
  echo "python3 with boto3 is needed (scripts/install-test-deps.sh installs it)"
  echo "0 passed, 1 failed"
  exit 1
fi

# No real AWS or cairn configuration of the machine may reach the clients: a temporary HOME (no
# ~/.config/cairn/config.json, no ~/.aws), resolved after the interpreter (pyenv shims use HOME).
work=$(mktemp -d -t cairn-cli-run-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home"
export HOME="$work/home"
export PYTHONDONTWRITEBYTECODE=1
unset CAIRN_CONFIG CAIRN_ENDPOINT

tests=()
for name in "${names[@]}"; do
  case "$name" in
    test_*) tests+=("$name") ;;
    *) tests+=("test_cli.$name") ;;
  esac
done
[ ${#names[@]} -eq 0 ] && tests=(test_cli test_keys test_object_find)
log="$work/cli.log"
( cd "$py_dir" && PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" \
    timeout --kill-after=15 "${CAIRN_SUITE_TIMEOUT:-1200}" "$py" run_suite.py "${tests[@]}" ) \
  2>&1 | tee "$log"
res=$(grep -E '^SUITE-RESULT ' "$log" | tail -1)
if [ -z "$res" ]; then
  echo "the suite ended without a result"
  echo "0 passed, 1 failed"
  exit 1
fi
passed=$(sed -E 's/.*passed=([0-9]+).*/\1/' <<<"$res")
failed=$(sed -E 's/.*failed=([0-9]+).*/\1/' <<<"$res")
skipped=$(sed -E 's/.*skipped=([0-9]+).*/\1/' <<<"$res")
echo "skipped: $skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
