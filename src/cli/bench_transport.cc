// The request path of `cairn bench`: path-style URL, SigV4 for the s3 target, one round trip on
// the lane's own connection. It repeats Client::Impl::Send's logic in a dozen lines rather than
// calling it because the generator needs what Send cannot give: an unsigned mode for plain HTTP
// servers, a precomputed payload hash, and a connection per thread with no pool in between.
#include "cli/bench_transport.h"

#include "cairn/errors.h"
#include "cli/errors.h"
#include "client/client_impl.h"
#include "common/time_format.h"

namespace cairn::cli {
namespace {

constexpr std::string_view kUserAgent = "cairn-bench/0.1";

}  // namespace

TargetKind ParseTargetKind(std::string_view name) {
  if (name == "s3") return TargetKind::kS3;
  if (name == "plain-http") return TargetKind::kPlainHttp;
  throw UsageError("--target must be s3 or plain-http, got '" + std::string(name) + "'");
}

std::string_view TargetKindName(TargetKind kind) {
  return kind == TargetKind::kS3 ? "s3" : "plain-http";
}

Target Target::FromConfig(TargetKind kind, const ClientConfig& config) {
  Target t;
  t.kind = kind;
  try {
    t.endpoint = client::ParseEndpoint(config.endpoint);
  } catch (const std::invalid_argument& e) {
    throw UsageError("bad endpoint '" + config.endpoint + "': " + e.what());
  }
  t.credentials.access_key_id = config.accessKeyId;
  t.credentials.secret_access_key = config.secretAccessKey;
  t.credentials.region = config.region.empty() ? "auto" : config.region;
  if (t.endpoint.tls) t.tls = client::MakeTlsContext({config.verifyTls, config.caFile});
  t.timeout = config.timeout;
  return t;
}

client::HttpResponse Lane::Send(LaneRequest& request, const client::BodySink& sink) {
  const Target& target = *target_;
  client::HttpRequest wire;
  wire.method = request.method;
  const std::string raw_path = client::RawPath(request.bucket, request.key);
  const std::string raw_query = client::RawQuery(request.query);
  wire.target = raw_query.empty() ? raw_path : raw_path + "?" + raw_query;
  if (target.kind == TargetKind::kS3) {
    auth::SignableRequest signable{request.method, raw_path, raw_query, {}};
    signable.headers.reserve(request.headers.size() + 5);
    signable.headers.emplace_back("host", target.endpoint.host_header);
    signable.headers.insert(signable.headers.end(), request.headers.begin(), request.headers.end());
    std::string_view payload = client::kEmptyPayloadSha256;
    if (request.body) {
      payload = target.sign_payload && !request.payload_sha256.empty()
                    ? std::string_view(request.payload_sha256)
                    : client::kUnsignedPayload;
    }
    client::SignRequest(signable, target.credentials, FormatAmzDate(NowMillis()), payload);
    wire.headers = std::move(signable.headers);
  } else {
    wire.headers.emplace_back("host", target.endpoint.host_header);
    wire.headers.insert(wire.headers.end(), request.headers.begin(), request.headers.end());
  }
  wire.headers.emplace_back("user-agent", std::string(kUserAgent));
  wire.body = request.body;

  bool reused = connection_ != nullptr && connection_->reusable();
  try {
    if (!reused) {
      connection_.reset();
      connection_ =
          std::make_unique<client::Connection>(target.endpoint, target.tls, target.timeout);
    }
    for (;;) {
      try {
        return connection_->RoundTrip(wire, sink, request.head);
      } catch (const client::ConnectionError& e) {
        // A kept-alive connection the server closed meanwhile: the request never reached it.
        if (reused && e.nothing_received() && (!request.body || request.body->Rewindable())) {
          if (request.body) request.body->Rewind();
          connection_ =
              std::make_unique<client::Connection>(target.endpoint, target.tls, target.timeout);
          reused = false;
          continue;
        }
        throw TransportError(e.what());
      }
    }
  } catch (...) {
    connection_.reset();  // its state is unknown after a failure mid-exchange
    throw;
  }
}

client::HttpResponse Lane::SendOk(LaneRequest& request, const client::BodySink& sink) {
  client::HttpResponse response = Send(request, sink);
  if (response.status / 100 != 2) {
    const std::string code = target_->kind == TargetKind::kS3
                                 ? client::ErrorCodeOf(response)
                                 : "HttpError" + std::to_string(response.status);
    throw S3Error(code,
                  request.method + " " + client::RawPath(request.bucket, request.key) +
                      " answered HTTP " + std::to_string(response.status),
                  response.status, response.Header("x-amz-request-id").value_or(""));
  }
  return response;
}

}  // namespace cairn::cli
