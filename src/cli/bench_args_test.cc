// Durations as people type them, every malformed one refused as a usage error, and the key layout
// that data sets and listings depend on.
#include "cli/bench_args.h"

#include <gtest/gtest.h>

#include "cli/errors.h"

namespace cairn::cli {
namespace {

using std::chrono::nanoseconds;
using namespace std::chrono_literals;

int ExitOf(std::string_view arg) {
  try {
    ParseDuration(arg);
  } catch (const CliError& e) {
    return e.exit_code();
  }
  return -1;
}

TEST(ParseDuration, UnitsFractionsAndBareSeconds) {
  const std::pair<std::string_view, nanoseconds> cases[] = {
      {"10s", 10s},     {"30", 30s},        {"500ms", 500ms},   {"2m", 2min},
      {"2min", 2min},   {"1h", 1h},         {"250us", 250us},   {"0s", 0s},
      {"1.5s", 1500ms}, {"0.25s", 250ms},   {".5m", 30s},       {"1.5ms", 1500us},
      {"0.000000001s", nanoseconds(1)},  // fractions are exact, to the nanosecond
  };
  for (const auto& [text, expected] : cases) EXPECT_EQ(ParseDuration(text), expected) << text;
}

TEST(ParseDuration, MalformedIsAUsageError) {
  for (std::string_view bad : {"", "s", "10x", "-1s", "1.s", "1.2.3s", "10 s", "1e3s",
                               "9999999999s", "ten"}) {
    EXPECT_EQ(ExitOf(bad), kExitUsage) << bad;
  }
}

TEST(ParseDuration, MessageNamesTheFlag) {
  try {
    ParseDuration("soon", "--warmup");
    FAIL();
  } catch (const CliError& e) {
    EXPECT_NE(std::string(e.what()).find("--warmup"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("soon"), std::string::npos);
  }
}

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
