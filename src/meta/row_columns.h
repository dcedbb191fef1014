// The column lists that every SQL engine's queries select for a record, in the order its row
// readers decode them. Both SQL engines name their columns alike (meta/sqlite/schema.cc,
// meta/postgres/schema.cc), so each order is written down once, here, beside nothing else.
#pragma once

#include <string_view>

namespace cairn::meta {

// An object row; kObjectColumnsWithExtents appends `extents`.
inline constexpr std::string_view kObjectColumns =
    "key, size, etag, last_modified_ms, content_type, content_disposition, content_encoding, "
    "content_language, cache_control, expires, user_metadata, storage_class, checksums, "
    "checksum_type, parts_count, part_sizes";
inline constexpr std::string_view kObjectColumnsWithExtents =
    "key, size, etag, last_modified_ms, content_type, content_disposition, content_encoding, "
    "content_language, cache_control, expires, user_metadata, storage_class, checksums, "
    "checksum_type, parts_count, part_sizes, extents";
inline constexpr int kObjectColumnCount = 17;  // in kObjectColumnsWithExtents

inline constexpr std::string_view kUploadColumns =
    "upload_id, bucket, key, initiated_ms, metadata, checksum_algorithm, checksum_type";

// A completed_uploads row (core::CompletedUploadRecord).
inline constexpr std::string_view kCompletedUploadColumns =
    "upload_id, bucket, key, parts_digest, etag, checksums, checksum_type, size, expires_ms";
// A part row; kPartColumnsWithExtents appends `extents`.
inline constexpr std::string_view kPartColumns =
    "part_number, size, etag, last_modified_ms, checksums";
inline constexpr std::string_view kPartColumnsWithExtents =
    "part_number, size, etag, last_modified_ms, checksums, extents";

}  // namespace cairn::meta
