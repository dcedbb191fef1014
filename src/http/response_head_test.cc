// The server's last check on a response head: a header whose name is not a token or whose value
// holds a control byte never reaches the wire, whatever a handler put in it, and the response
// around it keeps its framing.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <string>
#include <thread>

#include "http/server.h"

namespace cairn::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A handler that answers every request with the same hostile head and the body "body".
class HostileHead : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.port = 0;
    server_ = std::make_unique<Server>(loops_, options, [](Exchange& ex) -> Awaitable<void> {
      ResponseHead head;
      head.Set("Content-Type", "text/plain\r\nX-Injected: yes");
      head.Set("X-Body", "a\r\n\r\n<html>injected</html>");
      head.Set("X-Nul", std::string("a\0b", 3));
      head.Set("X-Del", "a\x7f");
      head.Set("Bad Name", "v");
      head.Set("X-Split\r\nX-Injected", "yes");
      head.Set("X-Kept", "tab\tand caf\xc3\xa9");
      co_await ex.Respond(std::move(head), "body");
    });
    port_ = server_->Start();
    runner_ = std::thread([this] { loops_.Run(); });
  }

  void TearDown() override {
    server_->Stop();
    loops_.Stop();
    runner_.join();
  }

  // One request on a fresh connection that the server closes after answering: everything sent.
  std::string Fetch() {
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    asio::write(socket, asio::buffer(std::string(
                            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")));
    std::string response;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(response), ec);
    return response;
  }

  EventLoops loops_{1};
  std::unique_ptr<Server> server_;
  unsigned short port_ = 0;
  std::thread runner_;
};

TEST_F(HostileHead, UnsafeHeadersAreLeftOutAndTheRestIsIntact) {
  const std::string response = Fetch();
  const size_t head_end = response.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << response;
  const std::string head = response.substr(0, head_end + 2);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK\r\n")) << head;
  EXPECT_EQ(head.find("X-Injected"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Type"), std::string::npos) << head;
  EXPECT_EQ(head.find("X-Body"), std::string::npos) << head;
  EXPECT_EQ(head.find("X-Nul"), std::string::npos) << head;
  EXPECT_EQ(head.find("X-Del"), std::string::npos) << head;
  EXPECT_EQ(head.find("Bad Name"), std::string::npos) << head;
  EXPECT_EQ(head.find("X-Split"), std::string::npos) << head;
  EXPECT_NE(head.find("X-Kept: tab\tand caf\xc3\xa9\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Content-Length: 4\r\n"), std::string::npos) << head;
  // Exactly one head and its body: nothing injected follows.
  EXPECT_EQ(response.substr(head_end + 4), "body");
}

}  // namespace
}  // namespace cairn::http
