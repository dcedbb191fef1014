// The policy of a browser POST upload: a base64 JSON document with an expiration and conditions
// that every field of the form must meet (Amazon S3 API reference, "Creating a POST Policy" for
// Signature Version 4). Checking the policy's signature is auth's (AuthenticatePostPolicy); this
// file decides what a signed policy allows.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/time_format.h"

namespace cairn::core {

// A form's fields: lowercase names (S3 treats field names case-insensitively), values as sent.
using FormFields = std::vector<std::pair<std::string, std::string>>;

struct PolicyCondition {
  enum class Kind { kEq, kStartsWith, kContentLengthRange };
  Kind kind = Kind::kEq;
  std::string field;  // lowercase, without the '$': "key", "content-type", "x-amz-meta-owner"
  std::string value;  // kEq: the value; kStartsWith: the prefix ("" matches anything)
  uint64_t min = 0;   // kContentLengthRange, inclusive
  uint64_t max = 0;
  std::string text;  // the condition as S3 quotes it in errors: ["starts-with", "$key", "a/"]
};

struct PostPolicy {
  TimePoint expiration;
  std::vector<PolicyCondition> conditions;
};

// Decodes the form's `policy` field. A condition is {"field": "value"} (exactly one property),
// ["eq", "$field", "value"], ["starts-with", "$field", "prefix"] or ["content-length-range",
// min, max] with non-negative integers. Errors: InvalidPolicyDocument, saying what is wrong.
Result<PostPolicy> ParsePostPolicy(std::string_view policy_base64);

// The sizes the file may have (the intersection of every content-length-range condition).
struct ContentLengthRange {
  uint64_t min = 0;
  uint64_t max = std::numeric_limits<uint64_t>::max();
};

// Fields a policy need not name: x-amz-signature, file, policy and x-ignore-* (S3's exceptions),
// and a Signature Version 2 form's AWSAccessKeyId and signature.
bool IsExemptFromPolicy(std::string_view lowercase_name);

// Checks `fields` (the form's fields before its file) against `policy` at `now`, in S3's order:
// expiration, then that every field but the exempt ones is named by a condition, then each
// condition. `bucket` is the bucket the form was posted to, which `bucket` conditions match.
// A field the form does not have has the empty value. starts-with on Content-Type holds when
// every comma-separated type starts with the prefix. Errors: AccessDenied with S3's messages
// ("Invalid according to Policy: Policy expired.", "... Extra input fields: a, b",
// "... Policy Condition failed: [\"eq\", \"$key\", \"a\"]").
Result<ContentLengthRange> CheckPostPolicy(const PostPolicy& policy, const FormFields& fields,
                                           std::string_view bucket, TimePoint now);

// Whether a file of `size` bytes fits `range`. EntityTooLarge past the maximum (checked while the
// file arrives); EntityTooSmall under the minimum once `complete`.
Status CheckContentLength(const ContentLengthRange& range, uint64_t size, bool complete);

}  // namespace cairn::core
