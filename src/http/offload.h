// Runs blocking work (disk writes, fsync, SQLite) on a worker pool and resumes the calling coroutine
// on its own executor with the result, so the event loop only ever does socket I/O.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "http/exchange.h"

namespace cairn::http {

template <typename F, typename R = std::invoke_result_t<F&>>
Awaitable<R> RunBlocking(boost::asio::thread_pool& pool, F work) {
  using Slot = std::optional<R>;
  auto initiate = [&pool, work = std::move(work)](auto handler) mutable {
    boost::asio::post(pool, [work = std::move(work), handler = std::move(handler)]() mutable {
      std::exception_ptr error;
      Slot result;
      try {
        result.emplace(work());
      } catch (...) {
        error = std::current_exception();
      }
      auto executor = boost::asio::get_associated_executor(handler);
      boost::asio::dispatch(executor, [handler = std::move(handler), error,
                                       result = std::move(result)]() mutable {
        handler(error, std::move(result));
      });
    });
  };
  Slot slot = co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                                   void(std::exception_ptr, Slot)>(
      std::move(initiate), boost::asio::use_awaitable);
  co_return std::move(*slot);
}

}  // namespace cairn::http
