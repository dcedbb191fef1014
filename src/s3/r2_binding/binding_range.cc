#include "s3/r2_binding/binding_range.h"

#include <algorithm>

namespace cairn::s3::binding {
namespace {

Error Unsatisfiable() { return Error(ErrorCode::kInvalidRange); }

}  // namespace

Result<std::optional<core::ByteRange>> SelectRange(const BindingRequest& request, uint64_t size) {
  if (request.range) {
    const RangeRequest& r = *request.range;
    if (r.suffix) {
      if (*r.suffix == 0) return Unsatisfiable();
      if (*r.suffix >= size) return std::optional<core::ByteRange>();
      return std::optional(core::ByteRange{size - *r.suffix, size - 1});
    }
    if (!r.offset && !r.length) return std::optional<core::ByteRange>();
    const uint64_t offset = r.offset.value_or(0);
    if (offset >= size) return Unsatisfiable();
    const uint64_t length = std::min(r.length.value_or(size - offset), size - offset);
    if (length == 0) return Unsatisfiable();
    return std::optional(core::ByteRange{offset, offset + length - 1});
  }
  if (request.range_header) {
    Result<std::optional<core::ByteRange>> resolved =
        core::ResolveRange(*request.range_header, size);
    if (resolved.ok()) return resolved;
  }
  return std::optional<core::ByteRange>();
}

}  // namespace cairn::s3::binding
