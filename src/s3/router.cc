// Routing follows the request syntax of each operation's page in the Amazon S3 API reference:
// the method, whether a key is present, and which sub-resource query parameters are given.
#include "s3/router.h"

#include <array>

#include "common/ascii.h"
#include "common/encoding.h"

namespace cairn::s3 {
namespace {

// Bucket sub-resources cairn does not serve yet: they must not fall through to a listing.
constexpr std::array<std::string_view, 22> kBucketSubresources = {
    "accelerate",        "acl",
    "analytics",         "cors",
    "encryption",        "intelligent-tiering",
    "inventory",         "lifecycle",
    "logging",           "metrics",
    "notification",      "object-lock",
    "ownershipControls", "policy",
    "policyStatus",      "publicAccessBlock",
    "replication",       "requestPayment",
    "tagging",           "versioning",
    "versions",          "website"};
constexpr std::array<std::string_view, 7> kObjectSubresources = {
    "acl", "tagging", "retention", "legal-hold", "torrent", "restore", "attributes"};

template <size_t N>
bool HasAny(const QueryParams& q, const std::array<std::string_view, N>& names) {
  for (auto name : names) {
    if (q.Has(name)) return true;
  }
  return false;
}

std::string_view StripPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') return host;  // IPv6 literal: never a bucket host
  auto colon = host.rfind(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

Result<Route> BucketRoute(std::string_view method, const QueryParams& q, Route route) {
  if (method == "GET") {
    if (q.Has("location"))
      route.op = Op::kGetBucketLocation;
    else if (q.Has("lifecycle"))
      route.op = Op::kGetBucketLifecycleConfiguration;
    else if (q.Has("cors"))
      route.op = Op::kGetBucketCors;
    else if (q.Has("acl"))
      route.op = Op::kGetBucketAcl;
    else if (q.Has("uploads"))
      route.op = Op::kListMultipartUploads;
    else if (HasAny(q, kBucketSubresources))
      route.op = Op::kBucketSubresource;
    else if (q.Get("list-type") == "2")
      route.op = Op::kListObjectsV2;
    else
      route.op = Op::kListObjects;
  } else if (method == "PUT") {
    if (q.Has("lifecycle"))
      route.op = Op::kPutBucketLifecycleConfiguration;
    else if (q.Has("cors"))
      route.op = Op::kPutBucketCors;
    else if (q.Has("acl"))
      route.op = Op::kPutBucketAcl;
    else
      route.op = HasAny(q, kBucketSubresources) ? Op::kBucketSubresource : Op::kCreateBucket;
  } else if (method == "HEAD") {
    route.op = Op::kHeadBucket;
  } else if (method == "DELETE") {
    if (q.Has("lifecycle"))
      route.op = Op::kDeleteBucketLifecycleConfiguration;
    else if (q.Has("cors"))
      route.op = Op::kDeleteBucketCors;
    else
      route.op = HasAny(q, kBucketSubresources) ? Op::kBucketSubresource : Op::kDeleteBucket;
  } else if (method == "POST") {
    route.op = q.Has("delete") ? Op::kDeleteObjects : Op::kPostObject;
  } else {
    return Error(ErrorCode::kMethodNotAllowed);
  }
  return route;
}

Result<Route> ObjectRoute(const RouteInput& in, const QueryParams& q, Route route) {
  const std::string_view m = in.method;
  if (m == "GET" && q.Has("attributes")) {
    route.op = Op::kGetObjectAttributes;
  } else if (q.Has("acl") && (m == "GET" || m == "PUT")) {
    route.op = m == "GET" ? Op::kGetObjectAcl : Op::kPutObjectAcl;
  } else if (HasAny(q, kObjectSubresources)) {
    route.op = Op::kObjectSubresource;
  } else if (m == "GET") {
    route.op = q.Has("uploadId") ? Op::kListParts : Op::kGetObject;
  } else if (m == "HEAD") {
    route.op = Op::kHeadObject;
  } else if (m == "PUT") {
    if (q.Has("partNumber") && q.Has("uploadId")) {
      route.op = in.has_copy_source ? Op::kUploadPartCopy : Op::kUploadPart;
    } else {
      route.op = in.has_copy_source ? Op::kCopyObject : Op::kPutObject;
    }
  } else if (m == "DELETE") {
    route.op = q.Has("uploadId") ? Op::kAbortMultipartUpload : Op::kDeleteObject;
  } else if (m == "POST") {
    if (q.Has("uploads"))
      route.op = Op::kCreateMultipartUpload;
    else if (q.Has("uploadId"))
      route.op = Op::kCompleteMultipartUpload;
    else
      return Error(ErrorCode::kMethodNotAllowed);
  } else {
    return Error(ErrorCode::kMethodNotAllowed);
  }
  return route;
}

}  // namespace

std::string_view OpName(Op op) {
  switch (op) {
    case Op::kListBuckets:
      return "ListBuckets";
    case Op::kCreateBucket:
      return "CreateBucket";
    case Op::kHeadBucket:
      return "HeadBucket";
    case Op::kDeleteBucket:
      return "DeleteBucket";
    case Op::kGetBucketLocation:
      return "GetBucketLocation";
    case Op::kListObjects:
      return "ListObjects";
    case Op::kListObjectsV2:
      return "ListObjectsV2";
    case Op::kDeleteObjects:
      return "DeleteObjects";
    case Op::kPutObject:
      return "PutObject";
    case Op::kCopyObject:
      return "CopyObject";
    case Op::kGetObject:
      return "GetObject";
    case Op::kHeadObject:
      return "HeadObject";
    case Op::kGetObjectAttributes:
      return "GetObjectAttributes";
    case Op::kDeleteObject:
      return "DeleteObject";
    case Op::kCreateMultipartUpload:
      return "CreateMultipartUpload";
    case Op::kUploadPart:
      return "UploadPart";
    case Op::kUploadPartCopy:
      return "UploadPartCopy";
    case Op::kCompleteMultipartUpload:
      return "CompleteMultipartUpload";
    case Op::kAbortMultipartUpload:
      return "AbortMultipartUpload";
    case Op::kListParts:
      return "ListParts";
    case Op::kListMultipartUploads:
      return "ListMultipartUploads";
    case Op::kGetBucketLifecycleConfiguration:
      return "GetBucketLifecycleConfiguration";
    case Op::kPutBucketLifecycleConfiguration:
      return "PutBucketLifecycleConfiguration";
    case Op::kDeleteBucketLifecycleConfiguration:
      return "DeleteBucketLifecycleConfiguration";
    case Op::kGetBucketCors:
      return "GetBucketCors";
    case Op::kPutBucketCors:
      return "PutBucketCors";
    case Op::kDeleteBucketCors:
      return "DeleteBucketCors";
    case Op::kGetBucketAcl:
      return "GetBucketAcl";
    case Op::kPutBucketAcl:
      return "PutBucketAcl";
    case Op::kGetObjectAcl:
      return "GetObjectAcl";
    case Op::kPutObjectAcl:
      return "PutObjectAcl";
    case Op::kPreflight:
      return "Preflight";
    case Op::kPostObject:
      return "PostObject";
    case Op::kBucketSubresource:
      return "BucketSubresource";
    case Op::kObjectSubresource:
      return "ObjectSubresource";
  }
  return "Unknown";
}

auth::Action RequiredAction(Op op) {
  using auth::Action;
  switch (op) {
    case Op::kListBuckets:
      return Action::kListBuckets;
    case Op::kCreateBucket:
    case Op::kDeleteBucket:
    case Op::kPutBucketLifecycleConfiguration:
    case Op::kDeleteBucketLifecycleConfiguration:
    case Op::kPutBucketCors:
    case Op::kDeleteBucketCors:
    case Op::kBucketSubresource:
    // public-read makes the bucket public: the same permission as the admin API's public toggle.
    case Op::kPutBucketAcl:
      return Action::kManageBuckets;
    case Op::kGetBucketLifecycleConfiguration:
    case Op::kGetBucketCors:
    case Op::kGetBucketAcl:
      return Action::kReadBucketConfig;
    // Every client asks where a bucket is and whether it exists before using it: an object key
    // may, for its own buckets.
    case Op::kHeadBucket:
    case Op::kGetBucketLocation:
    case Op::kListObjects:
    case Op::kListObjectsV2:
    case Op::kListMultipartUploads:
    case Op::kListParts:
    case Op::kGetObject:
    case Op::kHeadObject:
    case Op::kGetObjectAcl:
    case Op::kGetObjectAttributes:  // S3: READ access to the object, as GetObject
      return Action::kReadObjects;
    case Op::kDeleteObjects:
    case Op::kPutObject:
    case Op::kPostObject:
    case Op::kCopyObject:
    case Op::kDeleteObject:
    case Op::kCreateMultipartUpload:
    case Op::kUploadPart:
    case Op::kUploadPartCopy:
    case Op::kCompleteMultipartUpload:
    case Op::kAbortMultipartUpload:
    case Op::kPutObjectAcl:  // only ever private: it changes nothing but needs the object's writer
    case Op::kObjectSubresource:
      return Action::kWriteObjects;
    case Op::kPreflight:
      return Action::kNone;
  }
  return Action::kManageKeys;  // unreachable: the strictest class for an op without a row
}

std::vector<Op> AllOps() {
  std::vector<Op> ops;
  for (int op = 0; op <= static_cast<int>(Op::kObjectSubresource); ++op) {
    ops.push_back(static_cast<Op>(op));
  }
  return ops;
}

Result<QueryParams> QueryParams::Parse(std::string_view raw) {
  QueryParams q;
  while (!raw.empty()) {
    auto amp = raw.find('&');
    std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto name = UrlDecode(pair.substr(0, eq));
    auto value = UrlDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!name || !value) return Error(ErrorCode::kInvalidArgument, "Malformed query string.");
    q.params_.emplace_back(std::move(*name), std::move(*value));
  }
  return q;
}

std::optional<std::string_view> QueryParams::Get(std::string_view name) const {
  for (const auto& [n, v] : params_) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

Result<Route> ResolveRoute(const RouteInput& in) {
  auto path = UrlDecode(in.raw_path);
  if (!path || path->empty() || path->front() != '/') {
    return Error(ErrorCode::kInvalidArgument, "The request path is not a valid URI path.");
  }
  Route route;
  std::string_view rest = std::string_view(*path).substr(1);
  // Host names are case-insensitive; bucket names are lowercase, so the bucket part is too.
  const std::string host = AsciiLowercase(StripPort(in.host));
  const std::string domain = AsciiLowercase(in.base_domain);
  if (!domain.empty() && host.size() > domain.size() + 1 && host.ends_with(domain) &&
      host[host.size() - domain.size() - 1] == '.') {
    route.bucket = host.substr(0, host.size() - domain.size() - 1);
    route.key = std::string(rest);
  } else {
    auto slash = rest.find('/');
    route.bucket = std::string(rest.substr(0, slash));
    if (slash != std::string_view::npos) route.key = std::string(rest.substr(slash + 1));
  }
  if (in.method == "OPTIONS" && !route.bucket.empty()) {
    route.op = Op::kPreflight;
    return route;
  }
  if (route.bucket.empty()) {
    if (in.method != "GET") return Error(ErrorCode::kMethodNotAllowed);
    route.op = Op::kListBuckets;
    return route;
  }
  // "/bucket/" addresses the bucket, as S3 treats an empty key.
  if (route.key.empty()) return BucketRoute(in.method, *in.query, std::move(route));
  return ObjectRoute(in, *in.query, std::move(route));
}

}  // namespace cairn::s3
