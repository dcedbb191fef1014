// The JSON forms of the record fields that are lists or maps (user metadata, checksums, part
// sizes, extents). They live in one place so every engine stores the same text (SQLite as TEXT,
// PostgreSQL as JSONB) and docs/storage-format.md has one format to describe:
//   user_metadata  [["name","value"], ...]   pairs, so order and repeated names survive
//   checksums      {"CRC32":"base64", ...}
//   part_sizes     [5242880, ...]   the parts of a multipart object: a size alone, or, for a part
//                  with checksums, {"size":5242880,"checksums":{"CRC32":"base64"}}. Rows written
//                  before part checksums were kept hold sizes alone and still decode; a part
//                  without checksums is still written as its size, so such rows stay as they were.
//   extents        [["blob id", offset, length], ...]   compact: a 10,000-part object has 10,000
//   upload metadata {"content_type":"...", "content_disposition":"...", "content_encoding":"...",
//                    "content_language":"...", "cache_control":"...", "expires":"...",
//                    "user_metadata":[["name","value"], ...], "storage_class":"STANDARD"}
//       What CreateMultipartUpload fixed for the object to be, in one column. Every member is
//       optional when read (absent: empty, or STANDARD for the storage class), so "{}" is valid
//       and members can be added later without a migration.
// Encoders fail with InvalidArgument on text that is not UTF-8 (JSON cannot carry it); decoders
// fail with kStorageCorruption, since a column that does not parse means the database is damaged.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "core/records.h"

namespace cairn::meta {

using UserMetadata = std::vector<std::pair<std::string, std::string>>;

Result<std::string> EncodeUserMetadata(const UserMetadata& metadata);
Result<UserMetadata> DecodeUserMetadata(std::string_view json);

Result<std::string> EncodeChecksums(const std::map<std::string, std::string>& checksums);
Result<std::map<std::string, std::string>> DecodeChecksums(std::string_view json);

Result<std::string> EncodeParts(const std::vector<core::ObjectPart>& parts);
Result<std::vector<core::ObjectPart>> DecodeParts(std::string_view json);

Result<std::string> EncodeExtents(const std::vector<core::Extent>& extents);
Result<std::vector<core::Extent>> DecodeExtents(std::string_view json);

// Encodes upload.http, upload.user_metadata and upload.storage_class; decoding sets those three
// fields of *upload and leaves the others alone.
Result<std::string> EncodeUploadMetadata(const core::UploadRecord& upload);
Status DecodeUploadMetadata(std::string_view json, core::UploadRecord* upload);

}  // namespace cairn::meta
