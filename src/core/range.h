// HTTP byte ranges (RFC 9110 section 14) as S3 applies them: one range per request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn::core {

struct ByteRange {
  uint64_t first = 0;  // inclusive
  uint64_t last = 0;   // inclusive
  uint64_t length() const { return last - first + 1; }
};

// Resolves a Range header against an object of `size` bytes.
// - nullopt: no range to apply (header absent, syntactically invalid, or several ranges: S3 then
//   serves the whole object with 200, as it ignores what it cannot parse).
// - InvalidRange error: a valid range that no byte satisfies (first >= size, or size 0 with a
// range). Forms: bytes=a-b, bytes=a-, bytes=-n (last n bytes).
Result<std::optional<ByteRange>> ResolveRange(std::string_view header, uint64_t size);

// UploadPartCopy's x-amz-copy-source-range: strictly "bytes=first-last" with first <= last < size
// (no open or suffix forms, no clipping). Errors: InvalidArgument, as S3 answers.
Result<ByteRange> ParseCopySourceRange(std::string_view header, uint64_t size);

// "bytes a-b/size" for Content-Range.
std::string ContentRangeValue(const ByteRange& range, uint64_t size);

}  // namespace cairn::core
