#!/usr/bin/env bash
# `make test-asan` and `make test-tsan`: cairn and its unit tests built with GCC 12 and a
# sanitizer in a build directory of their own (cmake/sanitizers.cmake), then the unit tests and an
# integration subset that covers the server's concurrency and coroutine paths run against them.
#
#   tests/sanitizers/run.sh asan|tsan [BUILD_DIR]
#
# asan  AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer, in build-asan
# tsan  ThreadSanitizer, in build-tsan
#
# Every sanitized process (test binaries, and each cairn the integration harness starts, whose
# stderr the harness keeps in a temporary dir it deletes) writes its reports to a file of its own
# under BUILD_DIR/sanitizer-reports/ (log_path). The run fails when a test fails or when any report
# file exists, so a report from a server whose client-side test passed still fails it.
# CAIRN_SANITIZER_SUITES overrides the integration subset (words as tests/integration/run.sh takes).
set -uo pipefail

kind=${1:?usage: $0 asan|tsan [BUILD_DIR]}
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/sanitizers"
case "$kind" in
  asan) sanitize=address,undefined ;;
  tsan) sanitize=thread ;;
  *) echo "usage: $0 asan|tsan [BUILD_DIR]" >&2; exit 2 ;;
esac
# Absolute: the integration harness runs the server binary from another directory.
build=$(realpath -m "${2:-$root/build-$kind}")
jobs=${JOBS:-$(nproc)}

# The suites whose servers take concurrent connections, stream bodies and run the coroutine
# paths (multipart, conditional requests, hostile clients, scoped and temporary keys), and the
# storage suites whose injected faults drive the error and cleanup paths. The boto3
# suites run with one interpreter: the second adds time, not server paths.
default_suites=("test_objects [python3]" "test_multipart [python3]" "test_streaming"
                "test_connections" "test_conditional [python3]" "test_hostile"
                "test_access_scopes [python3]" "test_temporary_credentials [python3]"
                "test_storage_faults" "test_storage_status" "test_engines")
if [ -n "${CAIRN_SANITIZER_SUITES:-}" ]; then
  read -r -a suites <<<"$CAIRN_SANITIZER_SUITES"
else
  suites=("${default_suites[@]}")
fi

start=$SECONDS
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCAIRN_SANITIZE="$sanitize" \
  >/dev/null || exit 1
# cairn and the unit test binaries only (not the examples, benchmarks or client tests).
targets=(cairn $(ninja -C "$build" -t targets all | grep -oP '^cairn_[a-z0-9]+_tests(?=:)'))
cmake --build "$build" -j "$jobs" --target "${targets[@]}" || exit 1
built=$SECONDS

reports="$build/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
# handle_sigbus=0: cairn's own SIGBUS handler (meta/sqlite/mapping_fault.h) must run, as in
# production, for the test that truncates SQLite's -shm file under a live store.
common="halt_on_error=1:handle_sigbus=0:log_path=$reports/$kind"
# detect_stack_use_after_return: a coroutine that keeps a reference to its caller's stack.
export ASAN_OPTIONS="$common:detect_leaks=1:detect_stack_use_after_return=1:strict_init_order=1:check_initialization_order=1"
export UBSAN_OPTIONS="$common:print_stacktrace=1"
export TSAN_OPTIONS="$common:second_deadlock_stack=1"
# The sanitized server starts and answers several times slower.
export CAIRN_TEST_START_TIMEOUT=${CAIRN_TEST_START_TIMEOUT:-120}

( cd "$build" && ctest --output-on-failure -E dashboard_js )
unit_rc=$?
unit_done=$SECONDS
# A process that runs out of file descriptors (test_connections floods cairn on purpose) cannot
# open its report file and writes the report to stderr instead, which the harness keeps in the
# server's temporary dir: keep those dirs (CAIRN_TEST_KEEP) in a dir of our own and search them.
servers="$build/sanitizer-servers"
rm -rf "$servers"
mkdir -p "$servers"
TMPDIR="$servers" CAIRN_TEST_KEEP=1 "$root/tests/integration/run.sh" "$build/cairn" "${suites[@]}"
it_rc=$?
grep -lE "^(==[0-9]+==ERROR: |WARNING: ThreadSanitizer|SUMMARY: [A-Za-z]+Sanitizer)|runtime error: " \
  -r "$servers" --include='cairn-*.log' | while read -r log; do cp "$log" "$reports/$kind.stderr.$(basename "$(dirname "$log")").$(basename "$log")"; done
rm -rf "$servers"

found=$(find "$reports" -type f | sort)
echo
echo "===== $kind summary ====="
echo "build $((built - start))s, unit tests $((unit_done - built))s (exit $unit_rc)," \
     "integration $((SECONDS - unit_done))s (exit $it_rc)"
if [ -n "$found" ]; then
  for f in $found; do
    echo "----- $f"
    cat "$f"
  done
  echo "$(wc -l <<<"$found") sanitizer report file(s) in $reports"
  exit 1
fi
echo "no sanitizer reports"
[ "$unit_rc" -eq 0 ] && [ "$it_rc" -eq 0 ]
