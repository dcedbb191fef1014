// SqliteMetaStore: the MetaStore operations as SQLite transactions. Writes run on the single write
// connection, each as a savepoint of a group-committed IMMEDIATE transaction (Write()); reads lease
// a connection from the reader pool. Listing uses the engine-neutral walk in meta/list_walk.h over
// a scanner that seeks the (bucket, key) primary key, and so does the key search
// (meta/key_search.h). Multipart uploads are in sqlite_multipart.cc.
#include "meta/sqlite/sqlite_meta_store.h"

#include <algorithm>
#include <utility>

#include "meta/key_search.h"
#include "meta/list_walk.h"
#include "meta/sqlite/mapping_fault.h"
#include "meta/sqlite/object_rows.h"
#include "meta/sqlite/schema.h"
#include "meta/sqlite/store_queries.h"

namespace cairn::meta {
namespace {

using sqlite::BucketExists;
using sqlite::Connection;
using sqlite::FindObject;
using sqlite::MoveBlobReferences;
using sqlite::Stmt;
using sqlite::Transaction;

Result<bool> AnyRow(Connection& c, std::string_view sql, const std::string& bucket) {
  Result<Stmt> stmt = c.Prepare(sql);
  if (!stmt.ok()) return stmt.error();
  stmt->BindText(1, bucket);
  return stmt->Step();
}

// KeyScanner over one bucket's rows in the objects primary key. Each Seek is one indexed range
// query; rows are stepped lazily, so a seek reads only the rows the walk consumes. A listing reads
// the records with the keys (kRecords). A search, which may return few of the keys it reads, reads
// keys alone (kKeysOnly) and the records of its matches through a second cursor over the same
// range that trails the scan: a match a few rows after the previous one is reached by stepping, so
// dense matches cost about what a listing does, and a farther one by a new seek (a point lookup).
class SqliteKeyScanner final : public KeyScanner {
 public:
  enum class Rows { kRecords, kKeysOnly };

  SqliteKeyScanner(Connection& c, const std::string& bucket, Rows rows)
      : c_(c), bucket_(bucket), rows_(rows) {}

  Status Seek(const std::string& from, const std::optional<std::string>& before,
              uint64_t limit) override {
    // The cached statements may be the ones this scanner holds.
    stmt_.reset();
    records_.reset();
    before_ = before;
    return Range(rows_ == Rows::kKeysOnly, from, static_cast<int64_t>(limit), stmt_);
  }

  Result<bool> Next(std::string* key) override {
    Result<bool> row = stmt_->Step();
    if (row.ok() && *row) {
      *key = stmt_->ColumnBlob(0);
      ++read_since_record_;
    }
    return row;
  }

  Result<core::ObjectRecord> Current() override {
    if (rows_ == Rows::kRecords) {
      return sqlite::ReadObjectRow(*stmt_, bucket_, /*with_extents=*/false);
    }
    return MatchRecord(stmt_->ColumnBlob(0));
  }

 private:
  // Past this many rows from the previous match, seeking beats stepping.
  static constexpr uint64_t kMaxStep = 16;

  // Starts `out` on the rows at or after `from` (and before before_), keys alone or records,
  // at most `limit` of them (-1: no limit).
  Status Range(bool keys_only, const std::string& from, int64_t limit, std::optional<Stmt>& out) {
    static const std::string records = "SELECT " + std::string(sqlite::kObjectColumns) +
                                       " FROM objects WHERE bucket = ?1 AND key >= ?2";
    static const std::string keys = "SELECT key FROM objects WHERE bucket = ?1 AND key >= ?2";
    static const std::string records_bounded = records + " AND key < ?3 ORDER BY key LIMIT ?4";
    static const std::string records_unbounded = records + " ORDER BY key LIMIT ?4";
    static const std::string keys_bounded = keys + " AND key < ?3 ORDER BY key LIMIT ?4";
    static const std::string keys_unbounded = keys + " ORDER BY key LIMIT ?4";
    Result<Stmt> stmt = c_.Prepare(before_ ? (keys_only ? keys_bounded : records_bounded)
                                           : (keys_only ? keys_unbounded : records_unbounded));
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, bucket_).BindBlob(2, from).BindInt(4, limit);
    if (before_) stmt->BindBlob(3, *before_);
    out.emplace(std::move(*stmt));
    return Status::Ok();
  }

  // The record of `key`, which the scan just read, by the trailing cursor.
  Result<core::ObjectRecord> MatchRecord(const std::string& key) {
    if (!records_ || read_since_record_ > kMaxStep) {
      records_.reset();
      if (Status s = Range(/*keys_only=*/false, key, -1, records_); !s.ok()) return s.error();
    }
    read_since_record_ = 0;
    while (true) {
      Result<bool> row = records_->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      const std::string at = records_->ColumnBlob(0);
      if (at == key) return sqlite::ReadObjectRow(*records_, bucket_, /*with_extents=*/false);
      if (at > key) break;
    }
    // The scan read the key in the same read transaction: its row cannot be gone.
    return Error(ErrorCode::kStorageCorruption, "a key read by a search has no object row");
  }

  Connection& c_;
  const std::string& bucket_;
  const Rows rows_;
  std::optional<std::string> before_;
  std::optional<Stmt> stmt_;
  std::optional<Stmt> records_;  // kKeysOnly: the trailing cursor over the records
  uint64_t read_since_record_ = 0;
};

// Runs `walk` over a scanner of `bucket`'s rows in one read transaction: the bucket check and
// every seek of the walk (and a search's lookups of its matches) see one snapshot.
template <typename Page>
Result<Page> WalkBucket(Connection& reader, const std::string& bucket, SqliteKeyScanner::Rows rows,
                        const std::function<Result<Page>(KeyScanner&)>& walk) {
  Transaction txn(reader);
  if (Status s = txn.Begin(Transaction::Mode::kDeferred); !s.ok()) return s;
  if (Status s = BucketExists(reader, bucket); !s.ok()) return s;
  Result<Page> page = [&] {
    SqliteKeyScanner scanner(reader, bucket, rows);
    return walk(scanner);
  }();  // the scanner returns its statement before COMMIT
  if (!page.ok()) return page;
  if (Status s = txn.Commit(); !s.ok()) return s;
  return page;
}

}  // namespace

Result<std::unique_ptr<MetaStore>> OpenSqliteMetaStore(const std::string& path) {
  return OpenSqliteMetaStore(path, SqliteOptions());
}

Result<std::unique_ptr<MetaStore>> OpenSqliteMetaStore(const std::string& path,
                                                       const SqliteOptions& options) {
  sqlite::ReportMappingFaults();  // before the first connection maps the -shm file
  sqlite::Connection::Options writer_options;
  writer_options.durable = options.durable;
  Result<std::unique_ptr<Connection>> writer = Connection::Open(path, writer_options);
  if (!writer.ok()) return writer.error();
  if (Result<SchemaMigration> m = sqlite::Migrate(**writer); !m.ok()) return m.error();

  // Readers open after the writer has put the file in WAL mode and created the schema.
  sqlite::Connection::Options reader_options = writer_options;
  reader_options.read_only = true;
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    Result<std::unique_ptr<Connection>> reader = Connection::Open(path, reader_options);
    if (!reader.ok()) return reader.error();
    readers.push_back(std::move(*reader));
  }
  return std::unique_ptr<MetaStore>(
      std::make_unique<SqliteMetaStore>(std::move(*writer), std::move(readers)));
}

Result<SchemaMigration> MigrateSqliteSchema(const std::string& path) {
  Result<std::unique_ptr<Connection>> writer = Connection::Open(path, {});
  if (!writer.ok()) return writer.error();
  return sqlite::Migrate(**writer);
}

SqliteMetaStore::SqliteMetaStore(std::unique_ptr<Connection> writer,
                                 std::vector<std::unique_ptr<Connection>> readers)
    : writer_(std::move(writer)), readers_(std::move(readers)) {}

// --- Buckets ---

Status SqliteMetaStore::CreateBucket(const core::BucketRecord& bucket) {
  return Write([&]() -> Status {
    Result<Stmt> stmt = writer_->Prepare(
        "INSERT INTO buckets (name, created_ms, location) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (name) DO NOTHING");
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, bucket.name)
        .BindInt(2, sqlite::ToMillis(bucket.created))
        .BindText(3, bucket.location);
    if (Status s = stmt->Run(); !s.ok()) return s;
    if (sqlite3_changes(writer_->handle()) == 0) return Status(ErrorCode::kBucketAlreadyOwnedByYou);
    return Status::Ok();
  });
}

Result<core::BucketRecord> SqliteMetaStore::GetBucket(const std::string& name) {
  auto reader = readers_.Acquire();
  Result<Stmt> stmt = reader->Prepare("SELECT created_ms, location FROM buckets WHERE name = ?1");
  if (!stmt.ok()) return stmt.error();
  stmt->BindText(1, name);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.error();
  if (!*row) return Error(ErrorCode::kNoSuchBucket);
  return core::BucketRecord{name, sqlite::FromMillis(stmt->ColumnInt(0)), stmt->ColumnText(1)};
}

Result<std::vector<core::BucketRecord>> SqliteMetaStore::ListBuckets() {
  auto reader = readers_.Acquire();
  Result<Stmt> stmt =
      reader->Prepare("SELECT name, created_ms, location FROM buckets ORDER BY name");
  if (!stmt.ok()) return stmt.error();
  std::vector<core::BucketRecord> out;
  while (true) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back(core::BucketRecord{stmt->ColumnText(0), sqlite::FromMillis(stmt->ColumnInt(1)),
                                     stmt->ColumnText(2)});
  }
  return out;
}

Status SqliteMetaStore::DeleteBucket(const std::string& name) {
  return Write([&]() -> Status {
    if (Status s = BucketExists(*writer_, name); !s.ok()) return s;
    for (std::string_view sql : {"SELECT 1 FROM objects WHERE bucket = ?1 LIMIT 1",
                                 "SELECT 1 FROM uploads WHERE bucket = ?1 LIMIT 1"}) {
      Result<bool> found = AnyRow(*writer_, sql, name);
      if (!found.ok()) return found.status();
      if (*found) return Status(ErrorCode::kBucketNotEmpty);
    }
    // Configuration documents go with the bucket (and first: their foreign key names it).
    for (std::string_view sql :
         {"DELETE FROM bucket_config WHERE bucket = ?1", "DELETE FROM buckets WHERE name = ?1"}) {
      Result<Stmt> stmt = writer_->Prepare(sql);
      if (!stmt.ok()) return stmt.status();
      stmt->BindText(1, name);
      if (Status s = stmt->Run(); !s.ok()) return s;
    }
    return Status::Ok();
  });
}

Result<core::BucketUsage> SqliteMetaStore::GetBucketUsage(const std::string& name) {
  auto reader = readers_.Acquire();
  Result<Stmt> stmt = reader->Prepare("SELECT objects, bytes FROM bucket_usage WHERE bucket = ?1");
  if (!stmt.ok()) return stmt.error();
  stmt->BindText(1, name);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.error();
  if (!*row) return Error(ErrorCode::kNoSuchBucket);  // every bucket has its row (schema.cc, v4)
  return core::BucketUsage{static_cast<uint64_t>(stmt->ColumnInt(0)),
                           static_cast<uint64_t>(stmt->ColumnInt(1))};
}

// --- Objects ---

Result<core::ObjectRecord> SqliteMetaStore::GetObject(const std::string& bucket,
                                                      const std::string& key) {
  auto reader = readers_.Acquire();
  Result<std::optional<core::ObjectRecord>> found =
      FindObject(*reader, bucket, key, /*with_data=*/true);
  if (!found.ok()) return found.error();
  if (found->has_value()) return std::move(**found);
  // Only a miss pays for telling NoSuchBucket from NoSuchKey.
  if (Status s = BucketExists(*reader, bucket); !s.ok()) return s;
  return Error(ErrorCode::kNoSuchKey);
}

Result<std::vector<std::string>> SqliteMetaStore::PutObject(const core::ObjectRecord& object,
                                                            const WriteCondition& condition) {
  return Write<std::vector<std::string>>([&]() -> Result<std::vector<std::string>> {
    if (Status s = BucketExists(*writer_, object.bucket); !s.ok()) return s;
    Result<std::optional<core::ObjectRecord>> current =
        FindObject(*writer_, object.bucket, object.key);
    if (!current.ok()) return current.error();
    if (condition) {
      if (Status s = condition(*current); !s.ok()) return s;
    }
    if (Status s = sqlite::WriteObjectRow(*writer_, object); !s.ok()) return s;
    static const std::vector<core::Extent> kNone;
    Result<std::vector<std::string>> freed = MoveBlobReferences(
        *writer_, current->has_value() ? (*current)->extents : kNone, object.extents);
    if (!freed.ok()) return freed;
    return freed;
  });
}

Result<std::vector<std::string>> SqliteMetaStore::DeleteObject(const std::string& bucket,
                                                               const std::string& key,
                                                               const WriteCondition& condition) {
  return Write<std::vector<std::string>>([&]() -> Result<std::vector<std::string>> {
    if (Status s = BucketExists(*writer_, bucket); !s.ok()) return s;
    Result<std::optional<core::ObjectRecord>> current = FindObject(*writer_, bucket, key);
    if (!current.ok()) return current.error();
    if (condition) {
      if (Status s = condition(*current); !s.ok()) return s;
    }
    if (!current->has_value()) return std::vector<std::string>();  // S3 deletes are idempotent
    Result<Stmt> stmt = writer_->Prepare("DELETE FROM objects WHERE bucket = ?1 AND key = ?2");
    if (!stmt.ok()) return stmt.error();
    stmt->BindText(1, bucket).BindBlob(2, key);
    if (Status s = stmt->Run(); !s.ok()) return s;
    core::ObjectRecord gone;
    gone.bucket = bucket;
    gone.key = key;
    if (Status s = sqlite::WriteObjectData(*writer_, gone); !s.ok()) return s;
    Result<std::vector<std::string>> freed = MoveBlobReferences(*writer_, (*current)->extents, {});
    if (!freed.ok()) return freed;
    return freed;
  });
}

Result<core::ListPage> SqliteMetaStore::ListObjects(const std::string& bucket,
                                                    const core::ListQuery& query) {
  auto reader = readers_.Acquire();
  return WalkBucket<core::ListPage>(
      *reader, bucket, SqliteKeyScanner::Rows::kRecords,
      [&](KeyScanner& scanner) { return WalkListing(query, scanner); });
}

Result<core::SearchPage> SqliteMetaStore::SearchObjects(const std::string& bucket,
                                                        const core::SearchQuery& query) {
  auto reader = readers_.Acquire();
  return WalkBucket<core::SearchPage>(
      *reader, bucket, SqliteKeyScanner::Rows::kKeysOnly,
      [&](KeyScanner& scanner) { return WalkSearch(query, scanner); });
}

// --- Blobs, bucket configuration and settings ---

Result<bool> SqliteMetaStore::BlobReferenced(const std::string& blob_id) {
  // Objects and parts both count in `blobs` (store_queries.h), so one lookup covers them.
  auto reader = readers_.Acquire();
  Result<Stmt> stmt = reader->Prepare("SELECT 1 FROM blobs WHERE id = ?1");
  if (!stmt.ok()) return stmt.error();
  stmt->BindText(1, blob_id);
  return stmt->Step();
}

Result<std::optional<std::string>> SqliteMetaStore::GetBucketConfig(const std::string& bucket,
                                                                    const std::string& name) {
  auto reader = readers_.Acquire();
  // One statement tells a missing bucket from a missing document in the same snapshot.
  Result<Stmt> stmt = reader->Prepare(
      "SELECT c.document IS NOT NULL, c.document FROM buckets b "
      "LEFT JOIN bucket_config c ON c.bucket = b.name AND c.name = ?2 WHERE b.name = ?1");
  if (!stmt.ok()) return stmt.error();
  stmt->BindText(1, bucket).BindText(2, name);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.error();
  if (!*row) return Error(ErrorCode::kNoSuchBucket);
  if (stmt->ColumnInt(0) == 0) return std::optional<std::string>();
  return std::optional<std::string>(stmt->ColumnText(1));
}

Status SqliteMetaStore::PutBucketConfig(const std::string& bucket, const std::string& name,
                                        const std::optional<std::string>& document) {
  return Write([&]() -> Status {
    if (Status s = BucketExists(*writer_, bucket); !s.ok()) return s;
    Result<Stmt> stmt =
        document ? writer_->Prepare(
                       "INSERT INTO bucket_config (bucket, name, document) VALUES (?1, ?2, ?3) "
                       "ON CONFLICT (bucket, name) DO UPDATE SET document = excluded.document")
                 : writer_->Prepare("DELETE FROM bucket_config WHERE bucket = ?1 AND name = ?2");
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, bucket).BindText(2, name);
    if (document) stmt->BindText(3, *document);
    if (Status s = stmt->Run(); !s.ok()) return s;
    return Status::Ok();
  });
}

Result<std::optional<std::string>> SqliteMetaStore::GetSetting(const std::string& name) {
  auto reader = readers_.Acquire();
  Result<Stmt> stmt = reader->Prepare("SELECT value FROM settings WHERE name = ?1");
  if (!stmt.ok()) return stmt.error();
  stmt->BindText(1, name);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(stmt->ColumnText(0));
}

namespace {

// Inside a write: sets or (nullopt) deletes one setting.
Status WriteSetting(sqlite::Connection& writer, const std::string& name,
                    const std::optional<std::string>& value) {
  Result<Stmt> stmt = value ? writer.Prepare(
                                  "INSERT INTO settings (name, value) VALUES (?1, ?2) "
                                  "ON CONFLICT (name) DO UPDATE SET value = excluded.value")
                            : writer.Prepare("DELETE FROM settings WHERE name = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, name);
  if (value) stmt->BindText(2, *value);
  return stmt->Run();
}

}  // namespace

Status SqliteMetaStore::PutSetting(const std::string& name,
                                   const std::optional<std::string>& value) {
  return Write([&]() -> Status { return WriteSetting(*writer_, name, value); });
}

Status SqliteMetaStore::PutSettingCounted(const std::string& name,
                                          const std::optional<std::string>& value,
                                          const std::string& counter) {
  return Write([&]() -> Status {
    if (Status s = WriteSetting(*writer_, name, value); !s.ok()) return s;
    Result<Stmt> count = writer_->Prepare(
        "INSERT INTO settings (name, value) VALUES (?1, '1') ON CONFLICT (name) "
        "DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)");
    if (!count.ok()) return count.status();
    count->BindText(1, counter);
    return count->Run();
  });
}

Result<bool> SqliteMetaStore::ReplaceSetting(const std::string& name, const std::string& value) {
  return Write<bool>([&]() -> Result<bool> {
    Result<Stmt> stmt = writer_->Prepare("UPDATE settings SET value = ?2 WHERE name = ?1");
    if (!stmt.ok()) return stmt.error();
    stmt->BindText(1, name).BindText(2, value);
    if (Status s = stmt->Run(); !s.ok()) return s.error();
    return sqlite3_changes(writer_->handle()) > 0;
  });
}

Result<std::unique_ptr<MetaStore::Lease>> SqliteMetaStore::TryLease(const std::string&) {
  // Only one process opens a SQLite store (the data dir's lock): nobody else can hold a lease.
  return std::make_unique<Lease>();
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteMetaStore::ListSettings(
    const std::string& prefix) {
  auto reader = readers_.Acquire();
  // substr() rather than LIKE: a prefix may hold '%' or '_', and names compare as bytes.
  Result<Stmt> stmt = reader->Prepare(
      "SELECT name, value FROM settings WHERE substr(name, 1, length(?1)) = ?1 ORDER BY name");
  if (!stmt.ok()) return stmt.error();
  stmt->BindText(1, prefix);
  std::vector<std::pair<std::string, std::string>> settings;
  while (true) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.error();
    if (!*row) return settings;
    settings.emplace_back(stmt->ColumnText(0), stmt->ColumnText(1));
  }
}

}  // namespace cairn::meta
