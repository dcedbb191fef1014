#include "core/extents.h"

#include <algorithm>

namespace cairn::core {

Result<std::vector<core::Extent>> SliceExtents(const std::vector<core::Extent>& extents,
                                               uint64_t first, uint64_t length) {
  std::vector<core::Extent> slice;
  uint64_t start = 0;  // offset of the current extent within the object
  for (const core::Extent& e : extents) {
    if (length == 0) break;
    const uint64_t end = start + e.length;
    if (first < end) {
      const uint64_t skip = first - start;
      const uint64_t count = std::min(length, e.length - skip);
      slice.push_back({e.blob_id, e.offset + skip, count});
      first += count;
      length -= count;
    }
    start = end;
  }
  if (length > 0)
    return Error(ErrorCode::kInternalError, "object extents are shorter than its size");
  return slice;
}

}  // namespace cairn::core
