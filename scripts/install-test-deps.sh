#!/usr/bin/env bash
# Installs what the integration tests drive cairn with: Debian's rclone, AWS CLI v2 and boto3 1.26
# (for /usr/bin/python3), and the npm clients from the committed lock file.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/apt-lib.sh"
apt_install_missing rclone awscli python3-boto3 curl openssl
# Node.js may come from another source than Debian's archive: install Debian's only when absent.
command -v node >/dev/null && command -v npm >/dev/null || apt_install_missing nodejs npm
js="$root/tests/integration/js"
if [ ! -d "$js/node_modules" ] || [ "$js/package-lock.json" -nt "$js/node_modules/.package-lock.json" ]; then
  (cd "$js" && npm ci --no-audit --no-fund --loglevel=error)
fi
