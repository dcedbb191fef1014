#!/usr/bin/env bash
# The client library's tests that need more than ctest:
#   1. cairn_client_integration_tests: every call of the library against a live `cairn serve`
#      (the suite starts the server itself on a free port with a temporary data dir);
#   2. install and consume: `cmake --install` into a temporary prefix, then an outside project
#      (tests/client/consumer) finds it with find_package(cairn), links cairn::client, and runs
#      against a server started here.
# Usage: tests/client/run.sh [BUILD_DIR] (default: build). CAIRN_BINARY overrides BUILD_DIR/cairn;
# JOBS (default 2) bounds the build. Prints "N passed, N failed"; exits non-zero on a failure.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "${1:-$REPO/build}" && pwd) || { echo "no build dir ${1:-$REPO/build}"; exit 2; }
CAIRN_BINARY=${CAIRN_BINARY:-$BUILD/cairn}
JOBS=${JOBS:-2}
WORK=$(mktemp -d /tmp/cairn-client-run-XXXXXX)
SERVER_PID=

cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  [ -n "${CAIRN_TEST_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

passed=0
failed=0
pass() { passed=$((passed + $1)); }
fail() { failed=$((failed + $1)); echo "FAILED: $2"; }

echo "== building the client library, its integration tests and the server"
if ! cmake --build "$BUILD" --target cairn_client cairn_client_integration_tests cairn -j "$JOBS" \
    >"$WORK/build.log" 2>&1; then
  tail -40 "$WORK/build.log"
  fail 1 "build"
  echo "$passed passed, $failed failed"
  exit 1
fi

echo "== integration tests against $CAIRN_BINARY"
"$BUILD/cairn_client_integration_tests" --cairn-binary "$CAIRN_BINARY" 2>&1 | tee "$WORK/it.log"
ok=$(grep -c '^\[       OK \]' "$WORK/it.log")
bad=$(grep -cE '^\[  FAILED  \] .* \([0-9]+ ms\)$' "$WORK/it.log")
pass "$ok"
[ "$bad" -eq 0 ] || fail "$bad" "integration tests (see above)"
if [ "$ok" -eq 0 ] && [ "$bad" -eq 0 ]; then fail 1 "the integration suite did not run"; fi

echo "== install into a temporary prefix and build a consumer with find_package(cairn)"
PREFIX="$WORK/prefix"
install_ok=1
if ! cmake --install "$BUILD" --prefix "$PREFIX" >"$WORK/install.log" 2>&1; then
  cat "$WORK/install.log"
  install_ok=0
fi
for f in include/cairn/client.h include/cairn/bucket.h lib/cmake/cairn/cairnConfig.cmake \
         lib/cmake/cairn/cairnTargets.cmake lib/libcairn_client.a; do
  [ -e "$PREFIX/$f" ] || { echo "missing from the install: $f"; install_ok=0; }
done
if [ -e "$PREFIX/include/auth" ] || [ -e "$PREFIX/include/common" ]; then
  echo "internal headers were installed"; install_ok=0
fi
if [ "$install_ok" -eq 1 ]; then pass 1; else fail 1 "cmake --install"; fi

consumer_ok=0
if [ "$install_ok" -eq 1 ] &&
   cmake -S "$HERE/consumer" -B "$WORK/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
         -DCMAKE_PREFIX_PATH="$PREFIX" >"$WORK/consumer.log" 2>&1 &&
   cmake --build "$WORK/consumer" -j "$JOBS" >>"$WORK/consumer.log" 2>&1; then
  consumer_ok=1
  pass 1
else
  tail -40 "$WORK/consumer.log" 2>/dev/null
  fail 1 "building the consumer against the installed package"
fi

if [ "$consumer_ok" -eq 1 ]; then
  export CAIRN_ACCESS_KEY_ID="CONSUMER$RANDOM$RANDOM"
  export CAIRN_SECRET_ACCESS_KEY="secret-$RANDOM-$RANDOM-$RANDOM"
  "$CAIRN_BINARY" serve --listen 127.0.0.1:0 --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  endpoint=
  for _ in $(seq 1 300); do
    endpoint=$(sed -n 's/.*serving S3 at \(http:[^ ]*\).*/\1/p' "$WORK/server.log" | head -1)
    [ -n "$endpoint" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$endpoint" ]; then
    cat "$WORK/server.log"
    fail 1 "starting cairn serve for the consumer"
  elif CAIRN_ENDPOINT="$endpoint" "$WORK/consumer/consumer"; then
    pass 1
  else
    fail 1 "the consumer against $endpoint"
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
