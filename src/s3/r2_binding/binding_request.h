// The requests workerd's R2 bucket binding sends, parsed from their JSON
// (docs/r2-binding-protocol.md §1.3 and §2): one document per call, in the CF-R2-Request header of
// a GET (head, get, list) or at the front of a PUT's body (every other method). The JSON comes from
// the network: every field is checked for its type, and what cairn does not know is refused rather
// than guessed at.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace cairn::s3::binding {

enum class Method {
  kHead,
  kGet,
  kPut,
  kList,
  kDelete,
  kCreateMultipartUpload,
  kUploadPart,
  kCompleteMultipartUpload,
  kAbortMultipartUpload,
};

// The name the Worker's errors start with ("put: ... (10037)"), as on the wire.
std::string_view MethodName(Method m);
// head, get and list come as GETs; the others as PUTs whose body starts with the JSON.
bool SentAsGet(Method m);

struct EtagCondition {
  enum class Kind { kStrong, kWeak, kWildcard };
  Kind kind = Kind::kStrong;
  std::string value;  // unquoted; empty for the wildcard
};

// onlyIf: every member optional. Dates are milliseconds since the Unix epoch.
struct Conditional {
  std::vector<EtagCondition> etag_matches{};  // empty: no such condition
  std::vector<EtagCondition> etag_does_not_match{};
  std::optional<uint64_t> uploaded_before{};
  std::optional<uint64_t> uploaded_after{};
  bool seconds_granularity = false;
  bool empty() const {
    return etag_matches.empty() && etag_does_not_match.empty() && !uploaded_before &&
           !uploaded_after;
  }
};

// get's range: {offset?, length?} or {suffix} alone.
struct RangeRequest {
  std::optional<uint64_t> offset{};
  std::optional<uint64_t> length{};
  std::optional<uint64_t> suffix{};
};

// httpMetadata; only what was given is set.
struct HttpFields {
  std::string content_type;
  std::string content_language;
  std::string content_disposition;
  std::string content_encoding;
  std::string cache_control;
  std::optional<uint64_t> cache_expiry;  // ms since the epoch
};

// The checksum a put promises (at most one; raw digest bytes).
struct PromisedDigest {
  enum class Algorithm { kMd5, kSha1, kSha256, kSha384, kSha512 };
  Algorithm algorithm = Algorithm::kMd5;
  std::string digest;
};

struct CompletedPart {
  uint32_t part_number = 0;
  std::string etag;
};

struct BindingRequest {
  Method method = Method::kHead;
  std::string key;  // "object"; every method but list and a multi-delete
  std::optional<std::vector<std::string>> keys;  // delete(["a", "b"])
  // get
  std::optional<RangeRequest> range;
  std::optional<std::string> range_header;  // a Range header's value, passed on by the Worker
  // get, put
  Conditional only_if;
  // put, createMultipartUpload
  HttpFields http;
  std::vector<std::pair<std::string, std::string>> custom;  // customMetadata, in order
  std::optional<std::string> storage_class;                 // as given ("Standard", ...)
  std::optional<PromisedDigest> digest;                     // put only
  bool ssec = false;  // an SSE-C key came along (cairn has none to honour it with)
  // list
  std::optional<int64_t> limit;
  std::string prefix;
  std::string cursor;
  std::string delimiter;
  std::string start_after;
  bool include_http = false;
  bool include_custom = false;
  // uploadPart, completeMultipartUpload, abortMultipartUpload
  std::string upload_id;
  uint32_t part_number = 0;
  std::vector<CompletedPart> parts;
};

// Errors: InvalidArgument naming what is wrong (not JSON, another protocol version, an unknown
// method, a field of the wrong type or out of range, two checksums).
Result<BindingRequest> ParseBindingRequest(std::string_view json);

}  // namespace cairn::s3::binding
