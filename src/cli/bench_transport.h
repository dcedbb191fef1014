// How `cairn bench` talks to a server: the client library's HTTP connection (client/
// http_connection.h) and SigV4 signer (client/signer.h), one connection per Lane and one Lane per
// worker thread, so workers never contend for a pool. Two targets share this path so that the
// same generator measures both: `s3` signs every request (an S3 server such as cairn, MinIO or
// R2), `plain-http` sends the same method and path unsigned (a web server such as nginx serving a
// directory, with WebDAV PUT for uploads), which is what makes nginx a fair reference.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cairn/body.h"
#include "cairn/client.h"
#include "client/http_connection.h"
#include "client/signer.h"

namespace cairn::cli {

enum class TargetKind { kS3, kPlainHttp };

// "s3" / "plain-http"; ParseTargetKind throws a usage error for other names.
TargetKind ParseTargetKind(std::string_view name);
std::string_view TargetKindName(TargetKind kind);

struct Target {
  TargetKind kind = TargetKind::kS3;
  client::Endpoint endpoint;
  client::Credentials credentials;  // kS3
  std::shared_ptr<client::TlsContext> tls;
  std::chrono::seconds timeout{300};
  bool sign_payload = false;  // kS3: sign bodies with their SHA-256, not UNSIGNED-PAYLOAD

  // From the resolved client configuration (endpoint, keys, region, TLS settings).
  static Target FromConfig(TargetKind kind, const ClientConfig& config);
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;  // unencoded

struct LaneRequest {
  std::string method;
  std::string bucket;
  std::string key;  // empty: the bucket
  QueryParams query = {};
  std::vector<std::pair<std::string, std::string>> headers = {};  // names lowercase
  Body* body = nullptr;
  std::string payload_sha256 = {};  // hex; used with Target::sign_payload
  bool head = false;                // the answer has no body
};

// One connection's worth of requests, used by one thread at a time. Connects on first use and
// again whenever the connection cannot carry another request.
class Lane {
 public:
  explicit Lane(const Target& target) : target_(&target) {}

  // Sends `request`; a 2xx body goes to `sink` when one is given, else into the response. A
  // request on a reused connection that the server had closed is sent once more on a new one, as
  // the client library does. Throws TransportError when no answer came, and whatever the body or
  // the sink throw (BenchCancelled); the connection is dropped after any exception.
  client::HttpResponse Send(LaneRequest& request, const client::BodySink& sink = nullptr);

  // Send(), then throws S3Error unless the status is 2xx (with the S3 code of the answer's error
  // document, or HttpError<status> from a plain HTTP server).
  client::HttpResponse SendOk(LaneRequest& request, const client::BodySink& sink = nullptr);

 private:
  const Target* target_;
  std::unique_ptr<client::Connection> connection_;
};

}  // namespace cairn::cli
