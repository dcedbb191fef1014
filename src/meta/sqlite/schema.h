// The SQLite schema of the metadata store and its migrations. schema.cc documents the tables.
#pragma once

#include "common/status.h"
#include "meta/schema_migration.h"
#include "meta/sqlite/connection.h"

namespace cairn::meta::sqlite {

// The schema version this build writes (PRAGMA user_version after Migrate()).
int LatestSchemaVersion();

// Brings the database up to LatestSchemaVersion() by applying, in order and in one IMMEDIATE
// transaction, every numbered migration above its current user_version. A database written by a
// newer cairn (a version above ours) is refused rather than misread.
Result<SchemaMigration> Migrate(Connection& connection);

}  // namespace cairn::meta::sqlite
