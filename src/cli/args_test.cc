// BUCKET/KEY splitting, --meta pairs, sizes, storage class names and --expires dates, including
// every form that must be refused as a usage error.
#include "cli/args.h"

#include <gtest/gtest.h>

#include "cli/errors.h"

namespace cairn::cli {
namespace {

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
