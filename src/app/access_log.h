// The access log (`serve --access-log FILE|-`): one JSON object per line for every S3 request,
// with its request id, operation, bucket, key, status, bytes, duration and client address.
// Lines are handed to a background thread (spdlog's async logger), so a slow disk never holds up
// a request; each line is flushed as it is written, so `tail -f` shows requests as they finish.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "s3/context.h"

namespace spdlog {
class logger;
namespace details {
class thread_pool;
}
}  // namespace spdlog

namespace cairn::app {

class AccessLog {
 public:
  // `target` is a file path (appended to) or "-" for standard output.
  static Result<std::unique_ptr<AccessLog>> Open(const std::string& target);
  ~AccessLog();

  void Write(const s3::RequestRecord& request);

  // The JSON line for `request` (without the newline), at time `now`.
  static std::string Line(const s3::RequestRecord& request, TimePoint now);

 private:
  AccessLog(std::shared_ptr<spdlog::details::thread_pool> pool,
            std::shared_ptr<spdlog::logger> logger)
      : pool_(std::move(pool)), logger_(std::move(logger)) {}
  // The async logger holds its thread pool only weakly: the pool is declared first so that it
  // outlives the logger.
  std::shared_ptr<spdlog::details::thread_pool> pool_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace cairn::app
