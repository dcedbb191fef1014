#include "http/event_loops.h"

#include <algorithm>
#include <thread>

namespace cairn::http {

EventLoops::EventLoops(unsigned count) {
  for (unsigned i = 0; i < std::max(1u, count); ++i) {
    // Concurrency hint 1: each loop is run by exactly one thread.
    loops_.push_back(std::make_unique<boost::asio::io_context>(1));
    idle_guards_.emplace_back(loops_.back()->get_executor());
  }
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
