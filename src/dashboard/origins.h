// The console and the S3 API are two origins (core/origin.h): pages stored as objects are served
// by the S3 listener, so they never run where the dashboard's session cookie opens its API. The
// console's pages reach the S3 API cross-origin, with URLs presigned for the S3 origin that the
// browser can reach: by default the host name the browser used for the console with the S3
// listener's port and scheme; behind a reverse proxy, the configured public URL.
#pragma once

#include <cstdint>
#include <string>

#include "http/exchange.h"

namespace cairn::dashboard {

struct ConsoleOrigins {
  std::string s3_public_url;  // --public-url as an origin ("https://s3.example.com"); empty: derive
  std::string console_public_url;  // --console-public-url as an origin; empty: the request's own
  uint16_t s3_port = 0;            // the S3 listener's port, for the derived origin
};

// Where a console page sends its S3 requests.
struct S3Endpoint {
  std::string origin;  // "http://localhost:9000": what presigned URLs start with
  std::string host;    // "localhost:9000": the Host header the browser sends there, and signs
};

// The S3 API's origin for a page of the console that sent `console_request`.
S3Endpoint S3EndpointFor(const ConsoleOrigins& origins, const http::RequestHead& console_request);

// The console's own origin, as the browser names it in Origin: the configured public one, or the
// scheme and Host of `console_request`.
std::string ConsoleOriginOf(const ConsoleOrigins& origins,
                            const http::RequestHead& console_request);

}  // namespace cairn::dashboard
