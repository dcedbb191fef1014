// How Bucket::upload cuts an object into parts, by R2's multipart rules ("Upload objects",
// multipart limits): every part but the last the same size, parts of 5 MiB to 5 GiB, at most
// 10,000 parts; the last part may be smaller (and is the only part allowed to be empty, when the
// object is).
#pragma once

#include <cstdint>

namespace cairn::client {

inline constexpr uint64_t kMinPartSize = 5ull << 20;
inline constexpr uint64_t kMaxPartSize = 5ull << 30;
inline constexpr uint32_t kMaxParts = 10000;
// The first size tried when choosing: fewer requests than 5 MiB parts for the same memory order.
inline constexpr uint64_t kDefaultPartSize = 8ull << 20;

struct PartPlan {
  uint64_t total = 0;
  uint64_t part_size = 0;
  uint32_t part_count = 0;

  // Parts are numbered from 1, as in S3.
  uint64_t OffsetOf(uint32_t part_number) const;
  uint64_t SizeOf(uint32_t part_number) const;
};

// `requested_part_size` 0: the smallest of 8 MiB, 16 MiB, 32 MiB... that needs at most 10,000
// parts. Otherwise that size, which must lie within R2's bounds and need at most 10,000 parts.
// Throws std::invalid_argument when no plan obeys the rules.
PartPlan PlanParts(uint64_t total, uint64_t requested_part_size);

}  // namespace cairn::client
