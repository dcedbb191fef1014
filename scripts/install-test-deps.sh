#!/usr/bin/env bash
# Installs what the integration tests drive cairn with: Debian's rclone, AWS CLI and old boto3,
# and the npm clients (from the committed lock file).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/apt-lib.sh"
apt_install_missing rclone awscli python3-boto3 nodejs npm curl
if [ ! -d "$root/tests/integration/js/node_modules" ]; then
  (cd "$root/tests/integration/js" && npm ci --no-audit --no-fund --silent)
fi
