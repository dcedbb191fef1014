// The admin API's key search (GET /_cairn/admin/buckets/BUCKET/search, docs/access-keys.md): its
// query parameters as a core::SearchRequest, and a page as the JSON answer. The cursor is the key
// where the page stopped, base64-encoded (opaque to clients, like ListObjectsV2's token).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "core/object_search.h"
#include "s3/router.h"

namespace cairn::s3 {

// q (required), prefix, cursor, limit (1 to 1000, default 100), ignoreCase (true or false).
// Errors: InvalidArgument naming the parameter.
Result<core::SearchRequest> ParseSearchRequest(std::string bucket, const QueryParams& query);

// {"matches": [{"key", "size", "lastModified", "etag", "storageClass"}], "cursor": "..." or null,
// "scanned": N}.
nlohmann::json SearchPageJson(const core::SearchPage& page);

}  // namespace cairn::s3
