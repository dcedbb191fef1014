// The scans of ListObjectsV2 pages and key search pages the list and search workloads rely on
// instead of a full XML or JSON parse.
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

TEST(ScanSearchPage, CountsMatchesAndFindsTheCursor) {
  const ListPageScan scan = ScanSearchPage(
      R"({"cursor":"YmVuY2gvZDEvMDA=","matches":[)"
      R"({"etag":"e","key":"a\"storageClass\":","lastModified":"t","size":0,"storageClass":"STANDARD"},)"
      R"({"etag":"e","key":"b","lastModified":"t","size":0,"storageClass":"STANDARD"}],"scanned":7})");
  EXPECT_EQ(scan.entries, 2u);  // the key that looks like a name is escaped, so not counted
  EXPECT_TRUE(scan.truncated);
  EXPECT_EQ(scan.next_token, "YmVuY2gvZDEvMDA=");
}

TEST(ScanSearchPage, LastPageWithoutMatches) {
  const ListPageScan scan = ScanSearchPage(R"({"cursor":null,"matches":[],"scanned":100000})");
  EXPECT_EQ(scan.entries, 0u);
  EXPECT_FALSE(scan.truncated);
  EXPECT_EQ(scan.next_token, "");
}

}  // namespace
}  // namespace cairn::cli
