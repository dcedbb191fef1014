// RFC 2047 encoded words for x-amz-meta-* values: what needs encoding, the 75-character word limit
// (section 2), no UTF-8 character split across words (section 5), and decoding of B and Q words
// with the white space rule of section 6.2, keeping what is not a well-formed word as sent.
#include "common/metadata_encoding.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(NeedsEncodedWords, OnlyWhatAHeaderCannotCarryAsItIs) {
  EXPECT_FALSE(NeedsEncodedWords("plain text, =?not-a-word ~!"));
  EXPECT_FALSE(NeedsEncodedWords(""));
  for (std::string_view v : std::initializer_list<std::string_view>{
           "caf\xc3\xa9", "a\tb", "a\rb", std::string_view("a\0b", 3), "\x7f", " lead", "trail "}) {
    EXPECT_TRUE(NeedsEncodedWords(v)) << v;
  }
  EXPECT_EQ(EncodeAsWords("caf\xc3\xa9 \xe2\x98\x95"), "=?UTF-8?B?Y2Fmw6kg4piV?=");
}

TEST(EncodeMetadataValue, PrintableAsciiIsSentAsItIs) {
  EXPECT_EQ(EncodeMetadataValue("hello world"), "hello world");
  EXPECT_EQ(EncodeMetadataValue(""), "");
}

TEST(EncodeMetadataValue, NonAsciiBecomesOneBWord) {
  EXPECT_EQ(EncodeMetadataValue("é"), "=?UTF-8?B?w6k=?=");
  EXPECT_EQ(EncodeMetadataValue("日本"), "=?UTF-8?B?5pel5pys?=");
}

TEST(EncodeMetadataValue, ControlsEdgeSpacesAndLookalikesAreEncoded) {
  EXPECT_EQ(EncodeMetadataValue("a\nb"), "=?UTF-8?B?YQpi?=");
  EXPECT_EQ(EncodeMetadataValue(" x"), "=?UTF-8?B?IHg=?=");
  EXPECT_EQ(DecodeMetadataValue(EncodeMetadataValue("=?UTF-8?B?w6k=?=")), "=?UTF-8?B?w6k=?=");
}

TEST(EncodeMetadataValue, LongValuesSplitBetweenCharacters) {
  std::string value;
  for (int i = 0; i < 40; ++i) value += "é";  // 80 bytes, two-byte characters
  value += "x";
  const std::string encoded = EncodeMetadataValue(value);
  size_t start = 0;
  int words = 0;
  while (start < encoded.size()) {
    size_t end = encoded.find(' ', start);
    if (end == std::string::npos) end = encoded.size();
    const std::string word = encoded.substr(start, end - start);
    EXPECT_LE(word.size(), 75u) << word;
    // Each word decodes on its own to whole characters.
    const std::string decoded = DecodeMetadataValue(word);
    EXPECT_NE(decoded, word);
    EXPECT_NE(static_cast<unsigned char>(decoded[0]) & 0xC0, 0x80) << word;
    ++words;
    start = end + 1;
  }
  EXPECT_EQ(words, 2);
  EXPECT_EQ(DecodeMetadataValue(encoded), value);
}

TEST(DecodeMetadataValue, PlainValuesAreUnchanged) {
  EXPECT_EQ(DecodeMetadataValue(""), "");
  EXPECT_EQ(DecodeMetadataValue("hello world"), "hello world");
  EXPECT_EQ(DecodeMetadataValue("  spaced  "), "  spaced  ");
  EXPECT_EQ(DecodeMetadataValue("a=?b"), "a=?b");
}

TEST(DecodeMetadataValue, Base64Utf8) {
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?B?w6k=?="), "\xc3\xa9");  // é
  EXPECT_EQ(DecodeMetadataValue("=?utf-8?b?w6k=?="), "\xc3\xa9");  // case-insensitive tokens
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?B?w6k?="), "\xc3\xa9");   // padding left off
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?B?\?="), "");  // empty text ("\?" avoids a trigraph)
}

TEST(DecodeMetadataValue, QuotedPrintableWithUnderscores) {
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?Q?caf=C3=A9_au_lait?="), "caf\xc3\xa9 au lait");
  EXPECT_EQ(DecodeMetadataValue("=?utf-8?q?a=5Fb?="), "a_b");  // an encoded underscore stays one
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?Q?=c3=a9?="), "\xc3\xa9");  // lowercase hex
}

TEST(DecodeMetadataValue, Latin1) {
  EXPECT_EQ(DecodeMetadataValue("=?ISO-8859-1?Q?caf=E9?="), "caf\xc3\xa9");
  EXPECT_EQ(DecodeMetadataValue("=?iso-8859-1?B?6Q==?="), "\xc3\xa9");
  EXPECT_EQ(DecodeMetadataValue("=?US-ASCII?Q?plain_text?="), "plain text");
}

TEST(DecodeMetadataValue, LanguageSuffixIsIgnored) {
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8*fr?Q?=C3=A9t=C3=A9?="), "\xc3\xa9t\xc3\xa9");
}

TEST(DecodeMetadataValue, WhiteSpaceBetweenEncodedWordsIsDropped) {
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?Q?a?= =?UTF-8?Q?b?="), "ab");
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?Q?a?=\r\n =?UTF-8?B?Yg==?="), "ab");
  // ...but kept next to ordinary text.
  EXPECT_EQ(DecodeMetadataValue("x =?UTF-8?Q?a?= y"), "x a y");
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?Q?a?= y =?UTF-8?Q?b?="), "a y b");
}

TEST(DecodeMetadataValue, WordsMustStandAlone) {
  // RFC 2047 section 5: an encoded word is delimited by white space.
  EXPECT_EQ(DecodeMetadataValue("x=?UTF-8?Q?a?="), "x=?UTF-8?Q?a?=");
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?Q?a?=y"), "=?UTF-8?Q?a?=y");
}

TEST(DecodeMetadataValue, MalformedWordsAreKeptAsSent) {
  for (std::string_view v :
       {"=?UTF-8?X?abc?=", "=?UTF-8?B?***?=", "=?UTF-8?Q?=ZZ?=", "=?UTF-8?Q?abc=?=",
        "=?UTF-8?B?w6k=", "=?UTF-8?Q?a?b?=", "=?KOI8-R?Q?abc?=", "=??Q?abc?=", "=?UTF-8?Q?=FF?="}) {
    EXPECT_EQ(DecodeMetadataValue(v), v) << v;
  }
}

}  // namespace
}  // namespace cairn
