// What the binding answers with (docs/r2-binding-protocol.md §2.1, §2.7): an object's record as
// workerd's R2Object is made of, and a listing page. The objects are cairn's S3 objects: the same
// ETag (unquoted), size, metadata and storage class as the S3 API shows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/records.h"

namespace cairn::s3::binding {

// The bytes of an object a head or get answers for (a head: all of them, even none).
struct SentRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct RecordParts {
  bool http = true;                // httpFields
  bool custom = true;              // customFields
  std::optional<SentRange> range;  // head and get send one, put and complete none
  // Checksums cairn computed but does not keep (a put's SHA-384 or SHA-512): slot -> hex.
  std::map<std::string, std::string> checksums{};
};

// The record's JSON (one line, ASCII only).
std::string RenderObject(const core::ObjectRecord& object, const RecordParts& parts);

// A listing page's JSON: {"objects":[...], "truncated":..., "cursor":...,
// "delimitedPrefixes":[...]}. Objects carry httpFields and customFields as `include` asked (empty
// otherwise, as R2 sends them). The page is cut where its JSON would pass `max_bytes` (workerd
// refuses metadata over 1 MiB), and is then truncated even if the store's page was not. The cursor
// is opaque to the Worker: the base64 of the last key or prefix the page holds.
std::string RenderList(const core::ListPage& page, bool include_http, bool include_custom,
                       size_t max_bytes);

// The storage class as the binding names it ("Standard", "InfrequentAccess").
std::string BindingStorageClass(std::string_view stored);

}  // namespace cairn::s3::binding
