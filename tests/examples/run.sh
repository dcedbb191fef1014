#!/usr/bin/env bash
# Runs every example of examples/ against a live cairn and checks what each one stored.
#
#   tests/examples/run.sh BUILD_DIR [FILTER...]
#
# BUILD_DIR  a build directory with the server (BUILD_DIR/cairn, which is also the CLI) and the
#            C++ examples (BUILD_DIR/examples/, built by cmake/examples.cmake)
# FILTER     only examples whose name contains one of these words (e.g. cpp js/presign rclone)
#
# Starts `cairn serve` on a free loopback port with a temporary data dir and fresh keys, creates one
# bucket per language, runs each example with CAIRN_ENDPOINT / CAIRN_ACCESS_KEY_ID /
# CAIRN_SECRET_ACCESS_KEY set, and checks its exit status and what the server holds afterwards
# (bytes, ETag arithmetic, Content-Type and metadata, no upload left in progress) through boto3
# (check.py). The JS examples get `npm ci` from the committed lock file when node_modules is
# missing. Every step has a timeout. The last line is "N passed, N failed"; the exit status is
# non-zero when anything failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
examples="$root/examples"

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 BUILD_DIR [FILTER...]" >&2
  echo "0 passed, 1 failed"
  exit 2
fi
build=$(cd "$1" && pwd)
shift
filters=("$@")
cairn="$build/cairn"
bin="$build/examples"
STEP_TIMEOUT=${CAIRN_EXAMPLE_TIMEOUT:-180}

passed=0
failed=0
failures=()

work=$(mktemp -d -t cairn-examples-XXXXXX)
server_pid=""
service_pid=""
worker_pid=""
cleanup() {
  for pid in $worker_pid $service_pid $server_pid; do
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [ -n "${CAIRN_TEST_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

wanted() {
  [ ${#filters[@]} -eq 0 ] && return 0
  local f
  for f in "${filters[@]}"; do [[ "$1" == *"$f"* ]] && return 0; done
  return 1
}

pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() {  # name reason [log]
  failed=$((failed + 1)); failures+=("$1: $2")
  echo "FAIL  $1: $2"
  if [ -n "${3:-}" ] && [ -f "$3" ]; then sed 's/^/      | /' "$3" | tail -40; fi
}

# example NAME CMD...: runs CMD with the step timeout, its output in $LOG; the status in $RC.
example() {
  local name=$1
  shift
  LOG="$work/logs/${name//\//_}.log"
  timeout --kill-after=10 "$STEP_TIMEOUT" "$@" >"$LOG" 2>&1
  RC=$?
}

# verdict NAME CHECK...: passes when the example exited 0 and every CHECK command succeeds.
verdict() {
  local name=$1
  shift
  if [ "$RC" -ne 0 ]; then
    fail "$name" "exit status $RC$([ "$RC" -eq 124 ] && echo ' (timed out)')" "$LOG"
    return
  fi
  local out
  if ! out=$("$@" 2>&1); then
    echo "$out" >>"$LOG"
    fail "$name" "check failed" "$LOG"
    return
  fi
  pass "$name"
}

check() { timeout 120 python3 "$here/check.py" "$@"; }
all() { local c; for c in "$@"; do eval "$c" || return 1; done; }  # several checks, all must hold

# --- Preconditions -----------------------------------------------------------------------------
if [ ! -x "$cairn" ]; then
  echo "no cairn binary at $cairn (build first)"
  echo "0 passed, 1 failed"
  exit 1
fi
if ! python3 -c 'import boto3' 2>/dev/null; then
  echo "python3 has no boto3: the checks need it (scripts/install-test-deps.sh)"
  echo "0 passed, 1 failed"
  exit 1
fi
mkdir -p "$work/logs" "$work/files"

# The JS examples' packages, from the committed lock file (before the environment is emptied of
# AWS settings, so that the machine's npm configuration applies).
if wanted js/ && [ ! -d "$examples/js/node_modules" ] && command -v npm >/dev/null; then
  echo "npm ci in examples/js"
  (cd "$examples/js" && timeout 600 npm ci --no-audit --no-fund --loglevel=error) ||
    echo "npm ci failed: the JS examples will fail"
fi

# No real AWS configuration may leak into the examples: they get the endpoint and keys below.
for v in $(env | awk -F= '/^AWS_/ {print $1}'); do unset "$v"; done
export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-credentials"
export AWS_EC2_METADATA_DISABLED=true PYTHONDONTWRITEBYTECODE=1

# --- The server ------------------------------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export CAIRN_ENDPOINT="http://127.0.0.1:$port"
CAIRN_ACCESS_KEY_ID="examples-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
CAIRN_SECRET_ACCESS_KEY="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export CAIRN_ACCESS_KEY_ID CAIRN_SECRET_ACCESS_KEY
"$cairn" serve --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
healthy=""
for _ in $(seq 150); do
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  if [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$CAIRN_ENDPOINT/_cairn/health")" = 200 ]; then
    healthy=1
    break
  fi
  sleep 0.2
done
if [ -z "$healthy" ]; then
  echo "cairn did not become healthy on $CAIRN_ENDPOINT:"
  cat "$work/server.log"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "cairn serving on $CAIRN_ENDPOINT (data in $work/data)"

buckets=(examples-cpp examples-js examples-py examples-cli examples-rclone examples-workers)
if ! out=$(check mkbucket "${buckets[@]}" 2>&1); then
  echo "$out"
  echo "0 passed, 1 failed"
  exit 1
fi

# Inputs: a small file for single PUTs, a 25 MiB one for multipart (10 MiB parts: 3 parts with a
# shorter last one; 5 MiB parts: 5; 8 MiB parts: 4).
small="$work/files/image.png"
large="$work/files/large-file.bin"
head -c 70000 /dev/urandom >"$small"
head -c $((25 * 1024 * 1024)) /dev/urandom >"$large"
MiB=$((1024 * 1024))

# --- C++ (the binding-style client library) --------------------------------------------------
cpp_example() {  # name args...
  local name=cpp/$1
  wanted "$name" || return 1
  if [ ! -x "$bin/$1" ]; then
    fail "$name" "$bin/$1 not built (cmake/examples.cmake)"
    return 1
  fi
  example "$name" "$bin/$1" "${@:2}"
}

if cpp_example put_object examples-cpp cpp/image.png "$small"; then
  verdict cpp/put_object all \
    "check object examples-cpp cpp/image.png --same-as '$small' --md5-etag --content-type image/png --etag-from '$LOG'" \
    "grep -q '\"status\":412' '$LOG'"
fi
if cpp_example multipart_upload examples-cpp cpp/large-file.bin; then
  verdict cpp/multipart_upload check object examples-cpp cpp/large-file.bin \
    --size $((5 * MiB + 1024)) --multipart-etag $((5 * MiB)) --etag-from "$LOG"
fi
if cpp_example presigned_put examples-cpp cpp/user-upload.png "$small"; then
  verdict cpp/presigned_put check object examples-cpp cpp/user-upload.png \
    --same-as "$small" --md5-etag --content-type image/png --etag-from "$LOG"
fi

# The upload service and its client: the service in the background on a port of its own.
if wanted cpp/mpu_service && [ -x "$bin/mpu_service" ] && [ -x "$bin/mpu_service_client" ]; then
  "$bin/mpu_service" examples-cpp 127.0.0.1:0 >"$work/service.out" 2>"$work/service.log" &
  service_pid=$!
  service_url=""
  for _ in $(seq 100); do
    service_url=$(sed -n 's/^listening on //p' "$work/service.out")
    [ -n "$service_url" ] && break
    kill -0 "$service_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$service_url" ]; then
    fail cpp/mpu_service "the service did not start" "$work/service.log"
  else
    example cpp/mpu_service "$bin/mpu_service_client" "$service_url" examples-cpp "videos/large file.bin"
    cat "$work/service.log" >>"$LOG"
    verdict cpp/mpu_service check object examples-cpp "videos/large file.bin" \
      --size $((5 * MiB + 100 * 1024)) --multipart-etag $((5 * MiB)) --etag-from "$LOG"
  fi
  kill "$service_pid" 2>/dev/null
  wait "$service_pid" 2>/dev/null
  service_pid=""
elif wanted cpp/mpu_service; then
  fail cpp/mpu_service "$bin/mpu_service or mpu_service_client not built"
fi

# --- JavaScript (AWS SDK v3, lib-storage, presigner, aws4fetch) -------------------------------
js_example() {  # file args...
  local name=js/$1
  wanted "$name" || return 1
  if ! command -v node >/dev/null || [ ! -d "$examples/js/node_modules" ]; then
    fail "$name" "node or examples/js/node_modules missing"
    return 1
  fi
  example "$name" node "$examples/js/$1" "${@:2}"
}

if js_example put-object.mjs examples-js js/image.png "$small"; then
  verdict js/put-object.mjs check object examples-js js/image.png \
    --same-as "$small" --md5-etag --content-type image/png --etag-from "$LOG"
fi
if js_example upload-lib-storage.mjs examples-js js/lib-storage.bin "$large"; then
  verdict js/upload-lib-storage.mjs check object examples-js js/lib-storage.bin \
    --same-as "$large" --multipart-etag $((5 * MiB)) --etag-from "$LOG"
fi
if js_example multipart-low-level.mjs examples-js js/low-level.bin "$large"; then
  verdict js/multipart-low-level.mjs check object examples-js js/low-level.bin \
    --same-as "$large" --multipart-etag $((10 * MiB)) --etag-from "$LOG"
fi
if js_example presign-put.mjs examples-js js/user-upload.png "$small"; then
  verdict js/presign-put.mjs check object examples-js js/user-upload.png \
    --same-as "$small" --md5-etag --content-type image/png --etag-from "$LOG"
fi
if js_example presign-aws4fetch.mjs examples-js js/aws4fetch.png "$small"; then
  verdict js/presign-aws4fetch.mjs check object examples-js js/aws4fetch.png \
    --same-as "$small" --md5-etag --etag-from "$LOG"
fi

# --- Workers in workerd (env.MY_BUCKET bound to a cairn bucket) --------------------------------
# Each Worker runs through examples/workers/run.sh, as a user runs it, and is driven over HTTP.
start_worker() {  # name script: sets worker_url, or fails the example and returns 1
  local name=$1 port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$examples/workers/run.sh" "$examples/workers/$2" "$port" examples-workers \
    >"$work/logs/workerd-$2.log" 2>&1 &
  worker_pid=$!
  # The first start installs workerd from the lock file (npm ci).
  for _ in $(seq 1500); do
    grep -q "Listening on" "$work/logs/workerd-$2.log" && break
    kill -0 "$worker_pid" 2>/dev/null || break
    sleep 0.2
  done
  if ! grep -q "Listening on" "$work/logs/workerd-$2.log"; then
    fail "$name" "workerd did not start" "$work/logs/workerd-$2.log"
    stop_worker
    return 1
  fi
  worker_url="http://127.0.0.1:$port"
}
stop_worker() {
  [ -n "$worker_pid" ] || return 0
  kill "$worker_pid" 2>/dev/null
  wait "$worker_pid" 2>/dev/null
  worker_pid=""
}

if wanted workers/put-object && start_worker workers/put-object put-object.mjs; then
  example workers/put-object bash -c "curl -sS -f -X PUT -H 'content-type: image/png' \
    --data-binary @'$small' '$worker_url/workers/image.png' && echo &&
    curl -sS -o /dev/null -w 'second put with If-None-Match: %{http_code}\n' -X PUT \
    -H 'if-none-match: *' --data-binary @'$small' '$worker_url/workers/image.png'"
  verdict workers/put-object all \
    "check object examples-workers workers/image.png --same-as '$small' --md5-etag --content-type image/png --etag-from '$LOG'" \
    "grep -q 'If-None-Match: 412' '$LOG'"
  stop_worker
fi
if wanted workers/multipart-upload && start_worker workers/multipart-upload multipart-upload.mjs; then
  example workers/multipart-upload curl -sS -f -X POST --data-binary @"$large" \
    "$worker_url/workers/large-file.bin"
  verdict workers/multipart-upload check object examples-workers workers/large-file.bin \
    --same-as "$large" --multipart-etag $((5 * MiB)) --etag-from "$LOG"
  stop_worker
fi
# The guide's mpu-* HTTP API, driven by the same client application as the C++ service.
if wanted workers/mpu-service && start_worker workers/mpu-service mpu-service.mjs; then
  if [ ! -x "$bin/mpu_service_client" ]; then
    fail workers/mpu-service "$bin/mpu_service_client not built"
  else
    example workers/mpu-service "$bin/mpu_service_client" "$worker_url" examples-workers \
      "videos/large file.bin"
    verdict workers/mpu-service check object examples-workers "videos/large file.bin" \
      --size $((5 * MiB + 100 * 1024)) --multipart-etag $((5 * MiB)) --etag-from "$LOG"
  fi
  stop_worker
fi

# --- Python (boto3) ---------------------------------------------------------------------------
# With the machine's python3 (boto3 >= 1.36: CRC32 checksums by default) and, when it has boto3,
# Debian's /usr/bin/python3 (boto3 1.26: Content-MD5 and signed payloads).
pythons=("python3")
if [ "$(command -v python3)" != /usr/bin/python3 ] && /usr/bin/python3 -c 'import boto3' 2>/dev/null; then
  pythons+=("/usr/bin/python3")
fi
py_example() {  # file args...  (uses $py and $tag of the loop below)
  local name="python/$1$tag"
  wanted "$name" || return 1
  example "$name" "$py" "$examples/python/$1" "${@:2}"
}
for py in "${pythons[@]}"; do
  tag=""; prefix=py
  if [ "$py" = /usr/bin/python3 ]; then tag=" [debian boto3]"; prefix="py-debian"; fi
  if py_example put_object.py examples-py "$prefix/image.png" "$small"; then
    verdict "python/put_object.py$tag" check object examples-py "$prefix/image.png" \
      --same-as "$small" --md5-etag --content-type image/png --etag-from "$LOG"
  fi
  if py_example upload_file.py examples-py "$prefix/upload-file.bin" "$large"; then
    verdict "python/upload_file.py$tag" check object examples-py "$prefix/upload-file.bin" \
      --same-as "$large" --multipart-etag $((8 * MiB)) --etag-from "$LOG"
  fi
  if py_example multipart_low_level.py examples-py "$prefix/low-level.bin" "$large"; then
    verdict "python/multipart_low_level.py$tag" check object examples-py "$prefix/low-level.bin" \
      --same-as "$large" --multipart-etag $((10 * MiB)) --etag-from "$LOG"
  fi
  if py_example presigned_put.py examples-py "$prefix/user-upload.png" "$small"; then
    verdict "python/presigned_put.py$tag" check object examples-py "$prefix/user-upload.png" \
      --same-as "$small" --md5-etag --content-type image/png --etag-from "$LOG"
  fi
done

# --- The cairn command line --------------------------------------------------------------------
if wanted cli/put-with-metadata; then
  report="$work/files/report.html"
  printf '<!doctype html>\n<title>Report</title>\n<p>cairn examples</p>\n' >"$report"
  example cli/put-with-metadata env CAIRN_CLI="$cairn" \
    "$examples/cli/put-with-metadata.sh" examples-cli/reports/report.html "$report"
  verdict cli/put-with-metadata all \
    "check object examples-cli reports/report.html --same-as '$report' --md5-etag --content-type 'text/html; charset=utf-8' --cache-control 'public, max-age=3600' --content-disposition 'inline; filename=\"report.html\"' --meta author=examples --meta project=cairn" \
    "grep -q 'text/html' '$LOG'"
fi

# --- rclone -------------------------------------------------------------------------------------
if wanted rclone/copy; then
  if ! command -v rclone >/dev/null; then
    fail rclone/copy "rclone is not installed (scripts/install-test-deps.sh)"
  else
    folder="$work/files/folder"
    mkdir -p "$folder/sub"
    head -c 3000 /dev/urandom >"$folder/a.bin"
    echo "second file" >"$folder/sub/b.txt"
    example rclone/copy "$examples/rclone/copy.sh" examples-rclone "$small" "$folder"
    verdict rclone/copy all \
      "check object examples-rclone image.png --same-as '$small' --md5-etag" \
      "check object examples-rclone a.bin --same-as '$folder/a.bin'" \
      "check object examples-rclone sub/b.txt --same-as '$folder/sub/b.txt'" \
      "grep -Eq '^ *70000 image.png$' '$LOG'" "grep -Eq '^ *12 sub/b.txt$' '$LOG'"
  fi
fi

# --- Nothing left behind ---------------------------------------------------------------------
# Every multipart example completes or aborts its uploads (mpu_service_client aborts one on
# purpose): none may be left in progress.
if wanted uploads; then
  RC=0
  LOG="$work/logs/no-uploads.log"
  : >"$LOG"
  verdict "no multipart upload left in progress" check no-uploads "${buckets[@]}"
fi

if ! kill -0 "$server_pid" 2>/dev/null; then
  fail server "cairn exited during the examples" "$work/server.log"
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
  echo "failed:"
  for f in "${failures[@]}"; do echo "  $f"; done
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
