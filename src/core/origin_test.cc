#include "core/origin.h"

#include <gtest/gtest.h>

namespace cairn::core {
namespace {

TEST(Origin, HostNameDropsThePort) {
  EXPECT_EQ(HostName("example.com:9000"), "example.com");
  EXPECT_EQ(HostName("example.com"), "example.com");
  EXPECT_EQ(HostName("[::1]:9001"), "[::1]");
  EXPECT_EQ(HostName("[::1]"), "[::1]");
  EXPECT_EQ(HostName(""), "");
}

TEST(Origin, AuthorityLeavesOutTheDefaultPort) {
  EXPECT_EQ(Authority("http", "localhost", 9000), "localhost:9000");
  EXPECT_EQ(Authority("http", "localhost", 80), "localhost");
  EXPECT_EQ(Authority("https", "s3.example.com", 443), "s3.example.com");
  EXPECT_EQ(Authority("https", "s3.example.com", 80), "s3.example.com:80");
  EXPECT_EQ(Authority("http", "[::1]", 9001), "[::1]:9001");
}

TEST(Origin, ParsesBareOrigins) {
  EXPECT_EQ(ParseOrigin("https://s3.example.com"), "https://s3.example.com");
  EXPECT_EQ(ParseOrigin("https://S3.Example.com/"), "https://s3.example.com");
  EXPECT_EQ(ParseOrigin("HTTP://10.0.0.5:9000"), "http://10.0.0.5:9000");
  EXPECT_EQ(ParseOrigin("https://s3.example.com:443"), "https://s3.example.com");
  EXPECT_EQ(ParseOrigin("http://[::1]:9000"), "http://[::1]:9000");
}

TEST(Origin, RefusesWhatIsNotAnOrigin) {
  for (const char* bad :
       {"s3.example.com", "ftp://s3.example.com", "https://", "https:///",
        "https://s3.example.com/prefix", "https://s3.example.com?x=1",
        "https://user@s3.example.com", "https://s3.example.com:0", "https://s3.example.com:99999",
        "https://s3.example.com:9x", "https://s3.example.com:", "https://a b", "https://a\r\nb"}) {
    EXPECT_EQ(ParseOrigin(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace cairn::core
