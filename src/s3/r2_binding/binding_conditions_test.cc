#include "s3/r2_binding/binding_conditions.h"

#include <gtest/gtest.h>

namespace cairn::s3::binding {
namespace {

using Kind = EtagCondition::Kind;

const core::ObjectState kObject{"e1", TimePoint(std::chrono::milliseconds(1'000'500))};

EtagCondition Strong(std::string v) { return {Kind::kStrong, std::move(v)}; }
EtagCondition Weak(std::string v) { return {Kind::kWeak, std::move(v)}; }
EtagCondition Any() { return {Kind::kWildcard, ""}; }

TEST(ConditionHolds, EtagMatchesTakesStrongEtagsAndTheWildcardOnly) {
  EXPECT_TRUE(ConditionHolds({.etag_matches = {Strong("e1")}}, kObject));
  EXPECT_TRUE(ConditionHolds({.etag_matches = {Strong("x"), Strong("e1")}}, kObject));
  EXPECT_TRUE(ConditionHolds({.etag_matches = {Any()}}, kObject));
  EXPECT_FALSE(ConditionHolds({.etag_matches = {Weak("e1")}}, kObject));
  EXPECT_FALSE(ConditionHolds({.etag_matches = {Strong("e2")}}, kObject));
}

TEST(ConditionHolds, EtagDoesNotMatchFailsOnAnyEqualEtagStrongOrWeak) {
  EXPECT_FALSE(ConditionHolds({.etag_does_not_match = {Weak("e1")}}, kObject));
  EXPECT_FALSE(ConditionHolds({.etag_does_not_match = {Strong("e1")}}, kObject));
  EXPECT_FALSE(ConditionHolds({.etag_does_not_match = {Any()}}, kObject));
  EXPECT_TRUE(ConditionHolds({.etag_does_not_match = {Strong("e2")}}, kObject));
}

TEST(ConditionHolds, AMissingObjectFailsOnlyEtagMatchesAndUploadedAfter) {
  EXPECT_TRUE(ConditionHolds({}, std::nullopt));
  EXPECT_TRUE(ConditionHolds({.etag_does_not_match = {Any()}}, std::nullopt));
  EXPECT_TRUE(ConditionHolds({.uploaded_before = 5}, std::nullopt));
  EXPECT_FALSE(ConditionHolds({.etag_matches = {Any()}}, std::nullopt));
  EXPECT_FALSE(ConditionHolds({.uploaded_after = 5}, std::nullopt));
}

TEST(ConditionHolds, DatesAtMillisecondsOrWholeSeconds) {
  // Uploaded at 1,000,500 ms.
  EXPECT_TRUE(ConditionHolds({.uploaded_before = 1'000'501}, kObject));
  EXPECT_FALSE(ConditionHolds({.uploaded_before = 1'000'500}, kObject));
  EXPECT_TRUE(ConditionHolds({.uploaded_after = 1'000'499}, kObject));
  EXPECT_FALSE(ConditionHolds({.uploaded_after = 1'000'500}, kObject));
  // With seconds granularity both sides are whole seconds: 1,000 s and 1,000 s.
  EXPECT_FALSE(ConditionHolds({.uploaded_after = 1'000'100, .seconds_granularity = true}, kObject));
  EXPECT_TRUE(ConditionHolds({.uploaded_before = 1'001'000, .seconds_granularity = true}, kObject));
}

TEST(ConditionHolds, APassingEtagConditionOverridesItsDate) {
  // RFC 9110 13.2.2, as R2 applies it: If-Match passing makes If-Unmodified-Since moot, and
  // If-None-Match passing makes If-Modified-Since moot.
  EXPECT_TRUE(ConditionHolds({.etag_matches = {Strong("e1")}, .uploaded_before = 1}, kObject));
  EXPECT_TRUE(
      ConditionHolds({.etag_does_not_match = {Strong("e2")}, .uploaded_after = 9'999'999}, kObject));
  EXPECT_FALSE(ConditionHolds({.etag_matches = {Strong("e2")}, .uploaded_before = 9'999'999}, kObject));
}

}  // namespace
}  // namespace cairn::s3::binding
