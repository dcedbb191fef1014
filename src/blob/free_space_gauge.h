// The free space of a LocalDisk as last measured, for the checks that run on an event loop (the
// free-space reserve of every upload, the metrics page): statvfs(2) may wait on a slow or network
// file system, and an event loop must never wait. Measured once when made, then again on the
// scheduler (a worker pool) whenever a read finds the figure older than `max_age`; a read never
// blocks and returns the last figure meanwhile. An upload that fills the disk between two
// measurements still fails cleanly: the engine answers ENOSPC as InsufficientStorage. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "blob/blob_store.h"

namespace cairn::blob {

class FreeSpaceGauge {
 public:
  using Scheduler = std::function<void(std::function<void()>)>;

  // Measures now (blocking: make it at start-up). `disk` must outlive the gauge, and the gauge
  // must outlive the work it hands to `schedule`.
  FreeSpaceGauge(LocalDisk& disk, Scheduler schedule,
                 std::chrono::steady_clock::duration max_age = std::chrono::seconds(1));

  // The free bytes last measured; nullopt when that measurement failed.
  std::optional<uint64_t> FreeBytes();

 private:
  void Measure();

  static constexpr uint64_t kUnknown = UINT64_MAX;
  LocalDisk& disk_;
  const Scheduler schedule_;
  const std::chrono::steady_clock::duration max_age_;
  std::atomic<uint64_t> free_{kUnknown};
  std::atomic<std::chrono::steady_clock::rep> measured_at_{0};  // steady_clock ticks
  std::atomic<bool> measuring_{false};                          // a measurement is scheduled
};

}  // namespace cairn::blob
