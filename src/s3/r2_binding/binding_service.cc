#include "s3/r2_binding/binding_service.h"

#include <charconv>

#include "auth/secret_auth.h"
#include "core/names.h"
#include "s3/r2_binding/binding_call.h"
#include "s3/r2_binding/binding_errors.h"
#include "s3/response.h"

namespace cairn::s3::binding {
namespace {

constexpr std::string_view kRequestHeader = "cf-r2-request";
constexpr std::string_view kMetadataSizeHeader = "cf-r2-metadata-size";
// Past this a PUT's JSON is not one the binding sends: a complete() of 10,000 parts is ~500 KiB.
constexpr uint64_t kMaxRequestJson = 2 << 20;
// What an unauthenticated call's unread body is drained of before it is answered, so that workerd
// (which sends its whole body before it reads the answer) can read it; past this the connection
// is closed instead.
constexpr uint64_t kMaxDrainUnauthenticated = 1 << 20;

constexpr std::pair<Method, std::string_view> kOperations[] = {
    {Method::kHead, "R2BindingHead"},
    {Method::kGet, "R2BindingGet"},
    {Method::kPut, "R2BindingPut"},
    {Method::kList, "R2BindingList"},
    {Method::kDelete, "R2BindingDelete"},
    {Method::kCreateMultipartUpload, "R2BindingCreateMultipartUpload"},
    {Method::kUploadPart, "R2BindingUploadPart"},
    {Method::kCompleteMultipartUpload, "R2BindingCompleteMultipartUpload"},
    {Method::kAbortMultipartUpload, "R2BindingAbortMultipartUpload"},
};

std::string_view OperationName(Method m) {
  for (const auto& [method, name] : kOperations) {
    if (method == m) return name;
  }
  return "R2Binding";
}

std::optional<uint64_t> ParseSize(std::string_view text) {
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return n;
}

// Reads and throws away what is left of the body, at most `limit` bytes. False when more is left
// (or the connection broke): the connection must then close after the answer.
Awaitable<bool> Drain(http::Exchange& exchange, uint64_t limit) {
  char buffer[16 << 10];
  uint64_t read = 0;
  try {
    while (!exchange.body_done()) {
      if (read > limit) co_return false;
      read += co_await exchange.ReadBody(buffer, sizeof buffer);
    }
  } catch (const std::exception&) {
    co_return false;
  }
  co_return true;
}

// The JSON of the call: the CF-R2-Request header of a GET, the first CF-R2-Metadata-Size bytes of a
// PUT's body. Errors: InvalidArgument, IncompleteBody.
Awaitable<Result<std::string>> ReadRequestJson(http::Exchange& exchange) {
  const http::RequestHead& head = exchange.request();
  if (head.method == "GET") {
    co_return std::string(head.Header(kRequestHeader).value_or(""));
  }
  std::optional<uint64_t> size = ParseSize(head.Header(kMetadataSizeHeader).value_or(""));
  if (!size || !head.content_length || *size > *head.content_length) {
    co_return Error(ErrorCode::kInvalidArgument,
                    "CF-R2-Metadata-Size must be a number no larger than Content-Length.");
  }
  if (*size > kMaxRequestJson) {
    co_return Error(ErrorCode::kInvalidArgument, "The binding request's JSON is too large.");
  }
  std::string json(*size, '\0');
  size_t have = 0;
  try {
    while (have < json.size()) {
      const size_t n = co_await exchange.ReadBody(json.data() + have, json.size() - have);
      if (n == 0) break;
      have += n;
    }
  } catch (const std::exception&) {
    exchange.CloseAfterResponse();
    co_return Error(ErrorCode::kIncompleteBody);
  }
  if (have < json.size()) co_return Error(ErrorCode::kIncompleteBody);
  co_return json;
}

Awaitable<Status> Dispatch(BindingCall& call) {
  switch (call.request.method) {
    case Method::kHead:
    case Method::kGet:
      return ServeHeadOrGet(call);
    case Method::kPut:
      return ServePut(call);
    case Method::kList:
      return ServeList(call);
    case Method::kDelete:
      return ServeDelete(call);
    case Method::kCreateMultipartUpload:
      return ServeCreateUpload(call);
    case Method::kUploadPart:
      return ServeUploadPart(call);
    case Method::kCompleteMultipartUpload:
      return ServeCompleteUpload(call);
    case Method::kAbortMultipartUpload:
      return ServeAbortUpload(call);
  }
  return ServeHeadOrGet(call);
}

// Every key a call names must be one S3 could name too.
Status CheckKeys(const BindingRequest& r) {
  if (r.method == Method::kList) return Status::Ok();
  if (r.keys) {
    for (const std::string& key : *r.keys) {
      if (Status s = core::ValidateObjectKey(key); !s.ok()) return s;
    }
    return Status::Ok();
  }
  return core::ValidateObjectKey(r.key);
}

// Authenticates the call by the key its config names, as a signed S3 request is (failed guesses
// counted per key id and throttled alike).
Result<auth::AuthContext> Authenticate(Services& services, const http::RequestHead& head) {
  const std::string_view key_id = head.Header("cairn-access-key-id").value_or("");
  Result<auth::AuthContext> auth = auth::AuthenticateSecret(
      key_id, head.Header("cairn-secret-access-key").value_or(""), services.credentials);
  if (auth.ok() || !services.signature_failures) return auth;
  if (services.signature_failures->RecordFailure(std::string(key_id)).count() > 0) {
    return Error(ErrorCode::kSlowDown);
  }
  return auth;
}

Awaitable<Status> Serve(RequestContext& ctx, BindingReport& report, bool& authenticated) {
  const http::RequestHead& head = ctx.head();
  report.bucket = std::string(head.Header("cairn-bucket").value_or(""));
  if (report.bucket.empty()) {
    co_return Error(ErrorCode::kInvalidArgument,
                    "The binding's service config must add a cairn-bucket header naming the "
                    "bucket.");
  }
  Result<auth::AuthContext> auth = Authenticate(ctx.services, head);
  if (!auth.ok()) co_return auth.error();
  ctx.auth = std::move(*auth);
  report.access_key_id = ctx.auth.access_key_id;
  authenticated = true;

  Result<std::string> json = co_await ReadRequestJson(ctx.exchange);
  if (!json.ok()) co_return json.error();
  Result<BindingRequest> request = ParseBindingRequest(*json);
  if (!request.ok()) co_return request.error();
  report.operation = OperationName(request->method);
  report.key = request->key;
  if (SentAsGet(request->method) != (head.method == "GET")) {
    co_return Error(ErrorCode::kInvalidArgument, std::string(MethodName(request->method)) +
                                                     " does not come as an HTTP " + head.method +
                                                     ".");
  }
  if (request->ssec) {
    co_return Error(ErrorCode::kNotImplemented,
                    "cairn does not keep objects encrypted with a customer's key (SSE-C).");
  }
  if (Status s = CheckKeys(*request); !s.ok()) co_return s;
  // A PUT's body is the JSON, then the value; a GET has neither.
  const uint64_t body = head.content_length.value_or(0);
  const uint64_t payload = head.method == "PUT" ? body - json->size() : body;
  const bool carries_value =
      request->method == Method::kPut || request->method == Method::kUploadPart;
  if (payload > 0 && !carries_value) {
    co_return Error(ErrorCode::kInvalidArgument,
                    std::string(MethodName(request->method)) + " carries no value.");
  }
  BindingCall call{ctx, report.bucket, std::move(*request), payload};
  co_return co_await Dispatch(call);
}

Awaitable<void> RespondBindingError(http::Exchange& exchange, const Error& failure,
                                    std::string_view request_id) {
  const BindingError error = ToBindingError(ForClient(failure, request_id));
  http::ResponseHead head = BaseHeadFor(request_id, error.status);
  head.Set("CF-R2-Error", ErrorHeaderValue(error));
  co_await exchange.Respond(std::move(head), {});
}

}  // namespace

bool IsBindingRequest(const http::RequestHead& head) {
  if (head.target != "/") return false;
  if (head.method == "GET") return head.Header(kRequestHeader).has_value();
  return head.method == "PUT" && head.Header(kMetadataSizeHeader).has_value();
}

Awaitable<void> ServeBinding(Services& services, http::Exchange& exchange,
                             std::string_view request_id, BindingReport& report) {
  RequestContext ctx{exchange, services, std::string(request_id), Route{}, QueryParams{}, {}, {}};
  bool authenticated = false;
  Status status = co_await Serve(ctx, report, authenticated);
  if (status.ok()) co_return;
  if (exchange.response_started()) {
    (void)ForClient(status.error(), request_id);  // logged; only closing can tell the client
    exchange.CloseAfterResponse();
    co_return;
  }
  const bool drained =
      co_await Drain(exchange, authenticated ? ~uint64_t{0} : kMaxDrainUnauthenticated);
  if (!drained) exchange.CloseAfterResponse();
  co_await RespondBindingError(exchange, status.error(), request_id);
}

}  // namespace cairn::s3::binding
