// Idle keep-alive connections of one client, shared by its threads. A connection is taken out for
// a whole round trip, so each thread (an upload worker, say) has its own while it works; the pool
// only decides which idle one to hand out and which to drop.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "client/http_connection.h"

namespace cairn::client {

class ConnectionPool {
 public:
  ConnectionPool(Endpoint endpoint, std::shared_ptr<TlsContext> tls, std::chrono::seconds timeout,
                 size_t max_idle = 32);

  // An idle connection that still looks open, or nullptr.
  std::unique_ptr<Connection> TakeIdle();
  // A new connection. Throws cairn::TransportError.
  std::unique_ptr<Connection> Connect();
  // Back to the pool when it can carry another request, else closed.
  void Release(std::unique_ptr<Connection> connection);

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  // Servers close idle connections after a while; older ones are not worth the retry they cost.
  static constexpr std::chrono::seconds kMaxIdle{20};

  const Endpoint endpoint_;
  const std::shared_ptr<TlsContext> tls_;
  const std::chrono::seconds timeout_;
  const size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;  // most recently used last
};

}  // namespace cairn::client
