#include "meta/postgres/queries.h"

#include <utility>

#include "meta/inline_data.h"
#include "meta/postgres/rows.h"

namespace cairn::meta::postgres {
namespace {

// FNV-1a, 64 bits: every gateway, whatever its build, must compute the same lock for a key.
int64_t KeyLockId(const std::string& bucket, const std::string& key) {
  uint64_t h = 14695981039346656037ull;
  auto mix = [&h](std::string_view bytes) {
    for (unsigned char b : bytes) h = (h ^ b) * 1099511628211ull;
  };
  mix(bucket);
  mix(std::string_view("\0", 1));  // "ab"+"c" and "a"+"bc" are different keys
  mix(key);
  return static_cast<int64_t>(h);
}

}  // namespace

Status BucketExists(Connection& c, const std::string& name) {
  Result<Rows> rows = c.Exec("SELECT 1 FROM buckets WHERE name = $1", Params().Text(name));
  if (!rows.ok()) return rows.status();
  if (rows->size() == 0) return Status(ErrorCode::kNoSuchBucket);
  return Status::Ok();
}

Status LockKey(Connection& c, const std::string& bucket, const std::string& key) {
  return c.Exec("SELECT pg_advisory_xact_lock($1)", Params().Int(KeyLockId(bucket, key))).status();
}

Result<std::optional<core::ObjectRecord>> FindObject(Connection& c, const std::string& bucket,
                                                     const std::string& key, bool with_data) {
  // The bucket's row joined with the object's, if any: no row tells a missing bucket, a null key
  // a missing object. The object is matched on $1, not on b.name: buckets.name is COLLATE "C",
  // objects.bucket is not, and a comparison across the two keeps the planner off objects' primary
  // key (a sequential scan of every object per lookup); the other joins with buckets do the same.
  static const std::string from =
      " FROM buckets b LEFT JOIN objects o ON o.bucket = $1 AND o.key = $2 WHERE b.name = $1";
  static const std::string sql = "SELECT " + std::string(kObjectColumnsWithExtents) + from;
  static const std::string sql_with_data =
      "SELECT " + std::string(kObjectColumnsWithExtents) +
      ", (SELECT data FROM object_data d WHERE d.bucket = $1 AND d.key = $2)" + from;
  Result<Rows> rows = c.Exec(with_data ? sql_with_data : sql, Params().Text(bucket).Bytes(key));
  if (!rows.ok()) return rows.error();
  if (rows->size() == 0) return Error(ErrorCode::kNoSuchBucket);
  if (rows->IsNull(0, 0)) return std::optional<core::ObjectRecord>();
  Result<core::ObjectRecord> record = ReadObjectRow(*rows, 0, bucket, /*with_extents=*/true);
  if (!record.ok()) return record.error();
  if (with_data && record->stored_inline()) {
    // A missing object_data row reads as NULL, whose bytes are empty: AttachInlineData refuses it.
    if (Status s = AttachInlineData(rows->Bytes(0, kObjectColumnCount), &*record); !s.ok()) {
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
      Result<Rows> add = c.Exec(
          "INSERT INTO blobs (id, refcount) VALUES ($1, $2) "
          "ON CONFLICT (id) DO UPDATE SET refcount = blobs.refcount + excluded.refcount",
          Params().Text(id).Int(delta));
      if (!add.ok()) return add.error();
      continue;
    }
    // The update keeps the row locked to the end of the transaction, so the count read back is
    // still the count when the row is deleted.
    Result<Rows> left = c.Exec(
        "UPDATE blobs SET refcount = greatest(refcount + $2, 0) WHERE id = $1 RETURNING refcount",
        Params().Text(id).Int(delta));
    if (!left.ok()) return left.error();
    // A missing row means the count was already lost; the start-up sweep, not this write, is the
    // place to decide about such a file, so leave it alone.
    if (left->size() == 0 || left->Int(0, 0) > 0) continue;
    Result<Rows> drop = c.Exec("DELETE FROM blobs WHERE id = $1", Params().Text(id));
    if (!drop.ok()) return drop.error();
    freed.push_back(id);
  }
  return freed;
}

Error MissingBucketOr(const Error& error, const Connection& c) {
  if (c.sqlstate() == kForeignKeyViolation) return Error(ErrorCode::kNoSuchBucket);
  return error;
}

}  // namespace cairn::meta::postgres
