// The pool hands out the most recently used idle connection (the likeliest still to be open on the
// server) and drops those that are old or that the server has closed.
#include "client/connection_pool.h"

namespace cairn::client {

ConnectionPool::ConnectionPool(Endpoint endpoint, std::shared_ptr<TlsContext> tls,
                               std::chrono::seconds timeout, size_t max_idle)
    : endpoint_(std::move(endpoint)),
      tls_(std::move(tls)),
      timeout_(timeout),
      max_idle_(max_idle) {}

std::unique_ptr<Connection> ConnectionPool::TakeIdle() {
  std::vector<std::unique_ptr<Connection>> dropped;  // closed outside the lock
  std::unique_ptr<Connection> found;
  {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    while (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      if (now - c->last_used < kMaxIdle && !c->Stale()) {
        found = std::move(c);
        break;
      }
      dropped.push_back(std::move(c));
    }
  }
  return found;
}

std::unique_ptr<Connection> ConnectionPool::Connect() {
  return std::make_unique<Connection>(endpoint_, tls_, timeout_);
}

void ConnectionPool::Release(std::unique_ptr<Connection> connection) {
  if (!connection || !connection->reusable()) return;
  std::lock_guard lock(mutex_);
  if (idle_.size() >= max_idle_) idle_.erase(idle_.begin());
  idle_.push_back(std::move(connection));
}

}  // namespace cairn::client
