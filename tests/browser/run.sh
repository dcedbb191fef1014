#!/usr/bin/env bash
# Runs the browser suites: the dashboard and browser uploads in Debian's Chromium, driven by
# Playwright (playwright-core, no downloaded browser). Each suite starts its own cairn on a free
# loopback port. Screenshots go to tests/artifacts/browser/.
#
#   tests/browser/run.sh BINARY [SUITE_FILTER...]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=${1:?usage: $0 BINARY [SUITE_FILTER...]}
shift
export CAIRN_BINARY=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
if [ ! -x /usr/bin/chromium ]; then
  echo "no /usr/bin/chromium (scripts/install-test-deps.sh installs it)"
  echo "0 passed, 1 failed"
  exit 1
fi
"$here/../../scripts/npm-install.sh" "$here" || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
rm -rf "$here/../artifacts/browser"
files=()
for f in "$here"/*.test.mjs; do
  name=$(basename "$f")
  if [ $# -eq 0 ]; then files+=("$name"); continue; fi
  for filter in "$@"; do [[ "$name" == *"$filter"* ]] && files+=("$name") && break; done
done
cd "$here" && timeout --kill-after=15 900 node --test --test-concurrency=1 --test-timeout=300000 "${files[@]}"
