#include "dashboard/dashboard.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "auth/sigv4.h"
#include "common/ascii.h"
#include "common/hashing.h"
#include "common/log_text.h"
#include "dashboard/assets.h"
#include "dashboard/cookies.h"
#include "dashboard/presign_api.h"
#include "version/version.h"

namespace cairn::dashboard {

using nlohmann::json;

struct ApiReply {
  int status = 200;
  std::string body;  // JSON
  std::vector<std::pair<std::string, std::string>> headers;
};

struct SignedIn {
  Session session;
  client::Credentials credentials;  // what presigned URLs are signed with
};

namespace {

constexpr std::string_view kApiPrefix = "/_cairn/api/";
constexpr size_t kMaxApiBody = 256 * 1024;

constexpr std::string_view kHealthPath = "/_cairn/health";

// Assets may only load from this origin, scripts may connect to it and to the S3 API's origin, and
// no other page may frame the dashboard. Object previews are the one thing loaded from the S3 API's
// origin: images, audio and video, and PDFs in a frame (and downloads, each in a frame of its own).
std::string ContentSecurityPolicy(const S3Endpoint& s3) {
  return "default-src 'self'; img-src 'self' data: blob: " + s3.origin + "; media-src " +
         s3.origin + "; frame-src " + s3.origin +
         "; style-src 'self'; script-src 'self'; connect-src 'self' " + s3.origin +
         "; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
}

ApiReply JsonReply(int status, const json& body) { return ApiReply{status, body.dump(), {}}; }

ApiReply ErrorReply(int status, std::string_view code, std::string_view message) {
  return JsonReply(status, json{{"error", {{"code", code}, {"message", message}}}});
}

// s3Origin: where the page's S3 requests go, and where a public bucket's objects are served.
json SessionJson(const Session& session, const S3Endpoint& s3) {
  return json{{"accessKeyId", session.access_key_id},
              {"expiresAt", FormatIso8601(session.expires)},
              {"s3Origin", s3.origin}};
}

// Whether one of the key's secrets (the current one, or one rotated out in its grace period) has
// SHA-256 `digest`. Digests have one length, so the comparison's time says nothing of a secret.
bool HoldsSecret(const auth::Credential& credential, std::string_view digest) {
  return std::any_of(credential.secrets.begin(), credential.secrets.end(),
                     [digest](const std::string& secret) {
                       return auth::SignaturesEqual(Sha256(secret), digest);
                     });
}

// API requests must come from a page of this very origin (see dashboard.h).
bool SameOriginApiRequest(const ConsoleOrigins& origins, const http::RequestHead& head) {
  if (!head.Header("x-cairn-dashboard")) return false;
  if (auto site = head.Header("sec-fetch-site"); site && *site != "same-origin") return false;
  if (auto origin = head.Header("origin")) {
    if (!EqualsIgnoreCase(*origin, ConsoleOriginOf(origins, head))) return false;
  }
  return true;
}

// Whether the browser sees the console over https (itself, or behind a proxy that ends TLS).
bool SecureConsole(const ConsoleOrigins& origins, const http::RequestHead& head) {
  return ConsoleOriginOf(origins, head).starts_with("https://");
}

Awaitable<std::optional<std::string>> ReadSmallBody(http::Exchange& exchange) {
  std::string body;
  char buffer[16 * 1024];
  for (;;) {
    size_t n = co_await exchange.ReadBody(buffer, sizeof buffer);
    if (n == 0) co_return body;
    if (body.size() + n > kMaxApiBody) co_return std::nullopt;
    body.append(buffer, n);
  }
}

Awaitable<void> Pause(std::chrono::milliseconds delay) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  timer.expires_after(delay);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

http::ResponseHead CommonHead(int status) {
  http::ResponseHead head;
  head.status = status;
  head.Set("X-Content-Type-Options", "nosniff");
  head.Set("Referrer-Policy", "no-referrer");
  return head;
}

Awaitable<void> RespondNotFound(http::Exchange& exchange) {
  http::ResponseHead head = CommonHead(404);
  head.Set("Content-Type", "text/plain; charset=utf-8");
  co_await exchange.Respond(std::move(head), "Not found\n");
}

Awaitable<void> Redirect(http::Exchange& exchange, int status, std::string_view location) {
  http::ResponseHead head = CommonHead(status);
  head.Set("Location", std::string(location));
  co_await exchange.Respond(std::move(head), {});
}

}  // namespace

Awaitable<void> Dashboard::ServeAsset(http::Exchange& exchange, std::string_view path) {
  const http::RequestHead& request = exchange.request();
  if (request.method != "GET" && request.method != "HEAD") {
    http::ResponseHead head = CommonHead(405);
    head.Set("Allow", "GET, HEAD");
    co_await exchange.Respond(std::move(head), {});
    co_return;
  }
  const Asset* asset = FindAsset(path);
  if (!asset) {
    co_await RespondNotFound(exchange);
    co_return;
  }
  const bool fresh = request.Header("if-none-match") == asset->etag;
  http::ResponseHead head = CommonHead(fresh ? 304 : 200);
  head.Set("Content-Type", std::string(asset->content_type));
  head.Set("ETag", std::string(asset->etag));
  head.Set("Cache-Control", "no-cache");  // revalidate: a new build must never mix with old assets
  head.Set("Content-Security-Policy",
           ContentSecurityPolicy(S3EndpointFor(options_.origins, request)));
  head.Set("X-Frame-Options", "DENY");
  if (fresh || request.method == "HEAD") {
    co_await exchange.RespondHead(std::move(head), fresh ? 0 : asset->bytes.size());
  } else {
    co_await exchange.Respond(std::move(head), asset->bytes);
  }
}

Dashboard::Dashboard(DashboardOptions options)
    : options_(std::move(options)),
      sessions_(options_.session_lifetime),
      failed_sign_ins_by_address_(options_.sign_in_limits),
      failed_sign_ins_by_key_(options_.sign_in_limits) {}

std::optional<Session> Dashboard::SessionOf(const http::RequestHead& head) {
  auto cookies = head.Header("cookie");
  if (!cookies) return std::nullopt;
  auto token = CookieValue(*cookies, kSessionCookieName);
  if (!token) return std::nullopt;
  return sessions_.Find(*token, NowMillis());
}

ApiReply Dashboard::SignIn(const http::RequestHead& head, std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const bool well_formed = doc.is_object() && doc.contains("accessKeyId") &&
                           doc["accessKeyId"].is_string() && doc.contains("secretAccessKey") &&
                           doc["secretAccessKey"].is_string();
  if (!well_formed) {
    return ErrorReply(400, "InvalidRequest",
                      "Send {\"accessKeyId\": ..., \"secretAccessKey\": ...}.");
  }
  const std::string key_id = doc["accessKeyId"].get<std::string>();
  const std::string secret = doc["secretAccessKey"].get<std::string>();
  // Refused before the guess is looked at: beyond the limit an answer would still tell a guesser
  // when it is right. Per address against one guesser, per key id against many.
  const std::chrono::seconds wait =
      std::max(failed_sign_ins_by_address_.RetryAfter(head.remote_address),
               failed_sign_ins_by_key_.RetryAfter(key_id));
  if (wait.count() > 0) {
    ApiReply reply = ErrorReply(
        429, "TooManyAttempts",
        "Too many failed sign-ins. Try again in " + std::to_string(wait.count()) + " seconds.");
    reply.headers.emplace_back("Retry-After", std::to_string(wait.count()));
    return reply;
  }
  // A temporary credential cannot sign in: without its session token the lookup refuses it.
  auto credential = options_.credentials(key_id, "");
  // A secret rotated out but still in its grace period signs in too, as it still signs requests.
  const std::string secret_digest = Sha256(secret);
  if (!credential.ok() || !HoldsSecret(**credential, secret_digest)) {
    failed_sign_ins_by_address_.RecordFailure(head.remote_address);
    failed_sign_ins_by_key_.RecordFailure(key_id);
    spdlog::warn("dashboard sign-in refused for access key '{}' from {}",
                 LogKeyId(key_id, credential.ok()), head.remote_address);
    return ErrorReply(401, "InvalidCredentials",
                      "The access key ID or the secret access key is wrong.");
  }
  Session session = sessions_.Create(key_id, secret_digest, NowMillis());
  ApiReply reply = JsonReply(200, SessionJson(session, S3EndpointFor(options_.origins, head)));
  reply.headers.emplace_back("Set-Cookie", SessionCookie(session.token, sessions_.lifetime(),
                                                         SecureConsole(options_.origins, head)));
  return reply;
}

std::optional<SignedIn> Dashboard::LiveSessionOf(const http::RequestHead& head) {
  std::optional<Session> session = SessionOf(head);
  if (!session) return std::nullopt;
  auto credential = options_.credentials(session->access_key_id, "");
  if (!credential.ok() || !HoldsSecret(**credential, session->secret_digest)) {
    sessions_.Remove(session->token);
    return std::nullopt;
  }
  client::Credentials credentials;
  credentials.access_key_id = session->access_key_id;
  credentials.secret_access_key = (*credential)->secrets.front();
  return SignedIn{*session, std::move(credentials)};
}

ApiReply Dashboard::Presign(const S3Endpoint& s3, const SignedIn& signed_in,
                            std::string_view body) {
  auto batch = ParsePresignBatch(body);
  if (!batch.ok()) return ErrorReply(400, "InvalidArgument", batch.error().Message());
  const client::Credentials& credentials = signed_in.credentials;
  const TimePoint now = NowMillis();
  json urls = json::array();
  for (const PresignItem& item : batch->items) {
    urls.push_back(s3.origin + PresignTarget(item, credentials, s3.host, now, batch->expires));
  }
  return JsonReply(
      200,
      json{{"urls", std::move(urls)},
           {"expiresAt", FormatIso8601(now + std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 batch->expires))}});
}

Awaitable<ApiReply> Dashboard::ServeApi(http::Exchange& exchange, std::string_view path) {
  const http::RequestHead& head = exchange.request();
  if (!SameOriginApiRequest(options_.origins, head)) {
    co_return ErrorReply(403, "CrossOriginRequest",
                         "Dashboard API requests must come from the dashboard's own pages.");
  }
  const std::string_view method = head.method;
  const bool session_path = path == "session";
  if (!(session_path && (method == "GET" || method == "POST" || method == "DELETE")) &&
      !(path == "presign" && method == "POST")) {
    co_return ErrorReply(path == "session" || path == "presign" ? 405 : 404, "NotFound",
                         "No such dashboard API call.");
  }
  std::optional<std::string> body = co_await ReadSmallBody(exchange);
  if (!body) co_return ErrorReply(413, "RequestTooLarge", "The request body is too large.");

  if (session_path && method == "POST") {
    ApiReply reply = SignIn(head, *body);
    if (reply.status == 401) co_await Pause(options_.failed_sign_in_delay);
    co_return reply;
  }
  const std::string expired_cookie = ExpiredSessionCookie(SecureConsole(options_.origins, head));
  if (session_path && method == "DELETE") {
    if (std::optional<Session> session = SessionOf(head)) sessions_.Remove(session->token);
    ApiReply reply{204, {}, {}};
    reply.headers.emplace_back("Set-Cookie", expired_cookie);
    co_return reply;
  }
  std::optional<SignedIn> signed_in = LiveSessionOf(head);
  if (!signed_in) {
    ApiReply reply = ErrorReply(401, "SignedOut", "Sign in to use the dashboard.");
    reply.headers.emplace_back("Set-Cookie", expired_cookie);
    co_return reply;
  }
  const S3Endpoint s3 = S3EndpointFor(options_.origins, head);
  if (session_path) co_return JsonReply(200, SessionJson(signed_in->session, s3));
  co_return Presign(s3, *signed_in, *body);
}

Awaitable<void> Dashboard::Serve(http::Exchange& exchange) {
  const http::RequestHead& request = exchange.request();
  const std::string_view target = request.target;
  const std::string_view path = target.substr(0, target.find('?'));
  const bool read = request.method == "GET" || request.method == "HEAD";
  if (path.starts_with(kUiPath)) {
    co_await ServeAsset(exchange, path.substr(kUiPath.size()));
    co_return;
  }
  if (read && (path == "/" || path == kUiPath.substr(0, kUiPath.size() - 1))) {
    co_await Redirect(exchange, path == "/" ? 302 : 301, kUiPath);
    co_return;
  }
  if (read && path == kHealthPath) {
    http::ResponseHead head = CommonHead(200);
    head.Set("Content-Type", "application/json");
    co_await exchange.Respond(std::move(head), HealthDocument());
    co_return;
  }
  if (!path.starts_with(kApiPrefix)) {
    co_await RespondNotFound(exchange);
    co_return;
  }
  ApiReply reply;
  try {
    reply = co_await ServeApi(exchange, path.substr(kApiPrefix.size()));
  } catch (const boost::system::system_error&) {
    exchange.CloseAfterResponse();  // the body broke off: answer, then drop the connection
    reply = ErrorReply(400, "IncompleteBody", "The request body broke off.");
  }
  http::ResponseHead head = CommonHead(reply.status);
  head.Set("Cache-Control", "no-store");
  if (!reply.body.empty()) head.Set("Content-Type", "application/json");
  for (auto& header : reply.headers) head.headers.push_back(std::move(header));
  co_await exchange.Respond(std::move(head), reply.body);
}

}  // namespace cairn::dashboard
