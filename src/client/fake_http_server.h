// A scripted HTTP/1.1 server on a loopback port, for the client's unit tests: it parses requests
// (Content-Length or chunked bodies), hands each to a script, and writes what the script returns.
// One thread per connection, so that several client threads can talk to it at once.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace cairn::client::testing {

struct Received {
  std::string method, target, body;
  std::map<std::string, std::string> headers;
};

struct Action {
  std::string response;  // raw HTTP; empty: close without answering
  bool close = false;
};

// The script sees each request with the index of its connection and its index on that
// connection; it is called from the connection threads.
class FakeServer {
 public:
  using Script = std::function<Action(const Received&, int connection, int nth)>;

  explicit FakeServer(Script script) : script_(std::move(script)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ::listen(listen_fd_, 8);
    thread_ = std::thread([this] { Serve(); });
  }
  // Destroy the clients first: connection threads end when their client closes the connection.
  ~FakeServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    for (std::thread& t : connection_threads_) t.join();
    ::close(listen_fd_);
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_; }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  void Serve() {
    for (int index = 0;; ++index) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      ++connections_;
      connection_threads_.emplace_back([this, fd, index] { ServeConnection(fd, index); });
    }
  }

  void ServeConnection(int fd, int index) {
    std::string buffer;
    for (int nth = 0;; ++nth) {
      Received r;
      if (!ReadRequest(fd, buffer, r)) break;
      {
        std::lock_guard lock(mutex_);
        received_.push_back(r);
      }
      Action a = script_(r, index, nth);
      if (a.response.empty()) break;
      (void)!::write(fd, a.response.data(), a.response.size());
      if (a.close) break;
    }
    ::close(fd);
  }

  static bool Fill(int fd, std::string& buffer) {
    char chunk[65536];
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  }

  static bool ReadLine(int fd, std::string& buffer, std::string& line) {
    size_t end;
    while ((end = buffer.find("\r\n")) == std::string::npos) {
      if (!Fill(fd, buffer)) return false;
    }
    line = buffer.substr(0, end);
    buffer.erase(0, end + 2);
    return true;
  }

  static bool ReadRequest(int fd, std::string& buffer, Received& r) {
    std::string line;
    if (!ReadLine(fd, buffer, line)) return false;
    std::istringstream first(line);
    first >> r.method >> r.target;
    while (ReadLine(fd, buffer, line) && !line.empty()) {
      size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    if (r.headers.count("content-length")) {
      size_t length = std::stoul(r.headers["content-length"]);
      while (buffer.size() < length) {
        if (!Fill(fd, buffer)) return false;
      }
      r.body = buffer.substr(0, length);
      buffer.erase(0, length);
    } else if (r.headers["transfer-encoding"] == "chunked") {
      for (;;) {
        if (!ReadLine(fd, buffer, line)) return false;
        size_t size = std::stoul(line, nullptr, 16);
        while (buffer.size() < size + 2) {
          if (!Fill(fd, buffer)) return false;
        }
        r.body += buffer.substr(0, size);
        buffer.erase(0, size + 2);
        if (size == 0) break;
      }
    }
    return true;
  }

  Script script_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::vector<std::thread> connection_threads_;
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::vector<Received> received_;
};

// A response with a Content-Length; `extra` is more header lines, each ending in CRLF.
inline std::string Answer(int status, const std::string& body = "", const std::string& extra = "") {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
}

}  // namespace cairn::client::testing
