// The dashboard, served by `cairn serve` itself: its web assets under /_cairn/ui/ and its small
// JSON API under /_cairn/api/:
//   GET    /_cairn/api/session   who is signed in (401 when nobody)
//   POST   /_cairn/api/session   sign in with {"accessKeyId", "secretAccessKey"}: sets the cookie
//   DELETE /_cairn/api/session   sign out
//   POST   /_cairn/api/presign   presigned URLs for S3 requests (see presign_api.h)
// Everything else the dashboard does is ordinary S3 requests on those URLs. API requests must be
// same-origin and carry `X-Cairn-Dashboard: 1`, a header no form can send and no other origin may
// send without a preflight, which the API never grants: with the SameSite=Strict cookie this is
// the CSRF defence.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "auth/request_auth.h"
#include "dashboard/session_store.h"
#include "http/exchange.h"
#include "http/server.h"

namespace cairn::dashboard {

inline constexpr std::string_view kUiPath = "/_cairn/ui/";

struct DashboardOptions {
  auth::SecretLookup secrets;  // the keys that may sign in, and sign presigned URLs
  std::chrono::seconds session_lifetime{12 * 3600};
  std::chrono::milliseconds failed_sign_in_delay{400};  // slows down password guessing
};

struct ApiReply;  // a JSON answer of the API (dashboard.cc)

class Dashboard {
 public:
  explicit Dashboard(DashboardOptions options);

  // Whether a request for `raw_path` (the target without its query) is the dashboard's.
  static bool Handles(std::string_view raw_path);

  http::Awaitable<void> Serve(http::Exchange& exchange);

 private:
  http::Awaitable<ApiReply> ServeApi(http::Exchange& exchange, std::string_view path);
  ApiReply SignIn(const http::RequestHead& head, std::string_view body);
  ApiReply Presign(const http::RequestHead& head, const Session& session, std::string_view body);
  std::optional<Session> SessionOf(const http::RequestHead& head);

  DashboardOptions options_;
  SessionStore sessions_;
};

// The handler of the --console-listen address: `inner` (the main address's handler), except that a
// browser opening "/" is sent to the dashboard.
http::Handler ConsoleHandler(http::Handler inner);

}  // namespace cairn::dashboard
