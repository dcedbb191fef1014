// The HTTP/1.1 server: accepts connections (plain TCP or TLS) on one address and runs a session
// coroutine for each, which parses request heads with Beast and hands each exchange to the handler.
// It bounds what one client can hold: every wait on a socket has a timeout, a peer that resets
// ends its connection only, and connections beyond a cap are refused.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "http/event_loops.h"
#include "http/exchange.h"

namespace cairn::http {

using Handler = std::function<Awaitable<void>(Exchange&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 9000;
  size_t header_limit = 64 * 1024;         // larger request heads get 431
  std::chrono::seconds idle_timeout{120};  // between requests on a kept-alive connection
  std::chrono::seconds io_timeout{300};    // for any single read or write to make progress
  // Connections served at once (0: no cap). One more is refused as Server::AcceptLoop says.
  size_t max_connections = 0;
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
};

// The default connection cap: (soft RLIMIT_NOFILE - 64) / 2, at least 16. Each connection may
// hold a blob file besides its socket; the 64 leave room for SQLite, logs and the event loops.
size_t DefaultMaxConnections();

class Server {
 public:
  // Listens on the loops' primary loop; each connection runs on a loop of its own.
  Server(EventLoops& loops, ServerOptions options, Handler handler);
  // Binds and starts accepting. Throws on a bind error. Returns the bound port (for port 0).
  unsigned short Start();
  // Stops accepting, closes idle connections at once and every other one after its current
  // exchange (whose response then says Connection: close). Call on the primary loop.
  void Stop();
  // Closes every connection still open (after Stop, when the grace period is over). Any thread.
  void CloseAll();
  // Connections open now. Any thread.
  size_t connections() const;

 private:
  Awaitable<void> AcceptLoop();
  EventLoops& loops_;
  ServerOptions options_;
  Handler handler_;
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace cairn::http
