// Runs blocking work (disk writes, fsync, SQLite) on a worker pool and resumes the calling
// coroutine on its own executor with the result, so the event loop only ever does socket I/O.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

#include "common/awaitable.h"

namespace cairn {

// Pass `work` as a named lambda or one that captures by reference: GCC 12 destroys a lambda
// twice when it is written inside the co_await expression and captures a non-trivial object by
// value (`co_await RunBlocking(pool, [s = std::string()] {...})` double-frees `s`).
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
      boost::asio::dispatch(
          executor, [handler = std::move(handler), error, result = std::move(result)]() mutable {
            handler(error, std::move(result));
          });
    });
  };
  Slot slot = co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                                   void(std::exception_ptr, Slot)>(
      std::move(initiate), boost::asio::use_awaitable);
  co_return std::move(*slot);
}

// Blocking work started now and awaited later, so that the calling coroutine can do something else
// meanwhile (read the next pieces of a body while earlier ones are hashed and written). It runs on
// `where`: a thread pool, or a strand of one to keep a sequence of tasks in order. Wait() must be
// awaited exactly once, from the coroutine that started the task.
template <typename R>
class BlockingTask {
 public:
  template <typename PoolOrExecutor, typename F>
  BlockingTask(PoolOrExecutor&& where, F work) : state_(std::make_shared<State>()) {
    boost::asio::post(where, [state = state_, work = std::move(work)]() mutable {
      Slot result;
      std::exception_ptr error;
      try {
        result.emplace(work());
      } catch (...) {
        error = std::current_exception();
      }
      std::function<void(std::exception_ptr, Slot)> waiter;
      {
        std::lock_guard lock(state->mu);
        state->result = std::move(result);
        state->error = error;
        state->done = true;
        waiter = std::move(state->waiter);
      }
      if (waiter) waiter(state->error, std::move(state->result));
    });
  }

  Awaitable<R> Wait() {
    auto initiate = [state = state_](auto handler) {
      auto executor = boost::asio::get_associated_executor(handler);
      auto resume = [executor, handler = std::make_shared<decltype(handler)>(std::move(handler))](
                        std::exception_ptr error, Slot result) mutable {
        boost::asio::dispatch(executor, [handler, error, result = std::move(result)]() mutable {
          (*handler)(error, std::move(result));
        });
      };
      std::unique_lock lock(state->mu);
      if (!state->done) {
        state->waiter = std::move(resume);
        return;
      }
      lock.unlock();
      resume(state->error, std::move(state->result));
    };
    Slot slot = co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                                     void(std::exception_ptr, Slot)>(
        std::move(initiate), boost::asio::use_awaitable);
    co_return std::move(*slot);
  }

 private:
  using Slot = std::optional<R>;
  struct State {
    std::mutex mu;
    bool done = false;
    Slot result;
    std::exception_ptr error;
    std::function<void(std::exception_ptr, Slot)> waiter;
  };
  std::shared_ptr<State> state_;
};

}  // namespace cairn
