// R2's multipart rules on the plans the uploader makes: parts of 5 MiB to 5 GiB, all equal but a
// smaller last one, at most 10,000 of them.
#include "client/part_plan.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cairn::client {
namespace {

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kGiB = 1ull << 30;
constexpr uint64_t kTiB = 1ull << 40;

// Every plan must describe the whole object by R2's rules.
void ExpectObeysR2(const PartPlan& plan) {
  EXPECT_GE(plan.part_size, kMinPartSize);
  EXPECT_LE(plan.part_size, kMaxPartSize);
  EXPECT_GE(plan.part_count, 1u);
  EXPECT_LE(plan.part_count, kMaxParts);
  uint64_t sum = 0;
  for (uint32_t n = 1; n <= plan.part_count; ++n) {
    const uint64_t size = plan.SizeOf(n);
    if (n < plan.part_count) {
      EXPECT_EQ(size, plan.part_size) << "part " << n;
    } else {
      EXPECT_LE(size, plan.part_size);
    }
    if (plan.part_count > 1) {
      EXPECT_GT(size, 0u) << "part " << n;
    }
    EXPECT_EQ(plan.OffsetOf(n), sum);
    sum += size;
  }
  EXPECT_EQ(sum, plan.total);
}

TEST(PlanParts, EmptyObjectIsOneEmptyPart) {
  PartPlan plan = PlanParts(0, 0);
  EXPECT_EQ(plan.part_count, 1u);
  EXPECT_EQ(plan.SizeOf(1), 0u);
  ExpectObeysR2(plan);
}

TEST(PlanParts, OneByte) {
  PartPlan plan = PlanParts(1, 0);
  EXPECT_EQ(plan.part_count, 1u);
  EXPECT_EQ(plan.part_size, kDefaultPartSize);
  ExpectObeysR2(plan);
}

TEST(PlanParts, FiveMiBInFiveMiBPartsIsOnePart) {
  PartPlan plan = PlanParts(5 * kMiB, 5 * kMiB);
  EXPECT_EQ(plan.part_count, 1u);
  ExpectObeysR2(plan);
  ExpectObeysR2(PlanParts(5 * kMiB, 0));
}

TEST(PlanParts, HundredMiB) {
  PartPlan plan = PlanParts(100 * kMiB, 0);
  EXPECT_EQ(plan.part_size, 8 * kMiB);
  EXPECT_EQ(plan.part_count, 13u);  // 12 x 8 MiB + 4 MiB
  EXPECT_EQ(plan.SizeOf(13), 4 * kMiB);
  ExpectObeysR2(plan);
  PartPlan fives = PlanParts(100 * kMiB, 5 * kMiB);
  EXPECT_EQ(fives.part_count, 20u);
  ExpectObeysR2(fives);
}

TEST(PlanParts, FiveTiBChoosesOneGiBParts) {
  // 512 MiB parts would need 10,240; 1 GiB parts need 5,120.
  PartPlan plan = PlanParts(5 * kTiB, 0);
  EXPECT_EQ(plan.part_size, kGiB);
  EXPECT_EQ(plan.part_count, 5120u);
  ExpectObeysR2(plan);
}

TEST(PlanParts, DoublingStopsAtTheFirstSizeThatFits) {
  // 80,000 MiB: 8 MiB parts need exactly 10,000.
  EXPECT_EQ(PlanParts(80000 * kMiB, 0).part_size, 8 * kMiB);
  EXPECT_EQ(PlanParts(80000 * kMiB + 1, 0).part_size, 16 * kMiB);
}

TEST(PlanParts, RefusesWhatR2Refuses) {
  EXPECT_THROW(PlanParts(100 * kMiB, 5 * kMiB - 1), std::invalid_argument);
  EXPECT_THROW(PlanParts(100 * kMiB, kMaxPartSize + 1), std::invalid_argument);
  EXPECT_THROW(PlanParts(5 * kTiB, 5 * kMiB), std::invalid_argument);  // 1,048,576 parts
  EXPECT_THROW(PlanParts(kMaxPartSize * kMaxParts + 1, 0), std::invalid_argument);
}

}  // namespace
}  // namespace cairn::client
