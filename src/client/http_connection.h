// One HTTP/1.1 connection to the S3 endpoint, plain or TLS, used by one thread at a time. A round
// trip streams the request body from a cairn::Body and the response body to a sink, so neither
// is held in memory. Each operation is bounded by the client's timeout (Beast's tcp_stream timer,
// driven on the calling thread: the API is synchronous, the I/O underneath is not, because
// synchronous Asio sockets cannot time out).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cairn/body.h"

namespace cairn::client {

// Where the server is: parsed from ClientConfig::endpoint ("http://127.0.0.1:9000").
struct Endpoint {
  bool tls = false;
  std::string host;  // for connecting and TLS: "127.0.0.1", "::1", "s3.example.com"
  uint16_t port = 0;
  std::string host_header;      // "127.0.0.1:9000"; the port is left out when it is the default
  std::string base_url;         // "http://127.0.0.1:9000", no trailing slash
  std::string Display() const;  // "127.0.0.1:9000", for messages
};

// Throws std::invalid_argument for anything but http(s)://host[:port][/].
Endpoint ParseEndpoint(std::string_view url);

struct HttpRequest {
  std::string method;
  std::string target;  // raw path, then '?' and the raw query when there is one
  std::vector<std::pair<std::string, std::string>> headers;
  Body* body = nullptr;  // nullptr: no body
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;                                          // the body, unless a sink took it
  uint64_t bytes_sent = 0;                                   // request body bytes sent

  std::optional<std::string> Header(std::string_view lowercase_name) const;
};

// Receives the body of a 2xx response piece by piece. Other responses are collected into
// HttpResponse::body (their error documents), up to 1 MiB.
using BodySink = std::function<void(const char* data, size_t size)>;

// A round trip that failed for want of an answer. `nothing_received` tells the caller that not one
// byte of a response arrived, so the server cannot have acted on a request it never saw complete
// on a connection it had already closed: the case of a stale pooled connection.
class ConnectionError : public std::runtime_error {
 public:
  ConnectionError(const std::string& what, bool nothing_received)
      : std::runtime_error(what), nothing_received_(nothing_received) {}
  bool nothing_received() const { return nothing_received_; }

 private:
  bool nothing_received_;
};

struct TlsSettings {
  bool verify = true;
  std::string ca_file;  // empty: the system's trust store
};

class TlsContext;  // an OpenSSL client context shared by the connections of one client

std::shared_ptr<TlsContext> MakeTlsContext(const TlsSettings& settings);

class Connection {
 public:
  // Connects, and for https handshakes and verifies the server. Throws cairn::TransportError.
  Connection(const Endpoint& endpoint, std::shared_ptr<TlsContext> tls,
             std::chrono::seconds timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends `request` and reads the response. `head_request`: the response has no body whatever
  // its headers say. Throws ConnectionError when no complete response arrived, and lets errors of
  // the body or the sink through (std::runtime_error).
  HttpResponse RoundTrip(const HttpRequest& request, const BodySink& sink, bool head_request);

  // Whether the connection may carry another request (keep-alive, the last one completed).
  bool reusable() const;
  // Whether the server closed the connection (or sent something unasked) since its last use.
  bool Stale() const;

  std::chrono::steady_clock::time_point last_used;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace cairn::client
