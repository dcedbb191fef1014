// The scan of ListObjectsV2 pages the list workload relies on instead of a full XML parse.
#include "cli/bench_workloads.h"

#include <gtest/gtest.h>

namespace cairn::cli {
namespace {

TEST(ScanListPage, CountsEntriesAndFindsTheToken) {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"x\"><Name>b</Name>"
      "<KeyCount>3</KeyCount><IsTruncated>true</IsTruncated>"
      "<NextContinuationToken>a+b/c&amp;d=</NextContinuationToken>"
      "<Contents><Key>k1</Key></Contents><Contents><Key>k&lt;2</Key></Contents>"
      "<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListBucketResult>";
  const ListPageScan scan = ScanListPage(xml);
  EXPECT_EQ(scan.entries, 3u);
  EXPECT_TRUE(scan.truncated);
  EXPECT_EQ(scan.next_token, "a+b/c&d=");
}

TEST(ScanListPage, LastPage) {
  const ListPageScan scan = ScanListPage(
      "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>k</Key></Contents>"
      "</ListBucketResult>");
  EXPECT_EQ(scan.entries, 1u);
  EXPECT_FALSE(scan.truncated);
  EXPECT_EQ(scan.next_token, "");
}

TEST(ScanListPage, KeysThatLookLikeTagsAreEscapedAndNotCounted) {
  // A key "<Contents>" is written escaped by any S3 server, so it cannot be miscounted.
  const ListPageScan scan = ScanListPage(
      "<ListBucketResult><Contents><Key>&lt;Contents&gt;</Key></Contents></ListBucketResult>");
  EXPECT_EQ(scan.entries, 1u);
}

}  // namespace
}  // namespace cairn::cli
