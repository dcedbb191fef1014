#!/usr/bin/env bash
# Installs the dashboard's npm packages from the committed lock file when node_modules is missing or
# older than the lock. Several build directories may build at once: a lock keeps them from running
# npm ci over each other.
set -euo pipefail
cd "$(dirname "$0")"
exec 9>node_modules.lock
flock 9
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
