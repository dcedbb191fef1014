#include "blob/free_space_gauge.h"

namespace cairn::blob {

using Clock = std::chrono::steady_clock;

FreeSpaceGauge::FreeSpaceGauge(LocalDisk& disk, Scheduler schedule, Clock::duration max_age)
    : disk_(disk), schedule_(std::move(schedule)), max_age_(max_age) {
  Measure();
}

void FreeSpaceGauge::Measure() {
  Result<uint64_t> free = disk_.FreeBytes();
  free_.store(free.ok() ? *free : kUnknown, std::memory_order_relaxed);
  measured_at_.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
}

std::optional<uint64_t> FreeSpaceGauge::FreeBytes() {
  const Clock::time_point measured{Clock::duration(measured_at_.load(std::memory_order_relaxed))};
  // One measurement at a time, however many uploads find the figure stale together.
  if (Clock::now() - measured > max_age_ && !measuring_.exchange(true)) {
    schedule_([this] {
      Measure();
      measuring_.store(false);
    });
  }
  const uint64_t free = free_.load(std::memory_order_relaxed);
  return free == kUnknown ? std::nullopt : std::optional<uint64_t>(free);
}

}  // namespace cairn::blob
