// BUCKET/KEY splitting, --meta pairs, sizes, durations, storage class names and --expires dates,
// including every form that must be refused as a usage error.
#include "cli/args.h"

#include <gtest/gtest.h>

#include "cli/errors.h"

namespace cairn::cli {
namespace {

using std::chrono::nanoseconds;
using namespace std::chrono_literals;

int UsageExitOf(void (*f)()) {
  try {
    f();
  } catch (const CliError& e) {
    return e.exit_code();
  }
  return -1;
}

TEST(SplitObjectPath, FirstSlashEndsTheBucket) {
  ObjectPath p = SplitObjectPath("photos/2024/cat.png", true);
  EXPECT_EQ(p.bucket, "photos");
  EXPECT_EQ(p.key, "2024/cat.png");
}

TEST(SplitObjectPath, KeyKeepsTrailingAndDoubleSlashes) {
  ObjectPath p = SplitObjectPath("b/a//b/", true);
  EXPECT_EQ(p.bucket, "b");
  EXPECT_EQ(p.key, "a//b/");
}

TEST(SplitObjectPath, BucketAloneIsAListTarget) {
  EXPECT_EQ(SplitObjectPath("photos", false).key, "");
  EXPECT_EQ(SplitObjectPath("photos/", false).key, "");
  EXPECT_EQ(SplitObjectPath("photos/2024/", false).key, "2024/");
}

TEST(SplitObjectPath, MissingPartsAreUsageErrors) {
  EXPECT_EQ(UsageExitOf([] { SplitObjectPath("photos", true); }), kExitUsage);
  EXPECT_EQ(UsageExitOf([] { SplitObjectPath("photos/", true); }), kExitUsage);
  EXPECT_EQ(UsageExitOf([] { SplitObjectPath("/key", true); }), kExitUsage);
  EXPECT_EQ(UsageExitOf([] { SplitObjectPath("", false); }), kExitUsage);
}

TEST(ParseMetadataPair, SplitsAtTheFirstEquals) {
  EXPECT_EQ(ParseMetadataPair("build=42"), std::make_pair(std::string("build"), std::string("42")));
  EXPECT_EQ(ParseMetadataPair("q=a=b").second, "a=b");
  EXPECT_EQ(ParseMetadataPair("empty=").second, "");
  EXPECT_EQ(ParseMetadataPair("Mixed-Case_1=x").first, "Mixed-Case_1");
}

TEST(ParseMetadataPair, RejectsMissingNameOrEquals) {
  EXPECT_EQ(UsageExitOf([] { ParseMetadataPair("novalue"); }), kExitUsage);
  EXPECT_EQ(UsageExitOf([] { ParseMetadataPair("=x"); }), kExitUsage);
  EXPECT_EQ(UsageExitOf([] { ParseMetadataPair("has space=x"); }), kExitUsage);
  EXPECT_EQ(UsageExitOf([] { ParseMetadataPair("colon:=x"); }), kExitUsage);
}

TEST(ParseByteSize, UnitsAreBinary) {
  EXPECT_EQ(ParseByteSize("1048576"), 1048576u);
  EXPECT_EQ(ParseByteSize("8MiB"), 8u << 20);
  EXPECT_EQ(ParseByteSize("8m"), 8u << 20);
  EXPECT_EQ(ParseByteSize("512KiB"), 512u << 10);
  EXPECT_EQ(ParseByteSize("1GiB"), 1ull << 30);
  EXPECT_EQ(ParseByteSize("7b"), 7u);
}

TEST(ParseByteSize, RejectsNonSizes) {
  EXPECT_EQ(UsageExitOf([] { ParseByteSize(""); }), kExitUsage);
  EXPECT_EQ(UsageExitOf([] { ParseByteSize("MiB"); }), kExitUsage);
  EXPECT_EQ(UsageExitOf([] { ParseByteSize("8 MiB"); }), kExitUsage);
  EXPECT_EQ(UsageExitOf([] { ParseByteSize("8TiB"); }), kExitUsage);
  EXPECT_EQ(UsageExitOf([] { ParseByteSize("-1"); }), kExitUsage);
}

int DurationExitOf(std::string_view arg) {
  try {
    ParseDuration(arg);
  } catch (const CliError& e) {
    return e.exit_code();
  }
  return -1;
}

TEST(ParseDuration, UnitsFractionsAndBareSeconds) {
  const std::pair<std::string_view, nanoseconds> cases[] = {
      {"10s", 10s},
      {"30", 30s},
      {"500ms", 500ms},
      {"2m", 2min},
      {"2min", 2min},
      {"1h", 1h},
      {"250us", 250us},
      {"0s", 0s},
      {"1.5s", 1500ms},
      {"0.25s", 250ms},
      {".5m", 30s},
      {"1.5ms", 1500us},
      {"30d", 720h},
      {"1.5d", 36h},
      {"3650d", 87600h},
      {"0.000000001s", nanoseconds(1)},  // fractions are exact, to the nanosecond
  };
  for (const auto& [text, expected] : cases) EXPECT_EQ(ParseDuration(text), expected) << text;
}

TEST(ParseDuration, MalformedIsAUsageError) {
  for (std::string_view bad : {"", "s", "10x", "-1s", "1.s", "1.2.3s", "10 s", "1e3s",
                               "9999999999s", "ten", "1w", "30D", "1h30m", "999999999d"}) {
    EXPECT_EQ(DurationExitOf(bad), kExitUsage) << bad;
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

TEST(ParseSeconds, WholeSecondsOnly) {
  EXPECT_EQ(ParseSeconds("30d", "--expires"), std::chrono::seconds(30 * 86400));
  EXPECT_EQ(ParseSeconds("15m", "--ttl"), std::chrono::seconds(900));
  EXPECT_EQ(ParseSeconds("90", "--grace"), std::chrono::seconds(90));
  EXPECT_EQ(ParseSeconds("1.5m", "--ttl"), std::chrono::seconds(90));
  try {
    ParseSeconds("1500ms", "--ttl");
    FAIL();
  } catch (const CliError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_NE(std::string(e.what()).find("--ttl"), std::string::npos);
  }
}

TEST(NormalizeStorageClass, AcceptsR2AndS3Names) {
  EXPECT_EQ(NormalizeStorageClass("Standard"), "Standard");
  EXPECT_EQ(NormalizeStorageClass("STANDARD"), "Standard");
  EXPECT_EQ(NormalizeStorageClass("infrequentaccess"), "InfrequentAccess");
  EXPECT_EQ(NormalizeStorageClass("STANDARD_IA"), "InfrequentAccess");
  EXPECT_EQ(UsageExitOf([] { NormalizeStorageClass("GLACIER"); }), kExitUsage);
}

TEST(NormalizeExpires, HttpDatePassesIsoIsConverted) {
  EXPECT_EQ(NormalizeExpires("Wed, 01 Jan 2031 00:00:00 GMT"), "Wed, 01 Jan 2031 00:00:00 GMT");
  EXPECT_EQ(NormalizeExpires("2031-01-01"), "Wed, 01 Jan 2031 00:00:00 GMT");
  EXPECT_EQ(NormalizeExpires("2031-01-01T12:30:00Z"), "Wed, 01 Jan 2031 12:30:00 GMT");
  EXPECT_EQ(NormalizeExpires("2031-01-01T12:30:00"), "Wed, 01 Jan 2031 12:30:00 GMT");
  EXPECT_EQ(UsageExitOf([] { NormalizeExpires("tomorrow"); }), kExitUsage);
}

TEST(HumanSize, PicksAUnit) {
  EXPECT_EQ(HumanSize(0), "0 B");
  EXPECT_EQ(HumanSize(1023), "1023 B");
  EXPECT_EQ(HumanSize(1536), "1.5 KiB");
  EXPECT_EQ(HumanSize(60ull << 20), "60.0 MiB");
}

}  // namespace
}  // namespace cairn::cli
