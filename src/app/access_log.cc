#include "app/access_log.h"

#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace cairn::app {

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& target) {
  spdlog::sink_ptr sink;
  try {
    if (target == "-") {
      sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    } else {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(target, /*truncate=*/false);
    }
  } catch (const spdlog::spdlog_ex& e) {
    return Error(ErrorCode::kInternalError, std::string("access log: ") + e.what());
  }
  // One background thread and a bounded queue: when the queue is full, requests wait rather
  // than lines being lost.
  auto pool = std::make_shared<spdlog::details::thread_pool>(8192, 1);
  auto logger = std::make_shared<spdlog::async_logger>("access", std::move(sink), pool,
                                                       spdlog::async_overflow_policy::block);
  logger->set_pattern("%v");
  logger->flush_on(spdlog::level::info);
  return std::unique_ptr<AccessLog>(new AccessLog(std::move(pool), std::move(logger)));
}

AccessLog::~AccessLog() { logger_->flush(); }

std::string AccessLog::Line(const s3::RequestRecord& r, TimePoint now) {
  const double ms = std::chrono::duration<double, std::milli>(r.duration).count();
  nlohmann::json line = {
      {"time", FormatIso8601(now)},
      {"request_id", r.request_id},
      {"operation", r.operation},
      {"bucket", r.bucket},
      {"key", r.key},
      {"status", r.status},
      {"bytes_received", r.bytes_received},
      {"bytes_sent", r.bytes_sent},
      {"duration_ms", std::round(ms * 1000) / 1000},
      {"remote_address", r.remote_address},
      {"access_key_id", r.access_key_id},
      {"parent_access_key_id", r.parent_access_key_id},
  };
  // Keys are bytes: a key that is not UTF-8 is written with replacement characters, never
  // dropped and never allowed to break the line. The line is ASCII: JSON escapes control bytes
  // anyway, and ensure_ascii also escapes DEL, the C1 controls and U+2028/U+2029, which terminals
  // and some log tools take for controls or line breaks.
  return line.dump(-1, ' ', /*ensure_ascii=*/true, nlohmann::json::error_handler_t::replace);
}

void AccessLog::Write(const s3::RequestRecord& request) {
  logger_->info(Line(request, NowMillis()));
}

}  // namespace cairn::app
