// Client::Impl: how every call of the library reaches the server. A Request names a bucket, a key,
// query parameters and headers; Send() builds the path-style URL, signs with SigV4, takes a pooled
// connection and performs the round trip, sending an idempotent request once more on a fresh
// connection when a pooled one turns out to have been closed by the server. Send() throws only
// TransportError: the caller decides which statuses are errors (a 404 from get is an answer).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cairn/client.h"
#include "client/connection_pool.h"
#include "client/signer.h"
#include "client/xml.h"

namespace cairn::client {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = {};
  std::string bucket = {};  // empty: the service (ListBuckets)
  std::string key = {};     // empty: the bucket itself
  Headers query = {};       // names and values unencoded; a value may be empty ("?uploads")
  Headers headers = {};     // names lowercase
  Body* body = nullptr;
};

// The raw path of bucket and key ("/photos/cat%20a.png") and the raw query, as sent and signed.
std::string RawPath(const std::string& bucket, const std::string& key);
std::string RawQuery(const Headers& query);

// The S3 error code of an error response: <Code> of its XML document, or for a body-less answer
// (HEAD) a code inferred from the status (404 NotFound, 403 Forbidden, 412 PreconditionFailed...).
std::string ErrorCodeOf(const HttpResponse& response);
// Throws the S3Error an error response describes.
[[noreturn]] void ThrowS3Error(const HttpResponse& response);
// Throws unless the status is 2xx.
void ExpectSuccess(const HttpResponse& response);

// The XML document of a successful answer. Throws TransportError when it is not XML (a proxy's
// HTML page, a truncated answer).
XmlElement ParseAnswer(const HttpResponse& response, std::string_view operation);

// Content-MD5 of a document the client sends (DeleteObjects, CORS, lifecycle).
std::string ContentMd5(std::string_view bytes);

}  // namespace cairn::client

namespace cairn {

struct Client::Impl {
  explicit Impl(ClientConfig config);

  // Sends `request`; a 2xx body goes to `sink` when one is given, else into the response.
  client::HttpResponse Send(client::Request& request, const client::BodySink& sink = nullptr);

  // A presigned URL (see Bucket::presign).
  std::string Presign(const std::string& method, const std::string& bucket, const std::string& key,
                      const client::Headers& query, const client::Headers& headers,
                      std::chrono::seconds expiry);

  ClientConfig config;
  client::Endpoint endpoint;
  client::Credentials credentials;
  std::unique_ptr<client::ConnectionPool> pool;
};

}  // namespace cairn
