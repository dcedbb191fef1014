// Part-size planning. Kept apart from the uploader so the rules can be tested on sizes no test
// would upload (5 TiB).
#include "client/part_plan.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace cairn::client {
namespace {

uint64_t PartsFor(uint64_t total, uint64_t part_size) {
  return std::max<uint64_t>(1, (total + part_size - 1) / part_size);
}

}  // namespace

uint64_t PartPlan::OffsetOf(uint32_t part_number) const {
  return static_cast<uint64_t>(part_number - 1) * part_size;
}

uint64_t PartPlan::SizeOf(uint32_t part_number) const {
  const uint64_t offset = OffsetOf(part_number);
  return offset >= total ? 0 : std::min(part_size, total - offset);
}

PartPlan PlanParts(uint64_t total, uint64_t requested_part_size) {
  uint64_t part_size = requested_part_size;
  if (part_size == 0) {
    part_size = kDefaultPartSize;
    while (PartsFor(total, part_size) > kMaxParts && part_size < kMaxPartSize) part_size *= 2;
    part_size = std::min(part_size, kMaxPartSize);
  } else if (part_size < kMinPartSize || part_size > kMaxPartSize) {
    throw std::invalid_argument("part size " + std::to_string(part_size) +
                                " is outside R2's bounds of 5 MiB to 5 GiB");
  }
  const uint64_t count = PartsFor(total, part_size);
  if (count > kMaxParts) {
    throw std::invalid_argument(std::to_string(total) + " bytes in parts of " +
                                std::to_string(part_size) + " bytes need " + std::to_string(count) +
                                " parts; R2 allows at most 10,000");
  }
  return PartPlan{total, part_size, static_cast<uint32_t>(count)};
}

}  // namespace cairn::client
