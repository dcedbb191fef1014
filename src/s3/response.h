// Writing S3 responses: the headers every response carries, XML bodies, and error documents.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "http/exchange.h"
#include "s3/context.h"

namespace cairn::s3 {

// A response head with x-amz-request-id, x-amz-id-2, Date and Server set.
http::ResponseHead BaseHead(const RequestContext& ctx, int status);

http::Awaitable<void> RespondXml(RequestContext& ctx, int status, std::string body);
http::Awaitable<void> RespondEmpty(RequestContext& ctx, int status);

// The S3 error document for `error`, with the request's path as Resource. HEAD responses carry
// no body, so clients see only the status (as S3 does).
http::Awaitable<void> RespondError(http::Exchange& exchange, const Error& error,
                                   std::string_view request_id, const ErrorSubject& subject = {});

std::string QuoteEtag(std::string_view etag);

}  // namespace cairn::s3
