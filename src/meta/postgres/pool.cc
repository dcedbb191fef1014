#include "meta/postgres/pool.h"

#include <algorithm>

namespace cairn::meta::postgres {

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::Open(const std::string& uri, int size,
                                                             const SessionOptions& session,
                                                             std::chrono::milliseconds wait) {
  std::vector<std::unique_ptr<Connection>> connections;
  for (int i = 0; i < std::max(1, size); ++i) {
    Result<std::unique_ptr<Connection>> c = Connection::Open(uri, session);
    if (!c.ok()) return c.error();
    connections.push_back(std::move(*c));
  }
  return std::unique_ptr<ConnectionPool>(new ConnectionPool(std::move(connections), wait));
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  std::unique_ptr<Connection> c;
  {
    std::unique_lock lock(mu_);
    if (!returned_.wait_for(lock, wait_, [&] { return !idle_.empty(); })) {
      return Error(ErrorCode::kStorageBusy,
                   "postgres: every connection of the pool stayed busy for " +
                       std::to_string(wait_.count()) + " ms (--meta-pool)");
    }
    c = std::move(idle_.back());
    idle_.pop_back();
  }
  Lease lease(*this, std::move(c));
  if (lease->broken()) {
    if (Status s = lease->Reset(); !s.ok()) return s.error();
  }
  return lease;
}

void ConnectionPool::Return(std::unique_ptr<Connection> c) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(c));
  }
  returned_.notify_one();
}

}  // namespace cairn::meta::postgres
