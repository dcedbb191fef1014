#include "app/key_refresher.h"

#include <spdlog/spdlog.h>

#include "common/every.h"
#include "common/log_text.h"
#include "common/offload.h"

namespace cairn::app {

void KeyRefresher::Start(boost::asio::io_context& io, std::chrono::milliseconds interval) {
  Every(io, interval, [this]() -> Awaitable<void> {
    Result<bool> refreshed = co_await RunBlocking(pool_, [this] { return keys_.Refresh(); });
    if (!refreshed.ok() && !failing_) {
      spdlog::warn("access keys: cannot check the metadata store for changes: {}",
                   LogSafe(refreshed.error().Message()));
    } else if (refreshed.ok() && failing_) {
      spdlog::info("access keys: checking the metadata store for changes again");
    }
    failing_ = !refreshed.ok();
  });
}

}  // namespace cairn::app
