#!/usr/bin/env bash
# Installs what the fuzz harnesses build with (`make fuzz`, `make fuzz-smoke`): Debian's clang 14
# and its compiler-rt, which holds libFuzzer and the sanitizer runtimes.
set -euo pipefail
source "$(dirname "$0")/apt-lib.sh"
apt_install_missing clang-14 libclang-rt-14-dev
