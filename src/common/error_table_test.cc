#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/status.h"

namespace cairn {
namespace {

TEST(ErrorTable, EveryCodeHasItsOwnRow) {
  std::set<std::string> seen;
  for (int i = 0; i < static_cast<int>(ErrorCode::kCount); ++i) {
    const ErrorInfo& info = LookupError(static_cast<ErrorCode>(i));
    EXPECT_NE(info.message, "Unknown error") << "code " << i << " has no row";
    EXPECT_TRUE(seen.insert(std::string(info.code)).second) << info.code << " appears twice";
  }
}

TEST(ErrorTable, StatusesMatchS3) {
  EXPECT_EQ(LookupError(ErrorCode::kNoSuchKey).http_status, 404);
  EXPECT_EQ(LookupError(ErrorCode::kInvalidRange).http_status, 416);
  EXPECT_EQ(LookupError(ErrorCode::kPreconditionFailed).http_status, 412);
  EXPECT_EQ(LookupError(ErrorCode::kSignatureDoesNotMatch).http_status, 403);
  EXPECT_EQ(LookupError(ErrorCode::kInsufficientStorage).http_status, 507);
  EXPECT_EQ(LookupError(ErrorCode::kMissingContentLength).http_status, 411);
}

TEST(Status, CarriesCodeAndMessage) {
  Status s(ErrorCode::kBadDigest, "crc32 differs");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.error().Message(), "crc32 differs");
  EXPECT_EQ(Error(ErrorCode::kNoSuchKey).Message(), "The specified key does not exist.");
  Result<int> r(7);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 7);
}

}  // namespace
}  // namespace cairn
