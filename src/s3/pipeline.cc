#include "s3/pipeline.h"

#include <spdlog/spdlog.h>

#include "common/ascii.h"
#include "common/log_text.h"
#include "common/random.h"
#include "core/bucket_service.h"
#include "s3/admin_api.h"
#include "s3/authorization.h"
#include "s3/cors_response.h"
#include "s3/handlers.h"
#include "s3/r2_binding/binding_service.h"
#include "s3/response.h"
#include "s3/test_hooks.h"
#include "version/version.h"

namespace cairn::s3 {
namespace {

constexpr std::string_view kHealthPath = "/_cairn/health";
constexpr std::string_view kMetricsPath = "/_cairn/metrics";

auth::SignableRequest ToSignable(const http::RequestHead& head) {
  auth::SignableRequest req;
  req.method = head.method;
  auto q = head.target.find('?');
  req.raw_path = head.target.substr(0, q);
  if (q != std::string::npos) req.raw_query = head.target.substr(q + 1);
  req.headers = head.headers;
  return req;
}

HandlerResult Dispatch(RequestContext& ctx) {
  switch (ctx.route.op) {
    case Op::kListBuckets:
      return HandleListBuckets(ctx);
    case Op::kCreateBucket:
      return HandleCreateBucket(ctx);
    case Op::kHeadBucket:
      return HandleHeadBucket(ctx);
    case Op::kDeleteBucket:
      return HandleDeleteBucket(ctx);
    case Op::kGetBucketLocation:
      return HandleGetBucketLocation(ctx);
    case Op::kListObjects:
    case Op::kListObjectsV2:
      return HandleListObjects(ctx);
    case Op::kDeleteObjects:
      return HandleDeleteObjects(ctx);
    case Op::kPutObject:
      return HandlePutObject(ctx);
    case Op::kPostObject:
      return HandlePostObject(ctx);
    case Op::kCopyObject:
      return HandleCopyObject(ctx);
    case Op::kGetObject:
    case Op::kHeadObject:
      return HandleGetObject(ctx);
    case Op::kGetObjectAttributes:
      return HandleGetObjectAttributes(ctx);
    case Op::kDeleteObject:
      return HandleDeleteObject(ctx);
    case Op::kCreateMultipartUpload:
      return HandleCreateMultipartUpload(ctx);
    case Op::kUploadPart:
      return HandleUploadPart(ctx);
    case Op::kUploadPartCopy:
      return HandleUploadPartCopy(ctx);
    case Op::kCompleteMultipartUpload:
      return HandleCompleteMultipartUpload(ctx);
    case Op::kAbortMultipartUpload:
      return HandleAbortMultipartUpload(ctx);
    case Op::kListParts:
      return HandleListParts(ctx);
    case Op::kListMultipartUploads:
      return HandleListMultipartUploads(ctx);
    case Op::kGetBucketLifecycleConfiguration:
      return HandleGetBucketLifecycleConfiguration(ctx);
    case Op::kPutBucketLifecycleConfiguration:
      return HandlePutBucketLifecycleConfiguration(ctx);
    case Op::kDeleteBucketLifecycleConfiguration:
      return HandleDeleteBucketLifecycleConfiguration(ctx);
    case Op::kGetBucketCors:
      return HandleGetBucketCors(ctx);
    case Op::kPutBucketCors:
      return HandlePutBucketCors(ctx);
    case Op::kDeleteBucketCors:
      return HandleDeleteBucketCors(ctx);
    case Op::kGetBucketAcl:
      return HandleGetBucketAcl(ctx);
    case Op::kPutBucketAcl:
      return HandlePutBucketAcl(ctx);
    case Op::kGetObjectAcl:
      return HandleGetObjectAcl(ctx);
    case Op::kPutObjectAcl:
      return HandlePutObjectAcl(ctx);
    default:
      break;
  }
  return [](Op op) -> HandlerResult {
    co_return Error(ErrorCode::kNotImplemented,
                    std::string(OpName(op)) + " is not implemented by cairn yet.");
  }(ctx.route.op);
}

// What HandleRequest needs to report an error well: the route (errors name bucket and key) and
// the matching CORS rule (so that a browser can read the error).
struct RequestOutcome {
  Route route;
  std::string_view operation;  // empty until the request is known to be one
  std::optional<core::CorsHeaders> cors;
  std::chrono::seconds retry_after{0};  // sent with SlowDown
  std::string access_key_id;            // once the request authenticated (never its secret)
  bool public_read = false;          // an anonymous read of a public bucket: errors are HTML pages
  std::string parent_access_key_id;  // a temporary credential's parent, as access_key_id
};

// Who signed an authenticated request, for the access log and the metrics.
void NoteSigner(const auth::AuthContext& auth, RequestOutcome& outcome) {
  outcome.access_key_id = auth.access_key_id;
  if (auth.principal && auth.principal->parent) {
    outcome.parent_access_key_id = auth.principal->parent->access_key_id;
  }
}

// A failed authentication as the client is told of it. Wrong signatures and unknown key ids are
// counted per claimed access key id; beyond the limit they are answered SlowDown with Retry-After,
// as S3 answers a client it throttles. Only failures are counted and only failures are refused:
// a correctly signed request is served however hard its key is being guessed at.
Error AuthenticationFailure(Services& services, const auth::SignableRequest& signable, Error error,
                            RequestOutcome& outcome) {
  const bool guess = error.code == ErrorCode::kSignatureDoesNotMatch ||
                     error.code == ErrorCode::kInvalidAccessKeyId;
  if (!guess || !services.signature_failures) return error;
  outcome.retry_after =
      services.signature_failures->RecordFailure(auth::ClaimedAccessKeyId(signable));
  if (outcome.retry_after.count() == 0) return error;
  // S3's own message: a 5xx with a message of its own would be logged as a server failure, once
  // per refused guess.
  return Error(ErrorCode::kSlowDown);
}

// GET /_cairn/metrics for an authenticated caller (the admin key, like any S3 request).
Awaitable<Status> ServeMetrics(Services& services, http::Exchange& exchange,
                               const auth::SignableRequest& signable, RequestOutcome& outcome) {
  if (exchange.request().method != "GET") co_return Error(ErrorCode::kMethodNotAllowed);
  auto auth = auth::Authenticate(signable, services.credentials, NowMillis());
  if (!auth.ok()) co_return AuthenticationFailure(services, signable, auth.error(), outcome);
  NoteSigner(*auth, outcome);
  if (!auth::IsAdmin(auth->principal->permission)) {
    co_return Error(ErrorCode::kAccessDenied, "The metrics need an admin key.");
  }
  const auto& render = services.observability.render_metrics;
  // Rendered on the lookup pool: the page reads every bucket's figures from the metadata store.
  std::string page;
  if (render) page = co_await services.storage.Lookup([&render] { return render(); });
  http::ResponseHead head;
  head.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  co_await exchange.Respond(std::move(head), page);
  co_return Status::Ok();
}

// An admin API call (s3/admin_api.h): the console's CORS grant (the dashboard calls it with
// presigned URLs), then authentication like any S3 request.
Awaitable<Status> ServeAdmin(Services& services, http::Exchange& exchange,
                             const auth::SignableRequest& signable, QueryParams& query,
                             std::string_view request_id, RequestOutcome& outcome) {
  const http::RequestHead& head = exchange.request();
  const Route no_bucket;  // named: GCC 12 may destroy a co_await temporary twice
  if (head.method == "OPTIONS") {
    co_return co_await HandlePreflight(services, exchange, no_bucket, request_id);
  }
  outcome.cors = co_await MatchRequestCors(services, head, no_bucket);
  Result<auth::AuthContext> authenticated =
      auth::Authenticate(signable, services.credentials, NowMillis());
  if (!authenticated.ok()) {
    co_return AuthenticationFailure(services, signable, authenticated.error(), outcome);
  }
  NoteSigner(*authenticated, outcome);
  // The route is unused: admin calls are not S3 operations.
  RequestContext ctx{exchange,    services,         std::string(request_id),
                     Route{},     std::move(query), std::move(*authenticated),
                     outcome.cors};
  co_return co_await ServeAdminApi(
      ctx, std::string_view(signable.raw_path).substr(kAdminApiPrefix.size()));
}

// An unsigned request: served only as a GET or HEAD of an object in a public bucket. Elsewhere it
// gets `refusal` (AccessDenied, as before there were public buckets), so that an anonymous caller
// learns nothing of which buckets exist.
Awaitable<Status> AdmitAnonymous(Services& services, const Route& route, const QueryParams& query,
                                 const Error& refusal, RequestOutcome& outcome) {
  if (route.bucket.empty()) co_return refusal;
  auto is_public = co_await core::GetBucketPublicAccess(services.storage, route.bucket);
  if (!is_public.ok() || !*is_public) co_return refusal;
  outcome.public_read = true;
  if (route.op != Op::kGetObject && route.op != Op::kHeadObject) {
    co_return Error(ErrorCode::kAccessDenied,
                    "A public bucket serves anonymous GET and HEAD of its objects only.");
  }
  // S3's rule: overriding response headers needs a signature, else anyone could make a public
  // object answer as another type (text/html) from the bucket's origin.
  for (const auto& [name, value] : query.all()) {
    if (name.starts_with("response-")) {
      co_return Error(ErrorCode::kInvalidRequest,
                      "Request specific response headers cannot be used for anonymous GET "
                      "requests.");
    }
  }
  co_return Status::Ok();
}

// Serves one request: test hooks, workerd's R2 binding calls (s3/r2_binding/binding_service.h,
// which answer their own errors), authentication, routing, CORS (preflights answered whatever the
// authentication said, as browsers send them without credentials), refusal of what did not
// authenticate (but POST Object, which its handler authenticates by its policy), dispatch.
Awaitable<Status> Serve(Services& services, http::Exchange& exchange, std::string_view request_id,
                        RequestOutcome& outcome) {
  const http::RequestHead& head = exchange.request();
  auth::SignableRequest signable = ToSignable(head);
  if (signable.raw_path == kHealthPath && (head.method == "GET" || head.method == "HEAD")) {
    outcome.operation = "Health";
    http::ResponseHead ok;
    ok.Set("Content-Type", "application/json");
    co_await exchange.Respond(std::move(ok), HealthDocument());
    co_return Status::Ok();
  }
  auto query = QueryParams::Parse(signable.raw_query);
  if (!query.ok()) co_return query.error();
  if (signable.raw_path.starts_with(kTestHookPrefix)) {
    outcome.operation = "TestHook";
    co_return co_await ServeTestHook(services, exchange, signable, *query);
  }
  if (signable.raw_path == kMetricsPath) {
    outcome.operation = "GetMetrics";
    co_return co_await ServeMetrics(services, exchange, signable, outcome);
  }
  if (signable.raw_path.starts_with(kAdminApiPrefix)) {
    outcome.operation = "AdminApi";
    co_return co_await ServeAdmin(services, exchange, signable, *query, request_id, outcome);
  }

  if (binding::IsBindingRequest(head)) {
    binding::BindingReport report;
    co_await binding::ServeBinding(services, exchange, request_id, report);
    outcome.operation = report.operation;
    outcome.route.bucket = std::move(report.bucket);
    outcome.route.key = std::move(report.key);
    outcome.access_key_id = std::move(report.access_key_id);
    co_return Status::Ok();
  }

  // Authentication comes before routing, so that no unsigned header can choose the operation:
  // x-amz-copy-source (which turns a PUT into a copy) counts only from a request that
  // authenticated, and Authenticate refuses any request with an unsigned x-amz-* header.
  // Preflights and POST Object carry no signature: they are routed all the same, and what the
  // authentication said is not answered for them.
  Result<auth::AuthContext> authenticated =
      auth::Authenticate(signable, services.credentials, NowMillis());
  RouteInput route_input;
  route_input.method = head.method;
  route_input.raw_path = signable.raw_path;
  route_input.query = &*query;
  route_input.host = head.Header("host").value_or("");
  route_input.base_domain = services.config.base_domain;
  route_input.has_copy_source = authenticated.ok() && head.Header("x-amz-copy-source").has_value();
  auto route = ResolveRoute(route_input);
  if (!route.ok()) co_return route.error();
  outcome.route = *route;
  outcome.operation = OpName(route->op);
  if (route->op == Op::kPreflight) {
    co_return co_await HandlePreflight(services, exchange, *route, request_id);
  }
  outcome.cors = co_await MatchRequestCors(services, head, *route);

  // A browser's form upload (POST Object) has no Authorization: the signed policy in its body
  // authenticates it, and its handler verifies that before it stores anything.
  // Then authorization: every operation's permission class and scope (s3/authorization.h).
  auth::AuthContext auth;
  if (route->op != Op::kPostObject && !authenticated.ok()) {
    if (!auth::IsAnonymous(signable)) {
      co_return AuthenticationFailure(services, signable, authenticated.error(), outcome);
    }
    Status admitted =
        co_await AdmitAnonymous(services, *route, *query, authenticated.error(), outcome);
    if (!admitted.ok()) co_return admitted;
  } else if (route->op != Op::kPostObject) {
    auth = std::move(*authenticated);
    NoteSigner(auth, outcome);
    if (Status allowed = AuthorizeRoute(*auth.principal, *route, *query); !allowed.ok()) {
      co_return allowed;
    }
  }

  const Op route_op = route->op;
  RequestContext ctx{exchange,          services,          std::string(request_id),
                     std::move(*route), std::move(*query), std::move(auth),
                     outcome.cors};
  Status status = co_await Dispatch(ctx);
  // A POST form names its signer only once its handler has read the form.
  if (route_op == Op::kPostObject && !ctx.auth.access_key_id.empty()) NoteSigner(ctx.auth, outcome);
  co_return status;
}

}  // namespace

std::optional<std::string_view> RequestContext::SignedValue(std::string_view lowercase_name) const {
  if (auto v = Header(lowercase_name)) return v;
  if (!auth.presigned) return std::nullopt;
  for (const auto& [name, value] : query.all()) {
    if (EqualsIgnoreCase(name, lowercase_name)) return std::string_view(value);
  }
  return std::nullopt;
}

namespace {

void Report(Services& services, http::Exchange& exchange, std::string_view request_id,
            const RequestOutcome& outcome, std::chrono::steady_clock::time_point start) {
  const auto& on_request = services.observability.on_request;
  if (!on_request) return;
  RequestRecord record;
  record.request_id = request_id;
  record.operation = outcome.operation.empty() ? std::string_view("Unknown") : outcome.operation;
  record.bucket = outcome.route.bucket;
  record.key = outcome.route.key;
  record.remote_address = exchange.request().remote_address;
  record.access_key_id = outcome.access_key_id;
  record.parent_access_key_id = outcome.parent_access_key_id;
  record.status = exchange.response_status();
  record.bytes_received = exchange.bytes_received();
  record.bytes_sent = exchange.bytes_sent();
  record.duration = std::chrono::steady_clock::now() - start;
  on_request(record);
}

}  // namespace

Awaitable<void> HandleRequest(Services& services, http::Exchange& exchange) {
  const auto start = std::chrono::steady_clock::now();
  const std::string request_id = UniqueIdHex();
  Status status;
  RequestOutcome outcome;
  try {
    status = co_await Serve(services, exchange, request_id, outcome);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", request_id, LogSafe(exchange.request().method),
                  RedactTarget(exchange.request().target), LogSafe(e.what()));
    status = Status(ErrorCode::kInternalError);
  }
  if (!status.ok() && exchange.response_started()) {
    (void)ForClient(status.error(), request_id);  // too late to answer it, but its detail is logged
    exchange.CloseAfterResponse();
  } else if (!status.ok()) {
    // An error before the body was read: the client may still be sending it. Don't invite it.
    try {
      const core::CorsHeaders* cors = outcome.cors ? &*outcome.cors : nullptr;
      if (outcome.public_read) {
        co_await RespondPublicError(exchange, status.error(), request_id, cors);
      } else {
        co_await RespondError(exchange, status.error(), request_id,
                              ErrorSubject{outcome.route.bucket, outcome.route.key}, cors,
                              outcome.retry_after);
      }
    } catch (const std::exception&) {
      exchange.CloseAfterResponse();  // the client went away; it is still reported below
    }
  }
  Report(services, exchange, request_id, outcome, start);
}

}  // namespace cairn::s3
