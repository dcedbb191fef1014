// Runs the lifecycle sweeper in the background: every `interval` on the worker pool (never on the
// event loop), at the lifecycle clock's time. The clock is real time plus an offset that only the
// test hooks move. Sweeps never overlap.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <mutex>

#include "core/lifecycle_sweeper.h"

namespace cairn::app {

class LifecycleWorker {
 public:
  // Told of every sweep that worked: how long it took and what it did (for the metrics).
  using SweepObserver =
      std::function<void(std::chrono::nanoseconds took, const core::SweepReport&)>;

  LifecycleWorker(core::LifecycleSweeper& sweeper, boost::asio::thread_pool& pool,
                  SweepObserver on_sweep = {})
      : sweeper_(sweeper), pool_(pool), on_sweep_(std::move(on_sweep)) {}

  // Starts the periodic sweep on `io` (it ends when `io` stops).
  void Start(boost::asio::io_context& io, std::chrono::seconds interval);

  // One sweep now, at the lifecycle clock's time (blocking; waits for a running sweep).
  Result<core::SweepReport> SweepNow();
  void AdvanceClock(std::chrono::seconds by) { offset_ms_ += by.count() * 1000; }
  TimePoint Now() const { return NowMillis() + std::chrono::milliseconds(offset_ms_.load()); }

 private:
  core::LifecycleSweeper& sweeper_;
  boost::asio::thread_pool& pool_;
  SweepObserver on_sweep_;
  std::mutex sweep_mu_;
  std::atomic<int64_t> offset_ms_{0};
};

}  // namespace cairn::app
