// RFC 2047 encoded words for x-amz-meta-* values: what needs encoding, the 75-character word limit
// (section 2), no UTF-8 character split across words (section 5), and decoding of B and Q words
// with the white space rule of section 6.2.
#include "client/metadata_encoding.h"

#include <gtest/gtest.h>

namespace cairn::client {
namespace {

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

TEST(DecodeMetadataValue, BAndQWordsAndCharsets) {
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?B?w6k=?="), "é");
  EXPECT_EQ(DecodeMetadataValue("=?utf-8?b?w6k?="), "é");  // padding dropped by some encoders
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?Q?caf=C3=A9_au_lait?="), "café au lait");
  EXPECT_EQ(DecodeMetadataValue("=?ISO-8859-1?Q?caf=E9?="), "café");
}

TEST(DecodeMetadataValue, SpaceBetweenWordsIsDroppedAndTextKept) {
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?B?YQ==?= =?UTF-8?B?Yg==?="), "ab");
  EXPECT_EQ(DecodeMetadataValue("x =?UTF-8?B?YQ==?= y"), "x a y");
  EXPECT_EQ(DecodeMetadataValue("=?bogus"), "=?bogus");
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=");
}

}  // namespace
}  // namespace cairn::client
