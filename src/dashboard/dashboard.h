// The dashboard, served by `cairn serve` on its console listener (--console-listen), an origin of
// its own apart from the S3 API's (dashboard/origins.h): its web assets under /_cairn/ui/ and its
// small JSON API under /_cairn/api/:
//   GET    /_cairn/api/session   who is signed in, and the S3 API's origin (401 when nobody)
//   POST   /_cairn/api/session   sign in with {"accessKeyId", "secretAccessKey"}: sets the cookie
//   DELETE /_cairn/api/session   sign out
//   POST   /_cairn/api/presign   presigned URLs for S3 requests on the S3 origin (presign_api.h)
// Everything else the dashboard does is ordinary S3 requests on those URLs, sent cross-origin
// without credentials. API requests must be same-origin and carry `X-Cairn-Dashboard: 1`, a header
// no form can send and no other origin may send without a preflight, which the API never grants:
// with the SameSite=Strict cookie this is the CSRF defence. Cookies are not port-scoped, so the
// same cookie also reaches the S3 listener; that is harmless because the S3 listener serves no
// dashboard path and never reads a cookie.
// Every API call but sign-in and sign-out looks the session's access key up again: once the key is
// revoked or expires, or the secret the session signed in with is rotated out past its grace
// period, the session ends there and then (401 SignedOut), as every request the key signed does
// on the S3 API.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "auth/failure_limiter.h"
#include "auth/request_auth.h"
#include "dashboard/origins.h"
#include "dashboard/session_store.h"
#include "http/exchange.h"

namespace cairn::dashboard {

inline constexpr std::string_view kUiPath = "/_cairn/ui/";

struct DashboardOptions {
  auth::CredentialLookup credentials;  // the keys that may sign in, and sign presigned URLs
  ConsoleOrigins origins{};  // the S3 API's origin that presigned URLs name, and the console's
  std::chrono::seconds session_lifetime{12 * 3600};
  std::chrono::milliseconds failed_sign_in_delay{400};  // slows down password guessing
  // Failed sign-ins allowed per client address and per access key id: beyond them, sign-in
  // answers 429 with Retry-After, without looking at the guess, until the window lets one in.
  auth::FailureLimits sign_in_limits{};
};

struct ApiReply;  // a JSON answer of the API (dashboard.cc)
struct SignedIn;  // a live session and its key's secret (dashboard.cc)

class Dashboard {
 public:
  explicit Dashboard(DashboardOptions options);

  // The S3 listener's port, once it listens (before the console serves its first request).
  void SetS3Port(uint16_t port) { options_.origins.s3_port = port; }

  // Serves the console listener: "/" sends a browser to the dashboard, /_cairn/ui/ and
  // /_cairn/api/ are the dashboard's, /_cairn/health says it is up; anything else, S3 object paths
  // among them, is 404 here.
  Awaitable<void> Serve(http::Exchange& exchange);

 private:
  Awaitable<ApiReply> ServeApi(http::Exchange& exchange, std::string_view path);
  Awaitable<void> ServeAsset(http::Exchange& exchange, std::string_view path);
  ApiReply SignIn(const http::RequestHead& head, std::string_view body);
  ApiReply Presign(const S3Endpoint& s3, const SignedIn& signed_in, std::string_view body);
  std::optional<Session> SessionOf(const http::RequestHead& head);
  // The session and its key, or nullopt when there is none or its key no longer works (the
  // session is then ended).
  std::optional<SignedIn> LiveSessionOf(const http::RequestHead& head);

  DashboardOptions options_;
  SessionStore sessions_;
  auth::FailureLimiter failed_sign_ins_by_address_;
  auth::FailureLimiter failed_sign_ins_by_key_;
};

}  // namespace cairn::dashboard
