#!/usr/bin/env bash
# Runs every fuzz harness of a fuzz build directory for a bounded time on its seed corpus.
#   fuzz/run.sh BUILD_DIR [SECONDS] [HARNESS...]
# New inputs the fuzzer finds go to BUILD_DIR/fuzz-corpus/<name> (the committed seeds in
# fuzz/corpus/<name> are only read), so later runs start from what earlier ones found. A crash,
# leak, sanitizer report, timeout or out-of-memory fails the run: its reproducer is saved under
# BUILD_DIR/fuzz-artifacts/<name>/ and named on stderr; replay it with `BUILD_DIR/<name> FILE`.
set -uo pipefail
build_dir=${1:?usage: fuzz/run.sh BUILD_DIR [SECONDS] [HARNESS...]}
seconds=${2:-60}
shift $(( $# < 2 ? $# : 2 ))
source_dir=$(cd "$(dirname "$0")" && pwd)
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for f in "$source_dir"/*_fuzzer.cc; do harnesses+=("$(basename "$f" .cc)"); done
fi

failed=()
for name in "${harnesses[@]}"; do
  corpus="$build_dir/fuzz-corpus/$name"
  artifacts="$build_dir/fuzz-artifacts/$name"
  log="$build_dir/fuzz-logs/$name.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  start=$SECONDS
  # -timeout: one input taking this long is a hang; -rss_limit_mb: a runaway allocation.
  seeds=()
  [ -d "$source_dir/corpus/$name" ] && seeds=("$source_dir/corpus/$name")
  "$build_dir/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "${seeds[@]}" >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if [ $status -eq 0 ]; then
    echo "fuzz: $name ok (${runs:-?} runs in $((SECONDS - start)) s)"
  else
    failed+=("$name")
    echo "fuzz: $name FAILED (exit $status); last lines of $log:" >&2
    grep -E 'ERROR|SUMMARY|invariant|Test unit written|deadly|timeout|out-of-memory' "$log" |
      tail -n 15 >&2
    for unit in $(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log"); do
      echo "fuzz: reproducer: $unit  (replay: $build_dir/$name $unit)" >&2
    done
  fi
done
echo "fuzz: $(( ${#harnesses[@]} - ${#failed[@]} )) passed, ${#failed[@]} failed"
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
