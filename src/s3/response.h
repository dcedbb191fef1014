// Writing S3 responses: the headers every response carries, XML bodies, and error documents.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/exchange.h"
#include "s3/context.h"

namespace cairn::s3 {

// A response head with x-amz-request-id, x-amz-id-2, Date and Server set, and the CORS headers
// of the request's matching CORS rule.
http::ResponseHead BaseHead(const RequestContext& ctx, int status);
// The same without a request context (no CORS headers).
http::ResponseHead BaseHeadFor(std::string_view request_id, int status);

Awaitable<void> RespondXml(RequestContext& ctx, int status, std::string body);
Awaitable<void> RespondEmpty(RequestContext& ctx, int status);

// What the client is told of `error`. A storage failure becomes its S3 error (core::ToClientError)
// and a server-side S3 failure (5xx but 501 NotImplemented, whose message says what the request
// asked for) keeps its code; both get the table's default message: their own is detail for the
// operator (file paths, SQL, errno text), so it goes to the server log under `request_id` instead,
// with the storage failure's name. Client errors (4xx) keep the messages written for them.
Error ForClient(const Error& error, std::string_view request_id);

// The S3 error document for ForClient(`error`), with the request's path as Resource. HEAD responses
// carry no body, so clients see only the status (as S3 does). `cors`: the request's matching CORS
// rule, so a browser can read the error. A non-zero `retry_after` is sent as Retry-After
// (SlowDown), and so is core::RetryAfter(`error`) for a storage failure the client may retry.
Awaitable<void> RespondError(http::Exchange& exchange, const Error& error,
                             std::string_view request_id, const ErrorSubject& subject = {},
                             const core::CorsHeaders* cors = nullptr,
                             std::chrono::seconds retry_after = {});

// The error as a public bucket answers an anonymous reader: a small HTML page with the status and
// the error's default message (never the request's own text), as R2's public buckets do; with
// Retry-After as RespondError sends it for a storage failure.
Awaitable<void> RespondPublicError(http::Exchange& exchange, const Error& error,
                                   std::string_view request_id,
                                   const core::CorsHeaders* cors = nullptr);

std::string QuoteEtag(std::string_view etag);

// "https://host:port" (or http) as the client addressed this server: the base of the object URLs
// that Location headers and documents carry.
std::string RequestOrigin(const RequestContext& ctx);

}  // namespace cairn::s3
