// Naming rules for buckets and keys (Amazon S3 "Bucket naming rules"; keys: UTF-8, at most 1024
// bytes).
#pragma once

#include <string_view>

#include "common/status.h"

namespace cairn::core {

// 3-63 characters of a-z 0-9 . -, starting and ending with a letter or digit, no "..", not an IPv4
// address, not starting with "xn--", "sthree-" or "amzn-s3-demo-", not ending with "-s3alias",
// "--ol-s3", ".mrap", "--x-s3" or "--table-s3". Error: InvalidBucketName with a message saying
// which rule failed.
Status ValidateBucketName(std::string_view name);

// Non-empty, at most 1024 bytes (KeyTooLongError), valid UTF-8 (InvalidArgument). Anything else is
// a legal key: "..", "//", a leading "/", spaces.
Status ValidateObjectKey(std::string_view key);

}  // namespace cairn::core
