// The HTTP server on its event loops, driven by plain sockets: connections are spread over the
// loops and each stays on one, responses carry their bodies (and HEAD answers none), and stopping
// the loops ends Run(). Then the limits: transfer codings, the connection cap, a graceful Stop,
// a stalled or reset reader of a SendFile.
#include "http/server.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <future>
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
    Start({}, [this](Exchange& ex) -> Awaitable<void> {
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
  }

  void Start(ServerOptions options, Handler handler) {
    options.port = 0;
    server_ = std::make_unique<Server>(loops_, options, std::move(handler));
    port_ = server_->Start();
    runner_ = std::thread([this] { loops_.Run(); });
  }

  void TearDown() override {
    if (!runner_.joinable()) return;
    asio::post(loops_.primary(), [this] { server_->Stop(); });
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

  // Everything the server sends until it closes the connection.
  static std::string ReadToEnd(tcp::socket& socket) {
    std::string all;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(all), ec);
    EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
    return all;
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

// The server's last check on a response head: a header whose name is not a token or whose value
// holds a control byte never reaches the wire, whatever a handler put in it, and the response
// around it keeps its framing.
class HostileHead : public ServerOnLoops {
 protected:
  void SetUp() override {
    Start({}, [](Exchange& ex) -> Awaitable<void> {
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
  }
};

TEST_F(HostileHead, UnsafeHeadersAreLeftOutAndTheRestIsIntact) {
  tcp::socket socket = Connect();
  asio::write(
      socket,
      asio::buffer(std::string("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")));
  const std::string response = ReadToEnd(socket);
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

TEST_F(ServerOnLoops, TransferCodingsOtherThanChunkedAre501AndCloseTheConnection) {
  for (const std::string coding : {"gzip, chunked", "gzip", "chunked, chunked"}) {
    tcp::socket socket = Connect();
    const std::string request = "PUT /coded HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding +
                                "\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    asio::write(socket, asio::buffer(request));
    const std::string response = ReadToEnd(socket);
    EXPECT_TRUE(response.starts_with("HTTP/1.1 501 ")) << coding << ": " << response;
    EXPECT_NE(response.find("<Code>NotImplemented</Code>"), std::string::npos) << response;
    EXPECT_NE(response.find("Connection: close\r\n"), std::string::npos) << response;
  }
  std::lock_guard lock(mu_);
  EXPECT_EQ(threads_by_path_.count("/coded"), 0u) << "the handler saw a request it cannot read";
}

// boto3 sends Expect: 100-continue with an empty PutObject, and takes a final response that
// came without 100 Continue as the status of the next response on the connection too.
TEST_F(ServerOnLoops, AnEmptyBodyThatExpectsContinueGetsItAndTheConnectionGoesOn) {
  tcp::socket socket = Connect();
  const std::string request =
      "PUT /empty HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n";
  asio::write(socket, asio::buffer(request));
  std::string response;
  asio::read_until(socket, asio::dynamic_buffer(response), "hello from /empty");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 ")) << response;
  EXPECT_EQ(response.find("Connection: close"), std::string::npos) << response;
  EXPECT_TRUE(RoundTrip(socket, "GET", "/next").starts_with("HTTP/1.1 200 "));
}

TEST_F(ServerOnLoops, ChunkedInAnyCaseIsStillServed) {
  tcp::socket socket = Connect();
  const std::string request =
      "PUT /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n";
  asio::write(socket, asio::buffer(request));
  std::string response;
  asio::read_until(socket, asio::dynamic_buffer(response), "hello from /chunked");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 ")) << response;
}

TEST_F(ServerOnLoops, AnHttp11RequestWithoutHostOrWithTwoIs400) {
  for (const std::string headers : {"", "Host: a\r\nHost: a\r\n", "Host: a\r\nHost: b\r\n"}) {
    tcp::socket socket = Connect();
    // Connection: close, so that a server that serves the request does not keep the test waiting.
    asio::write(socket,
                asio::buffer("GET /hosts HTTP/1.1\r\nConnection: close\r\n" + headers + "\r\n"));
    const std::string response = ReadToEnd(socket);
    EXPECT_TRUE(response.starts_with("HTTP/1.1 400 ")) << headers << ": " << response;
    EXPECT_NE(response.find("<Code>InvalidRequest</Code>"), std::string::npos) << response;
  }
  tcp::socket socket = Connect();
  asio::write(socket,
              asio::buffer(std::string("GET /hosts HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n")));
  EXPECT_TRUE(ReadToEnd(socket).starts_with("HTTP/1.1 400 "));
  std::lock_guard lock(mu_);
  EXPECT_EQ(threads_by_path_.count("/hosts"), 0u) << "the handler saw a request without one host";
}

TEST_F(ServerOnLoops, AnHttp10RequestMayLeaveOutHost) {
  tcp::socket socket = Connect();
  asio::write(socket, asio::buffer(std::string("GET /old HTTP/1.0\r\n\r\n")));
  const std::string response = ReadToEnd(socket);
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 ")) << response;
  EXPECT_TRUE(response.ends_with("hello from /old")) << response;
}

// A server whose handler reads the whole body and answers "got <body>", or 400 "read failed:
// <why>" when the read fails; what a chunked body may carry besides its data is bounded.
class ChunkedBodies : public ServerOnLoops {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.io_timeout = std::chrono::seconds(5);  // what a read without a bound waits for
    Start(options, [](Exchange& ex) -> Awaitable<void> {
      std::string body;
      std::string failure;
      try {
        char buffer[4096];
        while (!ex.body_done()) body.append(buffer, co_await ex.ReadBody(buffer, sizeof buffer));
      } catch (const std::exception& e) {
        failure = e.what();
      }
      ResponseHead head;
      head.status = failure.empty() ? 200 : 400;
      const std::string answer = failure.empty() ? "got " + body : "read failed: " + failure;
      co_await ex.Respond(std::move(head), answer);
    });
  }

  // The response to a chunked PUT whose body (after the head) is `body`; `finish` ends the
  // client's side after it, else the server only sees that nothing more comes.
  std::string Put(const std::string& body, bool finish = true) {
    tcp::socket socket = Connect();
    const std::string head = "PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    asio::write(socket, asio::buffer(head + body));
    if (finish) socket.shutdown(tcp::socket::shutdown_send);
    return ReadToEnd(socket);
  }
};

TEST_F(ChunkedBodies, ExtensionsAndATrailerWithinTheLimitsAreRead) {
  const std::string response =
      Put("5;a=b;c=\"d\"\r\nhello\r\n0;e\r\nX-A: " + std::string(8000, 'a') + "\r\nX-B: b\r\n\r\n");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 ")) << response;
  EXPECT_TRUE(response.ends_with("got hello")) << response;
}

// Beast 1.74 threw std::length_error for a trailer field over 64 KiB from inside the read, where
// nothing caught it: the process aborted.
TEST_F(ChunkedBodies, ATrailerFieldOver64KiBFailsTheReadNotTheProcess) {
  const std::string response =
      Put("5\r\nhello\r\n0\r\nX-T: " + std::string(70000, 't') + "\r\n\r\n");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 400 ")) << response.substr(0, 200);
  EXPECT_TRUE(Put("0\r\n\r\n").starts_with("HTTP/1.1 200 ")) << "the server is still up";
}

TEST_F(ChunkedBodies, ATrailerOver16KiBOr64FieldsFailsTheRead) {
  std::string many;
  for (int i = 0; i < 65; ++i) many += "X-T: t\r\n";
  for (const std::string& trailer : {"X-T: " + std::string(17000, 't') + "\r\n", many}) {
    const std::string response = Put("5\r\nhello\r\n0\r\n" + trailer + "\r\n");
    EXPECT_TRUE(response.starts_with("HTTP/1.1 400 ")) << response.substr(0, 200);
  }
}

TEST_F(ChunkedBodies, AChunkExtensionOver4KiBFailsTheRead) {
  const std::string response = Put("5;e=" + std::string(5000, 'x') + "\r\nhello\r\n0\r\n\r\n");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 400 ")) << response.substr(0, 200);
}

// Beast holds a chunk line or a trailer section whole until it ends: the session's buffer has a
// ceiling, so one that does not end within it fails the read instead of growing the buffer.
TEST_F(ChunkedBodies, ALineOrTrailerThatDoesNotEndWithin256KiBFailsTheRead) {
  std::string fields;
  while (fields.size() < (300 << 10)) fields += "X-T: t\r\n";
  for (const std::string& body : {std::string(300 << 10, '0'), "5;e=" + std::string(300 << 10, 'x'),
                                  "5\r\nhello\r\n0\r\n" + fields}) {
    const auto start = std::chrono::steady_clock::now();
    const std::string response = Put(body, /*finish=*/false);
    EXPECT_TRUE(response.starts_with("HTTP/1.1 400 ")) << response.substr(0, 200);
    EXPECT_NE(response.find("overflow"), std::string::npos) << response.substr(0, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  }
}

// Servers with options of their own and handlers that take their time.
class ServerLimits : public ServerOnLoops {
 protected:
  void SetUp() override {}

  // Answers after `delay` on this coroutine's loop.
  Awaitable<void> RespondAfter(Exchange& ex, std::chrono::milliseconds delay) {
    ++started_;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(delay);
    co_await timer.async_wait(asio::use_awaitable);
    co_await ex.Respond(ResponseHead{}, "done");
  }

  // Waits until `n` exchanges reached the handler.
  void AwaitStarted(int n) {
    for (int i = 0; i < 500 && started_ < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(started_, n);
  }

  size_t Connections() {
    for (int i = 0; i < 200 && server_->connections() > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return server_->connections();
  }

  std::atomic<int> started_{0};
};

TEST_F(ServerLimits, TheConnectionPastTheCapGets503SlowDownAndIsClosed) {
  ServerOptions options;
  options.max_connections = 1;
  Start(options, [this](Exchange& ex) { return RespondAfter(ex, std::chrono::milliseconds(0)); });
  tcp::socket first = Connect();
  EXPECT_TRUE(RoundTrip(first, "GET", "/").starts_with("HTTP/1.1 200 "));
  tcp::socket second = Connect();
  asio::write(second, asio::buffer(std::string("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
  const std::string refused = ReadToEnd(second);
  EXPECT_TRUE(refused.starts_with("HTTP/1.1 503 ")) << refused;
  EXPECT_NE(refused.find("<Code>SlowDown</Code>"), std::string::npos) << refused;
  EXPECT_NE(refused.find("Connection: close\r\n"), std::string::npos) << refused;
  // Once the first one is gone there is room again.
  first.close();
  EXPECT_EQ(Connections(), 0u);
  tcp::socket third = Connect();
  EXPECT_TRUE(RoundTrip(third, "GET", "/").starts_with("HTTP/1.1 200 "));
}

TEST_F(ServerLimits, StopClosesIdleConnectionsAndFinishesTheExchangeInFlight) {
  Start({}, [this](Exchange& ex) {
    return RespondAfter(ex, std::chrono::milliseconds(ex.request().target == "/slow" ? 300 : 0));
  });
  tcp::socket idle = Connect();
  EXPECT_TRUE(RoundTrip(idle, "GET", "/").starts_with("HTTP/1.1 200 "));
  tcp::socket busy = Connect();
  asio::write(busy, asio::buffer(std::string("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")));
  AwaitStarted(2);
  asio::post(loops_.primary(), [this] { server_->Stop(); });
  EXPECT_EQ(ReadToEnd(idle), "");
  const std::string response = ReadToEnd(busy);
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 ")) << response;
  EXPECT_NE(response.find("Connection: close\r\n"), std::string::npos) << response;
  EXPECT_TRUE(response.ends_with("done")) << response;
  EXPECT_EQ(Connections(), 0u);
  boost::system::error_code ec;
  tcp::socket late(client_io_);
  late.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
  EXPECT_EQ(ec, asio::error::connection_refused);
}

TEST_F(ServerLimits, CloseAllCutsAnExchangeThatWillNotFinish) {
  Start({}, [this](Exchange& ex) { return RespondAfter(ex, std::chrono::seconds(30)); });
  tcp::socket stuck = Connect();
  asio::write(stuck, asio::buffer(std::string("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
  AwaitStarted(1);
  asio::post(loops_.primary(), [this] { server_->Stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(server_->connections(), 1u);
  const auto start = std::chrono::steady_clock::now();
  server_->CloseAll();
  EXPECT_EQ(ReadToEnd(stuck), "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// A handler that sends a 64 MiB file with SendFile and reports how that ended.
class SendFileEnds : public ServerLimits {
 protected:
  void SetUp() override {
    file_ = std::tmpfile();
    ASSERT_NE(file_, nullptr);
    ASSERT_EQ(::ftruncate(fileno(file_), kSize), 0);
    ServerOptions options;
    options.io_timeout = std::chrono::seconds(1);
    Start(options, [this](Exchange& ex) -> Awaitable<void> {
      co_await ex.RespondHead(ResponseHead{}, kSize);
      std::string outcome = "returned";
      try {
        co_await ex.SendFile(fileno(file_), 0, kSize);
      } catch (const std::exception& e) {
        outcome = std::string("threw: ") + e.what();
      }
      ended_.set_value(outcome);
    });
  }
  void TearDown() override {
    ServerLimits::TearDown();
    std::fclose(file_);
  }

  // A connection that asked for the file and read a little of it.
  tcp::socket StartReading() {
    tcp::socket socket(client_io_);
    socket.open(tcp::v4());
    socket.set_option(asio::socket_base::receive_buffer_size(4096));
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    asio::write(socket, asio::buffer(std::string("GET /file HTTP/1.1\r\nHost: x\r\n\r\n")));
    char some[4096];
    socket.read_some(asio::buffer(some));
    return socket;
  }

  static constexpr uint64_t kSize = 64 << 20;
  FILE* file_ = nullptr;
  std::promise<std::string> ended_;
};

TEST_F(SendFileEnds, AReaderThatStopsIsTimedOut) {
  tcp::socket socket = StartReading();
  auto ended = ended_.get_future();
  ASSERT_EQ(ended.wait_for(std::chrono::seconds(10)), std::future_status::ready)
      << "the stalled send has no timeout";
  const std::string outcome = ended.get();
  EXPECT_NE(outcome.find("timeout"), std::string::npos) << outcome;
}

TEST_F(SendFileEnds, AReaderThatResetsEndsOnlyItsConnection) {
  tcp::socket socket = StartReading();
  socket.set_option(asio::socket_base::linger(true, 0));
  socket.close();  // a RST
  auto ended = ended_.get_future();
  ASSERT_EQ(ended.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(ended.get(), "returned");  // not an error of the handler's
  EXPECT_EQ(Connections(), 0u);
}

}  // namespace
}  // namespace cairn::http
