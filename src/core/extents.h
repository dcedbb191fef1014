// Arithmetic on extent lists: an object's bytes are its extents read in order, so a byte range
// of the object is a list of sub-extents. Used to serve ranges and to make a part out of a range
// of another object without copying bytes (UploadPartCopy).
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "core/records.h"

namespace cairn::core {

// The extents that hold bytes [first, first + length) of the concatenation of `extents`.
// InternalError when the extents are shorter than first + length (a damaged record).
Result<std::vector<core::Extent>> SliceExtents(const std::vector<core::Extent>& extents,
                                               uint64_t first, uint64_t length);

}  // namespace cairn::core
