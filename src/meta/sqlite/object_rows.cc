// core::ObjectRecord <-> `objects` row; see object_rows.h. The column indexes below follow
// kObjectColumns, which is why the list and the reader sit side by side.
#include "meta/sqlite/object_rows.h"

#include "meta/record_json.h"

namespace cairn::meta::sqlite {

Result<core::ObjectRecord> ReadObjectRow(const Stmt& stmt, const std::string& bucket,
                                         bool with_extents) {
  core::ObjectRecord o;
  o.bucket = bucket;
  o.key = stmt.ColumnBlob(0);
  o.size = static_cast<uint64_t>(stmt.ColumnInt(1));
  o.etag = stmt.ColumnText(2);
  o.last_modified = FromMillis(stmt.ColumnInt(3));
  o.http.content_type = stmt.ColumnText(4);
  o.http.content_disposition = stmt.ColumnText(5);
  o.http.content_encoding = stmt.ColumnText(6);
  o.http.content_language = stmt.ColumnText(7);
  o.http.cache_control = stmt.ColumnText(8);
  o.http.expires = stmt.ColumnText(9);
  Result<UserMetadata> user_metadata = DecodeUserMetadata(stmt.ColumnText(10));
  if (!user_metadata.ok()) return user_metadata.error();
  o.user_metadata = std::move(*user_metadata);
  o.storage_class = stmt.ColumnText(11);
  Result<std::map<std::string, std::string>> checksums = DecodeChecksums(stmt.ColumnText(12));
  if (!checksums.ok()) return checksums.error();
  o.checksums = std::move(*checksums);
  o.checksum_type = stmt.ColumnText(13);
  o.parts_count = static_cast<uint32_t>(stmt.ColumnInt(14));
  Result<std::vector<core::ObjectPart>> parts = DecodeParts(stmt.ColumnText(15));
  if (!parts.ok()) return parts.error();
  o.parts = std::move(*parts);
  if (with_extents) {
    Result<std::vector<core::Extent>> extents = DecodeExtents(stmt.ColumnText(16));
    if (!extents.ok()) return extents.error();
    o.extents = std::move(*extents);
  }
  return o;
}

Status WriteObjectRow(Connection& connection, const core::ObjectRecord& o) {
  Result<std::string> user_metadata = EncodeUserMetadata(o.user_metadata);
  if (!user_metadata.ok()) return user_metadata.status();
  Result<std::string> checksums = EncodeChecksums(o.checksums);
  if (!checksums.ok()) return checksums.status();
  Result<std::string> parts = EncodeParts(o.parts);
  if (!parts.ok()) return parts.status();
  Result<std::string> extents = EncodeExtents(o.extents);
  if (!extents.ok()) return extents.status();

  // An upsert, not INSERT OR REPLACE: REPLACE's implicit delete fires no trigger, and the
  // triggers on `objects` keep bucket_usage (schema.cc, version 4).
  Result<Stmt> stmt = connection.Prepare(
      "INSERT INTO objects (bucket, key, size, etag, last_modified_ms, content_type, "
      "content_disposition, content_encoding, content_language, cache_control, expires, "
      "user_metadata, storage_class, checksums, checksum_type, parts_count, part_sizes, extents) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) "
      "ON CONFLICT (bucket, key) DO UPDATE SET size = excluded.size, etag = excluded.etag, "
      "last_modified_ms = excluded.last_modified_ms, content_type = excluded.content_type, "
      "content_disposition = excluded.content_disposition, "
      "content_encoding = excluded.content_encoding, "
      "content_language = excluded.content_language, cache_control = excluded.cache_control, "
      "expires = excluded.expires, user_metadata = excluded.user_metadata, "
      "storage_class = excluded.storage_class, checksums = excluded.checksums, "
      "checksum_type = excluded.checksum_type, parts_count = excluded.parts_count, "
      "part_sizes = excluded.part_sizes, extents = excluded.extents");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, o.bucket)
      .BindBlob(2, o.key)
      .BindInt(3, static_cast<int64_t>(o.size))
      .BindText(4, o.etag)
      .BindInt(5, ToMillis(o.last_modified))
      .BindText(6, o.http.content_type)
      .BindText(7, o.http.content_disposition)
      .BindText(8, o.http.content_encoding)
      .BindText(9, o.http.content_language)
      .BindText(10, o.http.cache_control)
      .BindText(11, o.http.expires)
      .BindText(12, *user_metadata)
      .BindText(13, o.storage_class)
      .BindText(14, *checksums)
      .BindText(15, o.checksum_type)
      .BindInt(16, o.parts_count)
      .BindText(17, *parts)
      .BindText(18, *extents);
  if (Status s = stmt->Run(); !s.ok()) return s;
  return WriteObjectData(connection, o);
}

Status WriteObjectData(Connection& connection, const core::ObjectRecord& o) {
  Result<Stmt> stmt =
      o.stored_inline()
          ? connection.Prepare(
                "INSERT OR REPLACE INTO object_data (bucket, key, data) VALUES (?1, ?2, ?3)")
          : connection.Prepare("DELETE FROM object_data WHERE bucket = ?1 AND key = ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, o.bucket).BindBlob(2, o.key);
  if (o.stored_inline()) stmt->BindBlob(3, o.inline_data);
  return stmt->Run();
}

}  // namespace cairn::meta::sqlite
