#!/usr/bin/env bash
# Installs the Debian packages cairn builds with, only those that are missing.
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config libboost-dev libboost-system-dev libssl-dev libsqlite3-dev
  libpugixml-dev libpq-dev librados-dev nlohmann-json3-dev libcli11-dev libfmt-dev libspdlog-dev libisal-dev libgtest-dev
  libgmock-dev libbenchmark-dev prometheus-cpp-dev)
source "$(dirname "$0")/apt-lib.sh"
apt_install_missing "${packages[@]}"
# The unit tests of the PostgreSQL metadata engine start a throwaway server of their own
# (src/meta/postgres/test_server.h): they need its binaries, not a running service.
apt_install_missing postgresql
# Likewise the RADOS blob engine's tests start a one-node Ceph cluster (tests/services/ceph.sh).
apt_install_missing ceph-mon ceph-osd ceph-common
# The dashboard is bundled with esbuild at build time. Node.js may come from another source than
# Debian's archive: install Debian's only when absent.
command -v node >/dev/null && command -v npm >/dev/null || apt_install_missing nodejs npm
