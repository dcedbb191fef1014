// The PostgreSQL schema of the metadata store and its migrations. schema.cc documents the tables.
#pragma once

#include "common/status.h"
#include "meta/postgres/connection.h"
#include "meta/schema_migration.h"

namespace cairn::meta::postgres {

// The schema version this build writes (cairn_schema.version after Migrate()).
int LatestSchemaVersion();

// Brings the database up to LatestSchemaVersion() by applying, in order and in one transaction,
// every numbered migration above the version in `cairn_schema`. Gateways starting together
// serialize on an advisory lock, so a migration runs once. A database written by a newer cairn is
// refused (kStorageUnavailable) rather than misread.
Result<SchemaMigration> Migrate(Connection& connection);

}  // namespace cairn::meta::postgres
