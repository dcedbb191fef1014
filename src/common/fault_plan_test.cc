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
  EXPECT_EQ(ParseFaultKind("BUSY"), FaultKind::kBusy);
  EXPECT_EQ(ParseFaultKind("UNAVAILABLE"), FaultKind::kUnavailable);
  EXPECT_FALSE(ParseFaultKind("eio").has_value());
}

TEST(FaultPlanTest, InjectedErrorsAreStorageFailuresThatSayWhatWasInjected) {
  const struct {
    FaultKind kind;
    ErrorCode code;
    std::string_view message;
  } kExpected[] = {
      {FaultKind::kNoSpace, ErrorCode::kStorageNoSpace,
       "write blob 00ff: No space left on device (injected ENOSPC)"},
      {FaultKind::kIoError, ErrorCode::kStorageIOError,
       "write blob 00ff: Input/output error (injected EIO)"},
      {FaultKind::kShortWrite, ErrorCode::kStorageIOError,
       "write blob 00ff: Input/output error (injected SHORT_WRITE)"},
      {FaultKind::kCrash, ErrorCode::kStorageUnavailable,
       "write blob 00ff: the storage is off (injected CRASH)"},
      {FaultKind::kBusy, ErrorCode::kStorageBusy,
       "write blob 00ff: the storage is busy (injected BUSY)"},
      {FaultKind::kUnavailable, ErrorCode::kStorageUnavailable,
       "write blob 00ff: the storage cannot be reached (injected UNAVAILABLE)"},
  };
  for (const auto& expected : kExpected) {
    const Error error = InjectedError(expected.kind, "write blob 00ff");
    EXPECT_EQ(error.code, expected.code) << expected.message;
    EXPECT_EQ(error.message, expected.message);
    EXPECT_FALSE(error.outcome_unknown) << "an injected fault fails the call before it runs";
  }
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
