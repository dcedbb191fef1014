// A fixed set of PostgreSQL connections shared by the threads that call the store: a call leases
// one for the length of its transaction, and waits when all are leased (the pool size bounds the
// sessions one gateway opens on the server). A connection found broken is reconnected when next
// leased, so a gateway recovers by itself once PostgreSQL is back.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "meta/postgres/connection.h"

namespace cairn::meta::postgres {

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> c) : pool_(&pool), c_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (c_) pool_->Return(std::move(c_));
    }
    Connection& operator*() const { return *c_; }
    Connection* operator->() const { return c_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> c_;
  };

  // Opens `size` (at least 1) connections to `uri` with `session` (Connection::Open). A call
  // waits at most `wait` for a connection. Errors: kStorageUnavailable.
  static Result<std::unique_ptr<ConnectionPool>> Open(const std::string& uri, int size,
                                                      const SessionOptions& session,
                                                      std::chrono::milliseconds wait);

  // A connection, reconnected first if it was broken. Errors: kStorageUnavailable when it cannot
  // be, kStorageBusy when none came free within the wait (the client is told to slow down).
  Result<Lease> Acquire();

 private:
  ConnectionPool(std::vector<std::unique_ptr<Connection>> idle, std::chrono::milliseconds wait)
      : wait_(wait), idle_(std::move(idle)) {}
  void Return(std::unique_ptr<Connection> c);

  const std::chrono::milliseconds wait_;
  std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace cairn::meta::postgres
