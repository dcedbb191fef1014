// The coroutine type of every asynchronous step in cairn: an Asio awaitable. Core services, the
// S3 layer and the HTTP server all speak it, so it lives here rather than in any one of them.
#pragma once

// clang-format off: before Asio, whose awaitable.hpp uses std::exchange without including it
#include <utility>
// clang-format on

#include <boost/asio/awaitable.hpp>

namespace cairn {

template <typename T>
using Awaitable = boost::asio::awaitable<T>;

}  // namespace cairn
