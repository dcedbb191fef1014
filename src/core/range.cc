// Range header resolution. The grammar is RFC 9110 section 14.1.1 (ranges-specifier); what to do
// with it follows S3's GetObject page: S3 serves one range, and answers a header it cannot use
// (bad syntax, an unknown unit, several ranges) with the whole object and 200 rather than an
// error, so only a well-formed range that no byte satisfies becomes 416 InvalidRange.
#include "core/range.h"

#include <charconv>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "common/ascii.h"

namespace cairn::core {
namespace {

// 1*DIGIT. A value too large for 64 bits saturates: as a first position it is past any object,
// as a last position or suffix length it covers the whole object, which is what its digits mean.
std::optional<uint64_t> ParseDigits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    v = (v > (kMax - d) / 10) ? kMax : v * 10 + d;
  }
  return v;
}

// One range-spec, syntax only.
struct Spec {
  std::optional<uint64_t> first;  // absent: a suffix range
  std::optional<uint64_t> last;   // absent with `first`: open-ended; with a suffix: the length
};

std::optional<Spec> ParseSpec(std::string_view spec) {
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view a = spec.substr(0, dash);
  std::string_view b = spec.substr(dash + 1);
  Spec out;
  if (a.empty()) {  // suffix-range: "-" suffix-length
    out.last = ParseDigits(b);
    if (!out.last) return std::nullopt;
    return out;
  }
  out.first = ParseDigits(a);
  if (!out.first) return std::nullopt;
  if (!b.empty()) {
    out.last = ParseDigits(b);
    // RFC 9110 section 14.1.1: a last-pos below first-pos makes the range-spec invalid, and an
    // invalid Range header is ignored.
    if (!out.last || *out.last < *out.first) return std::nullopt;
  }
  return out;
}

}  // namespace

Result<std::optional<ByteRange>> ResolveRange(std::string_view header, uint64_t size) {
  using Resolved = Result<std::optional<ByteRange>>;
  const std::optional<ByteRange> kIgnore;

  const size_t eq = header.find('=');
  if (eq == std::string_view::npos) return Resolved(kIgnore);
  // The range unit is case-insensitive (RFC 9110 section 14.1); "items=0-1" is not ours to serve.
  if (!EqualsIgnoreCase(TrimOws(header.substr(0, eq)), "bytes")) return Resolved(kIgnore);

  // range-set = 1#range-spec: the list rule allows empty elements ("0-1,,"), which do not count.
  std::vector<std::string_view> specs;
  std::string_view rest = header.substr(eq + 1);
  while (true) {
    const size_t comma = rest.find(',');
    std::string_view item = TrimOws(rest.substr(0, comma));
    if (!item.empty()) specs.push_back(item);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  // S3 serves a single range; a multi-range request gets the whole object, as S3 does.
  if (specs.size() != 1) return Resolved(kIgnore);

  const std::optional<Spec> spec = ParseSpec(specs[0]);
  if (!spec) return Resolved(kIgnore);

  const Error unsatisfiable(ErrorCode::kInvalidRange);
  if (!spec->first) {
    // RFC 9110 section 14.1.1: a suffix range is satisfiable only with a non-zero length and a
    // non-empty representation.
    const uint64_t n = *spec->last;
    if (n == 0 || size == 0) return Resolved(unsatisfiable);
    const uint64_t take = n < size ? n : size;
    return Resolved(std::optional<ByteRange>(ByteRange{size - take, size - 1}));
  }
  if (*spec->first >= size) return Resolved(unsatisfiable);
  uint64_t last = size - 1;  // open-ended, or clipped to the end (RFC 9110 section 14.1.1)
  if (spec->last && *spec->last < last) last = *spec->last;
  return Resolved(std::optional<ByteRange>(ByteRange{*spec->first, last}));
}

std::string ContentRangeValue(const ByteRange& range, uint64_t size) {
  return "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" +
         std::to_string(size);
}

Result<ByteRange> ParseCopySourceRange(std::string_view header, uint64_t size) {
  auto invalid = [size] {
    return Error(ErrorCode::kInvalidArgument,
                 "Range specified is not valid for source object of size: " + std::to_string(size));
  };
  constexpr std::string_view kUnit = "bytes=";
  if (!header.starts_with(kUnit)) return invalid();
  std::string_view spec = header.substr(kUnit.size());
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return invalid();
  auto number = [](std::string_view digits) -> std::optional<uint64_t> {
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size())
      return std::nullopt;
    return v;
  };
  auto first = number(spec.substr(0, dash));
  auto last = number(spec.substr(dash + 1));
  if (!first || !last || *first > *last || *last >= size) return invalid();
  return ByteRange{*first, *last};
}

}  // namespace cairn::core
