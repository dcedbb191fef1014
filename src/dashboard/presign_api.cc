#include "dashboard/presign_api.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "common/ascii.h"
#include "common/encoding.h"

namespace cairn::dashboard {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 5> kMethods = {"GET", "HEAD", "PUT", "POST", "DELETE"};

Error Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

// A header name the browser may send and we may sign: an HTTP token, not one the browser sets
// itself or that describes the connection.
bool SignableHeaderName(std::string_view name) {
  if (name.empty() || name == "host" || name == "authorization" || name == "content-length" ||
      name == "connection" || name == "cookie") {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<std::vector<std::pair<std::string, std::string>>> StringPairs(const json& item,
                                                                     const char* field) {
  std::vector<std::pair<std::string, std::string>> pairs;
  auto it = item.find(field);
  if (it == item.end()) return pairs;
  if (!it->is_object()) return Invalid(std::string(field) + " must be an object of strings.");
  for (const auto& [name, value] : it->items()) {
    if (!value.is_string()) return Invalid(std::string(field) + "." + name + " must be a string.");
    pairs.emplace_back(name, value.get<std::string>());
  }
  return pairs;
}

// "keys/ID/rotate" as its segments; each is sent percent-encoded, so no segment can climb out of
// the admin tree or reach another path.
Result<std::vector<std::string>> AdminSegments(std::string_view path) {
  if (path.empty() || path.size() > kMaxAdminPath) {
    return Invalid("admin must be a path of 1 to " + std::to_string(kMaxAdminPath) +
                   " bytes below " + std::string(kAdminApiPath) + ".");
  }
  std::vector<std::string> segments;
  for (size_t start = 0;;) {
    const size_t slash = path.find('/', start);
    std::string_view segment = path.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return Invalid("admin path '" + std::string(path) + "' has an empty, '.' or '..' segment.");
    }
    segments.emplace_back(segment);
    if (slash == std::string_view::npos) return segments;
    start = slash + 1;
  }
}

Result<PresignItem> ParseItem(const json& item) {
  if (!item.is_object()) return Invalid("Each request must be an object.");
  PresignItem out;
  auto text = [&item](const char* field) -> std::string {
    auto it = item.find(field);
    return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  out.method = text("method");
  if (std::find(kMethods.begin(), kMethods.end(), out.method) == kMethods.end()) {
    return Invalid("method must be one of GET, HEAD, PUT, POST, DELETE.");
  }
  out.bucket = text("bucket");
  out.key = text("key");
  if (auto admin = item.find("admin"); admin != item.end()) {
    if (!admin->is_string()) return Invalid("admin must be a string.");
    if (!out.bucket.empty() || !out.key.empty()) {
      return Invalid("A request names either an admin path or a bucket and key, not both.");
    }
    auto segments = AdminSegments(admin->get<std::string>());
    if (!segments.ok()) return segments.error();
    out.admin = std::move(*segments);
  } else if (out.bucket.empty() && (out.method != "GET" || !out.key.empty())) {
    return Invalid("bucket is required, except to list buckets.");
  }
  auto query = StringPairs(item, "query");
  if (!query.ok()) return query.error();
  out.query = std::move(*query);
  auto headers = StringPairs(item, "headers");
  if (!headers.ok()) return headers.error();
  for (auto& [name, value] : *headers) {
    name = AsciiLowercase(name);
    if (!SignableHeaderName(name)) return Invalid("header '" + name + "' cannot be signed.");
  }
  out.headers = std::move(*headers);
  return out;
}

}  // namespace

Result<PresignBatch> ParsePresignBatch(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Invalid("The body must be a JSON object.");
  PresignBatch batch;
  if (auto it = doc.find("expiresIn"); it != doc.end()) {
    if (!it->is_number_integer() || *it < 1 || *it > kMaxShareLinkExpiry.count()) {
      return Invalid("expiresIn must be a whole number of seconds from 1 to " +
                     std::to_string(kMaxShareLinkExpiry.count()) + ".");
    }
    batch.expires = std::chrono::seconds(it->get<int64_t>());
  }
  auto requests = doc.find("requests");
  if (requests == doc.end() || !requests->is_array() || requests->empty() ||
      requests->size() > kMaxPresignBatch) {
    return Invalid("requests must be a list of 1 to " + std::to_string(kMaxPresignBatch) +
                   " requests.");
  }
  for (const json& item : *requests) {
    auto parsed = ParseItem(item);
    if (!parsed.ok()) return parsed.error();
    batch.items.push_back(std::move(*parsed));
  }
  const bool share_links =
      std::all_of(batch.items.begin(), batch.items.end(), [](const auto& item) {
        return item.method == "GET" && !item.bucket.empty() && !item.key.empty();
      });
  if (batch.expires > kMaxPresignExpiry && !share_links) {
    return Invalid("expiresIn beyond " + std::to_string(kMaxPresignExpiry.count()) +
                   " seconds is for share links: GET requests of objects only.");
  }
  return batch;
}

std::string PresignTarget(const PresignItem& item, const client::Credentials& credentials,
                          std::string_view host, TimePoint now, std::chrono::seconds expires) {
  auth::SignableRequest request;
  request.method = item.method;
  if (!item.admin.empty()) {
    request.raw_path = kAdminApiPath;
    for (const std::string& segment : item.admin) {
      if (request.raw_path.back() != '/') request.raw_path += '/';
      request.raw_path += UriEncode(segment, /*keep_slash=*/false);
    }
  } else {
    request.raw_path = "/" + UriEncode(item.bucket, /*keep_slash=*/false);
    if (!item.key.empty()) request.raw_path += "/" + UriEncode(item.key, /*keep_slash=*/true);
  }
  for (const auto& [name, value] : item.query) {
    if (!request.raw_query.empty()) request.raw_query += '&';
    request.raw_query += UriEncode(name, false) + "=" + UriEncode(value, false);
  }
  request.headers.emplace_back("host", std::string(host));
  for (const auto& header : item.headers) request.headers.push_back(header);
  return request.raw_path + "?" +
         client::PresignQuery(request, credentials, FormatAmzDate(now), expires);
}

}  // namespace cairn::dashboard
