// Rules for client-sent object metadata (x-amz-meta-* values arrive here decoded from RFC 2047,
// common/metadata_encoding.h). The size limit and storage classes follow R2's documented limits.
#include "core/metadata_rules.h"

#include "common/ascii.h"
#include "common/header_field.h"

namespace cairn::core {
namespace {

// x-amz-meta- names may reach us with or without the prefix; S3 counts only the user's part.
std::string_view UserPart(std::string_view name) {
  constexpr std::string_view kPrefix = "x-amz-meta-";
  if (name.size() >= kPrefix.size() && EqualsIgnoreCase(name.substr(0, kPrefix.size()), kPrefix)) {
    name.remove_prefix(kPrefix.size());
  }
  return name;
}

}  // namespace

Status ValidateUserMetadata(const std::vector<std::pair<std::string, std::string>>& metadata) {
  // Each entry goes back out as an "x-amz-meta-<name>: <value>" header on every GET and HEAD, so
  // it must be one. Headers arrive that way, but a POST form's field names are free text and a
  // decoded encoded word can hold any byte: "=?UTF-8?B?DQpYOiB5?=" is "\r\nX: y".
  for (const auto& [name, value] : metadata) {
    const std::string header = "x-amz-meta-" + std::string(UserPart(name));
    if (!IsHeaderToken(UserPart(name))) {
      return Status(ErrorCode::kInvalidArgument, "The metadata name " + header.substr(0, 64) +
                                                     (header.size() > 64 ? "..." : "") +
                                                     " is not a valid HTTP header name.");
    }
    if (Status s = CheckHeaderValue(header, value); !s.ok()) return s;
  }
  // S3's rule ("Working with object metadata"): the size is the sum of the UTF-8 bytes of each
  // name and value; R2 applies it with an 8 KiB budget.
  size_t total = 0;
  for (const auto& [name, value] : metadata) {
    total += UserPart(name).size() + value.size();
  }
  if (total > kMaxUserMetadataBytes) {
    return Status(
        ErrorCode::kMetadataTooLarge,
        "Your metadata headers exceed the maximum allowed metadata size: " + std::to_string(total) +
            " bytes of names and values, at most " + std::to_string(kMaxUserMetadataBytes) + ".");
  }
  return Status::Ok();
}

Result<std::string> NormalizeStorageClass(std::string_view value) {
  // R2 has two classes, Standard and Infrequent Access; through the S3 API they are STANDARD and
  // STANDARD_IA, and R2's own names are accepted as synonyms. Matching is case-sensitive as in S3.
  if (value.empty() || value == "STANDARD" || value == "Standard") return std::string("STANDARD");
  if (value == "STANDARD_IA" || value == "InfrequentAccess") return std::string("STANDARD_IA");
  return Error(ErrorCode::kInvalidStorageClass,
               "The storage class you specified is not valid: " + std::string(value) +
                   " (use STANDARD or STANDARD_IA).");
}

}  // namespace cairn::core
