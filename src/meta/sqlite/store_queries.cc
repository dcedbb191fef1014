// Shared SqliteMetaStore queries; see store_queries.h for the reference rule.
#include "meta/sqlite/store_queries.h"

#include <utility>

#include "meta/inline_data.h"
#include "meta/sqlite/object_rows.h"

namespace cairn::meta::sqlite {
Status BucketExists(Connection& c, const std::string& name) {
  Result<Stmt> stmt = c.Prepare("SELECT 1 FROM buckets WHERE name = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, name);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status(ErrorCode::kNoSuchBucket);
  return Status::Ok();
}

Result<std::optional<core::ObjectRecord>> FindObject(Connection& c, const std::string& bucket,
                                                     const std::string& key, bool with_data) {
  static const std::string sql = "SELECT " + std::string(kObjectColumnsWithExtents) +
                                 " FROM objects WHERE bucket = ?1 AND key = ?2";
  static const std::string sql_with_data =
      "SELECT " + std::string(kObjectColumnsWithExtents) +
      ", (SELECT data FROM object_data d WHERE d.bucket = ?1 AND d.key = ?2)"
      " FROM objects WHERE bucket = ?1 AND key = ?2";
  Result<Stmt> stmt = c.Prepare(with_data ? sql_with_data : sql);
  if (!stmt.ok()) return stmt.error();
  stmt->BindText(1, bucket).BindBlob(2, key);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<core::ObjectRecord>();
  Result<core::ObjectRecord> record = ReadObjectRow(*stmt, bucket, /*with_extents=*/true);
  if (!record.ok()) return record.error();
  if (with_data && record->stored_inline()) {
    if (Status s = AttachInlineData(stmt->ColumnBlob(kObjectColumnCount), &*record); !s.ok()) {
      return s.error();
    }
  }
  return std::optional<core::ObjectRecord>(std::move(*record));
}

Result<std::vector<std::string>> ApplyBlobDeltas(Connection& c, const BlobDeltas& deltas) {
  std::vector<std::string> freed;
  for (const auto& [id, delta] : deltas) {
    // A blob both given up and taken (a metadata-only self-copy, a completed part) nets to zero
    // and is not touched at all.
    if (delta == 0) continue;
    if (delta > 0) {
      Result<Stmt> add = c.Prepare(
          "INSERT INTO blobs (id, refcount) VALUES (?1, ?2) "
          "ON CONFLICT (id) DO UPDATE SET refcount = refcount + ?2");
      if (!add.ok()) return add.error();
      add->BindText(1, id).BindInt(2, delta);
      if (Status s = add->Run(); !s.ok()) return s;
      continue;
    }
    Result<Stmt> get = c.Prepare("SELECT refcount FROM blobs WHERE id = ?1");
    if (!get.ok()) return get.error();
    get->BindText(1, id);
    Result<bool> row = get->Step();
    if (!row.ok()) return row.error();
    // A missing row means the count was already lost; the start-up sweep, not this write, is
    // the place to decide about such a file, so leave it alone.
    if (!*row) continue;
    const bool last = get->ColumnInt(0) + delta <= 0;
    Result<Stmt> drop = c.Prepare(last ? "DELETE FROM blobs WHERE id = ?1"
                                       : "UPDATE blobs SET refcount = refcount + ?2 WHERE id = ?1");
    if (!drop.ok()) return drop.error();
    drop->BindText(1, id);
    if (!last) drop->BindInt(2, delta);
    if (Status s = drop->Run(); !s.ok()) return s;
    if (last) freed.push_back(id);
  }
  return freed;
}

Result<std::vector<std::string>> MoveBlobReferences(Connection& c,
                                                    const std::vector<core::Extent>& before,
                                                    const std::vector<core::Extent>& after) {
  BlobDeltas deltas;
  DropReferences(before, &deltas);
  AddReferences(after, &deltas);
  return ApplyBlobDeltas(c, deltas);
}

}  // namespace cairn::meta::sqlite
