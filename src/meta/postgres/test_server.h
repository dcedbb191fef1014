// A real PostgreSQL server for the unit tests of the PostgreSQL engine: initdb into a temporary
// directory and a postgres process on a free loopback port, started by the first test that asks
// for a database and stopped when the test binary ends (a GoogleTest environment). Durability is
// off (fsync=off): the tests are about semantics, not crashes.
//
// As root (initdb refuses to run as root) the server runs as the `postgres` system user, which
// owns the temporary directory. The binaries are looked up as CAIRN_POSTGRES_BIN (a directory),
// then `initdb` on PATH, then /usr/lib/postgresql/*/bin; Debian's `postgresql` package provides
// them (scripts/install-deps.sh installs it). When the server cannot start, every test that needs
// it fails with the reason: a skipped suite would hide that the engine went untested.
#pragma once

#include <string>

#include "common/status.h"

namespace cairn::meta::postgres::testing {

// A connection URI to a fresh, empty schema on the test server (the server starts on first use).
// Errors: kStorageUnavailable, with why the server could not start.
Result<std::string> FreshDatabase();

}  // namespace cairn::meta::postgres::testing
