#include "s3/cors_response.h"

#include "common/ascii.h"
#include "common/offload.h"
#include "core/bucket_service.h"
#include "core/origin.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

// Whether `origin` is cairn's own console: the configured public origin, or by default this
// request's host name with the console listener's port (the console signs its URLs for the host
// name the browser used, dashboard/origins.h).
bool IsConsoleOrigin(const ServerConfig& config, const http::RequestHead& head,
                     std::string_view origin) {
  if (!config.console_origin.empty()) return origin == config.console_origin;
  if (config.console_port == 0) return false;
  const std::string_view scheme = head.secure ? "https" : "http";
  const std::string expected =
      std::string(scheme) + "://" +
      core::Authority(scheme, core::HostName(head.Header("host").value_or("")),
                      config.console_port);
  return EqualsIgnoreCase(origin, expected);
}

Awaitable<std::optional<core::CorsHeaders>> Match(Services& services, const http::RequestHead& head,
                                                  const Route& route, std::string_view origin,
                                                  std::string_view method,
                                                  std::string_view request_headers) {
  if (IsConsoleOrigin(services.config, head, origin)) {
    co_return core::ConsoleCors(origin, request_headers);
  }
  if (route.bucket.empty()) co_return std::nullopt;
  auto config = co_await core::GetBucketCors(services.storage, route.bucket);
  if (!config.ok() || !config->has_value()) co_return std::nullopt;
  co_return core::MatchCors(**config, origin, method, request_headers);
}

}  // namespace

Awaitable<std::optional<core::CorsHeaders>> MatchRequestCors(Services& services,
                                                             const http::RequestHead& head,
                                                             const Route& route) {
  auto origin = head.Header("origin");
  if (!origin) co_return std::nullopt;
  co_return co_await Match(services, head, route, *origin, head.method, "");
}

void AddCorsHeaders(const core::CorsHeaders& cors, http::ResponseHead& head) {
  head.Set("Access-Control-Allow-Origin", cors.allow_origin);
  if (cors.allow_credentials) head.Set("Access-Control-Allow-Credentials", "true");
  if (!cors.expose_headers.empty()) head.Set("Access-Control-Expose-Headers", cors.expose_headers);
  // S3 sends the rule's methods and max age on actual requests as well as on preflights; only
  // Access-Control-Allow-Headers answers a preflight's Access-Control-Request-Headers (empty on
  // an actual request, see MatchRequestCors).
  head.Set("Access-Control-Allow-Methods", cors.allow_methods);
  if (!cors.allow_headers.empty()) head.Set("Access-Control-Allow-Headers", cors.allow_headers);
  if (cors.max_age_seconds) {
    head.Set("Access-Control-Max-Age", std::to_string(*cors.max_age_seconds));
  }
  if (cors.vary_origin) {
    head.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
  }
}

Awaitable<Status> HandlePreflight(Services& services, http::Exchange& exchange, const Route& route,
                                  std::string_view request_id) {
  const http::RequestHead& head = exchange.request();
  auto origin = head.Header("origin");
  auto method = head.Header("access-control-request-method");
  if (!origin || !method) {
    co_return Error(ErrorCode::kInvalidRequest,
                    "Insufficient information. Origin and Access-Control-Request-Method request "
                    "headers needed.");
  }
  auto cors = co_await Match(services, head, route, *origin, *method,
                             head.Header("access-control-request-headers").value_or(""));
  if (!cors) co_return Error(ErrorCode::kAccessForbidden);
  http::ResponseHead response = BaseHeadFor(request_id, 200);
  AddCorsHeaders(*cors, response);
  co_await exchange.Respond(std::move(response), {});
  co_return Status::Ok();
}

}  // namespace cairn::s3
