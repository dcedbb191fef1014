// The x-amz-copy-source header of CopyObject and UploadPartCopy.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn::s3 {

struct CopySource {
  std::string bucket;
  std::string key;
};

// "bucket/key" or "/bucket/key", URL-encoded, optionally followed by "?versionId=...".
// Errors: InvalidArgument.
Result<CopySource> ParseCopySource(std::string_view header);

}  // namespace cairn::s3
