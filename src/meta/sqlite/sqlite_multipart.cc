// SqliteMetaStore's multipart uploads. Writes follow the store's rule (group-committed savepoints
// on the write connection); parts hold blob references exactly like objects (store_queries.h),
// which is what lets CompleteUpload turn parts into an object without copying bytes and without
// ever reporting a blob the new object still uses as freed.
#include <utility>

#include "meta/record_json.h"
#include "meta/sqlite/object_rows.h"
#include "meta/sqlite/sqlite_meta_store.h"
#include "meta/sqlite/store_queries.h"
#include "meta/sqlite/upload_rows.h"
#include "meta/upload_walk.h"

namespace cairn::meta {
namespace {

using sqlite::Connection;
using sqlite::Stmt;
using sqlite::Transaction;

// The row `select` finds for upload `upload_id` (?1) of bucket/key (?2, ?3), read by `read`;
// nullopt when there is none. An id presented with another bucket or key is treated as unknown, so
// an id alone never reaches someone's upload.
template <typename Record>
Result<std::optional<Record>> FindUploadRow(Connection& c, const std::string& select,
                                            Result<Record> (*read)(const Stmt&),
                                            const std::string& bucket, const std::string& key,
                                            const std::string& upload_id) {
  Result<Stmt> stmt = c.Prepare(select);
  if (!stmt.ok()) return stmt.error();
  stmt->BindText(1, upload_id).BindText(2, bucket).BindBlob(3, key);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<Record>();
  Result<Record> record = read(*stmt);
  if (!record.ok()) return record.error();
  return std::optional<Record>(std::move(*record));
}

// The upload `upload_id` when it belongs to bucket/key.
Result<std::optional<core::UploadRecord>> FindUpload(Connection& c, const std::string& bucket,
                                                     const std::string& key,
                                                     const std::string& upload_id) {
  static const std::string sql = "SELECT " + std::string(sqlite::kUploadColumns) +
                                 " FROM uploads WHERE upload_id = ?1 AND bucket = ?2 AND key = ?3";
  return FindUploadRow(c, sql, &sqlite::ReadUploadRow, bucket, key, upload_id);
}

// FindUpload for callers that need the upload to exist.
Result<core::UploadRecord> RequireUpload(Connection& c, const std::string& bucket,
                                         const std::string& key, const std::string& upload_id) {
  Result<std::optional<core::UploadRecord>> found = FindUpload(c, bucket, key, upload_id);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return Error(ErrorCode::kNoSuchUpload);
  return std::move(**found);
}

// Upload `upload_id` of bucket/key in progress, or else the record of its completion (which
// completed_uploads keeps until the lifecycle sweeper forgets it), or neither.
struct UploadOrCompletion {
  std::optional<core::UploadRecord> upload;
  std::optional<core::CompletedUploadRecord> completion;
};
Result<UploadOrCompletion> FindUploadOrCompletion(Connection& c, const std::string& bucket,
                                                  const std::string& key,
                                                  const std::string& upload_id) {
  UploadOrCompletion found;
  Result<std::optional<core::UploadRecord>> upload = FindUpload(c, bucket, key, upload_id);
  if (!upload.ok()) return upload.error();
  found.upload = std::move(*upload);
  if (found.upload) return found;
  static const std::string sql =
      "SELECT " + std::string(kCompletedUploadColumns) +
      " FROM completed_uploads WHERE upload_id = ?1 AND bucket = ?2 AND key = ?3";
  Result<std::optional<core::CompletedUploadRecord>> completion =
      FindUploadRow(c, sql, &sqlite::ReadCompletedUploadRow, bucket, key, upload_id);
  if (!completion.ok()) return completion.error();
  found.completion = std::move(*completion);
  return found;
}

// Every part of an upload with its extents, by part number.
Result<std::vector<core::PartRecord>> LoadParts(Connection& c, const std::string& upload_id) {
  static const std::string sql = "SELECT " + std::string(sqlite::kPartColumnsWithExtents) +
                                 " FROM parts WHERE upload_id = ?1 ORDER BY part_number";
  Result<Stmt> stmt = c.Prepare(sql);
  if (!stmt.ok()) return stmt.error();
  stmt->BindText(1, upload_id);
  std::vector<core::PartRecord> parts;
  while (true) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    Result<core::PartRecord> part = sqlite::ReadPartRow(*stmt, /*with_extents=*/true);
    if (!part.ok()) return part.error();
    parts.push_back(std::move(*part));
  }
  return parts;
}

// Deletes an upload's rows, parts first (their foreign key names the upload). The caller drops
// the parts' blob references in the same transaction.
Status DeleteUploadRows(Connection& c, const std::string& upload_id) {
  for (std::string_view sql :
       {"DELETE FROM parts WHERE upload_id = ?1", "DELETE FROM uploads WHERE upload_id = ?1"}) {
    Result<Stmt> stmt = c.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, upload_id);
    if (Status s = stmt->Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

// UploadScanner over one bucket's uploads, in the order of the uploads_by_listing index (the
// upload id only breaks ties between uploads started in the same millisecond).
class SqliteUploadScanner final : public UploadScanner {
 public:
  SqliteUploadScanner(Connection& c, const std::string& bucket) : c_(c), bucket_(bucket) {}

  Status Seek(const std::string& from, const std::optional<UploadCursor>& after,
              const std::optional<std::string>& before, uint64_t limit) override {
    // `key >= ?2` stays beside the row-value test so the planner can seek the index by key.
    static const std::string columns = "SELECT " + std::string(sqlite::kUploadColumns);
    static const std::string sqls[2][2] = {
        {columns + " FROM uploads WHERE bucket = ?1 AND key >= ?2" + kOrder,
         columns + " FROM uploads WHERE bucket = ?1 AND key >= ?2 AND key < ?5" + kOrder},
        {columns + " FROM uploads WHERE bucket = ?1 AND key >= ?2 AND " + kAfter + kOrder,
         columns + " FROM uploads WHERE bucket = ?1 AND key >= ?2 AND " + kAfter + " AND key < ?5" +
             kOrder},
    };
    stmt_.reset();  // the cached statement may be the one this scanner holds
    Result<Stmt> stmt = c_.Prepare(sqls[after ? 1 : 0][before ? 1 : 0]);
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, bucket_).BindBlob(2, from).BindInt(6, static_cast<int64_t>(limit));
    if (after) {
      stmt->BindInt(3, sqlite::ToMillis(after->initiated)).BindText(4, after->upload_id);
    }
    if (before) stmt->BindBlob(5, *before);
    stmt_.emplace(std::move(*stmt));
    return Status::Ok();
  }

  Result<bool> Next(std::string* key) override {
    Result<bool> row = stmt_->Step();
    if (row.ok() && *row) *key = stmt_->ColumnBlob(2);
    return row;
  }

  Result<core::UploadRecord> Current() override { return sqlite::ReadUploadRow(*stmt_); }

 private:
  static constexpr const char* kAfter = "(key, initiated_ms, upload_id) > (?2, ?3, ?4)";
  static constexpr const char* kOrder = " ORDER BY key, initiated_ms, upload_id LIMIT ?6";

  Connection& c_;
  const std::string& bucket_;
  std::optional<Stmt> stmt_;
};

// The initiation time of upload `upload_id` when it is an upload of bucket/key.
Result<std::optional<TimePoint>> MarkerInitiated(Connection& c, const std::string& bucket,
                                                 const std::string& key,
                                                 const std::string& upload_id) {
  Result<Stmt> stmt = c.Prepare(
      "SELECT initiated_ms FROM uploads WHERE upload_id = ?1 AND bucket = ?2 AND key = ?3");
  if (!stmt.ok()) return stmt.error();
  stmt->BindText(1, upload_id).BindText(2, bucket).BindBlob(3, key);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<TimePoint>();
  return std::optional<TimePoint>(sqlite::FromMillis(stmt->ColumnInt(0)));
}

}  // namespace

Status SqliteMetaStore::CreateUpload(const core::UploadRecord& upload) {
  return Write([&]() -> Status {
    if (Status s = sqlite::BucketExists(*writer_, upload.bucket); !s.ok()) return s;
    if (Status s = sqlite::WriteUploadRow(*writer_, upload); !s.ok()) return s;
    return Status::Ok();
  });
}

Result<core::UploadRecord> SqliteMetaStore::GetUpload(const std::string& bucket,
                                                      const std::string& key,
                                                      const std::string& upload_id) {
  auto reader = readers_.Acquire();
  return RequireUpload(*reader, bucket, key, upload_id);
}

Result<std::vector<std::string>> SqliteMetaStore::PutPart(const std::string& bucket,
                                                          const std::string& key,
                                                          const std::string& upload_id,
                                                          const core::PartRecord& part) {
  return Write<std::vector<std::string>>([&]() -> Result<std::vector<std::string>> {
    if (Result<core::UploadRecord> u = RequireUpload(*writer_, bucket, key, upload_id); !u.ok()) {
      return u.error();
    }
    std::vector<core::Extent> replaced;
    {
      Result<Stmt> old =
          writer_->Prepare("SELECT extents FROM parts WHERE upload_id = ?1 AND part_number = ?2");
      if (!old.ok()) return old.error();
      old->BindText(1, upload_id).BindInt(2, part.part_number);
      Result<bool> row = old->Step();
      if (!row.ok()) return row.error();
      if (*row) {
        Result<std::vector<core::Extent>> extents = DecodeExtents(old->ColumnText(0));
        if (!extents.ok()) return extents.error();
        replaced = std::move(*extents);
      }
    }
    if (Status s = sqlite::WritePartRow(*writer_, upload_id, part); !s.ok()) return s;
    Result<std::vector<std::string>> freed =
        sqlite::MoveBlobReferences(*writer_, replaced, part.extents);
    if (!freed.ok()) return freed;
    return freed;
  });
}

Result<core::PartsPage> SqliteMetaStore::ListParts(const std::string& bucket,
                                                   const std::string& key,
                                                   const std::string& upload_id,
                                                   uint32_t part_number_marker,
                                                   uint32_t max_parts) {
  auto reader = readers_.Acquire();
  Transaction txn(*reader);  // the upload check and the parts come from one snapshot
  if (Status s = txn.Begin(Transaction::Mode::kDeferred); !s.ok()) return s;
  if (Result<core::UploadRecord> u = RequireUpload(*reader, bucket, key, upload_id); !u.ok()) {
    return u.error();
  }
  core::PartsPage page;
  if (max_parts == 0) return page;
  {
    static const std::string sql = "SELECT " + std::string(sqlite::kPartColumns) +
                                   " FROM parts WHERE upload_id = ?1 AND part_number > ?2 "
                                   "ORDER BY part_number LIMIT ?3";
    Result<Stmt> stmt = reader->Prepare(sql);
    if (!stmt.ok()) return stmt.error();
    // One row more than the page holds tells whether it is truncated.
    stmt->BindText(1, upload_id).BindInt(2, part_number_marker).BindInt(3, int64_t{max_parts} + 1);
    while (true) {
      Result<bool> row = stmt->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      if (page.parts.size() == max_parts) {
        page.truncated = true;
        break;
      }
      Result<core::PartRecord> part = sqlite::ReadPartRow(*stmt, /*with_extents=*/false);
      if (!part.ok()) return part.error();
      page.next_part_number_marker = part->part_number;
      page.parts.push_back(std::move(*part));
    }
  }  // the statement is reset before COMMIT
  if (Status s = txn.Commit(); !s.ok()) return s;
  return page;
}

Result<core::UploadsPage> SqliteMetaStore::ListUploads(const std::string& bucket,
                                                       const core::UploadsQuery& query) {
  auto reader = readers_.Acquire();
  Transaction txn(*reader);
  if (Status s = txn.Begin(Transaction::Mode::kDeferred); !s.ok()) return s;
  if (Status s = sqlite::BucketExists(*reader, bucket); !s.ok()) return s;
  std::optional<TimePoint> marker_initiated;
  if (!query.key_marker.empty() && !query.upload_id_marker.empty()) {
    Result<std::optional<TimePoint>> found =
        MarkerInitiated(*reader, bucket, query.key_marker, query.upload_id_marker);
    if (!found.ok()) return found.error();
    marker_initiated = *found;
  }
  Result<core::UploadsPage> page = [&] {
    SqliteUploadScanner scanner(*reader, bucket);
    return WalkUploads(query, marker_initiated, scanner);
  }();  // the scanner returns its statement before COMMIT
  if (!page.ok()) return page;
  if (Status s = txn.Commit(); !s.ok()) return s;
  return page;
}

Result<std::vector<std::string>> SqliteMetaStore::AbortUpload(const std::string& bucket,
                                                              const std::string& key,
                                                              const std::string& upload_id) {
  return Write<std::vector<std::string>>([&]() -> Result<std::vector<std::string>> {
    Result<UploadOrCompletion> found = FindUploadOrCompletion(*writer_, bucket, key, upload_id);
    if (!found.ok()) return found.error();
    if (!found->upload) {
      if (!found->completion) return Error(ErrorCode::kNoSuchUpload);
      return std::vector<std::string>();  // completed: nothing left to abort
    }
    Result<std::vector<core::PartRecord>> parts = LoadParts(*writer_, upload_id);
    if (!parts.ok()) return parts.error();
    sqlite::BlobDeltas deltas;
    for (const core::PartRecord& part : *parts) sqlite::DropReferences(part.extents, &deltas);
    if (Status s = DeleteUploadRows(*writer_, upload_id); !s.ok()) return s;
    Result<std::vector<std::string>> freed = sqlite::ApplyBlobDeltas(*writer_, deltas);
    if (!freed.ok()) return freed;
    return freed;
  });
}

Result<MetaStore::Completion> SqliteMetaStore::CompleteUpload(const std::string& bucket,
                                                              const std::string& key,
                                                              const std::string& upload_id,
                                                              const CompleteBuilder& build,
                                                              const WriteCondition& condition,
                                                              const CompletionReceipt& receipt) {
  return Write<Completion>([&]() -> Result<Completion> {
    Result<UploadOrCompletion> found = FindUploadOrCompletion(*writer_, bucket, key, upload_id);
    if (!found.ok()) return found.error();
    if (!found->upload) {
      if (found->completion && found->completion->parts_digest == receipt.parts_digest) {
        return Completion{{}, std::move(*found->completion), /*retried=*/true};
      }
      // Only a miss pays for telling NoSuchBucket from NoSuchUpload.
      if (Status s = sqlite::BucketExists(*writer_, bucket); !s.ok()) return s;
      return Error(ErrorCode::kNoSuchUpload);
    }
    Result<std::vector<core::PartRecord>> parts = LoadParts(*writer_, upload_id);
    if (!parts.ok()) return parts.error();
    Result<core::ObjectRecord> built = build(*found->upload, *parts);
    if (!built.ok()) return built.error();
    core::ObjectRecord object = std::move(*built);
    // The object lands where the upload was started, whatever the builder filled in.
    object.bucket = bucket;
    object.key = key;

    Result<std::optional<core::ObjectRecord>> current = sqlite::FindObject(*writer_, bucket, key);
    if (!current.ok()) return current.error();
    if (condition) {
      if (Status s = condition(*current); !s.ok()) return s;
    }
    if (Status s = sqlite::WriteObjectRow(*writer_, object); !s.ok()) return s;

    // One net change per blob over everything this transaction adds and removes: a chosen part's
    // blob passes from the part to the object with its count unchanged, so it cannot be reported
    // freed; a discarded part's blob and the replaced object's drop to zero unless held elsewhere.
    sqlite::BlobDeltas deltas;
    sqlite::AddReferences(object.extents, &deltas);
    if (current->has_value()) sqlite::DropReferences((*current)->extents, &deltas);
    for (const core::PartRecord& part : *parts) sqlite::DropReferences(part.extents, &deltas);
    if (Status s = DeleteUploadRows(*writer_, upload_id); !s.ok()) return s;
    Completion completion;
    completion.record = core::CompletedUploadRecord{upload_id,
                                                    bucket,
                                                    key,
                                                    receipt.parts_digest,
                                                    object.etag,
                                                    object.checksums,
                                                    object.checksum_type,
                                                    object.size,
                                                    receipt.keep_until};
    if (Status s = sqlite::WriteCompletedUploadRow(*writer_, completion.record); !s.ok()) return s;
    Result<std::vector<std::string>> freed = sqlite::ApplyBlobDeltas(*writer_, deltas);
    if (!freed.ok()) return freed.error();
    completion.released = std::move(*freed);
    return completion;
  });
}

Result<std::vector<core::UploadRecord>> SqliteMetaStore::ListUploadsInitiatedBefore(
    TimePoint cutoff, uint32_t limit) {
  auto reader = readers_.Acquire();
  static const std::string sql = "SELECT " + std::string(sqlite::kUploadColumns) +
                                 " FROM uploads WHERE initiated_ms < ?1 "
                                 "ORDER BY initiated_ms, upload_id LIMIT ?2";
  Result<Stmt> stmt = reader->Prepare(sql);
  if (!stmt.ok()) return stmt.error();
  stmt->BindInt(1, sqlite::ToMillis(cutoff)).BindInt(2, limit);
  std::vector<core::UploadRecord> out;
  while (true) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    Result<core::UploadRecord> upload = sqlite::ReadUploadRow(*stmt);
    if (!upload.ok()) return upload.error();
    out.push_back(std::move(*upload));
  }
  return out;
}

Result<uint32_t> SqliteMetaStore::DeleteCompletionsBefore(TimePoint cutoff, uint32_t limit) {
  return Write<uint32_t>([&]() -> Result<uint32_t> {
    Result<Stmt> stmt = writer_->Prepare(
        "DELETE FROM completed_uploads WHERE upload_id IN (SELECT upload_id FROM "
        "completed_uploads WHERE expires_ms < ?1 ORDER BY expires_ms LIMIT ?2)");
    if (!stmt.ok()) return stmt.error();
    stmt->BindInt(1, sqlite::ToMillis(cutoff)).BindInt(2, limit);
    if (Status s = stmt->Run(); !s.ok()) return s.error();
    return static_cast<uint32_t>(sqlite3_changes(writer_->handle()));
  });
}

}  // namespace cairn::meta
