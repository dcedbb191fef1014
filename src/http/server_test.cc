// The HTTP server on its event loops, driven by plain sockets: connections are spread over the
// loops and each stays on one, responses carry their bodies (and HEAD answers none), and stopping
// the loops ends Run().
#include "http/server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cairn::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A server whose handler answers "hello from <path>" and notes which thread served each path.
class ServerOnLoops : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.port = 0;
    server_ = std::make_unique<Server>(loops_, options, [this](Exchange& ex) -> Awaitable<void> {
      const std::string path = ex.request().target;
      {
        std::lock_guard lock(mu_);
        threads_by_path_[path].insert(std::this_thread::get_id());
      }
      ResponseHead head;
      head.Set("Content-Type", "text/plain");
      const std::string body = "hello from " + path;
      co_await ex.Respond(std::move(head), body);
    });
    port_ = server_->Start();
    runner_ = std::thread([this] { loops_.Run(); });
  }

  void TearDown() override {
    server_->Stop();
    loops_.Stop();
    runner_.join();
  }

  // Sends `method path` on `socket` and returns the whole response (head and body).
  std::string RoundTrip(tcp::socket& socket, const std::string& method, const std::string& path) {
    const std::string request =
        method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
    asio::write(socket, asio::buffer(request));
    std::string response;
    const size_t head_end = asio::read_until(socket, asio::dynamic_buffer(response), "\r\n\r\n");
    const std::string head = response.substr(0, head_end);
    const size_t at = head.find("Content-Length: ");
    EXPECT_NE(at, std::string::npos) << head;
    const size_t length = std::stoul(head.substr(at + 16));
    if (method == "HEAD") return response.substr(0, head_end);
    if (response.size() < head_end + length) {
      const size_t missing = head_end + length - response.size();
      std::string rest(missing, '\0');
      asio::read(socket, asio::buffer(rest));
      response += rest;
    }
    return response;
  }

  tcp::socket Connect() {
    tcp::socket socket(client_io_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    return socket;
  }

  EventLoops loops_{2};
  std::unique_ptr<Server> server_;
  unsigned short port_ = 0;
  std::thread runner_;
  asio::io_context client_io_;
  std::mutex mu_;
  std::map<std::string, std::set<std::thread::id>> threads_by_path_;
};

TEST_F(ServerOnLoops, ConnectionsAreSpreadOverTheLoopsAndEachStaysOnOne) {
  std::vector<tcp::socket> sockets;
  for (int c = 0; c < 4; ++c) sockets.push_back(Connect());
  for (int round = 0; round < 3; ++round) {
    for (int c = 0; c < 4; ++c) {
      const std::string path = "/connection-" + std::to_string(c);
      const std::string response = RoundTrip(sockets[c], "GET", path);
      EXPECT_TRUE(response.starts_with("HTTP/1.1 200")) << response;
      EXPECT_TRUE(response.ends_with("\r\n\r\nhello from " + path)) << response;
    }
  }
  std::lock_guard lock(mu_);
  std::set<std::thread::id> all;
  for (const auto& [path, threads] : threads_by_path_) {
    EXPECT_EQ(threads.size(), 1u) << path << " was served by more than one loop";
    all.insert(threads.begin(), threads.end());
  }
  EXPECT_EQ(threads_by_path_.size(), 4u);
  EXPECT_EQ(all.size(), 2u) << "four connections should use both loops";
}

TEST_F(ServerOnLoops, HeadAnswersTheLengthOfTheBodyWithoutIt) {
  tcp::socket socket = Connect();
  const std::string head = RoundTrip(socket, "HEAD", "/x");
  EXPECT_NE(head.find("Content-Length: 13\r\n"), std::string::npos) << head;  // "hello from /x"
  // The connection is still in step: the next response is the next request's, body and all.
  EXPECT_TRUE(RoundTrip(socket, "GET", "/y").ends_with("\r\n\r\nhello from /y"));
}

}  // namespace
}  // namespace cairn::http
