// Log text: nothing a client sends breaks a log line or disguises it, and no presigned URL or
// pasted secret reaches a log.
#include "common/log_text.h"

#include <gtest/gtest.h>

#include <string>

namespace cairn {
namespace {

TEST(LogSafe, KeepsPrintableAndUtf8Text) {
  EXPECT_EQ(LogSafe(""), "");
  EXPECT_EQ(LogSafe("/bucket/a b/c?x=1"), "/bucket/a b/c?x=1");
  EXPECT_EQ(LogSafe("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

TEST(LogSafe, EscapesControlBytes) {
  EXPECT_EQ(LogSafe("AKIA\nFORGED line"), "AKIA\\x0aFORGED line");
  EXPECT_EQ(LogSafe("a\r\nb\tc"), "a\\x0d\\x0ab\\x09c");
  EXPECT_EQ(LogSafe(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(LogSafe("\x1b[31mred"), "\\x1b[31mred");
  EXPECT_EQ(LogSafe("del\x7f"), "del\\x7f");
}

TEST(LogSafe, EscapesInvalidUtf8ByteByByte) {
  EXPECT_EQ(LogSafe("a\xff"
                    "b"),
            "a\\xffb");
  EXPECT_EQ(LogSafe("\xc3"), "\\xc3");                             // truncated sequence
  EXPECT_EQ(LogSafe("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(LogSafe("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(LogSafe("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
}

TEST(LogSafe, EscapesUnicodeLineBreaksAndC1Controls) {
  EXPECT_EQ(LogSafe("a\xc2\x85"
                    "b"),
            "a\\xc2\\x85b");  // NEL
  EXPECT_EQ(LogSafe("a\xc2\x9b"
                    "b"),
            "a\\xc2\\x9bb");  // CSI
  EXPECT_EQ(LogSafe("a\xe2\x80\xa8"
                    "b"),
            "a\\xe2\\x80\\xa8b");  // LINE SEPARATOR
  EXPECT_EQ(LogSafe("a\xe2\x80\xa9"
                    "b"),
            "a\\xe2\\x80\\xa9b");  // PARAGRAPH SEPARATOR
}

TEST(RedactTarget, LeavesTargetsWithoutCredentialsAlone) {
  EXPECT_EQ(RedactTarget("/bucket/key"), "/bucket/key");
  EXPECT_EQ(RedactTarget("/bucket?list-type=2&prefix=a%2Fb&flag"),
            "/bucket?list-type=2&prefix=a%2Fb&flag");
}

TEST(RedactTarget, DropsTheSignatureAndKeepsOnlyTheCredentialsKeyId) {
  const std::string target =
      "/bucket/big.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256"
      "&X-Amz-Credential=AKIAEXAMPLE%2F20261207%2Fus-east-1%2Fs3%2Faws4_request"
      "&X-Amz-Date=20261207T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host"
      "&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  EXPECT_EQ(RedactTarget(target),
            "/bucket/big.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAEXAMPLE%2F..."
            "&X-Amz-Date=20261207T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=REDACTED");
}

TEST(RedactTarget, MatchesNamesAsTheRouterDoes) {
  EXPECT_EQ(RedactTarget("/b/k?x-amz-signature=abc"), "/b/k?x-amz-signature=REDACTED");
  EXPECT_EQ(RedactTarget("/b/k?X-Amz-%53ignature=abc"), "/b/k?X-Amz-%53ignature=REDACTED");
  EXPECT_EQ(RedactTarget("/b/k?Signature=abc&AWSAccessKeyId=AKIA"),
            "/b/k?Signature=REDACTED&AWSAccessKeyId=AKIA");
  EXPECT_EQ(RedactTarget("/b/k?X-Amz-Security-Token=tok&a=1"),
            "/b/k?X-Amz-Security-Token=REDACTED&a=1");
  EXPECT_EQ(RedactTarget("/b/k?X-Amz-Credential=AKIA/20261207/r/s3/aws4_request"),
            "/b/k?X-Amz-Credential=AKIA%2F...");
}

TEST(RedactTarget, EscapesWhatItKeeps) {
  EXPECT_EQ(RedactTarget("/b/a\nFORGED?x=\r"), "/b/a\\x0aFORGED?x=\\x0d");
}

TEST(LogKeyId, ShowsOnlyIdsThatCannotBeASecret) {
  EXPECT_EQ(LogKeyId("AKIAIOSFODNN7EXAMPLE", false), "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(LogKeyId("minioadmin", true), "minioadmin");
  EXPECT_EQ(LogKeyId("AKIA\nFORGED line", false), "<key id not shown, 16 bytes>");
  EXPECT_EQ(LogKeyId("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", false),
            "<key id not shown, 40 bytes>");
  EXPECT_EQ(LogKeyId("SHORT", false), "<key id not shown, 5 bytes>");
  EXPECT_EQ(LogKeyId(std::string(129, 'A'), false), "<key id not shown, 129 bytes>");
  EXPECT_EQ(LogKeyId("known\nid", true), "known\\x0aid");
}

}  // namespace
}  // namespace cairn
