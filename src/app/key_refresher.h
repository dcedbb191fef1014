// Keeps the access keys of a gateway in step with the other gateways on a shared metadata store:
// every `interval`, on the worker pool, KeyRing::Refresh (one indexed read when nothing changed).
// A failure is logged once when it starts and once when it ends, not at every round.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>

#include "keys/key_ring.h"

namespace cairn::app {

class KeyRefresher {
 public:
  KeyRefresher(keys::KeyRing& keys, boost::asio::thread_pool& pool) : keys_(keys), pool_(pool) {}

  // Starts the periodic refresh on `io` (it ends when `io` stops).
  void Start(boost::asio::io_context& io, std::chrono::milliseconds interval);

 private:
  keys::KeyRing& keys_;
  boost::asio::thread_pool& pool_;
  bool failing_ = false;  // only touched by the refresh loop, one round at a time
};

}  // namespace cairn::app
