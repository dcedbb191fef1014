// Conditional requests: each header alone, S3's documented combinations, etag list parsing and
// second-granularity date comparison.
#include "core/preconditions.h"

#include <gtest/gtest.h>

namespace cairn::core {
namespace {

using std::chrono::milliseconds;

TimePoint At(int64_t ms) { return TimePoint(milliseconds(ms)); }

// An object last modified at 1000.700 s; HTTP dates see it as 1000 s.
const ObjectState kObject{"abc123", At(1'000'700)};
const TimePoint kBefore = At(999'000);
const TimePoint kSameSecond = At(1'000'000);
const TimePoint kAfter = At(1'001'000);

// Builds a Conditions value, one header at a time.
struct When {
  Conditions c;
  When& Match(std::string v) {
    c.if_match = std::move(v);
    return *this;
  }
  When& NoneMatch(std::string v) {
    c.if_none_match = std::move(v);
    return *this;
  }
  When& ModifiedSince(TimePoint t) {
    c.if_modified_since = t;
    return *this;
  }
  When& UnmodifiedSince(TimePoint t) {
    c.if_unmodified_since = t;
    return *this;
  }
  operator const Conditions&() const { return c; }
};

ErrorCode Read(const Conditions& c, const std::optional<ObjectState>& o = kObject) {
  Status s = CheckReadConditions(c, o);
  return s.ok() ? ErrorCode::kCount : s.code();  // kCount stands for "passes"
}

ErrorCode Write(const Conditions& c, const std::optional<ObjectState>& o = kObject) {
  Status s = CheckWriteConditions(c, o);
  return s.ok() ? ErrorCode::kCount : s.code();
}

constexpr ErrorCode kPass = ErrorCode::kCount;
constexpr ErrorCode k412 = ErrorCode::kPreconditionFailed;
constexpr ErrorCode k304 = ErrorCode::kNotModified;

TEST(ReadConditions, NoneIsEmpty) {
  Conditions c;
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(Read(c), kPass);
  EXPECT_EQ(Read(c, std::nullopt), kPass);
}

TEST(ReadConditions, IfMatchAlone) {
  EXPECT_EQ(Read(When().Match("\"abc123\"")), kPass);
  EXPECT_EQ(Read(When().Match("abc123")), kPass);
  EXPECT_EQ(Read(When().Match("\"other\"")), k412);
  EXPECT_EQ(Read(When().Match("*")), kPass);
  EXPECT_EQ(Read(When().Match("*"), std::nullopt), k412);
  EXPECT_EQ(Read(When().Match("\"abc123\""), std::nullopt), k412);
}

TEST(ReadConditions, IfNoneMatchAlone) {
  EXPECT_EQ(Read(When().NoneMatch("\"abc123\"")), k304);
  EXPECT_EQ(Read(When().NoneMatch("\"other\"")), kPass);
  EXPECT_EQ(Read(When().NoneMatch("*")), k304);
  EXPECT_EQ(Read(When().NoneMatch("*"), std::nullopt), kPass);
}

TEST(ReadConditions, IfModifiedSinceAlone) {
  EXPECT_EQ(Read(When().ModifiedSince(kBefore)), kPass);
  EXPECT_EQ(Read(When().ModifiedSince(kSameSecond)), k304);  // 1000.700 is not after 1000
  EXPECT_EQ(Read(When().ModifiedSince(kAfter)), k304);
  EXPECT_EQ(Read(When().ModifiedSince(kAfter), std::nullopt), kPass);
}

TEST(ReadConditions, IfUnmodifiedSinceAlone) {
  EXPECT_EQ(Read(When().UnmodifiedSince(kBefore)), k412);
  EXPECT_EQ(Read(When().UnmodifiedSince(kSameSecond)), kPass);  // milliseconds do not count
  EXPECT_EQ(Read(When().UnmodifiedSince(kAfter)), kPass);
  EXPECT_EQ(Read(When().UnmodifiedSince(kBefore), std::nullopt), kPass);
}

// GetObject: "If both of the If-Match and If-Unmodified-Since headers are present ... If-Match
// condition evaluates to true, and; If-Unmodified-Since condition evaluates to false; then, S3
// returns 200 OK and the data requested."
TEST(ReadConditions, IfMatchTrueOverridesIfUnmodifiedSinceFalse) {
  EXPECT_EQ(Read(When().Match("\"abc123\"").UnmodifiedSince(kBefore)), kPass);
  EXPECT_EQ(Read(When().Match("\"other\"").UnmodifiedSince(kAfter)), k412);
}

// GetObject: "If-None-Match condition evaluates to false, and; If-Modified-Since condition
// evaluates to true; then, S3 returns 304 Not Modified status code."
TEST(ReadConditions, IfNoneMatchFalseWinsOverIfModifiedSinceTrue) {
  EXPECT_EQ(Read(When().NoneMatch("\"abc123\"").ModifiedSince(kBefore)), k304);
  // And a true If-None-Match passes whatever the date says.
  EXPECT_EQ(Read(When().NoneMatch("\"other\"").ModifiedSince(kAfter)), kPass);
}

TEST(ReadConditions, PreconditionFailedComesBeforeNotModified) {
  EXPECT_EQ(Read(When().Match("\"other\"").NoneMatch("\"abc123\"")), k412);
  EXPECT_EQ(Read(When().ModifiedSince(kAfter).UnmodifiedSince(kBefore)), k412);
}

TEST(EtagLists, CommaSeparatedQuotedOrBareWeakTolerated) {
  EXPECT_EQ(Read(When().Match("\"x\", \"abc123\"")), kPass);
  EXPECT_EQ(Read(When().Match("x,abc123")), kPass);
  EXPECT_EQ(Read(When().Match("W/\"abc123\"")), kPass);
  EXPECT_EQ(Read(When().Match(" \"x\" ,\tW/\"abc123\" ")), kPass);
  EXPECT_EQ(Read(When().Match("\"x\", \"y\"")), k412);
  EXPECT_EQ(Read(When().Match("\"x\", *")), kPass);
  EXPECT_EQ(Read(When().Match("")), k412);
  EXPECT_EQ(Read(When().Match(",,")), k412);
  EXPECT_EQ(Read(When().NoneMatch("\"a\", \"abc123\"")), k304);
}

TEST(EtagLists, MultipartEtags) {
  ObjectState multipart{"d41d8cd98f00b204e9800998ecf8427e-3", At(0)};
  EXPECT_EQ(Read(When().Match("\"d41d8cd98f00b204e9800998ecf8427e-3\""), multipart), kPass);
  EXPECT_EQ(Read(When().Match("\"d41d8cd98f00b204e9800998ecf8427e\""), multipart), k412);
}

TEST(WriteConditions, IfNoneMatchStarFailsWhenTheKeyExists) {
  EXPECT_EQ(Write(When().NoneMatch("*")), k412);
  EXPECT_EQ(Write(When().NoneMatch("*"), std::nullopt), kPass);
  EXPECT_EQ(Write(When().NoneMatch("\"abc123\"")), k412);
  EXPECT_EQ(Write(When().NoneMatch("\"other\"")), kPass);
}

TEST(WriteConditions, IfMatch) {
  EXPECT_EQ(Write(When().Match("\"abc123\"")), kPass);
  EXPECT_EQ(Write(When().Match("\"other\"")), k412);
  // No object under the key: 404 NoSuchKey as S3 answers, 412 only for an object that differs.
  EXPECT_EQ(Write(When().Match("\"abc123\""), std::nullopt), ErrorCode::kNoSuchKey);
  EXPECT_EQ(Write(When().Match("*"), std::nullopt), ErrorCode::kNoSuchKey);
  EXPECT_EQ(Write(When().Match("\"abc123\"").NoneMatch("*"), std::nullopt), ErrorCode::kNoSuchKey);
}

TEST(WriteConditions, Dates) {
  EXPECT_EQ(Write(When().UnmodifiedSince(kSameSecond)), kPass);
  EXPECT_EQ(Write(When().UnmodifiedSince(kBefore)), k412);
  EXPECT_EQ(Write(When().UnmodifiedSince(kAfter), std::nullopt), k412);
  EXPECT_EQ(Write(When().ModifiedSince(kBefore)), kPass);
  EXPECT_EQ(Write(When().ModifiedSince(kSameSecond)), k412);  // never 304 for a write
  EXPECT_EQ(Write(When().ModifiedSince(kAfter), std::nullopt), kPass);
}

TEST(DeleteCondition, IfMatch) {
  auto del = [](std::string_view if_match, const std::optional<ObjectState>& o = kObject) {
    Status s = CheckDeleteCondition(if_match, o);
    return s.ok() ? kPass : s.code();
  };
  EXPECT_EQ(del("\"abc123\""), kPass);
  EXPECT_EQ(del("abc123"), kPass);
  EXPECT_EQ(del("\"other\", \"abc123\""), kPass);
  EXPECT_EQ(del("*"), kPass);
  EXPECT_EQ(del("\"other\""), k412);
  EXPECT_EQ(del("\"abc123\"", std::nullopt), ErrorCode::kNoSuchKey);
  EXPECT_EQ(del("*", std::nullopt), ErrorCode::kNoSuchKey);
}

TEST(WriteConditions, MessageNamesTheHeader) {
  Status s = CheckWriteConditions(When().NoneMatch("*"), kObject);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().Message().find("If-None-Match"), std::string_view::npos);
}

}  // namespace
}  // namespace cairn::core
