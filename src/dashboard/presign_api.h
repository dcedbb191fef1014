// The dashboard's one door to the S3 API. The browser describes the S3 requests it is about to
// send (method, bucket, key, query, the headers it will send) and gets back presigned URLs for
// them on the S3 API's origin (dashboard/origins.h), never the console's own. So the dashboard is
// an ordinary S3 client, every rule and error is the S3 API's own, object bytes go straight from
// the browser to the S3 API, and no secret ever reaches JavaScript. The same holds for the admin
// API (docs/access-keys.md): a request may name a path under /_cairn/admin/ instead of a bucket,
// and nothing outside that tree.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/signer.h"
#include "common/status.h"
#include "common/time_format.h"

namespace cairn::dashboard {

inline constexpr std::chrono::seconds kDefaultPresignExpiry{900};
inline constexpr std::chrono::seconds kMaxPresignExpiry{3600};
// Share links (GETs of objects, and nothing else in the batch) may last up to SigV4's own limit:
// the console's operations stay short-lived, a link handed to someone else need not.
inline constexpr std::chrono::seconds kMaxShareLinkExpiry{7 * 24 * 3600};
inline constexpr size_t kMaxPresignBatch = 100;
inline constexpr std::string_view kAdminApiPath = "/_cairn/admin/";
inline constexpr size_t kMaxAdminPath = 1024;

struct PresignItem {
  std::string method;  // GET, HEAD, PUT, POST or DELETE
  std::string bucket;  // empty only for ListBuckets
  std::string key;     // decoded key bytes; empty for bucket requests
  // Decoded segments of an admin API path below kAdminApiPath ({"keys", "ID", "rotate"}); when
  // set, bucket and key are empty.
  std::vector<std::string> admin;
  std::vector<std::pair<std::string, std::string>> query;    // decoded names and values
  std::vector<std::pair<std::string, std::string>> headers;  // lowercase names, signed
};

struct PresignBatch {
  std::vector<PresignItem> items;
  std::chrono::seconds expires = kDefaultPresignExpiry;
};

// Parses {"expiresIn": 900, "requests": [{"method", "bucket", "key", "query": {}, "headers": {}}]}.
// A request may carry "admin": "keys/ID/rotate" (segments of a path under /_cairn/admin/, none
// empty, "." or "..") instead of bucket and key.
// Errors: InvalidArgument naming what is wrong.
Result<PresignBatch> ParsePresignBatch(std::string_view json);

// The path and query ("/bucket/key?...&X-Amz-Signature=...", or "/_cairn/admin/keys?...") of a
// presigned URL for `item`,
// signed for `host` (the Host header the browser sends to the S3 origin) at `now`.
std::string PresignTarget(const PresignItem& item, const client::Credentials& credentials,
                          std::string_view host, TimePoint now, std::chrono::seconds expires);

}  // namespace cairn::dashboard
