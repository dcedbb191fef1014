// The binding's options as headers and answer headers as the binding's object.
#include "client/object_headers.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cairn::client {
namespace {

std::optional<std::string> Find(const Headers& headers, const std::string& name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return std::nullopt;
}

TEST(RangeHeader, R2RangeShapes) {
  EXPECT_EQ(RangeHeader({0, 10, {}}), "bytes=0-9");
  EXPECT_EQ(RangeHeader({100, {}, {}}), "bytes=100-");
  EXPECT_EQ(RangeHeader({{}, 5, {}}), "bytes=0-4");
  EXPECT_EQ(RangeHeader({{}, {}, 7}), "bytes=-7");
  EXPECT_THROW(RangeHeader({0, 0, {}}), std::invalid_argument);
  EXPECT_THROW(RangeHeader({{}, {}, 0}), std::invalid_argument);
}

TEST(AddConditions, OnlyIfMapsToTheFourConditionalHeaders) {
  Conditional c;
  c.etagMatches = "abc";
  c.etagDoesNotMatch = "*";
  c.uploadedBefore = Time(std::chrono::seconds(1440938160));
  c.uploadedAfter = Time(std::chrono::seconds(1440938160));
  Headers h;
  AddConditions(c, h);
  EXPECT_EQ(Find(h, "if-match"), "\"abc\"");
  EXPECT_EQ(Find(h, "if-none-match"), "*");
  EXPECT_EQ(Find(h, "if-unmodified-since"), "Sun, 30 Aug 2015 12:36:00 GMT");
  EXPECT_EQ(Find(h, "if-modified-since"), "Sun, 30 Aug 2015 12:36:00 GMT");
}

TEST(AddChecksums, HexDigestsBecomeBase64Headers) {
  Checksums c;
  c.md5 = "9e107d9d372bb6826bd81d3542a419d6";
  c.crc32 = "414fa339";
  Headers h;
  AddChecksums(c, h);
  EXPECT_EQ(Find(h, "content-md5"), "nhB9nTcrtoJr2B01QqQZ1g==");
  EXPECT_EQ(Find(h, "x-amz-checksum-crc32"), "QU+jOQ==");
  c.sha256 = "abc";
  EXPECT_THROW(AddChecksums(c, h), std::invalid_argument);
}

TEST(AddCustomMetadata, NamesLowercasedValuesEncoded) {
  Headers h;
  AddCustomMetadata({{"Author", "Zoë"}, {"plain", "x"}}, h);
  EXPECT_EQ(Find(h, "x-amz-meta-author"), "=?UTF-8?B?Wm/Dqw==?=");
  EXPECT_EQ(Find(h, "x-amz-meta-plain"), "x");
  EXPECT_THROW(AddCustomMetadata({{"bad name", "x"}}, h), std::invalid_argument);
}

TEST(StorageClass, R2NamesAndS3Names) {
  EXPECT_EQ(StorageClassToWire("Standard"), "STANDARD");
  EXPECT_EQ(StorageClassToWire("InfrequentAccess"), "STANDARD_IA");
  EXPECT_EQ(StorageClassFromWire(""), "Standard");
  EXPECT_EQ(StorageClassFromWire("STANDARD_IA"), "InfrequentAccess");
}

TEST(Etags, QuoteAndUnquote) {
  EXPECT_EQ(QuoteEtag("abc"), "\"abc\"");
  EXPECT_EQ(QuoteEtag("\"abc\""), "\"abc\"");
  EXPECT_EQ(QuoteEtag("*"), "*");
  EXPECT_EQ(UnquoteEtag("\"abc-2\""), "abc-2");
  EXPECT_EQ(UnquoteEtag("W/\"abc\""), "abc");
}

TEST(ObjectInfoFromHeaders, PartialAnswer) {
  HttpResponse r;
  r.status = 206;
  r.headers = {{"etag", "\"9e107d9d372bb6826bd81d3542a419d6\""},
               {"last-modified", "Sun, 30 Aug 2015 12:36:00 GMT"},
               {"content-range", "bytes 10-19/100"},
               {"content-length", "10"},
               {"content-type", "text/plain"},
               {"cache-control", "no-cache"},
               {"x-amz-meta-author", "=?UTF-8?B?Wm/Dqw==?="},
               {"x-amz-checksum-crc32", "QU+jOQ=="},
               {"x-amz-storage-class", "STANDARD_IA"}};
  ObjectInfo info = ObjectInfoFromHeaders("k", r);
  EXPECT_EQ(info.key, "k");
  EXPECT_EQ(info.size, 100u);
  ASSERT_TRUE(info.range);
  EXPECT_EQ(info.range->offset, 10u);
  EXPECT_EQ(info.range->length, 10u);
  EXPECT_EQ(info.etag, "9e107d9d372bb6826bd81d3542a419d6");
  EXPECT_EQ(info.httpEtag, "\"9e107d9d372bb6826bd81d3542a419d6\"");
  EXPECT_EQ(info.uploaded, Time(std::chrono::seconds(1440938160)));
  EXPECT_EQ(info.httpMetadata.contentType, "text/plain");
  EXPECT_EQ(info.httpMetadata.cacheControl, "no-cache");
  EXPECT_FALSE(info.httpMetadata.contentEncoding);
  EXPECT_EQ(info.customMetadata.at("author"), "Zoë");
  EXPECT_EQ(info.checksums.crc32, "414fa339");
  EXPECT_EQ(info.checksums.md5, "9e107d9d372bb6826bd81d3542a419d6");
  EXPECT_EQ(info.storageClass, "InfrequentAccess");
}

TEST(ObjectInfoFromHeaders, MultipartEtagIsNoMd5) {
  HttpResponse r;
  r.status = 200;
  r.headers = {{"etag", "\"f77dc0eecdebcd774a2a22cb393ad2ff-2\""}, {"content-length", "42"}};
  ObjectInfo info = ObjectInfoFromHeaders("k", r);
  EXPECT_EQ(info.size, 42u);
  EXPECT_FALSE(info.range);
  EXPECT_FALSE(info.checksums.md5);
  EXPECT_EQ(info.storageClass, "Standard");
}

}  // namespace
}  // namespace cairn::client
