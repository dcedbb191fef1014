#include "http/event_loops.h"

#include <algorithm>
#include <thread>

namespace cairn::http {

EventLoops::EventLoops(unsigned count) {
  for (unsigned i = 0; i < std::max(1u, count); ++i) {
    // Concurrency hint 1: each loop is run by exactly one thread.
    loops_.push_back(std::make_unique<Loop>(1));
    idle_guards_.emplace_back(loops_.back()->get_executor());
  }
}

// Coroutines left pending on one loop hold objects of another: a session holds the server whose
// listener is on the primary loop, the accept loop holds a socket made for a connection loop.
// Destroying a loop frees its socket service, so every loop's pending coroutines are destroyed
// first, while all services still exist (AddressSanitizer caught the use after free in
// server_test when the loops were destroyed one by one).
EventLoops::~EventLoops() {
  idle_guards_.clear();
  for (auto& loop : loops_) loop->shutdown();
}

boost::asio::io_context& EventLoops::NextForConnection() {
  return *loops_[next_.fetch_add(1, std::memory_order_relaxed) % loops_.size()];
}

void EventLoops::Run() {
  std::vector<std::thread> threads;
  for (size_t i = 1; i < loops_.size(); ++i) {
    threads.emplace_back([loop = loops_[i].get()] { loop->run(); });
  }
  loops_.front()->run();
  for (auto& t : threads) t.join();
}

void EventLoops::Stop() {
  for (auto& loop : loops_) loop->stop();
}

}  // namespace cairn::http
