// Bucket and key name rules. Bucket names follow the Amazon S3 User Guide page "General purpose
// bucket naming rules"; keys follow "Creating object key names" (any UTF-8 sequence of at most
// 1024 bytes). Each rejection names the rule it broke, because "The specified bucket is not valid."
// alone leaves a user guessing which of a dozen rules they hit.
#include "core/names.h"

#include <array>
#include <cstdint>
#include <string>

#include "common/utf8.h"

namespace cairn::core {
namespace {

constexpr size_t kMinBucketName = 3;
constexpr size_t kMaxBucketName = 63;
constexpr size_t kMaxKeyBytes = 1024;

// Reserved by S3 for its own names (access point aliases, Multi-Region Access Points, directory and
// table buckets, documentation examples). Rejecting them keeps a bucket portable to and from S3.
constexpr std::array<std::string_view, 3> kReservedPrefixes = {"xn--", "sthree-", "amzn-s3-demo-"};
constexpr std::array<std::string_view, 5> kReservedSuffixes = {"-s3alias", "--ol-s3", ".mrap",
                                                               "--x-s3", "--table-s3"};

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "Formatted as an IP address": four dot-separated groups of 1-3 digits. S3 does not check that
// each group is at most 255, and neither do we; "999.1.1.1" looks like an address all the same.
bool LooksLikeIpv4(std::string_view name) {
  int groups = 0;
  size_t i = 0;
  while (true) {
    size_t digits = 0;
    while (i < name.size() && IsDigit(name[i])) {
      ++i;
      ++digits;
    }
    if (digits == 0 || digits > 3) return false;
    ++groups;
    if (i == name.size()) return groups == 4;
    if (name[i] != '.') return false;
    ++i;
  }
}

Status BadBucket(std::string message) {
  return Status(ErrorCode::kInvalidBucketName, std::move(message));
}

}  // namespace

Status ValidateBucketName(std::string_view name) {
  if (name.size() < kMinBucketName || name.size() > kMaxBucketName) {
    return BadBucket("Bucket names must be between 3 and 63 characters long.");
  }
  for (char c : name) {
    if (!IsLowerAlnum(c) && c != '.' && c != '-') {
      return BadBucket(
          "Bucket names can consist only of lowercase letters, numbers, dots (.), and hyphens "
          "(-).");
    }
  }
  if (!IsLowerAlnum(name.front()) || !IsLowerAlnum(name.back())) {
    return BadBucket("Bucket names must begin and end with a letter or number.");
  }
  if (name.find("..") != std::string_view::npos) {
    return BadBucket("Bucket names must not contain two adjacent periods.");
  }
  if (LooksLikeIpv4(name)) {
    return BadBucket("Bucket names must not be formatted as an IP address.");
  }
  for (std::string_view prefix : kReservedPrefixes) {
    if (name.starts_with(prefix)) {
      return BadBucket("Bucket names must not start with the reserved prefix " +
                       std::string(prefix) + ".");
    }
  }
  for (std::string_view suffix : kReservedSuffixes) {
    if (name.ends_with(suffix)) {
      return BadBucket("Bucket names must not end with the reserved suffix " + std::string(suffix) +
                       ".");
    }
  }
  return Status::Ok();
}

Status ValidateObjectKey(std::string_view key) {
  if (key.empty()) {
    return Status(ErrorCode::kInvalidArgument, "Object keys must not be empty.");
  }
  if (key.size() > kMaxKeyBytes) {
    return Status(ErrorCode::kKeyTooLongError,
                  "Your key is too long: keys are at most 1024 bytes of UTF-8.");
  }
  if (!IsValidUtf8(key)) {
    return Status(ErrorCode::kInvalidArgument, "Object keys must be valid UTF-8.");
  }
  return Status::Ok();
}

}  // namespace cairn::core
