// CORS on the wire: matching a request's Origin against the bucket's rules, the
// Access-Control-* response headers, and the answer to a browser's preflight (OPTIONS).
#pragma once

#include <optional>
#include <string_view>

#include "core/cors.h"
#include "http/exchange.h"
#include "s3/context.h"

namespace cairn::s3 {

// The CORS headers for a request that carries an Origin: cairn's own console's (core::ConsoleCors)
// for the console's origin, else the bucket's matching rule's (nullopt without an Origin, without
// rules, or when no rule matches). Runs the metadata lookup on the worker pool.
Awaitable<std::optional<core::CorsHeaders>> MatchRequestCors(Services& services,
                                                             const http::RequestHead& head,
                                                             const Route& route);

// Adds Access-Control-Allow-Origin, -Allow-Credentials, -Expose-Headers, -Allow-Methods, -Max-Age,
// Vary, and for a preflight -Allow-Headers: what S3 sends on preflights and on actual requests.
void AddCorsHeaders(const core::CorsHeaders& cors, http::ResponseHead& head);

// Answers OPTIONS: 200 with the console's or the matching rule's headers; 400 without Origin or
// Access-Control-Request-Method; 403 AccessForbidden when no rule allows the request.
Awaitable<Status> HandlePreflight(Services& services, http::Exchange& exchange, const Route& route,
                                  std::string_view request_id);

}  // namespace cairn::s3
