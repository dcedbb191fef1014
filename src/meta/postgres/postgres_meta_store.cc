// PostgresMetaStore: buckets, objects, listing, bucket configuration and settings as PostgreSQL
// transactions (transaction.h). Multipart uploads are in postgres_multipart.cc.
#include "meta/postgres/postgres_meta_store.h"

#include <utility>

#include "meta/key_search.h"
#include "meta/list_walk.h"
#include "meta/postgres/lease.h"
#include "meta/postgres/queries.h"
#include "meta/postgres/rows.h"
#include "meta/postgres/scanners.h"
#include "meta/postgres/schema.h"
#include "meta/postgres/transaction.h"

namespace cairn::meta {
namespace {

using postgres::Connection;
using postgres::InTransaction;
using postgres::Params;
using postgres::Rows;
using postgres::RunTransaction;
using postgres::TxnKind;
using Freed = std::vector<std::string>;

// Runs `walk` over a scanner of `bucket`'s objects in one snapshot: the bucket check and every
// chunk of the walk see one state.
template <typename Page>
Result<Page> WalkBucket(postgres::ConnectionPool& pool, const std::string& bucket,
                        const std::optional<postgres::PrefixSkip>& skip,
                        const std::function<Result<Page>(KeyScanner&)>& walk) {
  return InTransaction<Page>(pool, TxnKind::kSnapshot, [&](Connection& c) -> Result<Page> {
    if (Status s = postgres::BucketExists(c, bucket); !s.ok()) return s.error();
    std::unique_ptr<KeyScanner> scanner = postgres::MakeKeyScanner(c, bucket, skip);
    return walk(*scanner);
  });
}

// Sets or (nullopt) deletes one setting.
Status WriteSetting(Connection& c, const std::string& name,
                    const std::optional<std::string>& value) {
  Params params;
  params.Text(name);
  if (value) params.Text(*value);
  return (value ? c.Exec("INSERT INTO settings (name, value) VALUES ($1, $2) "
                         "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                         params)
                : c.Exec("DELETE FROM settings WHERE name = $1", params))
      .status();
}

}  // namespace

Result<std::unique_ptr<MetaStore>> OpenPostgresMetaStore(const std::string& uri,
                                                         const PostgresOptions& options) {
  const std::string ms = std::to_string(options.statement_timeout.count());
  // A server that is slow answers within its statement timeout (kStorageBusy); past it and a
  // margin for the network, the server is taken for unreachable.
  const postgres::SessionOptions session{
      .setup =
          "SET statement_timeout = " + ms + "; SET idle_in_transaction_session_timeout = " + ms,
      .answer_timeout = options.statement_timeout + std::chrono::seconds(2)};
  Result<std::unique_ptr<postgres::ConnectionPool>> pool =
      postgres::ConnectionPool::Open(uri, options.connections, session, options.statement_timeout);
  if (!pool.ok()) return pool.error();
  {
    Result<postgres::ConnectionPool::Lease> c = (*pool)->Acquire();
    if (!c.ok()) return c.error();
    if (Result<SchemaMigration> m = postgres::Migrate(**c); !m.ok()) return m.error();
  }
  return std::unique_ptr<MetaStore>(
      std::make_unique<PostgresMetaStore>(std::move(*pool), uri, session));
}

Result<SchemaMigration> MigratePostgresSchema(const std::string& uri) {
  Result<std::unique_ptr<Connection>> c = Connection::Open(uri);
  if (!c.ok()) return c.error();
  return postgres::Migrate(**c);
}

// --- Buckets ---

Status PostgresMetaStore::CreateBucket(const core::BucketRecord& bucket) {
  return RunTransaction(*pool_, TxnKind::kNone, [&](Connection& c) -> Status {
    Result<Rows> done = c.Exec(
        "INSERT INTO buckets (name, created_ms, location) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO NOTHING",
        Params().Text(bucket.name).Int(postgres::ToMillis(bucket.created)).Text(bucket.location));
    if (!done.ok()) return done.status();
    if (done->Affected() == 0) return Status(ErrorCode::kBucketAlreadyOwnedByYou);
    return Status::Ok();
  });
}

Result<core::BucketRecord> PostgresMetaStore::GetBucket(const std::string& name) {
  return InTransaction<core::BucketRecord>(
      *pool_, TxnKind::kNone, [&](Connection& c) -> Result<core::BucketRecord> {
        Result<Rows> rows =
            c.Exec("SELECT created_ms, location FROM buckets WHERE name = $1", Params().Text(name));
        if (!rows.ok()) return rows.error();
        if (rows->size() == 0) return Error(ErrorCode::kNoSuchBucket);
        return core::BucketRecord{name, postgres::FromMillis(rows->Int(0, 0)), rows->Bytes(0, 1)};
      });
}

Result<std::vector<core::BucketRecord>> PostgresMetaStore::ListBuckets() {
  using Buckets = std::vector<core::BucketRecord>;
  return InTransaction<Buckets>(*pool_, TxnKind::kNone, [&](Connection& c) -> Result<Buckets> {
    Result<Rows> rows = c.Exec("SELECT name, created_ms, location FROM buckets ORDER BY name");
    if (!rows.ok()) return rows.error();
    Buckets out;
    for (int i = 0; i < rows->size(); ++i) {
      out.push_back(core::BucketRecord{rows->Bytes(i, 0), postgres::FromMillis(rows->Int(i, 1)),
                                       rows->Bytes(i, 2)});
    }
    return out;
  });
}

Status PostgresMetaStore::DeleteBucket(const std::string& name) {
  return RunTransaction(*pool_, TxnKind::kWrite, [&](Connection& c) -> Status {
    // FOR UPDATE waits for writes that are adding rows to the bucket (their foreign keys hold the
    // bucket's row) and makes later ones fail on the key, so the emptiness check below is final.
    Result<Rows> bucket =
        c.Exec("SELECT 1 FROM buckets WHERE name = $1 FOR UPDATE", Params().Text(name));
    if (!bucket.ok()) return bucket.status();
    if (bucket->size() == 0) return Status(ErrorCode::kNoSuchBucket);
    Result<Rows> used = c.Exec(
        "SELECT EXISTS (SELECT 1 FROM objects WHERE bucket = $1) OR "
        "EXISTS (SELECT 1 FROM uploads WHERE bucket = $1)",
        Params().Text(name));
    if (!used.ok()) return used.status();
    if (used->Bool(0, 0)) return Status(ErrorCode::kBucketNotEmpty);
    // Configuration documents and usage rows go with the bucket (ON DELETE CASCADE).
    return c.Exec("DELETE FROM buckets WHERE name = $1", Params().Text(name)).status();
  });
}

Result<core::BucketUsage> PostgresMetaStore::GetBucketUsage(const std::string& name) {
  return InTransaction<core::BucketUsage>(
      *pool_, TxnKind::kNone, [&](Connection& c) -> Result<core::BucketUsage> {
        // The sum of the bucket's shard rows (schema.cc), in one statement's snapshot.
        Result<Rows> rows = c.Exec(
            "SELECT coalesce(sum(u.objects), 0)::int8, coalesce(sum(u.bytes), 0)::int8 "
            "FROM buckets b LEFT JOIN bucket_usage u ON u.bucket = $1 "
            "WHERE b.name = $1 GROUP BY b.name",
            Params().Text(name));
        if (!rows.ok()) return rows.error();
        if (rows->size() == 0) return Error(ErrorCode::kNoSuchBucket);
        return core::BucketUsage{static_cast<uint64_t>(rows->Int(0, 0)),
                                 static_cast<uint64_t>(rows->Int(0, 1))};
      });
}

// --- Objects ---

Result<core::ObjectRecord> PostgresMetaStore::GetObject(const std::string& bucket,
                                                        const std::string& key) {
  return InTransaction<core::ObjectRecord>(
      *pool_, TxnKind::kNone, [&](Connection& c) -> Result<core::ObjectRecord> {
        Result<std::optional<core::ObjectRecord>> found =
            postgres::FindObject(c, bucket, key, /*with_data=*/true);
        if (!found.ok()) return found.error();
        if (!found->has_value()) return Error(ErrorCode::kNoSuchKey);
        return std::move(**found);
      });
}

Result<std::vector<std::string>> PostgresMetaStore::PutObject(const core::ObjectRecord& object,
                                                              const WriteCondition& condition) {
  return InTransaction<Freed>(*pool_, TxnKind::kWrite, [&](Connection& c) -> Result<Freed> {
    if (Status s = postgres::LockKey(c, object.bucket, object.key); !s.ok()) return s.error();
    Result<std::optional<core::ObjectRecord>> current =
        postgres::FindObject(c, object.bucket, object.key);
    if (!current.ok()) return current.error();
    if (condition) {
      if (Status s = condition(*current); !s.ok()) return s.error();
    }
    if (Status s = postgres::WriteObjectRow(c, object, *current); !s.ok()) {
      return postgres::MissingBucketOr(s.error(), c);
    }
    BlobDeltas deltas;
    if (current->has_value()) DropReferences((*current)->extents, &deltas);
    AddReferences(object.extents, &deltas);
    return postgres::ApplyBlobDeltas(c, deltas);
  });
}

Result<std::vector<std::string>> PostgresMetaStore::DeleteObject(const std::string& bucket,
                                                                 const std::string& key,
                                                                 const WriteCondition& condition) {
  return InTransaction<Freed>(*pool_, TxnKind::kWrite, [&](Connection& c) -> Result<Freed> {
    if (Status s = postgres::LockKey(c, bucket, key); !s.ok()) return s.error();
    Result<std::optional<core::ObjectRecord>> current = postgres::FindObject(c, bucket, key);
    if (!current.ok()) return current.error();
    if (condition) {
      if (Status s = condition(*current); !s.ok()) return s.error();
    }
    if (!current->has_value()) return Freed();  // S3 deletes are idempotent
    // object_data has a row only for an object with inline bytes.
    for (std::string_view sql : {"DELETE FROM objects WHERE bucket = $1 AND key = $2",
                                 "DELETE FROM object_data WHERE bucket = $1 AND key = $2"}) {
      if (Result<Rows> done = c.Exec(sql, Params().Text(bucket).Bytes(key)); !done.ok()) {
        return done.error();
      }
      if (!(*current)->stored_inline()) break;
    }
    BlobDeltas deltas;
    DropReferences((*current)->extents, &deltas);
    return postgres::ApplyBlobDeltas(c, deltas);
  });
}

Result<core::ListPage> PostgresMetaStore::ListObjects(const std::string& bucket,
                                                      const core::ListQuery& query) {
  return WalkBucket<core::ListPage>(
      *pool_, bucket, postgres::PrefixSkipFor(query),
      [&](KeyScanner& scanner) { return WalkListing(query, scanner); });
}

Result<core::SearchPage> PostgresMetaStore::SearchObjects(const std::string& bucket,
                                                          const core::SearchQuery& query) {
  return WalkBucket<core::SearchPage>(*pool_, bucket, std::nullopt, [&](KeyScanner& scanner) {
    return WalkSearch(query, scanner);
  });
}

// --- Blobs, bucket configuration and settings ---

Result<bool> PostgresMetaStore::BlobReferenced(const std::string& blob_id) {
  return InTransaction<bool>(*pool_, TxnKind::kNone, [&](Connection& c) -> Result<bool> {
    Result<Rows> rows = c.Exec("SELECT 1 FROM blobs WHERE id = $1", Params().Text(blob_id));
    if (!rows.ok()) return rows.error();
    return rows->size() > 0;
  });
}

Result<std::optional<std::string>> PostgresMetaStore::GetBucketConfig(const std::string& bucket,
                                                                      const std::string& name) {
  using Document = std::optional<std::string>;
  return InTransaction<Document>(*pool_, TxnKind::kNone, [&](Connection& c) -> Result<Document> {
    // One statement tells a missing bucket from a missing document in the same snapshot.
    Result<Rows> rows = c.Exec(
        "SELECT c.document FROM buckets b "
        "LEFT JOIN bucket_config c ON c.bucket = $1 AND c.name = $2 WHERE b.name = $1",
        Params().Text(bucket).Text(name));
    if (!rows.ok()) return rows.error();
    if (rows->size() == 0) return Error(ErrorCode::kNoSuchBucket);
    if (rows->IsNull(0, 0)) return Document();
    return Document(rows->Bytes(0, 0));
  });
}

Status PostgresMetaStore::PutBucketConfig(const std::string& bucket, const std::string& name,
                                          const std::optional<std::string>& document) {
  return RunTransaction(*pool_, TxnKind::kWrite, [&](Connection& c) -> Status {
    if (Status s = postgres::BucketExists(c, bucket); !s.ok()) return s;
    Params params;
    params.Text(bucket).Text(name);
    if (document) params.Text(*document);
    Result<Rows> done =
        document ? c.Exec(
                       "INSERT INTO bucket_config (bucket, name, document) VALUES ($1, $2, $3) "
                       "ON CONFLICT (bucket, name) DO UPDATE SET document = excluded.document",
                       params)
                 : c.Exec("DELETE FROM bucket_config WHERE bucket = $1 AND name = $2", params);
    if (!done.ok()) return postgres::MissingBucketOr(done.error(), c);
    return Status::Ok();
  });
}

Result<std::optional<std::string>> PostgresMetaStore::GetSetting(const std::string& name) {
  using Value = std::optional<std::string>;
  return InTransaction<Value>(*pool_, TxnKind::kNone, [&](Connection& c) -> Result<Value> {
    Result<Rows> rows = c.Exec("SELECT value FROM settings WHERE name = $1", Params().Text(name));
    if (!rows.ok()) return rows.error();
    if (rows->size() == 0) return Value();
    return Value(rows->Bytes(0, 0));
  });
}

Status PostgresMetaStore::PutSetting(const std::string& name,
                                     const std::optional<std::string>& value) {
  return RunTransaction(*pool_, TxnKind::kNone,
                        [&](Connection& c) { return WriteSetting(c, name, value); });
}

Result<std::vector<std::pair<std::string, std::string>>> PostgresMetaStore::ListSettings(
    const std::string& prefix) {
  using Settings = std::vector<std::pair<std::string, std::string>>;
  return InTransaction<Settings>(*pool_, TxnKind::kNone, [&](Connection& c) -> Result<Settings> {
    // left() rather than LIKE: a prefix may hold '%' or '_'.
    Result<Rows> rows =
        c.Exec("SELECT name, value FROM settings WHERE left(name, length($1)) = $1 ORDER BY name",
               Params().Text(prefix));
    if (!rows.ok()) return rows.error();
    Settings out;
    for (int i = 0; i < rows->size(); ++i) out.emplace_back(rows->Bytes(i, 0), rows->Bytes(i, 1));
    return out;
  });
}

Status PostgresMetaStore::PutSettingCounted(const std::string& name,
                                            const std::optional<std::string>& value,
                                            const std::string& counter) {
  return RunTransaction(*pool_, TxnKind::kWrite, [&](Connection& c) -> Status {
    if (Status s = WriteSetting(c, name, value); !s.ok()) return s;
    // The row lock of the upsert orders concurrent increments: none is lost.
    return c
        .Exec(
            "INSERT INTO settings (name, value) VALUES ($1, '1') ON CONFLICT (name) "
            "DO UPDATE SET value = (settings.value::int8 + 1)::text",
            Params().Text(counter))
        .status();
  });
}

Result<bool> PostgresMetaStore::ReplaceSetting(const std::string& name, const std::string& value) {
  return InTransaction<bool>(*pool_, TxnKind::kNone, [&](Connection& c) -> Result<bool> {
    Result<Rows> done =
        c.Exec("UPDATE settings SET value = $2 WHERE name = $1", Params().Text(name).Text(value));
    if (!done.ok()) return done.error();
    return done->Affected() > 0;
  });
}

Result<std::unique_ptr<MetaStore::Lease>> PostgresMetaStore::TryLease(const std::string& name) {
  return postgres::TryAdvisoryLease(uri_, session_, name);
}

}  // namespace cairn::meta
