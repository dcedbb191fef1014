// The server's event loops: one io_context per thread, each connection kept on one of them for
// its life. With a loop per thread nothing on a connection's path takes a lock or wakes another
// thread (one shared io_context run by several threads needs a strand per connection and hands
// completions across threads, which cost more than parsing the request itself).
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

namespace cairn::http {

class EventLoops {
 public:
  explicit EventLoops(unsigned count);
  // Destroys what every loop still holds before it destroys any loop (see event_loops.cc).
  ~EventLoops();
  EventLoops(const EventLoops&) = delete;
  EventLoops& operator=(const EventLoops&) = delete;

  // The loop that runs everything but connections: listeners, timers, signals.
  boost::asio::io_context& primary() { return *loops_.front(); }
  // The loop for the next new connection (round robin).
  boost::asio::io_context& NextForConnection();
  // Runs every loop, the primary one on the calling thread, until Stop(); joins the others.
  void Run();
  // Ends every loop's run (safe from any thread, and from a handler on any loop).
  void Stop();

 private:
  // An io_context whose shutdown (the destruction of its pending handlers) can run apart from
  // its destruction.
  class Loop : public boost::asio::io_context {
   public:
    using execution_context::shutdown;
    using io_context::io_context;
  };
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::vector<WorkGuard> idle_guards_;  // keep loops without connections running
  std::atomic<size_t> next_{0};
};

}  // namespace cairn::http
