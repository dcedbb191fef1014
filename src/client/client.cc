// Client: the request path shared by every call (Client::Impl::Send) and the bucket-level calls
// (ListBuckets, CreateBucket, DeleteBucket, HeadBucket, and the CORS and lifecycle documents).
#include "cairn/client.h"

#include <algorithm>

#include "client/body_source.h"
#include "client/object_headers.h"
#include "client/xml.h"
#include "common/encoding.h"
#include "common/hashing.h"
#include "common/time_format.h"

namespace cairn {
namespace client {
namespace {

// Memory bodies up to this size are signed with their SHA-256 (the server then checks every
// byte); larger and streamed bodies are sent UNSIGNED-PAYLOAD rather than read twice.
constexpr size_t kMaxHashedBody = 1 << 20;
constexpr std::string_view kUserAgent = "cairn-client/0.1";

std::string PayloadHash(Body* body) {
  if (!body) return std::string(kEmptyPayloadSha256);
  const std::string* memory = BodyAccess::SourceOf(*body).Memory();
  if (memory && memory->size() <= kMaxHashedBody) return HexEncode(Sha256(*memory));
  return std::string(kUnsignedPayload);
}

bool IsIdempotent(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE";
}

// The code of an error answer without a document (HEAD answers have no body).
struct StatusCode {
  int status;
  std::string_view code;
};
constexpr StatusCode kDefaultCodes[] = {
    {301, "PermanentRedirect"},  {304, "NotModified"},        {400, "BadRequest"},
    {403, "Forbidden"},          {404, "NotFound"},           {405, "MethodNotAllowed"},
    {409, "Conflict"},           {412, "PreconditionFailed"}, {416, "InvalidRange"},
    {429, "SlowDown"},           {500, "InternalError"},      {501, "NotImplemented"},
    {503, "ServiceUnavailable"},
};

std::string DefaultCodeFor(int status) {
  for (const StatusCode& entry : kDefaultCodes) {
    if (entry.status == status) return std::string(entry.code);
  }
  return "HttpError" + std::to_string(status);
}

// The error document of a response, when it has one.
std::optional<XmlElement> ErrorDocument(const HttpResponse& response) {
  if (response.body.empty()) return std::nullopt;
  std::optional<XmlElement> root = ParseXml(response.body);
  if (!root || root->name != "Error") return std::nullopt;
  return root;
}

}  // namespace

std::string RawPath(const std::string& bucket, const std::string& key) {
  if (bucket.empty()) return "/";
  std::string path = "/" + UriEncode(bucket, /*keep_slash=*/false);
  if (!key.empty()) path += "/" + UriEncode(key, /*keep_slash=*/true);
  return path;
}

std::string RawQuery(const Headers& query) {
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) out += '&';
    out += UriEncode(name, false);
    if (!value.empty()) out += "=" + UriEncode(value, false);
  }
  return out;
}

std::string ErrorCodeOf(const HttpResponse& response) {
  if (std::optional<XmlElement> doc = ErrorDocument(response)) {
    std::string code = doc->ChildText("Code");
    if (!code.empty()) return code;
  }
  return DefaultCodeFor(response.status);
}

void ThrowS3Error(const HttpResponse& response) {
  std::string message;
  std::string request_id = response.Header("x-amz-request-id").value_or("");
  if (std::optional<XmlElement> doc = ErrorDocument(response)) {
    message = doc->ChildText("Message");
    if (request_id.empty()) request_id = doc->ChildText("RequestId");
  }
  if (message.empty()) {
    message = "the server answered HTTP " + std::to_string(response.status);
  }
  throw S3Error(ErrorCodeOf(response), message, response.status, request_id);
}

void ExpectSuccess(const HttpResponse& response) {
  if (response.status / 100 != 2) ThrowS3Error(response);
}

XmlElement ParseAnswer(const HttpResponse& response, std::string_view operation) {
  std::optional<XmlElement> doc = ParseXml(response.body);
  if (!doc) {
    throw TransportError(std::string(operation) + ": the server's answer is not an XML document");
  }
  return *std::move(doc);
}

std::string ContentMd5(std::string_view bytes) { return Base64Encode(Md5(bytes)); }

}  // namespace client

using client::ExpectSuccess;
using client::HttpResponse;
using client::Request;

Client::Impl::Impl(ClientConfig c) : config(std::move(c)) {
  endpoint = client::ParseEndpoint(config.endpoint);
  credentials.access_key_id = config.accessKeyId;
  credentials.secret_access_key = config.secretAccessKey;
  credentials.session_token = config.sessionToken;
  credentials.region = config.region.empty() ? "auto" : config.region;
  std::shared_ptr<client::TlsContext> tls;
  if (endpoint.tls) tls = client::MakeTlsContext({config.verifyTls, config.caFile});
  pool = std::make_unique<client::ConnectionPool>(endpoint, std::move(tls), config.timeout);
}

HttpResponse Client::Impl::Send(Request& request, const client::BodySink& sink) {
  client::HttpRequest wire;
  wire.method = request.method;
  const std::string raw_path = client::RawPath(request.bucket, request.key);
  const std::string raw_query = client::RawQuery(request.query);
  wire.target = raw_query.empty() ? raw_path : raw_path + "?" + raw_query;
  auth::SignableRequest signable{request.method, raw_path, raw_query, {}};
  signable.headers.emplace_back("host", endpoint.host_header);
  signable.headers.insert(signable.headers.end(), request.headers.begin(), request.headers.end());
  client::SignRequest(signable, credentials, FormatAmzDate(NowMillis()),
                      client::PayloadHash(request.body));
  wire.headers = std::move(signable.headers);
  wire.headers.emplace_back("user-agent", std::string(client::kUserAgent));
  wire.body = request.body;

  const bool retryable =
      client::IsIdempotent(request.method) && (!request.body || request.body->Rewindable());
  std::unique_ptr<client::Connection> connection = pool->TakeIdle();
  bool pooled = connection != nullptr;
  if (!connection) connection = pool->Connect();
  for (;;) {
    try {
      HttpResponse response = connection->RoundTrip(wire, sink, request.method == "HEAD");
      pool->Release(std::move(connection));
      return response;
    } catch (const client::ConnectionError& e) {
      // A pooled connection the server closed while it sat idle: the request never reached it.
      if (pooled && retryable && e.nothing_received()) {
        if (request.body) request.body->Rewind();
        connection = pool->Connect();
        pooled = false;
        continue;
      }
      throw TransportError(e.what());
    }
  }
}

std::string Client::Impl::Presign(const std::string& method, const std::string& bucket,
                                  const std::string& key, const client::Headers& query,
                                  const client::Headers& headers, std::chrono::seconds expiry) {
  const std::string raw_path = client::RawPath(bucket, key);
  auth::SignableRequest signable{method, raw_path, client::RawQuery(query), {}};
  signable.headers.emplace_back("host", endpoint.host_header);
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "host") continue;
    signable.headers.emplace_back(std::move(lower), value);
  }
  return endpoint.base_url + raw_path + "?" +
         client::PresignQuery(signable, credentials, FormatAmzDate(NowMillis()), expiry);
}

Client::Client(ClientConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Client::~Client() = default;

const ClientConfig& Client::config() const { return impl_->config; }

Bucket Client::bucket(const std::string& name) { return Bucket(*this, name); }

std::vector<BucketInfo> Client::listBuckets() {
  std::vector<BucketInfo> out;
  std::string token;
  do {
    Request request{"GET"};
    if (!token.empty()) request.query.emplace_back("continuation-token", token);
    HttpResponse response = impl_->Send(request);
    ExpectSuccess(response);
    std::optional<client::XmlElement> doc = client::ParseAnswer(response, "ListBuckets");
    if (const client::XmlElement* buckets = doc->Child("Buckets")) {
      for (const client::XmlElement* b : buckets->Children("Bucket")) {
        BucketInfo info;
        info.name = b->ChildText("Name");
        info.created = client::ParseXmlTime(b->ChildText("CreationDate"));
        info.location = b->ChildText("BucketRegion");
        out.push_back(std::move(info));
      }
    }
    token = doc->ChildText("ContinuationToken");
  } while (!token.empty());
  return out;
}

void Client::createBucket(const std::string& name) {
  Request request{"PUT", name};
  ExpectSuccess(impl_->Send(request));
}

void Client::deleteBucket(const std::string& name) {
  Request request{"DELETE", name};
  ExpectSuccess(impl_->Send(request));
}

BucketInfo Client::headBucket(const std::string& name) {
  Request head{"HEAD", name};
  HttpResponse response = impl_->Send(head);
  if (response.status == 404) {
    throw S3Error("NoSuchBucket", "The specified bucket does not exist: " + name, 404,
                  response.Header("x-amz-request-id").value_or(""));
  }
  ExpectSuccess(response);
  BucketInfo info;
  info.name = name;
  if (auto region = response.Header("x-amz-bucket-region")) {
    info.location = *region;
  } else {
    Request location{"GET", name, "", {{"location", ""}}};
    HttpResponse answer = impl_->Send(location);
    ExpectSuccess(answer);
    if (std::optional<client::XmlElement> doc = client::ParseXml(answer.body)) {
      info.location = doc->text;
    }
  }
  // S3 tells a bucket's creation date only in ListBuckets.
  for (const BucketInfo& listed : listBuckets()) {
    if (listed.name == name) info.created = listed.created;
  }
  return info;
}

namespace {

// GET of a bucket subresource; nullopt when the server says none is set (`absent_code`).
std::optional<std::string> GetBucketDocument(Client::Impl& impl, const std::string& bucket,
                                             const std::string& subresource,
                                             std::string_view absent_code) {
  Request request{"GET", bucket, "", {{subresource, ""}}};
  HttpResponse response = impl.Send(request);
  if (response.status == 404 && client::ErrorCodeOf(response) == absent_code) return std::nullopt;
  ExpectSuccess(response);
  return std::move(response.body);
}

void PutBucketDocument(Client::Impl& impl, const std::string& bucket,
                       const std::string& subresource, const std::string& xml) {
  Body body = Body::FromString(xml);
  Request request{"PUT",
                  bucket,
                  "",
                  {{subresource, ""}},
                  {{"content-md5", client::ContentMd5(xml)}, {"content-type", "application/xml"}},
                  &body};
  ExpectSuccess(impl.Send(request));
}

void DeleteBucketDocument(Client::Impl& impl, const std::string& bucket,
                          const std::string& subresource) {
  Request request{"DELETE", bucket, "", {{subresource, ""}}};
  ExpectSuccess(impl.Send(request));
}

}  // namespace

std::optional<std::string> Client::getBucketCors(const std::string& bucket) {
  return GetBucketDocument(*impl_, bucket, "cors", "NoSuchCORSConfiguration");
}
void Client::putBucketCors(const std::string& bucket, const std::string& xml) {
  PutBucketDocument(*impl_, bucket, "cors", xml);
}
void Client::deleteBucketCors(const std::string& bucket) {
  DeleteBucketDocument(*impl_, bucket, "cors");
}
std::optional<std::string> Client::getBucketLifecycle(const std::string& bucket) {
  return GetBucketDocument(*impl_, bucket, "lifecycle", "NoSuchLifecycleConfiguration");
}
void Client::putBucketLifecycle(const std::string& bucket, const std::string& xml) {
  PutBucketDocument(*impl_, bucket, "lifecycle", xml);
}
void Client::deleteBucketLifecycle(const std::string& bucket) {
  DeleteBucketDocument(*impl_, bucket, "lifecycle");
}

}  // namespace cairn
