// The request path against a scripted HTTP server on a loopback socket: keep-alive reuse, chunked
// bodies of unknown size, the one retry of an idempotent request on a connection the server
// dropped, S3 error documents, and the messages of connection failures and timeouts.
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "cairn/client.h"
#include "client/client_impl.h"
#include "client/fake_http_server.h"

namespace cairn {
namespace {

using client::testing::Action;
using client::testing::Answer;
using client::testing::FakeServer;
using client::testing::Received;

Client MakeClient(const std::string& endpoint, int timeout_seconds = 10) {
  ClientConfig config;
  config.endpoint = endpoint;
  config.accessKeyId = "AKID";
  config.secretAccessKey = "secret";
  config.timeout = std::chrono::seconds(timeout_seconds);
  return Client(config);
}

TEST(Transport, KeepAliveConnectionIsReused) {
  FakeServer server([](const Received&, int, int) { return Action{Answer(200, "<ok/>")}; });
  Client client = MakeClient(server.endpoint());
  for (int i = 0; i < 3; ++i) {
    client::Request request{"GET", "b", "k"};
    EXPECT_EQ(client.impl().Send(request).status, 200);
  }
  EXPECT_EQ(server.connections(), 1);
  auto received = server.received();
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[0].target, "/b/k");
  EXPECT_TRUE(
      received[0].headers["authorization"].starts_with("AWS4-HMAC-SHA256 Credential=AKID/"));
  EXPECT_EQ(received[0].headers["x-amz-content-sha256"], client::kEmptyPayloadSha256);
}

TEST(Transport, PathAndQueryAreEncoded) {
  FakeServer server([](const Received&, int, int) { return Action{Answer(200)}; });
  Client client = MakeClient(server.endpoint());
  client::Request request{"GET", "b", "dir/a b+c%é", {{"uploadId", "x/y=z"}, {"uploads", ""}}};
  client.impl().Send(request);
  EXPECT_EQ(server.received().at(0).target, "/b/dir/a%20b%2Bc%25%C3%A9?uploadId=x%2Fy%3Dz&uploads");
}

TEST(Transport, UnknownSizeStreamIsSentChunked) {
  FakeServer server([](const Received&, int, int) { return Action{Answer(200)}; });
  Client client = MakeClient(server.endpoint());
  std::string data(700 << 10, 'x');  // several 256 KiB pieces
  data[12345] = 'y';
  std::istringstream in(data);
  Body body = Body::FromStream(in);
  client::Request request{"PUT", "b", "k", {}, {}, &body};
  client::HttpResponse response = client.impl().Send(request);
  EXPECT_EQ(response.bytes_sent, data.size());
  Received r = server.received().at(0);
  EXPECT_EQ(r.headers["transfer-encoding"], "chunked");
  EXPECT_EQ(r.headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
  EXPECT_EQ(r.body, data);
}

TEST(Transport, SmallMemoryBodiesAreSignedWithTheirHash) {
  FakeServer server([](const Received&, int, int) { return Action{Answer(200)}; });
  Client client = MakeClient(server.endpoint());
  Body body = Body::FromString("Welcome to Amazon S3.");
  client::Request request{"PUT", "b", "k", {}, {}, &body};
  client.impl().Send(request);
  Received r = server.received().at(0);
  EXPECT_EQ(r.headers["content-length"], "21");
  EXPECT_EQ(r.headers["x-amz-content-sha256"],
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
}

// The server drops the pooled connection as the second request arrives: a GET (with a file body
// or none) goes again on a new connection; a POST does not, since it may have been acted on.
TEST(Transport, StalePooledConnectionRetriesIdempotentRequestsOnce) {
  FakeServer server([](const Received&, int connection, int nth) {
    if (connection == 0 && nth == 1) return Action{};
    return Action{Answer(200, "fine")};
  });
  Client client = MakeClient(server.endpoint());
  client::Request first{"GET", "b", "k"};
  client.impl().Send(first);
  client::Request second{"GET", "b", "k"};
  client::HttpResponse response = client.impl().Send(second);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "fine");
  EXPECT_EQ(server.connections(), 2);
}

TEST(Transport, NonIdempotentRequestIsNotRetried) {
  FakeServer server([](const Received&, int connection, int nth) {
    if (connection == 0 && nth == 1) return Action{};
    return Action{Answer(200)};
  });
  Client client = MakeClient(server.endpoint());
  client::Request first{"GET", "b", "k"};
  client.impl().Send(first);
  client::Request post{"POST", "b", "k", {{"uploads", ""}}};
  EXPECT_THROW(client.impl().Send(post), TransportError);
}

TEST(Transport, ErrorDocumentsBecomeS3Errors) {
  FakeServer server([](const Received& r, int, int) {
    if (r.target == "/b/missing") {
      return Action{Answer(404, "<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>",
                           "x-amz-request-id: R1\r\n")};
    }
    return Action{Answer(404,
                         "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code>"
                         "<Message>The specified bucket does not exist</Message>"
                         "<RequestId>R2</RequestId></Error>")};
  });
  Client client = MakeClient(server.endpoint());
  Bucket bucket = client.bucket("b");
  EXPECT_FALSE(bucket.get("missing"));
  try {
    bucket.get("other");
    FAIL() << "no exception";
  } catch (const S3Error& e) {
    EXPECT_EQ(e.code(), "NoSuchBucket");
    EXPECT_EQ(e.message(), "The specified bucket does not exist");
    EXPECT_EQ(e.http_status(), 404);
    EXPECT_EQ(e.request_id(), "R2");
  }
}

TEST(Transport, RefusedConnectionNamesTheEndpoint) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  ::close(fd);  // nothing listens there now
  Client client = MakeClient("http://127.0.0.1:" + std::to_string(port));
  try {
    client.listBuckets();
    FAIL() << "no exception";
  } catch (const TransportError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
  }
}

TEST(Transport, SilentServerTimesOut) {
  std::atomic<bool> release{false};
  FakeServer server([&release](const Received&, int, int) {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return Action{};
  });
  Client client = MakeClient(server.endpoint(), 1);
  client::Request request{"POST", "b", "k"};
  try {
    client.impl().Send(request);
    FAIL() << "no exception";
  } catch (const TransportError& e) {
    EXPECT_NE(std::string(e.what()).find("timed out after 1s"), std::string::npos) << e.what();
  }
  release = true;
}

TEST(Transport, BadEndpointsAreRefused) {
  EXPECT_THROW(MakeClient("ftp://x"), std::invalid_argument);
  EXPECT_THROW(MakeClient("http://x:99999"), std::invalid_argument);
  EXPECT_THROW(MakeClient("http://x/path"), std::invalid_argument);
  client::Endpoint e = client::ParseEndpoint("https://[::1]:8443/");
  EXPECT_TRUE(e.tls);
  EXPECT_EQ(e.host, "::1");
  EXPECT_EQ(e.port, 8443);
  EXPECT_EQ(e.host_header, "[::1]:8443");
  EXPECT_EQ(client::ParseEndpoint("http://h").host_header, "h");
  EXPECT_EQ(client::ParseEndpoint("https://h:443").base_url, "https://h");
}

}  // namespace
}  // namespace cairn
