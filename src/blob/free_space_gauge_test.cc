// The free-space gauge: measured when made, then re-measured only on the scheduler (never by the
// reader) once stale, one measurement at a time.
#include "blob/free_space_gauge.h"

#include <gtest/gtest.h>

#include <vector>

namespace cairn::blob {
namespace {

class FakeDisk : public LocalDisk {
 public:
  Result<uint64_t> FreeBytes() override {
    ++measured;
    if (fail) return Error(ErrorCode::kInternalError, "statvfs failed");
    return free;
  }
  Status RemoveTemporaries() override { return Status::Ok(); }
  uint64_t free = 1000;
  bool fail = false;
  int measured = 0;
};

struct ManualScheduler {
  std::vector<std::function<void()>> queued;
  FreeSpaceGauge::Scheduler Get() {
    return [this](std::function<void()> work) { queued.push_back(std::move(work)); };
  }
  void RunAll() {
    auto work = std::move(queued);
    queued.clear();
    for (auto& w : work) w();
  }
};

TEST(FreeSpaceGaugeTest, MeasuresWhenMadeAndReadsWithoutMeasuring) {
  FakeDisk disk;
  ManualScheduler scheduler;
  FreeSpaceGauge gauge(disk, scheduler.Get(), std::chrono::hours(1));
  EXPECT_EQ(disk.measured, 1);
  disk.free = 5;
  EXPECT_EQ(gauge.FreeBytes(), 1000u);  // fresh: the figure as measured, no new measurement
  EXPECT_EQ(disk.measured, 1);
  EXPECT_TRUE(scheduler.queued.empty());
}

TEST(FreeSpaceGaugeTest, StaleFigureIsMeasuredAgainOnTheScheduler) {
  FakeDisk disk;
  ManualScheduler scheduler;
  FreeSpaceGauge gauge(disk, scheduler.Get(), std::chrono::nanoseconds(0));
  disk.free = 42;
  // Stale: the reader gets the last figure at once, and one measurement is scheduled however
  // many readers come before it runs.
  EXPECT_EQ(gauge.FreeBytes(), 1000u);
  EXPECT_EQ(gauge.FreeBytes(), 1000u);
  EXPECT_EQ(disk.measured, 1);
  ASSERT_EQ(scheduler.queued.size(), 1u);
  scheduler.RunAll();
  EXPECT_EQ(disk.measured, 2);
  EXPECT_EQ(gauge.FreeBytes(), 42u);
  EXPECT_EQ(scheduler.queued.size(), 1u);  // stale again at once with a zero max age
}

TEST(FreeSpaceGaugeTest, FailedMeasurementIsUnknown) {
  FakeDisk disk;
  disk.fail = true;
  ManualScheduler scheduler;
  FreeSpaceGauge gauge(disk, scheduler.Get(), std::chrono::hours(1));
  EXPECT_EQ(gauge.FreeBytes(), std::nullopt);
}

}  // namespace
}  // namespace cairn::blob
