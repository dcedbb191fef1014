#include "app/key_refresher.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/log_text.h"
#include "common/offload.h"

namespace cairn::app {

void KeyRefresher::Start(boost::asio::io_context& io, std::chrono::milliseconds interval) {
  auto loop = [this, &io, interval]() -> Awaitable<void> {
    boost::asio::steady_timer timer(io);
    for (;;) {
      timer.expires_after(interval);
      co_await timer.async_wait(boost::asio::use_awaitable);
      Result<bool> refreshed = co_await RunBlocking(pool_, [this] { return keys_.Refresh(); });
      if (!refreshed.ok() && !failing_) {
        spdlog::warn("access keys: cannot check the metadata store for changes: {}",
                     LogSafe(refreshed.error().Message()));
      } else if (refreshed.ok() && failing_) {
        spdlog::info("access keys: checking the metadata store for changes again");
      }
      failing_ = !refreshed.ok();
    }
  };
  boost::asio::co_spawn(io, std::move(loop), boost::asio::detached);
}

}  // namespace cairn::app
