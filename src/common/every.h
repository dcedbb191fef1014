// The shape of cairn's background loops (lifecycle rounds, access-key refreshes, reclaiming blobs
// whose grace passed): a coroutine on the event loop that waits `interval`, runs one round, and
// waits again, until the loop stops. A slow round delays the next one, so rounds never overlap.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <utility>

#include "common/awaitable.h"

namespace cairn {

// `round`: a callable returning Awaitable<void>; the first round runs one interval from now.
template <typename Round>
void Every(boost::asio::io_context& io, std::chrono::steady_clock::duration interval, Round round) {
  auto loop = [&io, interval, round = std::move(round)]() mutable -> Awaitable<void> {
    boost::asio::steady_timer timer(io);
    for (;;) {
      timer.expires_after(interval);
      co_await timer.async_wait(boost::asio::use_awaitable);
      co_await round();
    }
  };
  boost::asio::co_spawn(io, std::move(loop), boost::asio::detached);
}

}  // namespace cairn
