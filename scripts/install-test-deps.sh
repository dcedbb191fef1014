#!/usr/bin/env bash
# Installs what the integration tests drive cairn with: Debian's rclone, AWS CLI v2 and boto3 1.26
# (for /usr/bin/python3), Chromium for the browser tests, and the npm clients from the committed
# lock files.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/apt-lib.sh"
apt_install_missing rclone awscli python3-boto3 curl openssl chromium
# Node.js may come from another source than Debian's archive: install Debian's only when absent.
command -v node >/dev/null && command -v npm >/dev/null || apt_install_missing nodejs npm
"$root/scripts/npm-install.sh" "$root/tests/integration/js"
"$root/scripts/npm-install.sh" "$root/tests/browser"
