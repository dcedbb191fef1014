// Opens the storage engines that app/engine_url.h names: the one place in cairn that knows every
// concrete engine. Adding an engine is a URL scheme there and a case here (docs/architecture.md).
#pragma once

#include <memory>

#include "app/engine_url.h"
#include "blob/blob_store.h"
#include "blob/fs/fs_blob_store.h"
#include "common/status.h"
#include "meta/meta_store.h"
#include "meta/postgres/postgres_meta_store.h"
#include "meta/schema_migration.h"

namespace cairn::app {

// Errors: the engine's own, when it cannot open (InternalError with the detail). `postgres`
// applies to a kPostgres engine only.
Result<std::unique_ptr<meta::MetaStore>> OpenMetaEngine(const MetaEngineUrl& url,
                                                        const meta::PostgresOptions& postgres = {});
// Creates or brings the engine's schema to this build's version, without opening a store.
Result<meta::SchemaMigration> MigrateMetaEngine(const MetaEngineUrl& url);
Result<std::unique_ptr<blob::BlobStore>> OpenBlobEngine(const BlobEngineUrl& url,
                                                        blob::FsyncObserver on_fsync);

}  // namespace cairn::app
