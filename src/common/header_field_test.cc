// The header rules that keep request-chosen text from splitting a response head.
#include "common/header_field.h"

#include <gtest/gtest.h>

#include <string>

namespace cairn {
namespace {

TEST(HeaderValue, PrintableTextTabAndUtf8AreSafe) {
  EXPECT_TRUE(IsHeaderValueSafe(""));
  EXPECT_TRUE(IsHeaderValueSafe("text/plain; charset=utf-8"));
  EXPECT_TRUE(IsHeaderValueSafe("a\tb"));
  EXPECT_TRUE(IsHeaderValueSafe("caf\xc3\xa9 \xe2\x82\xac"));
  EXPECT_TRUE(IsHeaderValueSafe("~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}"));
}

TEST(HeaderValue, EveryControlByteButTabIsRefused) {
  for (int c = 0; c < 0x20; ++c) {
    if (c == '\t') continue;
    const std::string value = std::string("text/plain") + static_cast<char>(c) + "X-Injected: yes";
    EXPECT_FALSE(IsHeaderValueSafe(value)) << "byte " << c;
  }
  EXPECT_FALSE(IsHeaderValueSafe("a\x7f"));
  EXPECT_FALSE(IsHeaderValueSafe(std::string("a\0b", 3)));
  EXPECT_FALSE(IsHeaderValueSafe("text/plain\r\nSet-Cookie: s=1"));
  EXPECT_FALSE(IsHeaderValueSafe("\n"));
}

TEST(HeaderValue, CheckNamesWhatWasRefused) {
  EXPECT_TRUE(CheckHeaderValue("Content-Type", "image/png").ok());
  const Status refused = CheckHeaderValue("Content-Type", "image/png\r\nSet-Cookie: a=b");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().Message().find("Content-Type"), std::string::npos);
}

TEST(HeaderToken, OnlyTcharsMakeAName) {
  EXPECT_TRUE(IsHeaderToken("x-amz-meta-note"));
  EXPECT_TRUE(IsHeaderToken("X-Custom_Name.1!#$%&'*+^`|~"));
  EXPECT_FALSE(IsHeaderToken(""));
  EXPECT_FALSE(IsHeaderToken("bad name"));
  EXPECT_FALSE(IsHeaderToken("name:"));
  EXPECT_FALSE(IsHeaderToken("a\r\nX-Injected"));
  EXPECT_FALSE(IsHeaderToken("caf\xc3\xa9"));
  EXPECT_FALSE(IsHeaderToken("\"quoted\""));
}

}  // namespace
}  // namespace cairn
