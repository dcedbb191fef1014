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

TEST(FaultPlanTest, InjectedErrorsAreStorageFailuresThatSayWhatWasInjected) {
  const struct {
    std::string_view name;
    ErrorCode code;
    std::string_view words;
  } kExpected[] = {
      {"ENOSPC", ErrorCode::kStorageNoSpace, "No space left on device"},
      {"EIO", ErrorCode::kStorageIOError, "Input/output error"},
      {"SHORT_WRITE", ErrorCode::kStorageIOError, "Input/output error"},
      {"CRASH", ErrorCode::kStorageUnavailable, "the storage is off"},
      {"BUSY", ErrorCode::kStorageBusy, "the storage is busy"},
      {"UNAVAILABLE", ErrorCode::kStorageUnavailable, "the storage cannot be reached"},
      {"EIO_AFTER", ErrorCode::kStorageIOError, "Input/output error after the call took effect"},
  };
  for (const auto& expected : kExpected) {
    const std::optional<FaultKind> kind = ParseFaultKind(expected.name);
    ASSERT_TRUE(kind.has_value()) << expected.name;
    const Error error = InjectedError(*kind, "write blob 00ff");
    EXPECT_EQ(error.code, expected.code) << expected.name;
    EXPECT_EQ(error.message, "write blob 00ff: " + std::string(expected.words) + " (injected " +
                                 std::string(expected.name) + ")");
    // Only EIO_AFTER lets the call run: every other fault fails it before the engine sees it.
    const bool after = *kind == FaultKind::kIoErrorAfter;
    EXPECT_EQ(error.outcome_unknown, after) << expected.name;
    int effects = 0;
    (void)InjectFault(*kind, "write blob 00ff", [&] { return ++effects; });
    EXPECT_EQ(effects, after ? 1 : 0) << expected.name;
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
