#include "common/fault_plan.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(FaultPlanTest, NamesRoundTrip) {
  for (std::string_view name :
       {"blob.write", "blob.sync", "blob.read", "blob.delete", "meta.commit", "meta.read"}) {
    auto target = ParseFaultTarget(name);
    ASSERT_TRUE(target.has_value()) << name;
    EXPECT_EQ(FaultTargetName(*target), name);
  }
  EXPECT_FALSE(ParseFaultTarget("blob").has_value());
  EXPECT_EQ(ParseFaultKind("ENOSPC"), FaultKind::kNoSpace);
  EXPECT_EQ(ParseFaultKind("EIO"), FaultKind::kIoError);
  EXPECT_FALSE(ParseFaultKind("eio").has_value());
}

TEST(FaultPlanTest, FailsTheNextNCallsOfItsTargetOnly) {
  FaultPlan plan;
  EXPECT_FALSE(plan.Take(FaultTarget::kBlobWrite).has_value());
  plan.Arm(FaultTarget::kBlobWrite, FaultKind::kNoSpace, 2);
  EXPECT_FALSE(plan.Take(FaultTarget::kBlobSync).has_value());
  EXPECT_EQ(plan.Take(FaultTarget::kBlobWrite), FaultKind::kNoSpace);
  EXPECT_EQ(plan.Take(FaultTarget::kBlobWrite), FaultKind::kNoSpace);
  EXPECT_FALSE(plan.Take(FaultTarget::kBlobWrite).has_value());
}

TEST(FaultPlanTest, ACrashStopsEverythingUntilCleared) {
  FaultPlan plan;
  plan.Arm(FaultTarget::kMetaCommit, FaultKind::kCrash, 1);
  EXPECT_FALSE(plan.crashed());
  EXPECT_EQ(plan.Take(FaultTarget::kMetaCommit), FaultKind::kCrash);
  EXPECT_TRUE(plan.crashed());
  EXPECT_EQ(plan.Take(FaultTarget::kBlobRead), FaultKind::kCrash);
  plan.Clear();
  EXPECT_FALSE(plan.Take(FaultTarget::kBlobRead).has_value());
}

}  // namespace
}  // namespace cairn
