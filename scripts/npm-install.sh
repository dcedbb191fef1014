#!/usr/bin/env bash
# Installs a folder's npm packages from its committed lock file, when node_modules is missing or
# older than the lock. Several builds or suites may ask at once: a lock keeps them from running
# npm ci over each other.
#
#   scripts/npm-install.sh DIR
set -euo pipefail
cd "${1:?usage: $0 DIR}"
exec 9>node_modules.lock
flock 9
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  timeout 600 npm ci --no-audit --no-fund --loglevel=error
fi
