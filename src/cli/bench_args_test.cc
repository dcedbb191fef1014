// How durations are shown, and the key layout that data sets and listings depend on.
#include "cli/bench_args.h"

#include <gtest/gtest.h>

namespace cairn::cli {
namespace {

using namespace std::chrono_literals;

TEST(FormatDuration, ShortestExactForm) {
  EXPECT_EQ(FormatDuration(10s), "10s");
  EXPECT_EQ(FormatDuration(2min), "2m");
  EXPECT_EQ(FormatDuration(1h), "1h");
  EXPECT_EQ(FormatDuration(1500ms), "1500ms");
  EXPECT_EQ(FormatDuration(0s), "0s");
}

TEST(DataSetKeys, SizesLiveApart) {
  EXPECT_EQ(DataSetPrefix("bench/", 4096), "bench/data-4096/");
  EXPECT_NE(DataSetPrefix("bench/", 4096), DataSetPrefix("bench/", 1048576));
}

TEST(DataSetKeys, FlatKeysSortInIndexOrder) {
  EXPECT_EQ(DataSetKey("p/", 7, 0), "p/00000007");
  EXPECT_LT(DataSetKey("p/", 9, 0), DataSetKey("p/", 10, 0));
  EXPECT_EQ(DataSetKey("p/", 123456789, 0), "p/123456789");  // wider than the padding
}

TEST(DataSetKeys, CommonPrefixesSpreadKeysOverDirectories) {
  // 10,000 directories: four digits, d0000..d9999, so a delimiter listing yields 10,000 prefixes.
  EXPECT_EQ(DataSetKey("p/", 0, 10000), "p/d0000/00000000");
  EXPECT_EQ(DataSetKey("p/", 10001, 10000), "p/d0001/00010001");
  EXPECT_EQ(DataSetKey("p/", 9999, 10000), "p/d9999/00009999");
  EXPECT_EQ(DataSetKey("p/", 5, 1), "p/d0/00000005");
}

TEST(NewObjectKeys, OneDirectoryPerWorker) {
  EXPECT_EQ(NewObjectKey("bench/", "ab12", 3, 42), "bench/new-ab12/w003/00000042");
}

}  // namespace
}  // namespace cairn::cli
