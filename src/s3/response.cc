#include "s3/response.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/log_text.h"
#include "common/time_format.h"
#include "core/storage_errors.h"
#include "http/status_text.h"
#include "s3/cors_response.h"
#include "s3/xml.h"

namespace cairn::s3 {
namespace {

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

bool IsServerFailure(const ErrorInfo& info) {
  return info.http_status >= 500 && info.http_status != 501;
}

}  // namespace

http::ResponseHead BaseHeadFor(std::string_view request_id, int status) {
  http::ResponseHead head;
  head.status = status;
  head.Set("x-amz-request-id", std::string(request_id));
  head.Set("x-amz-id-2", std::string(request_id));
  head.Set("Date", FormatHttpDate(NowMillis()));
  head.Set("Server", "cairn");
  return head;
}

http::ResponseHead BaseHead(const RequestContext& ctx, int status) {
  http::ResponseHead head = BaseHeadFor(ctx.request_id, status);
  if (ctx.cors) AddCorsHeaders(*ctx.cors, head);
  return head;
}

Awaitable<void> RespondXml(RequestContext& ctx, int status, std::string body) {
  http::ResponseHead head = BaseHead(ctx, status);
  head.Set("Content-Type", "application/xml");
  co_await ctx.exchange.Respond(std::move(head), body);
}

Awaitable<void> RespondEmpty(RequestContext& ctx, int status) {
  co_await ctx.exchange.Respond(BaseHead(ctx, status), {});
}

Error ForClient(const Error& error, std::string_view request_id) {
  if (IsStorageError(error.code)) {
    const Error shown = core::ToClientError(error);
    spdlog::error("request {}: {} ({}{}): {}", request_id, LookupError(shown.code).code,
                  LookupError(error.code).code, error.outcome_unknown ? ", outcome unknown" : "",
                  LogSafe(error.Message()));
    return shown;
  }
  const ErrorInfo& info = LookupError(error.code);
  if (!IsServerFailure(info) || error.message.empty()) return error;
  spdlog::error("request {}: {}: {}", request_id, info.code, LogSafe(error.message));
  return Error(error.code);
}

Awaitable<void> RespondError(http::Exchange& exchange, const Error& failure,
                             std::string_view request_id, const ErrorSubject& subject,
                             const core::CorsHeaders* cors, std::chrono::seconds retry_after) {
  const Error error = ForClient(failure, request_id);
  const ErrorInfo& info = LookupError(error.code);
  http::ResponseHead head = BaseHeadFor(request_id, info.http_status);
  if (cors) AddCorsHeaders(*cors, head);
  retry_after = std::max(retry_after, core::RetryAfter(failure));
  if (retry_after.count() > 0) head.Set("Retry-After", std::to_string(retry_after.count()));
  if (info.http_status == 304) {
    co_await exchange.Respond(std::move(head), {});
    co_return;
  }
  head.Set("Content-Type", "application/xml");
  std::string body = RenderError(error, PathOf(exchange.request().target), request_id, subject);
  co_await exchange.Respond(std::move(head), body);
}

Awaitable<void> RespondPublicError(http::Exchange& exchange, const Error& failure,
                                   std::string_view request_id, const core::CorsHeaders* cors) {
  const Error error = ForClient(failure, request_id);  // logs a server failure's detail
  const ErrorInfo& info = LookupError(error.code);
  http::ResponseHead head = BaseHeadFor(request_id, info.http_status);
  if (cors) AddCorsHeaders(*cors, head);
  if (const auto retry_after = core::RetryAfter(failure); retry_after.count() > 0) {
    head.Set("Retry-After", std::to_string(retry_after.count()));
  }
  if (info.http_status == 304) {
    co_await exchange.Respond(std::move(head), {});
    co_return;
  }
  head.Set("Content-Type", "text/html; charset=utf-8");
  const std::string title =
      std::to_string(info.http_status) + " " + std::string(http::StatusText(info.http_status));
  const std::string page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title +
                           "</title></head>\n<body><h1>" + title + "</h1><p>" +
                           std::string(info.message) + "</p></body></html>\n";
  co_await exchange.Respond(std::move(head), page);
}

std::string QuoteEtag(std::string_view etag) { return "\"" + std::string(etag) + "\""; }

std::string RequestOrigin(const RequestContext& ctx) {
  return std::string(ctx.head().secure ? "https://" : "http://") +
         std::string(ctx.Header("host").value_or("localhost"));
}

}  // namespace cairn::s3
