// core::UploadRecord <-> `uploads` row, core::PartRecord <-> `parts` row and
// core::CompletedUploadRecord <-> `completed_uploads` row; see upload_rows.h. The column indexes
// below follow the column lists right above them.
#include "meta/sqlite/upload_rows.h"

#include <utility>

#include "meta/record_json.h"
#include "meta/sqlite/object_rows.h"

namespace cairn::meta::sqlite {

Result<core::UploadRecord> ReadUploadRow(const Stmt& stmt) {
  core::UploadRecord u;
  u.upload_id = stmt.ColumnText(0);
  u.bucket = stmt.ColumnText(1);
  u.key = stmt.ColumnBlob(2);
  u.initiated = FromMillis(stmt.ColumnInt(3));
  if (Status s = DecodeUploadMetadata(stmt.ColumnText(4), &u); !s.ok()) return s.error();
  u.checksum_algorithm = stmt.ColumnText(5);
  u.checksum_type = stmt.ColumnText(6);
  return u;
}

Status WriteUploadRow(Connection& connection, const core::UploadRecord& u) {
  Result<std::string> metadata = EncodeUploadMetadata(u);
  if (!metadata.ok()) return metadata.status();
  Result<Stmt> stmt = connection.Prepare(
      "INSERT INTO uploads (upload_id, bucket, key, initiated_ms, metadata, checksum_algorithm, "
      "checksum_type) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, u.upload_id)
      .BindText(2, u.bucket)
      .BindBlob(3, u.key)
      .BindInt(4, ToMillis(u.initiated))
      .BindText(5, *metadata)
      .BindText(6, u.checksum_algorithm)
      .BindText(7, u.checksum_type);
  return stmt->Run();
}

Result<core::PartRecord> ReadPartRow(const Stmt& stmt, bool with_extents) {
  core::PartRecord p;
  p.part_number = static_cast<uint32_t>(stmt.ColumnInt(0));
  p.size = static_cast<uint64_t>(stmt.ColumnInt(1));
  p.etag = stmt.ColumnText(2);
  p.last_modified = FromMillis(stmt.ColumnInt(3));
  Result<std::map<std::string, std::string>> checksums = DecodeChecksums(stmt.ColumnText(4));
  if (!checksums.ok()) return checksums.error();
  p.checksums = std::move(*checksums);
  if (with_extents) {
    Result<std::vector<core::Extent>> extents = DecodeExtents(stmt.ColumnText(5));
    if (!extents.ok()) return extents.error();
    p.extents = std::move(*extents);
  }
  return p;
}

Status WritePartRow(Connection& connection, const std::string& upload_id,
                    const core::PartRecord& p) {
  Result<std::string> checksums = EncodeChecksums(p.checksums);
  if (!checksums.ok()) return checksums.status();
  Result<std::string> extents = EncodeExtents(p.extents);
  if (!extents.ok()) return extents.status();
  // REPLACE: nothing references a part row; the caller moves its blob references.
  Result<Stmt> stmt = connection.Prepare(
      "INSERT OR REPLACE INTO parts (upload_id, part_number, size, etag, last_modified_ms, "
      "checksums, extents) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, upload_id)
      .BindInt(2, p.part_number)
      .BindInt(3, static_cast<int64_t>(p.size))
      .BindText(4, p.etag)
      .BindInt(5, ToMillis(p.last_modified))
      .BindText(6, *checksums)
      .BindText(7, *extents);
  return stmt->Run();
}

Result<core::CompletedUploadRecord> ReadCompletedUploadRow(const Stmt& stmt) {
  core::CompletedUploadRecord r;
  r.upload_id = stmt.ColumnText(0);
  r.bucket = stmt.ColumnText(1);
  r.key = stmt.ColumnBlob(2);
  r.parts_digest = stmt.ColumnText(3);
  r.etag = stmt.ColumnText(4);
  Result<std::map<std::string, std::string>> checksums = DecodeChecksums(stmt.ColumnText(5));
  if (!checksums.ok()) return checksums.error();
  r.checksums = std::move(*checksums);
  r.checksum_type = stmt.ColumnText(6);
  r.size = static_cast<uint64_t>(stmt.ColumnInt(7));
  r.expires = FromMillis(stmt.ColumnInt(8));
  return r;
}

Status WriteCompletedUploadRow(Connection& connection, const core::CompletedUploadRecord& r) {
  Result<std::string> checksums = EncodeChecksums(r.checksums);
  if (!checksums.ok()) return checksums.status();
  Result<Stmt> stmt = connection.Prepare(
      "INSERT INTO completed_uploads (upload_id, bucket, key, parts_digest, etag, checksums, "
      "checksum_type, size, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, r.upload_id)
      .BindText(2, r.bucket)
      .BindBlob(3, r.key)
      .BindText(4, r.parts_digest)
      .BindText(5, r.etag)
      .BindText(6, *checksums)
      .BindText(7, r.checksum_type)
      .BindInt(8, static_cast<int64_t>(r.size))
      .BindInt(9, ToMillis(r.expires));
  return stmt->Run();
}

}  // namespace cairn::meta::sqlite
