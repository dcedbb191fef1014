// Range and conditional headers of GET, HEAD, PUT and copies: Range and x-amz-copy-source-range
// against objects of several sizes, If-Match / If-None-Match lists, and the HTTP-date forms of
// If-Modified-Since / If-Unmodified-Since (with the other time formats of the wire).
// Input lines: Range, x-amz-copy-source-range, If-Match, If-None-Match, If-Modified-Since,
// If-Unmodified-Since, the object's etag.
#include <array>
#include <limits>

#include "common/time_format.h"
#include "core/preconditions.h"
#include "core/range.h"
#include "fuzz/fuzz_input.h"

namespace {

using cairn::fuzz::Check;

void CheckRanges(std::string_view range, std::string_view copy_range) {
  constexpr std::array<uint64_t, 6> kSizes = {
      0, 1, 2, 1000, uint64_t{5} << 40, std::numeric_limits<uint64_t>::max()};
  for (uint64_t size : kSizes) {
    auto resolved = cairn::core::ResolveRange(range, size);
    if (resolved.ok() && *resolved) {
      const cairn::core::ByteRange r = **resolved;
      Check(r.first <= r.last && r.last < size, "a resolved range outside the object");
      (void)cairn::core::ContentRangeValue(r, size);
    }
    auto copy = cairn::core::ParseCopySourceRange(copy_range, size);
    cairn::fuzz::CheckMessage(copy);
    if (copy.ok()) Check(copy->first <= copy->last && copy->last < size, "a copy range outside");
  }
}

// Each wire format parses what it formats, and formats what it parses back to the same time.
void CheckTimes(std::string_view text) {
  if (auto t = cairn::ParseHttpDate(text)) {
    Check(cairn::ParseHttpDate(cairn::FormatHttpDate(*t)) == *t,
          "an HTTP date does not round-trip");
  }
  if (auto t = cairn::ParseAmzDate(text)) {
    Check(cairn::ParseAmzDate(cairn::FormatAmzDate(*t)) == *t, "an amz date does not round-trip");
  }
  if (auto t = cairn::ParseIso8601(text)) {
    Check(cairn::ParseIso8601(cairn::FormatIso8601(*t)) == *t,
          "an ISO 8601 date does not round-trip");
  }
}

std::optional<std::string> Header(std::string_view value) {
  if (value.empty()) return std::nullopt;
  return std::string(value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string_view> f = cairn::fuzz::Fields(cairn::fuzz::AsText(data, size), 7);
  CheckRanges(f[0], f[1]);
  CheckTimes(f[4]);
  CheckTimes(f[5]);

  cairn::core::Conditions c;
  c.if_match = Header(f[2]);
  c.if_none_match = Header(f[3]);
  c.if_modified_since = cairn::ParseHttpDate(f[4]);
  c.if_unmodified_since = cairn::ParseHttpDate(f[5]);
  const cairn::core::ObjectState object{std::string(f[6]),
                                        cairn::TimePoint{std::chrono::seconds(1440938160)}};
  cairn::fuzz::CheckMessage(cairn::core::CheckReadConditions(c, object));
  cairn::fuzz::CheckMessage(cairn::core::CheckReadConditions(c, std::nullopt));
  cairn::fuzz::CheckMessage(cairn::core::CheckWriteConditions(c, object));
  cairn::fuzz::CheckMessage(cairn::core::CheckWriteConditions(c, std::nullopt));
  return 0;
}
