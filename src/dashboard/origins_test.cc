#include "dashboard/origins.h"

#include <gtest/gtest.h>

namespace cairn::dashboard {
namespace {

http::RequestHead Request(std::string host, bool secure = false) {
  http::RequestHead head;
  head.method = "POST";
  head.target = "/_cairn/api/presign";
  head.headers.emplace_back("host", std::move(host));
  head.secure = secure;
  return head;
}

TEST(Origins, S3OriginIsTheConsoleHostNameWithTheS3Port) {
  const ConsoleOrigins origins{"", "", 9000};
  S3Endpoint s3 = S3EndpointFor(origins, Request("nas.local:9001"));
  EXPECT_EQ(s3.origin, "http://nas.local:9000");
  EXPECT_EQ(s3.host, "nas.local:9000");
  s3 = S3EndpointFor(origins, Request("[::1]:9001", /*secure=*/true));
  EXPECT_EQ(s3.origin, "https://[::1]:9000");
  EXPECT_EQ(s3.host, "[::1]:9000");
  // The scheme's default port is left out, as the browser leaves it out of Host.
  s3 = S3EndpointFor(ConsoleOrigins{"", "", 443}, Request("example.com:8443", true));
  EXPECT_EQ(s3.origin, "https://example.com");
  EXPECT_EQ(s3.host, "example.com");
}

TEST(Origins, PublicUrlWins) {
  const ConsoleOrigins origins{"https://s3.example.com", "https://console.example.com", 9000};
  const S3Endpoint s3 = S3EndpointFor(origins, Request("console.example.com"));
  EXPECT_EQ(s3.origin, "https://s3.example.com");
  EXPECT_EQ(s3.host, "s3.example.com");
  EXPECT_EQ(ConsoleOriginOf(origins, Request("127.0.0.1:9001")), "https://console.example.com");
}

TEST(Origins, ConsoleOriginIsTheRequestsOwnByDefault) {
  EXPECT_EQ(ConsoleOriginOf(ConsoleOrigins{}, Request("localhost:9001")), "http://localhost:9001");
  EXPECT_EQ(ConsoleOriginOf(ConsoleOrigins{}, Request("localhost", true)), "https://localhost");
}

}  // namespace
}  // namespace cairn::dashboard
