// The checks of a CompleteMultipartUpload beyond R2's part rules: the object checksum a client
// expects (x-amz-checksum-<algorithm>), the digest that recognizes a retried request, and how long
// a completion is remembered.
#include "core/multipart_completion.h"

#include <gtest/gtest.h>

namespace cairn::core {
namespace {

using std::chrono::hours;

const std::map<std::string, std::string> kComposite = {{"CRC32", "NdJnLw==-2"}};
const std::map<std::string, std::string> kFullObject = {{"CRC64NVME", "AAAAAAAAAAA="}};

ErrorCode Check(ChecksumAlgorithm a, std::string value, std::string_view upload_algorithm,
                const std::map<std::string, std::string>& combined) {
  Status s = CheckExpectedChecksum({a, std::move(value)}, upload_algorithm, combined);
  return s.ok() ? ErrorCode::kCount : s.code();  // kCount stands for "passes"
}

TEST(CheckExpectedChecksum, TheCombinedValuePasses) {
  EXPECT_EQ(Check(ChecksumAlgorithm::kCrc32, "NdJnLw==-2", "CRC32", kComposite), ErrorCode::kCount);
  EXPECT_EQ(Check(ChecksumAlgorithm::kCrc64Nvme, "AAAAAAAAAAA=", "CRC64NVME", kFullObject),
            ErrorCode::kCount);
  // A COMPOSITE checksum sent without its part count names the same checksum.
  EXPECT_EQ(Check(ChecksumAlgorithm::kCrc32, "NdJnLw==", "CRC32", kComposite), ErrorCode::kCount);
}

TEST(CheckExpectedChecksum, AnotherValueIsBadDigestNamingBoth) {
  Status s = CheckExpectedChecksum({ChecksumAlgorithm::kCrc32, "AAAAAA==-2"}, "CRC32", kComposite);
  EXPECT_EQ(s.code(), ErrorCode::kBadDigest);
  EXPECT_NE(s.error().Message().find("expects AAAAAA==-2"), std::string::npos)
      << s.error().Message();
  EXPECT_NE(s.error().Message().find("combine to NdJnLw==-2"), std::string::npos)
      << s.error().Message();
  // The right checksum with another part count is not the object's.
  EXPECT_EQ(Check(ChecksumAlgorithm::kCrc32, "NdJnLw==-3", "CRC32", kComposite),
            ErrorCode::kBadDigest);
}

TEST(CheckExpectedChecksum, AnotherAlgorithmThanTheUploadsIsInvalidRequest) {
  Status s = CheckExpectedChecksum({ChecksumAlgorithm::kSha256, "x"}, "CRC32", kComposite);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidRequest);
  EXPECT_EQ(s.error().Message(),
            "Checksum Type mismatch occurred, expected checksum Type: crc32, actual checksum "
            "Type: sha256");
  // An upload without an algorithm has no checksum to compare with.
  EXPECT_EQ(Check(ChecksumAlgorithm::kCrc32, "NdJnLw==-2", "", {}), ErrorCode::kInvalidRequest);
}

TEST(CheckExpectedChecksum, AValueThatIsNoChecksumIsInvalidRequest) {
  EXPECT_EQ(Check(ChecksumAlgorithm::kCrc32, "not base64!-2", "CRC32", kComposite),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(Check(ChecksumAlgorithm::kCrc32, "AAAAAAAAAAA=", "CRC32", kComposite),  // 8 bytes
            ErrorCode::kInvalidRequest);
}

TEST(PartListDigest, NamesTheListAsSent) {
  const std::vector<RequestedPart> list = {{1, "\"ABC\"", {}}, {2, "def", {}}};
  EXPECT_EQ(PartListDigest(list), PartListDigest({{1, "abc", {}}, {2, "\"DEF\"", {}}}));
  EXPECT_NE(PartListDigest(list), PartListDigest({{1, "abc", {}}}));
  EXPECT_NE(PartListDigest(list), PartListDigest({{1, "abc", {}}, {3, "def", {}}}));
  EXPECT_NE(PartListDigest(list), PartListDigest({{1, "abc", {}}, {2, "deg", {}}}));
  EXPECT_EQ(PartListDigest(list).size(), 64u);
}

TEST(CompletionKeptUntil, TheAbortRulesDaysFromTheCompletionAtMostSevenDays) {
  const TimePoint completed = TimePoint(std::chrono::milliseconds(1700000000123));
  EXPECT_EQ(CompletionKeptUntil(nullptr, "k", completed), completed + hours(24 * 7));
  LifecycleConfiguration config;
  LifecycleRule quick;
  quick.id = "quick";
  quick.prefix = "tmp/";
  quick.abort_incomplete_days = 1;
  LifecycleRule slow = quick;
  slow.id = "slow";
  slow.prefix = "slow/";
  slow.abort_incomplete_days = 30;
  config.rules = {quick, slow};
  EXPECT_EQ(CompletionKeptUntil(&config, "tmp/k", completed), completed + hours(24));
  EXPECT_EQ(CompletionKeptUntil(&config, "slow/k", completed), completed + hours(24 * 7));
  EXPECT_EQ(CompletionKeptUntil(&config, "other", completed), completed + hours(24 * 7));
}

}  // namespace
}  // namespace cairn::core
