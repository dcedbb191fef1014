#include "app/lifecycle_worker.h"

#include <spdlog/spdlog.h>

#include "common/every.h"
#include "common/log_text.h"
#include "common/offload.h"

namespace cairn::app {

void LifecycleWorker::Start(boost::asio::io_context& io, std::chrono::seconds interval) {
  Every(io, interval, [this]() -> Awaitable<void> {
    auto report = co_await RunBlocking(pool_, [this] { return SweepNow(); });
    if (!report.ok()) {
      spdlog::warn("lifecycle sweep failed: {}", LogSafe(report.error().Message()));
    } else if (report->aborted_uploads + report->expired_objects + report->transitioned_objects) {
      spdlog::info("lifecycle: aborted {} upload(s), expired {} object(s), moved {} to STANDARD_IA",
                   report->aborted_uploads, report->expired_objects, report->transitioned_objects);
    }
  });
}

Result<core::SweepReport> LifecycleWorker::SweepNow() {
  std::lock_guard lock(sweep_mu_);
  const auto start = std::chrono::steady_clock::now();
  Result<core::SweepReport> report = sweeper_.SweepOnce(Now());
  // A pass skipped for another gateway's (SweepReport::skipped) is none of this one's metrics.
  if (report.ok() && !report->skipped && on_sweep_) {
    on_sweep_(std::chrono::steady_clock::now() - start, *report);
  }
  return report;
}

}  // namespace cairn::app
