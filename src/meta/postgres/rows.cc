// Records <-> rows on PostgreSQL; see rows.h. The column indexes below follow meta/row_columns.h.
#include "meta/postgres/rows.h"

#include <utility>

#include "meta/record_json.h"

namespace cairn::meta::postgres {

Result<core::ObjectRecord> ReadObjectRow(const Rows& rows, int r, const std::string& bucket,
                                         bool with_extents) {
  core::ObjectRecord o;
  o.bucket = bucket;
  o.key = rows.Bytes(r, 0);
  o.size = static_cast<uint64_t>(rows.Int(r, 1));
  o.etag = rows.Bytes(r, 2);
  o.last_modified = FromMillis(rows.Int(r, 3));
  o.http.content_type = rows.Bytes(r, 4);
  o.http.content_disposition = rows.Bytes(r, 5);
  o.http.content_encoding = rows.Bytes(r, 6);
  o.http.content_language = rows.Bytes(r, 7);
  o.http.cache_control = rows.Bytes(r, 8);
  o.http.expires = rows.Bytes(r, 9);
  Result<UserMetadata> user_metadata = DecodeUserMetadata(rows.Bytes(r, 10));
  if (!user_metadata.ok()) return user_metadata.error();
  o.user_metadata = std::move(*user_metadata);
  o.storage_class = rows.Bytes(r, 11);
  Result<std::map<std::string, std::string>> checksums = DecodeChecksums(rows.Bytes(r, 12));
  if (!checksums.ok()) return checksums.error();
  o.checksums = std::move(*checksums);
  o.checksum_type = rows.Bytes(r, 13);
  o.parts_count = static_cast<uint32_t>(rows.Int(r, 14));
  Result<std::vector<core::ObjectPart>> parts = DecodeParts(rows.Bytes(r, 15));
  if (!parts.ok()) return parts.error();
  o.parts = std::move(*parts);
  if (with_extents) {
    Result<std::vector<core::Extent>> extents = DecodeExtents(rows.Bytes(r, 16));
    if (!extents.ok()) return extents.error();
    o.extents = std::move(*extents);
  }
  return o;
}

Status WriteObjectRow(Connection& c, const core::ObjectRecord& o,
                      const std::optional<core::ObjectRecord>& replaced) {
  Result<std::string> user_metadata = EncodeUserMetadata(o.user_metadata);
  if (!user_metadata.ok()) return user_metadata.status();
  Result<std::string> checksums = EncodeChecksums(o.checksums);
  if (!checksums.ok()) return checksums.status();
  Result<std::string> parts = EncodeParts(o.parts);
  if (!parts.ok()) return parts.status();
  Result<std::string> extents = EncodeExtents(o.extents);
  if (!extents.ok()) return extents.status();
  Params params;
  params.Text(o.bucket)
      .Bytes(o.key)
      .Int(static_cast<int64_t>(o.size))
      .Text(o.etag)
      .Int(ToMillis(o.last_modified))
      .Text(o.http.content_type)
      .Text(o.http.content_disposition)
      .Text(o.http.content_encoding)
      .Text(o.http.content_language)
      .Text(o.http.cache_control)
      .Text(o.http.expires)
      .Text(*user_metadata)
      .Text(o.storage_class)
      .Text(*checksums)
      .Text(o.checksum_type)
      .Int(o.parts_count)
      .Text(*parts)
      .Text(*extents);
  Result<Rows> done = c.Exec(
      "INSERT INTO objects (bucket, key, size, etag, last_modified_ms, content_type, "
      "content_disposition, content_encoding, content_language, cache_control, expires, "
      "user_metadata, storage_class, checksums, checksum_type, parts_count, part_sizes, extents) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) "
      "ON CONFLICT (bucket, key) DO UPDATE SET size = excluded.size, etag = excluded.etag, "
      "last_modified_ms = excluded.last_modified_ms, content_type = excluded.content_type, "
      "content_disposition = excluded.content_disposition, "
      "content_encoding = excluded.content_encoding, "
      "content_language = excluded.content_language, cache_control = excluded.cache_control, "
      "expires = excluded.expires, user_metadata = excluded.user_metadata, "
      "storage_class = excluded.storage_class, checksums = excluded.checksums, "
      "checksum_type = excluded.checksum_type, parts_count = excluded.parts_count, "
      "part_sizes = excluded.part_sizes, extents = excluded.extents",
      params);
  if (!done.ok()) return done.status();
  // Most objects have no inline bytes and replace none: that costs no statement.
  if (!o.stored_inline() && !(replaced && replaced->stored_inline())) return Status::Ok();
  Params key;
  key.Text(o.bucket).Bytes(o.key);
  if (o.stored_inline()) key.Bytes(o.inline_data);
  Result<Rows> data = o.stored_inline()
                          ? c.Exec(
                                "INSERT INTO object_data (bucket, key, data) VALUES ($1, $2, $3) "
                                "ON CONFLICT (bucket, key) DO UPDATE SET data = excluded.data",
                                key)
                          : c.Exec("DELETE FROM object_data WHERE bucket = $1 AND key = $2", key);
  return data.status();
}

Result<core::UploadRecord> ReadUploadRow(const Rows& rows, int r) {
  core::UploadRecord u;
  u.upload_id = rows.Bytes(r, 0);
  u.bucket = rows.Bytes(r, 1);
  u.key = rows.Bytes(r, 2);
  u.initiated = FromMillis(rows.Int(r, 3));
  if (Status s = DecodeUploadMetadata(rows.Bytes(r, 4), &u); !s.ok()) return s.error();
  u.checksum_algorithm = rows.Bytes(r, 5);
  u.checksum_type = rows.Bytes(r, 6);
  return u;
}

Result<core::CompletedUploadRecord> ReadCompletedUploadRow(const Rows& rows, int r) {
  core::CompletedUploadRecord record;
  record.upload_id = rows.Bytes(r, 0);
  record.bucket = rows.Bytes(r, 1);
  record.key = rows.Bytes(r, 2);
  record.parts_digest = rows.Bytes(r, 3);
  record.etag = rows.Bytes(r, 4);
  Result<std::map<std::string, std::string>> checksums = DecodeChecksums(rows.Bytes(r, 5));
  if (!checksums.ok()) return checksums.error();
  record.checksums = std::move(*checksums);
  record.checksum_type = rows.Bytes(r, 6);
  record.size = static_cast<uint64_t>(rows.Int(r, 7));
  record.expires = FromMillis(rows.Int(r, 8));
  return record;
}

Status WriteCompletedUploadRow(Connection& c, const core::CompletedUploadRecord& r) {
  Result<std::string> checksums = EncodeChecksums(r.checksums);
  if (!checksums.ok()) return checksums.status();
  return c
      .Exec("INSERT INTO completed_uploads (" + std::string(kCompletedUploadColumns) +
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            Params()
                .Text(r.upload_id)
                .Text(r.bucket)
                .Bytes(r.key)
                .Text(r.parts_digest)
                .Text(r.etag)
                .Text(*checksums)
                .Text(r.checksum_type)
                .Int(static_cast<int64_t>(r.size))
                .Int(ToMillis(r.expires)))
      .status();
}

Status WriteUploadRow(Connection& c, const core::UploadRecord& u) {
  Result<std::string> metadata = EncodeUploadMetadata(u);
  if (!metadata.ok()) return metadata.status();
  return c
      .Exec(
          "INSERT INTO uploads (upload_id, bucket, key, initiated_ms, metadata, "
          "checksum_algorithm, checksum_type) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          Params()
              .Text(u.upload_id)
              .Text(u.bucket)
              .Bytes(u.key)
              .Int(ToMillis(u.initiated))
              .Text(*metadata)
              .Text(u.checksum_algorithm)
              .Text(u.checksum_type))
      .status();
}

Result<core::PartRecord> ReadPartRow(const Rows& rows, int r, bool with_extents) {
  core::PartRecord p;
  p.part_number = static_cast<uint32_t>(rows.Int(r, 0));
  p.size = static_cast<uint64_t>(rows.Int(r, 1));
  p.etag = rows.Bytes(r, 2);
  p.last_modified = FromMillis(rows.Int(r, 3));
  Result<std::map<std::string, std::string>> checksums = DecodeChecksums(rows.Bytes(r, 4));
  if (!checksums.ok()) return checksums.error();
  p.checksums = std::move(*checksums);
  if (with_extents) {
    Result<std::vector<core::Extent>> extents = DecodeExtents(rows.Bytes(r, 5));
    if (!extents.ok()) return extents.error();
    p.extents = std::move(*extents);
  }
  return p;
}

Status WritePartRow(Connection& c, const std::string& upload_id, const core::PartRecord& p) {
  Result<std::string> checksums = EncodeChecksums(p.checksums);
  if (!checksums.ok()) return checksums.status();
  Result<std::string> extents = EncodeExtents(p.extents);
  if (!extents.ok()) return extents.status();
  return c
      .Exec(
          "INSERT INTO parts (upload_id, part_number, size, etag, last_modified_ms, checksums, "
          "extents) VALUES ($1, $2, $3, $4, $5, $6, $7) "
          "ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, "
          "etag = excluded.etag, last_modified_ms = excluded.last_modified_ms, "
          "checksums = excluded.checksums, extents = excluded.extents",
          Params()
              .Text(upload_id)
              .Int(p.part_number)
              .Int(static_cast<int64_t>(p.size))
              .Text(p.etag)
              .Int(ToMillis(p.last_modified))
              .Text(*checksums)
              .Text(*extents))
      .status();
}

}  // namespace cairn::meta::postgres
