#include "app/engines.h"

#include "blob/mem/mem_blob_store.h"
#include "blob/rados/rados_blob_store.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cairn::app {

Result<std::unique_ptr<meta::MetaStore>> OpenMetaEngine(const MetaEngineUrl& url,
                                                        const meta::PostgresOptions& postgres) {
  switch (url.engine) {
    case MetaEngine::kSqlite:
      return meta::OpenSqliteMetaStore(url.path);
    case MetaEngine::kPostgres:
      return meta::OpenPostgresMetaStore(url.uri, postgres);
  }
  return Error(ErrorCode::kInternalError, "unknown metadata engine");
}

Result<meta::SchemaMigration> MigrateMetaEngine(const MetaEngineUrl& url) {
  switch (url.engine) {
    case MetaEngine::kSqlite:
      return meta::MigrateSqliteSchema(url.path);
    case MetaEngine::kPostgres:
      return meta::MigratePostgresSchema(url.uri);
  }
  return Error(ErrorCode::kInternalError, "unknown metadata engine");
}

Result<std::unique_ptr<blob::BlobStore>> OpenBlobEngine(const BlobEngineUrl& url,
                                                        blob::FsyncObserver on_fsync) {
  switch (url.engine) {
    case BlobEngine::kFile:
      return blob::OpenFsBlobStore(url.path, std::move(on_fsync));
    case BlobEngine::kRados: {
      blob::rados::RadosBlobOptions options;
      options.connect.conf_path = url.rados.conf;
      options.connect.user = url.rados.user;
      options.connect.pool = url.rados.pool;
      options.stripe_bytes = url.rados.stripe_bytes;
      return blob::rados::OpenRadosBlobStore(options);
    }
    case BlobEngine::kMemory:
      return std::unique_ptr<blob::BlobStore>(std::make_unique<blob::MemBlobStore>());
  }
  return Error(ErrorCode::kInternalError, "unknown blob engine");
}

}  // namespace cairn::app
