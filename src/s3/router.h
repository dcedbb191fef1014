// Turns a request (method, path, query, Host) into the S3 operation it names, by its AWS name,
// with the bucket and key it addresses. Path-style (/bucket/key) and virtual-hosted-style
// (bucket.BASE_DOMAIN) addressing are both understood.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/access_policy.h"
#include "common/status.h"

namespace cairn::s3 {

enum class Op {
  kListBuckets,
  kCreateBucket,
  kHeadBucket,
  kDeleteBucket,
  kGetBucketLocation,
  kListObjects,
  kListObjectsV2,
  kDeleteObjects,
  kPutObject,
  kCopyObject,
  kGetObject,
  kHeadObject,
  kGetObjectAttributes,
  kDeleteObject,
  kCreateMultipartUpload,
  kUploadPart,
  kUploadPartCopy,
  kCompleteMultipartUpload,
  kAbortMultipartUpload,
  kListParts,
  kListMultipartUploads,
  kGetBucketLifecycleConfiguration,
  kPutBucketLifecycleConfiguration,
  kDeleteBucketLifecycleConfiguration,
  kGetBucketCors,
  kPutBucketCors,
  kDeleteBucketCors,
  kGetBucketAcl,
  kPutBucketAcl,
  kGetObjectAcl,
  kPutObjectAcl,
  kPreflight,   // OPTIONS: a browser's CORS preflight, answered without authentication
  kPostObject,  // POST /bucket: a browser's form upload, authenticated by its signed policy
  // Recognised, answered 501 NotImplemented until their issue lands.
  kBucketSubresource,  // ?versioning, ?policy, ... on a bucket
  kObjectSubresource,  // ?tagging, ?retention, ... on an object
};

std::string_view OpName(Op op);

// The permission class of each operation (docs/access-keys.md): exactly one per operation, as
// Garage's authorization_type(). kNone only for the CORS preflight.
auth::Action RequiredAction(Op op);

// Every operation, for tests that must cover them all.
std::vector<Op> AllOps();

// Query parameters, names and values percent-decoded, in arrival order.
class QueryParams {
 public:
  // Errors: InvalidArgument for a malformed percent escape.
  static Result<QueryParams> Parse(std::string_view raw_query);
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& all() const { return params_; }

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

struct Route {
  Op op = Op::kListBuckets;
  std::string bucket;  // empty for ListBuckets
  std::string key;     // decoded key bytes; empty for bucket operations
};

struct RouteInput {
  std::string_view method;
  std::string_view raw_path;  // percent-encoded, no query
  const QueryParams* query = nullptr;
  std::string_view host;         // Host header, may carry a port
  std::string_view base_domain;  // virtual-hosted style: "<bucket>.<base_domain>"
  // x-amz-copy-source is present and signed. Only an authenticated request may set it: the header
  // turns a PUT into a copy, and a copy reads another object.
  bool has_copy_source = false;
};

// Errors: MethodNotAllowed for a method the resource does not take, InvalidArgument for a path
// that does not decode.
Result<Route> ResolveRoute(const RouteInput& input);

}  // namespace cairn::s3
