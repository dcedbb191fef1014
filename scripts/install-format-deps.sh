#!/usr/bin/env bash
# Installs the formatter the tree is kept in (`make format`, `make format-check`): Debian's
# clang-format 14, pinned because each release formats a little differently.
set -euo pipefail
source "$(dirname "$0")/apt-lib.sh"
apt_install_missing clang-format-14
